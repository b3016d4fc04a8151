"""Assumptions: every curated number with its source and date, and the prices in force, editable."""

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from calc.article.source import ARTICLE_CITATION
from calc.catalogue.hosting_billing import billing_table
from calc.catalogue.price_import import MAX_IMPORT_ROWS, PriceImportError, check_import_limits, check_price_ranges, read_price_csv
from calc.catalogue.price_sources import InForce
from calc.catalogue.prompt_models import prompt_model_facts
from calc.catalogue.tables import (
    ARTICLE_TABLES,
    DataSchemaError,
    apply_price_edits,
    load_article_table,
    load_inference_scenarios,
    load_volume_bands,
    stale_options,
    validate_options,
)
from calc.costs.gpu import gpu_table
from calc.costs.latency import latency_table
from calc.costs.pair import Pair
from calc.costs.reasoning import reasoning_table
from calc.costs.serving import throughput_table
from calc.costs.teachers import teacher_terms_table
from calc.costs.upfront import labelling_rates
from calc.text.safe_text import csv_bytes, plain_markdown
from calc.tokenizers.chat import overhead_table
from calc.tokenizers.models import model_table
from calc.tokenizers.ratios import ratio_table
from ui.assumptions import current_options, edited_options, shipped_options, use_options
from ui.clock import app_today
from ui.pair_view import page_pair, show_pair, show_status
from ui.price_status import prices_for_run, show_prices_in_force
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Assumptions", page_icon="📚", layout="wide")
EDITABLE = (
    "training_price_usd", "gpu_hours_per_mtok", "base_input_per_mtok", "base_cached_input_per_mtok", "base_output_per_mtok",
    "tuned_input_per_mtok", "tuned_cached_input_per_mtok", "tuned_output_per_mtok", "hosting_usd_per_hour",
    "hosting_units", "storage_usd_per_month",
)  # fmt: skip
SHOWN = (
    "label", *EDITABLE, "hosting_kind", "closed_to_new_customers", "jobs_close", "shutdown", "source", "as_of", "confidence",
)  # fmt: skip
MESSAGE_KEY = "_assumptions_message"
IMPORTED_KEY = "_assumptions_imported"


def apply_edits() -> None:
    """Validate the editor's changes in calc/; keep the last valid table when they fail."""
    changes = st.session_state.get("options_editor", {})
    try:
        use_options(apply_price_edits(current_options(), changes.get("edited_rows", {}), EDITABLE))
        st.session_state[MESSAGE_KEY] = ("success", "Edited prices are now in force on every page for this session.")
    except DataSchemaError as problem:
        rejected = plain_markdown(f"Edit rejected: {problem} The last valid prices stay in force.")
        st.session_state[MESSAGE_KEY] = ("error", rejected)
    st.session_state.pop("options_editor", None)


def reset() -> None:
    """Put the shipped prices back in force (a button callback)."""
    use_options(None)
    st.session_state.pop("options_editor", None)
    st.session_state[MESSAGE_KEY] = ("success", "Back to the shipped prices.")


def show_intro() -> None:
    """Where the defaults come from and what the confidence levels mean."""
    st.markdown(
        "Every default in the explorer comes from these tables. Prices are USD per 1M tokens unless the column says "
        "GPU-hour. *Confidence*: **confirmed** = read on a first-party page or two agreeing copies; **secondary** = one "
        "secondary copy; **unverified** = not found in a source."
    )


def show_selected_option(pair: Pair) -> None:
    """The chosen fine-tuning option: its status, source, date, confidence, hosting and notes."""
    selected = pair.option
    st.subheader(f"Selected option: {plain_markdown(selected.label)}", anchor=False)  # no anchor named by outside text
    show_status(pair.option_status(), show_ok=True)
    st.markdown(
        f"**Source:** {plain_markdown(selected.source)} · **as of** {selected.as_of} · **confidence** "
        f"{selected.confidence} · **hosting:** {plain_markdown(selected.billing_terms())}"
    )
    if selected.notes:
        st.caption(plain_markdown(selected.notes))


