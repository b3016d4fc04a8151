"""Training data: validate the examples you would fine-tune on, price training, run the checklist."""

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from calc.article.checklist import checklist, class_balance
from calc.catalogue.options import FineTuneOption, records_for
from calc.catalogue.status import option_status
from calc.costs.training import dataset_training_cost
from calc.inputs import token_worker
from calc.inputs.dataset import (
    DEFAULT_TOKEN_LIMIT,
    FORMAT_ERROR_WORDS,
    MAX_LINE_BYTES,
    DatasetFileError,
    DatasetReport,
    analyze_jsonl,
    analyze_records,
    csv_columns,
    csv_records,
    parse_jsonl,
    replaced_text_note,
    sample_every,
    split_counts,
    split_train_eval,
    token_bins,
)
from calc.inputs.querystring import INT_PARAMS
from calc.text.safe_text import plain_cells, plain_markdown
from ui.assumptions import current_options
from ui.binding import IN_SESSION
from ui.charts import token_histogram
from ui.clock import app_today
from ui.export import chart_downloads
from ui.format import count, usd
from ui.pair_view import page_pair, show_pair
from ui.price_status import prices_for_run, show_prices_in_force
from ui.result_store import OWNER_MAX_BYTES, STORE_MAX_BYTES, ResultStore, release_free_memory
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Training data", page_icon="🗂️", layout="wide")
token_worker.start()  # loads its tokenizer on the other core while the page is read: the first upload counts at full speed
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_training.jsonl"
STATUS = {
    "ok": ":green[:material/check_circle:] OK",
    "check": ":orange[:material/visibility:] Check",
    "risk": ":red[:material/error:] At risk",
    "unknown": ":gray[:material/help:] Can't tell",
}
REPORT_KEY = "_dataset_report"
UPLOAD_SEEN_KEY = "_dataset_upload_seen"
MAX_UPLOAD_MB = 50  # server.maxUploadSize in .streamlit/config.toml


@st.cache_resource(show_spinner=False)
def report_store() -> ResultStore:
    """The one store of analyses for this process: at most 256 MB, and 32 MB for what one session's uploads keep."""
    return ResultStore(STORE_MAX_BYTES, max_bytes_per_owner=OWNER_MAX_BYTES)


def _remembered(key: tuple, compute):
    """`compute()` once per key, kept in the shared store and counted against this session's share of it."""
    context = get_script_run_ctx()
    return report_store().get(key, compute, owner=context.session_id if context else None)


def analyse(digest: str, data: bytes, kind: str, columns: tuple[str, str, str | None], limit: int, progress) -> DatasetReport:
    """The analysis of one file's content, computed once per content and settings.

    Kept in a resource cache rather than st.cache_data so the progress bar can be driven while it runs.
    """

    def compute() -> DatasetReport:
        if kind == "csv":
            report = DatasetReport()
            report = analyze_records(
                csv_records(data, *columns, report=report), report, max_tokens_per_example=limit, progress=progress
            )
        else:
            report = analyze_jsonl(data, max_tokens_per_example=limit, progress=progress)
        release_free_memory()
        return report

    return _remembered(_report_key(digest, kind, columns, limit), compute)


def _report_key(digest: str, kind: str, columns: tuple[str, str, str | None], limit: int) -> tuple:
    return ("report", digest, kind, columns, limit)


def first_look(file: "TrainingFile", limit: int, every: int) -> DatasetReport:
    """The analysis of a uniform sample of a long JSONL file (every `every`-th line), shown while the whole is read."""

    def compute() -> DatasetReport:
        return analyze_jsonl(file.data, max_tokens_per_example=limit, every=every)

    return _remembered(("sample", file.digest, limit, every), compute)


def split_file(data: bytes, kind: str, columns: tuple[str, str, str | None], share: float, seed: int, part: int) -> bytes:
    """One file of the seeded train/eval split (0: train, 1: eval), written when its download is clicked (never kept)."""
    if kind == "csv":
        records = csv_records(data, *columns, report=DatasetReport())
    else:
        records = parse_jsonl(data, DatasetReport(), keep_surrogates=True)  # the split keeps the file's own escapes
    return split_train_eval(records, share, seed)[part]