def show_prompting_model(pair: Pair) -> None:
    """The chosen prompting model: its status and prices, and the recommended list with announced shutdowns."""
    prompt = pair.prompt
    st.subheader(f"Prompting model: {plain_markdown(prompt.label)}", anchor=False)
    show_status(pair.prompt_status(), show_ok=True)
    st.markdown(
        f"`{prompt.ref}` · input ${prompt.input_per_mtok:,.4g} / cached "
        + ("—" if prompt.cached_input_per_mtok is None else f"${prompt.cached_input_per_mtok:,.4g}")
        + f" / output ${prompt.output_per_mtok:,.4g} per 1M"
        + (" (first context tier)" if prompt.tiered else "")
        + f" · {plain_markdown(prompt.catalogue)} · pricing URLs: {plain_markdown(prompt.source)}"
    )
    with st.expander("Prompting models: recommended list and announced shutdowns (with sources)"):
        team = prices.models.table
        st.dataframe(prompt_model_facts() if team is None else team, hide_index=True, width="stretch")


def show_sources_in_force(state: InForce) -> None:
    """Which price data every page computes with, and why a refresh that failed left the last good data in force."""
    st.subheader("Prices in force")
    show_prices_in_force(state, always=True)
    if not state.refreshing:
        st.caption(
            "Fixed at release. A server can refresh them while it runs: genai-prices data from a URL, and a team's "
            "fine-tuning table from a URL or file (README: Keeping prices current)."
        )


def show_price_editor(options: pd.DataFrame, today: dt.date) -> None:
    """The fine-tuning options' prices, editable for the session, with export, reset and import."""
    st.subheader("Fine-tuning options (prices editable)")
    stale = stale_options(options, today)
    if stale:
        st.warning(
            plain_markdown("Prices older than 6 months: " + ", ".join(stale) + ". Check them before relying on the numbers.")
        )
    if edited_options() is not None:
        st.info("Edited prices are in force for this session; the decision brief records them.", icon=":material/edit:")
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    st.data_editor(
        options.reset_index(drop=True)[list(SHOWN)],
        key="options_editor",
        hide_index=True,
        width="stretch",
        disabled=[c for c in SHOWN if c not in EDITABLE],
        on_change=apply_edits,
        column_config={c: st.column_config.NumberColumn(c, format="%.4g", min_value=0.0) for c in EDITABLE},
    )
    cols = st.columns(3)
    cols[0].download_button(
        "Export prices (CSV)",
        lambda: csv_bytes(options),
        "finetune_options.csv",
        "text/csv",
        key="export_assumptions",
        on_click="ignore",
    )
    cols[1].button("Reset to the shipped prices", on_click=reset, disabled=edited_options() is None)
    upload = cols[2].file_uploader(
        "Import prices (CSV)",
        type=["csv"],
        key="assumptions_import",
        max_upload_size=1,
        help=f"A table exported from this page: up to 1 MB and {MAX_IMPORT_ROWS} rows.",
    )
    if upload is not None and st.session_state.get(IMPORTED_KEY) != upload.file_id:
        import_prices(upload)


def import_prices(upload: UploadedFile) -> None:
    """Put a newly uploaded price table in force (and rerun), or say why it is refused."""
    st.session_state[IMPORTED_KEY] = upload.file_id
    try:
        imported = read_price_csv(upload.getvalue())
        problems = check_import_limits(imported) or check_price_ranges(imported)
        if problems:
            raise PriceImportError(" ".join(problems))
        use_options(validate_options(imported, "The imported table"))
        st.session_state.pop("options_editor", None)
        done = plain_markdown(f"Imported {upload.name}: its prices are now in force for this session.")
        st.session_state[MESSAGE_KEY] = ("success", done)
        st.rerun()
    except (DataSchemaError, PriceImportError) as problem:
        st.error(plain_markdown(f"Import refused: {problem} The current prices stay in force."))