def use_dataset() -> None:
    """Copy the file's example count and mean tokens into the shared scenario (and so into the URL)."""
    n_valid, mean_tokens = st.session_state.get(REPORT_KEY, (0, 0))
    if n_valid == 0:
        return
    spec = INT_PARAMS["training_examples"]
    st.session_state["training_examples"] = min(n_valid, spec.maximum)
    spec = INT_PARAMS["tokens_per_training_example"]
    st.session_state["tokens_per_training_example"] = min(max(mean_tokens, spec.minimum), spec.maximum)
    st.session_state["_dataset_used"] = True


@dataclass(frozen=True)
class TrainingFile:
    """The file being analysed: its content (and digest), name, kind and the CSV columns read."""

    data: bytes
    name: str
    kind: str  # "csv" or "jsonl"
    columns: tuple[str, str, str | None]

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the content: the key of its analysis and split."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Settings:
    """The analysis settings chosen on the page."""

    token_limit: int
    epochs: int  # 0: each option's default
    eval_share: float
    seed: int


def show_intro() -> None:
    """Which file formats the page reads and whose checks it runs."""
    st.markdown(
        'Upload the examples you would fine-tune on: OpenAI chat JSONL (`{"messages": [...]}` per line, optional `weight`), '
        "legacy prompt/completion JSONL, or CSV with input and output columns. Checks follow the OpenAI Cookbook's "
        "data-preparation notebook; the checklist is the article's."
    )


def read_upload() -> tuple[bytes, str]:
    """The uploaded file's bytes and name, or the sample dataset's when nothing is uploaded."""
    upload = st.file_uploader(
        f"Training file (JSONL or CSV, up to {MAX_UPLOAD_MB} MB)",
        type=["jsonl", "json", "csv", "txt"],
        key="training_upload",
        max_upload_size=MAX_UPLOAD_MB,
        help=f"Nothing leaves this app: the file is analysed in memory. Limits: {MAX_UPLOAD_MB} MB per file, "
        f"{MAX_LINE_BYTES // 1_000_000} MB per JSONL line or CSV cell; the file must be UTF-8.",
    )
    if upload is None:
        name = SAMPLE.name
        st.info(f"Showing the sample dataset ({name}: a six-label ticket classifier). Upload a file to analyse your own.")
        return SAMPLE.read_bytes(), name
    if st.session_state.get(UPLOAD_SEEN_KEY) != upload.file_id:
        st.session_state[UPLOAD_SEEN_KEY] = upload.file_id
        release_free_memory()  # what receiving the upload used and freed (several times its size) goes back
    return upload_bytes(upload), upload.name


def upload_bytes(upload: UploadedFile) -> bytes:
    """The uploaded bytes Streamlit already keeps for this session, not a copy.

    `getvalue()` copies the file on every run here (a 50 MB copy per rerun, kept alive by the split downloads).
    """
    context = get_script_run_ctx()
    try:
        records = runtime.get_instance().uploaded_file_mgr.get_files(context.session_id, [upload.file_id])
    except (RuntimeError, AttributeError, KeyError):
        records = []
    data = records[0].data if records else None
    return data if isinstance(data, bytes) and len(data) == upload.size else upload.getvalue()


def pick_csv_columns(data: bytes) -> tuple[str, str, str | None] | None:
    """The CSV's input, output and optional system columns; None, after an error shown, when it has no usable header."""
    try:
        header = csv_columns(data)
    except DatasetFileError as problem:
        st.error(plain_markdown(problem))
        return None
    if len(header) < 2:
        st.error("The CSV needs a header row with at least an input and an output column.")
        return None
    cols = st.columns(3)
    source = cols[0].selectbox("Input column", header, key="csv_input", **IN_SESSION)
    target = cols[1].selectbox("Output column", header, index=1, key="csv_output", **IN_SESSION)
    system = cols[2].selectbox("System prompt column (optional)", ["(none)", *header], key="csv_system", **IN_SESSION)
    return source, target, None if system == "(none)" else system


def read_settings(option: FineTuneOption) -> Settings:
    """The token limit (empty: the option's), epochs, hold-out share and split seed."""
    cols = st.columns(4)
    option_limit = option.max_example_tokens or DEFAULT_TOKEN_LIMIT
    entered_limit = cols[0].number_input(
        "Token limit per example",
        1,
        1_000_000,
        None,
        1_024,
        key="token_limit",
        placeholder=f"{option_limit:,} ({option.label})",
        **IN_SESSION,
        help=plain_markdown(
            "Tokens above this are truncated and not billed. Empty: the chosen option's limit"
            + (
                f" ({option_limit:,} tokens for {option.label})."
                if option.max_example_tokens
                else f" (not published for {option.label}: OpenAI's default training context, {DEFAULT_TOKEN_LIMIT:,}, assumed)."
            )
        ),
    )
    epochs_choice = cols[1].number_input(
        "Epochs (0 = each option's default)", 0, 25, 0, key="dataset_epochs", **IN_SESSION,
        help="0: each option bills its provider's default epochs (Bedrock 2, Together 1) or OpenAI's rule.",
    )  # fmt: skip
    eval_share = cols[2].slider("Hold-out for evaluation (%)", 10, 50, 20, 5, key="eval_share", **IN_SESSION) / 100
    seed = cols[3].number_input("Split seed", 0, 2**31 - 1, 42, key="split_seed", **IN_SESSION)
    return Settings(int(entered_limit or option_limit), int(epochs_choice), eval_share, int(seed))


def analyse_with_progress(file: TrainingFile, limit: int) -> DatasetReport:
    """The file's analysis, with a progress bar while it runs (gone once it is done)."""
    name = plain_markdown(file.name)
    bar = st.progress(0.0, text=f"Analysing {name}…")
    report = analyse(
        file.digest,
        file.data,
        file.kind,
        file.columns,
        limit,
        lambda share: bar.progress(share, text=f"Analysing {name}… {share:.0%}"),
    )
    bar.empty()
    return report


def show_unreadable(report: DatasetReport) -> None:
    """Why no example could be read, with the problems found."""
    first = f" {report.errors[0]['message']}" if report.errors else ""
    st.error(plain_markdown("No examples could be read from this file." + first))
    if report.errors:
        st.dataframe(pd.DataFrame(report.errors), hide_index=True)


def show_summary(report: DatasetReport, epochs_choice: int) -> None:
    """The file's counts: examples, errors, tokens over the limit and billed tokens, then the problems by line."""
    epochs = report.epochs(epochs_choice)
    format_total = sum(report.format_errors.values())
    cols = st.columns(6)
    cols[0].metric("Examples", count(report.n_examples), help=f"{count(report.n_lines)} lines read.")
    cols[1].metric("Valid examples", count(report.n_valid), help="Examples with no format error.")
    cols[2].metric("Format errors", count(format_total), help="Counted as in the OpenAI Cookbook.")
    cols[3].metric("Lines that are not JSON", count(report.n_invalid_json))
    cols[4].metric(
        "Over the token limit",
        count(report.n_examples_over_limit),
        help=f"Truncated to {count(report.token_limit)} tokens for billing.",
    )
    cols[5].metric(
        "Billed tokens",
        count(report.billed_tokens(epochs)),
        help=f"{count(report.billing_tokens_per_epoch)} per epoch x {epochs} epochs"
        + (" (OpenAI default rule)." if not epochs_choice else "."),
    )
    st.caption(
        f"{count(report.n_missing_system)} examples have no system message; {count(report.n_missing_user)} have no user message."
    )
    if report.n_replaced_text_lines:
        st.caption(plain_markdown(replaced_text_note(report.n_replaced_text_lines)))
    if report.n_errors:
        with st.expander(f"{count(report.n_errors)} problems found, by line", expanded=format_total + report.n_invalid_json > 0):
            counts = pd.DataFrame(
                {"check": [FORMAT_ERROR_WORDS[k] for k in report.format_errors], "examples": list(report.format_errors.values())}
            )
            st.table(counts[counts["examples"] > 0], hide_index=True)
            st.dataframe(
                pd.DataFrame(report.errors),
                hide_index=True,
                width="stretch",
                column_config={"line": st.column_config.NumberColumn("Line", format="%d"), "message": "Problem"},
            )
            if report.n_errors > len(report.errors):
                st.caption(
                    f"Showing the first {len(report.errors)}; {count(report.n_errors - len(report.errors))} more not listed."
                )