def show_option_notes(options: pd.DataFrame) -> None:
    """Each option's notes, successor, base model and lifecycle sources, behind an expander."""
    with st.expander("Notes on each option"):
        st.dataframe(
            options[
                [
                    "label", "notes", "successor", "base_model_ref", "closed_to_new_customers_source", "jobs_close_source",
                    "shutdown_source",
                ]
            ],
            hide_index=True,
            width="stretch",
        )  # fmt: skip


def show_work_and_latency_tables() -> None:
    """The tables behind the work before training, the teachers' terms and latency (issue 22), each row sourced."""
    st.subheader("Labelling rates, teachers' terms and latency measurements")
    st.caption("Guidance beside the work before training (zero unless entered), and the measurements latency rests on.")
    st.dataframe(labelling_rates().reset_index(), hide_index=True, width="stretch")
    st.dataframe(teacher_terms_table().reset_index(), hide_index=True, width="stretch")
    st.dataframe(latency_table(), hide_index=True, width="stretch")


def show_serving_and_reasoning_tables() -> None:
    """What sizes GPUs, bills deployments that scale to zero and prices reasoning (issue 29), each row sourced."""
    st.subheader("Serving throughput, deployment billing and reasoning tokens")
    st.caption(
        "GPUs are sized from measured throughput (other GPUs by their like-for-like ratio to the H100); deployments "
        "that scale to zero bill their idle window; a reasoning model's thinking is billed as output at its effort."
    )
    st.dataframe(throughput_table(), hide_index=True, width="stretch")
    st.dataframe(billing_table(), hide_index=True, width="stretch")
    st.dataframe(reasoning_table(), hide_index=True, width="stretch")


def show_token_tables() -> None:
    """How each model's tokens are counted: which tokenizer, the ratios by content kind, the chat templates."""
    st.subheader("Each model's own tokens")
    st.caption(
        "Which tokenizer counts a model (a bundled vocabulary: exact; otherwise an estimate), the ratios that convert "
        "the scenario's o200k_base counts and give the estimates' ranges, and each family's chat template in tokens. "
        "The vocabularies' sources, licences and hashes: data/tokenizers/README.md."
    )
    with st.expander("Models and their tokenizers"):
        st.dataframe(model_table(), hide_index=True, width="stretch")
    with st.expander("Ratios by content kind"):
        st.dataframe(ratio_table(), hide_index=True, width="stretch")
    with st.expander("Chat templates in tokens"):
        st.dataframe(overhead_table(), hide_index=True, width="stretch")


def show_reference_tables() -> None:
    """The GPU table and the article's tables, as shipped."""
    st.subheader("GPUs for self-hosting")
    st.dataframe(gpu_table(), hide_index=True, width="stretch")

    show_serving_and_reasoning_tables()

    show_work_and_latency_tables()
    show_token_tables()

    st.subheader("The article's tables")
    st.caption(
        f"From {ARTICLE_CITATION}. "
        "A volume band holds volumes from its minimum (inclusive) up to its maximum (exclusive)."
    )
    st.markdown("**Volume bands**")
    st.dataframe(load_volume_bands(), hide_index=True, width="stretch")
    st.markdown("**Inference scenarios**")
    st.dataframe(load_inference_scenarios(), hide_index=True, width="stretch")
    for name in ARTICLE_TABLES:
        with st.expander(name.replace("_", " ").capitalize()):
            st.dataframe(load_article_table(name), hide_index=True, width="stretch")
    st.caption(
        plain_markdown(
            f"Prompting prices on every page: {prices.catalogue.label}. Fine-tuning options: {prices.options.label} "
            f"({len(current_options())}; {len(shipped_options())} shipped)."
        )
    )


today = app_today()
prices = prices_for_run()
scenario, pair = page_pair(scenario_sidebar("assumptions", today), today, prices.version)
options = current_options()

st.title("Assumptions")
show_intro()
show_sources_in_force(prices)
show_pair(pair)
show_selected_option(pair)
show_prompting_model(pair)
show_price_editor(options, today)
show_option_notes(options)
show_reference_tables()