def show_token_stats(report: DatasetReport) -> None:
    """Tokens per example: percentiles and a histogram against the token limit."""
    st.subheader("Tokens per example")
    stats = pd.DataFrame(report.stats).T.rename(
        index={
            "n_messages": "Messages per example",
            "total_tokens": "Tokens per example",
            "assistant_tokens": "Assistant tokens per example",
        },
        columns={
            "min": "Min", "p10": "10th percentile", "median": "Median", "mean": "Mean", "p90": "90th percentile", "max": "Max",
        },
    )[["Min", "10th percentile", "Median", "Mean", "90th percentile", "Max"]]  # fmt: skip
    st.table(stats.map(lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"))  # 3 messages, a 370.4 mean
    histogram = token_histogram(token_bins(report.total_tokens), report.token_limit)
    st.altair_chart(histogram, width="stretch")
    chart_downloads(
        histogram,
        lambda: pd.DataFrame({"tokens": report.total_tokens, "assistant_tokens": report.assistant_tokens}),
        "tokens-per-example",
        "histogram",
    )


def show_training_costs(report: DatasetReport, epochs_choice: int, today: dt.date) -> None:
    """What one training run on this file costs on every option, with its status, epochs and minimum."""
    st.subheader("What training on this file costs")
    rows = []
    for option in records_for(current_options()).values():
        cost = dataset_training_cost(report.n_valid, report.billing_tokens_per_epoch, option, epochs_choice or None)
        price_range = "" if cost.cost_low_usd is None else f"{usd(cost.cost_low_usd)} to {usd(cost.cost_high_usd)}"
        status = option_status(option, today)
        rows.append(
            {
                "Option": option.label,
                "Status": status.headline,
                "Epochs": f"{cost.epochs} ({cost.epochs_rule})",
                "GPU-hours": "" if cost.gpu_hours is None else f"{cost.gpu_hours:,.2f}",
                "Cost": usd(cost.cost_usd) if cost.price_known else "hours of a run not published" if cost.hours_missing
                else "not published",
                "Range": price_range,
                "Minimum examples": ""
                if cost.min_examples is None
                else f"{cost.min_examples} ({'met' if cost.meets_minimum else 'NOT met'})",
            }
        )
    st.table(plain_cells(pd.DataFrame(rows), ["Option", "Status"]), hide_index=True)
    epochs = report.epochs(epochs_choice)
    st.caption(
        f"Billed tokens = sum of min(limit, tokens) x epochs ({count(report.billed_tokens(epochs))} at {epochs} epochs; "
        "each option bills its own default epochs unless you set them). "
        "Self-hosted: GPU-hours from measured throughput x hourly rate."
    )


def show_checklist(report: DatasetReport) -> None:
    """The article's data-quality checklist run on this file, and the label balance when outputs look like labels."""
    st.subheader("Data-quality checklist")
    for _, row in checklist(report).iterrows():
        rule = f" *Article: {row['article']}*" if row["article"] else ""
        st.markdown(f"{STATUS[row['status']]} — **{row['criterion']}**: {plain_markdown(row['finding'])}{rule}")
    balance = class_balance(report)
    if balance is not None:
        st.caption("Outputs look like labels; their balance:")
        st.table(plain_cells(balance.assign(share=balance["share"].map(lambda s: f"{s:.1%}")), ["label"]), hide_index=True)


def show_split(file: TrainingFile, settings: Settings, report: DatasetReport) -> None:
    """The seeded train/eval split as two downloads, and the button that uses this file in the scenario."""
    st.subheader("Train / eval split")
    share, seed = settings.eval_share, settings.seed
    n_train, n_eval = _remembered(
        ("split_counts", file.digest, file.kind, file.columns, share, seed), lambda: split_counts(report.split_lines, share, seed)
    )
    data, kind, columns = file.data, file.kind, file.columns
    st.markdown(
        f"Seed {settings.seed}: **{count(n_train)}** training and **{count(n_eval)}** evaluation examples; "
        "the same file and seed always give the same split."
    )
    cols = st.columns(3)
    stem = Path(file.name).stem
    cols[0].download_button(
        "Download train.jsonl",
        lambda: split_file(data, kind, columns, share, seed, 0),
        f"{stem}-train.jsonl",
        "application/jsonl",
        key="download_train",
        on_click="ignore",
    )
    cols[1].download_button(
        "Download eval.jsonl",
        lambda: split_file(data, kind, columns, share, seed, 1),
        f"{stem}-eval.jsonl",
        "application/jsonl",
        key="download_eval",
        on_click="ignore",
    )
    cols[2].button(
        "Use this dataset in the scenario",
        on_click=use_dataset,
        type="primary",
        help="Sets training examples and tokens per training example in the sidebar (and the link).",
    )
    if st.session_state.pop("_dataset_used", False):
        st.success(
            f"The scenario now trains on {count(report.n_valid)} examples of "
            f"{round(report.stats['total_tokens']['mean'])} tokens."
        )


def show_report(file: TrainingFile, settings: Settings, report: DatasetReport, today: dt.date) -> None:
    """Everything the page says about one analysis; the split only once the whole file is read."""
    if report.n_examples == 0:
        show_unreadable(report)
        return
    show_summary(report, settings.epochs)
    show_token_stats(report)
    show_training_costs(report, settings.epochs, today)
    show_checklist(report)
    if report.sampled_every == 1:
        show_split(file, settings, report)
    else:
        st.caption("The train/eval split is offered once the whole file is read.")


def first_look_then_whole(file: TrainingFile, settings: Settings, today: dt.date, n_lines: int, every: int) -> None:
    """A long file: its uniform sample shown at once and said to be one, then the whole file read (progress on top)
    and the page run again with the full analysis."""
    progress = st.container()
    sample = first_look(file, settings.token_limit, every)
    st.warning(
        f"A first look at a long file: a uniform sample of every {every:,}th line ({count(sample.n_examples)} examples "
        f"of about {count(n_lines)} lines). The counts, costs and checks below are the sample's; the whole file is "
        "being read now, and this page completes with its figures when it is done.",
        icon=":material/hourglass_top:",
    )
    show_report(file, settings, sample, today)
    with progress:
        analyse_with_progress(file, settings.token_limit)
    st.rerun()


today = app_today()
scenario, pair = page_pair(scenario_sidebar("training_data", today), today)
st.title("Training data")
show_prices_in_force(prices_for_run())
show_pair(pair)
show_intro()
data, name = read_upload()
kind = "csv" if name.lower().endswith(".csv") else "jsonl"
columns = pick_csv_columns(data) if kind == "csv" else ("", "", None)
if columns is None:
    st.stop()
settings = read_settings(pair.option)
file = TrainingFile(data, name, kind, columns)
n_lines = data.count(b"\n") + 1
every = sample_every(n_lines) if kind == "jsonl" else 1
if every > 1 and _report_key(file.digest, kind, columns, settings.token_limit) not in report_store():
    first_look_then_whole(file, settings, today, n_lines, every)
report = analyse_with_progress(file, settings.token_limit)
st.session_state[REPORT_KEY] = (report.n_valid, round(report.stats["total_tokens"]["mean"]) if report.n_valid else 0)
show_report(file, settings, report, today)
