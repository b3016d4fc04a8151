"""Training data: validate the examples you would fine-tune on, price training, run the checklist."""

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from calc.data_checklist import checklist, class_balance
from calc.dataset import (
    DEFAULT_TOKEN_LIMIT,
    FORMAT_ERROR_KEYS,
    MAX_LINE_BYTES,
    DatasetFileError,
    DatasetReport,
    analyze_jsonl,
    analyze_records,
    csv_columns,
    csv_records,
    parse_jsonl,
    split_train_eval,
)
from calc.options import records_for
from calc.querystring import INT_PARAMS
from calc.safe_text import plain_markdown
from calc.status import option_status
from calc.training import billed_training_cost, epochs_for
from ui.assumptions import current_options
from ui.binding import IN_SESSION
from ui.charts import token_histogram
from ui.export import chart_downloads
from ui.format import count, usd
from ui.pair_view import page_pair, show_pair
from ui.result_store import STORE_MAX_BYTES, ResultStore
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Training data", page_icon="🗂️", layout="wide")
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_training.jsonl"
STATUS = {
    "ok": ":green[:material/check_circle:] OK",
    "check": ":orange[:material/visibility:] Check",
    "risk": ":red[:material/error:] At risk",
    "unknown": ":gray[:material/help:] Can't tell",
}
REPORT_KEY = "_dataset_report"


MAX_UPLOAD_MB = 50  # server.maxUploadSize in .streamlit/config.toml


@st.cache_resource(show_spinner=False)
def report_store() -> ResultStore:
    """The one store of analyses and splits for this process, at most 256 MB."""
    return ResultStore(STORE_MAX_BYTES)


def _remembered(key: tuple, compute):
    """`compute()` once per key, kept in the shared store."""
    return report_store().get(key, compute)


def analyse(digest: str, data: bytes, kind: str, columns: tuple[str, str, str | None], limit: int, progress) -> DatasetReport:
    """The analysis of one file's content, computed once per content and settings.

    Kept in a resource cache rather than st.cache_data so the progress bar can be driven while it runs.
    """

    def compute() -> DatasetReport:
        if kind == "csv":
            report = DatasetReport()
            return analyze_records(
                csv_records(data, *columns, report=report), report, max_tokens_per_example=limit, progress=progress
            )
        return analyze_jsonl(data, max_tokens_per_example=limit, progress=progress)

    return _remembered(("report", digest, kind, columns, limit), compute)


def split(digest: str, data: bytes, kind: str, columns: tuple[str, str, str | None], share: float, seed: int):
    """The seeded train/eval split of one file's content, computed once per content and settings."""
    records = csv_records(data, *columns, report=DatasetReport()) if kind == "csv" else parse_jsonl(data, DatasetReport())
    return _remembered(("split", digest, kind, columns, share, seed), lambda: split_train_eval(records, share, seed))


def use_dataset() -> None:
    report: DatasetReport | None = st.session_state.get(REPORT_KEY)
    if report is None or report.n_valid == 0:
        return
    spec = INT_PARAMS["training_examples"]
    st.session_state["training_examples"] = min(report.n_valid, spec.maximum)
    mean_tokens = round(report.stats["total_tokens"]["mean"])
    spec = INT_PARAMS["tokens_per_training_example"]
    st.session_state["tokens_per_training_example"] = min(max(mean_tokens, spec.minimum), spec.maximum)
    st.session_state["_dataset_used"] = True


today = dt.date.today()
scenario, pair = page_pair(scenario_sidebar("training_data", today), today)
st.title("Training data")
show_pair(pair)
st.markdown(
    'Upload the examples you would fine-tune on: OpenAI chat JSONL (`{"messages": [...]}` per line, optional `weight`), '
    "legacy prompt/completion JSONL, or CSV with input and output columns. Checks follow the OpenAI Cookbook's "
    "data-preparation notebook; the checklist is the article's."
)
upload = st.file_uploader(
    f"Training file (JSONL or CSV, up to {MAX_UPLOAD_MB} MB)",
    type=["jsonl", "json", "csv", "txt"],
    key="training_upload",
    max_upload_size=MAX_UPLOAD_MB,
    help=f"Nothing leaves this app: the file is analysed in memory. Limits: {MAX_UPLOAD_MB} MB per file, "
    f"{MAX_LINE_BYTES // 1_000_000} MB per JSONL line or CSV cell; the file must be UTF-8.",
)
if upload is None:
    data, name = SAMPLE.read_bytes(), SAMPLE.name
    st.info(f"Showing the sample dataset ({name}: a six-label ticket classifier). Upload a file to analyse your own.")
else:
    data, name = upload.getvalue(), upload.name

kind = "csv" if name.lower().endswith(".csv") else "jsonl"
columns: tuple[str, str, str | None] = ("", "", None)
if kind == "csv":
    try:
        header = csv_columns(data)
    except DatasetFileError as problem:
        st.error(str(problem))
        st.stop()
    if len(header) < 2:
        st.error("The CSV needs a header row with at least an input and an output column.")
        st.stop()
    cols = st.columns(3)
    source = cols[0].selectbox("Input column", header, key="csv_input", **IN_SESSION)
    target = cols[1].selectbox("Output column", header, index=1, key="csv_output", **IN_SESSION)
    system = cols[2].selectbox("System prompt column (optional)", ["(none)", *header], key="csv_system", **IN_SESSION)
    columns = (source, target, None if system == "(none)" else system)

cols = st.columns(4)
option_limit = pair.option.max_example_tokens or DEFAULT_TOKEN_LIMIT
entered_limit = cols[0].number_input(
    "Token limit per example",
    1,
    1_000_000,
    None,
    1_024,
    key="token_limit",
    placeholder=f"{option_limit:,} ({pair.option.label})",
    **IN_SESSION,
    help=plain_markdown(
        "Tokens above this are truncated and not billed. Empty: the chosen option's limit"
        + (
            f" ({option_limit:,} tokens for {pair.option.label})."
            if pair.option.max_example_tokens
            else f" (not published for {pair.option.label}: OpenAI's default training context, {DEFAULT_TOKEN_LIMIT:,}, assumed)."
        )
    ),
)
limit = entered_limit or option_limit
epochs_choice = cols[1].number_input(
    "Epochs (0 = each option's default)", 0, 25, 0, key="dataset_epochs", **IN_SESSION,
    help="0: each option bills its provider's default epochs (Bedrock 2, Together 1) or OpenAI's rule.",
)  # fmt: skip
eval_share = cols[2].slider("Hold-out for evaluation (%)", 10, 50, 20, 5, key="eval_share", **IN_SESSION) / 100
seed = cols[3].number_input("Split seed", 0, 2**31 - 1, 42, key="split_seed", **IN_SESSION)

bar = st.progress(0.0, text=f"Analysing {name}…")
digest = hashlib.sha256(data).hexdigest()
report = analyse(
    digest, data, kind, columns, int(limit), lambda share: bar.progress(share, text=f"Analysing {name}… {share:.0%}")
)
bar.empty()
st.session_state[REPORT_KEY] = report
epochs = int(epochs_choice) or report.default_epochs
billed = report.billing_tokens_per_epoch * epochs

if report.n_examples == 0:
    st.error("No examples could be read from this file." + (f" {report.errors[0]['message']}" if report.errors else ""))
    if report.errors:
        st.dataframe(pd.DataFrame(report.errors), hide_index=True)
    st.stop()

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
    count(billed),
    help=f"{count(report.billing_tokens_per_epoch)} per epoch x {epochs} epochs"
    + (" (OpenAI default rule)." if not epochs_choice else "."),
)
st.caption(
    f"{count(report.n_missing_system)} examples have no system message; {count(report.n_missing_user)} have no user message."
)

if report.n_errors:
    with st.expander(f"{count(report.n_errors)} problems found, by line", expanded=format_total + report.n_invalid_json > 0):
        counts = pd.DataFrame({"check": FORMAT_ERROR_KEYS, "examples": [report.format_errors[k] for k in FORMAT_ERROR_KEYS]})
        st.table(counts[counts["examples"] > 0], hide_index=True)
        st.dataframe(
            pd.DataFrame(report.errors),
            hide_index=True,
            width="stretch",
            column_config={"line": st.column_config.NumberColumn("Line", format="%d"), "message": "Problem"},
        )
        if report.n_errors > len(report.errors):
            st.caption(f"Showing the first {len(report.errors)}; {count(report.n_errors - len(report.errors))} more not listed.")

st.subheader("Tokens per example")
stats = pd.DataFrame(report.stats).T.rename(
    index={
        "n_messages": "Messages per example",
        "total_tokens": "Tokens per example",
        "assistant_tokens": "Assistant tokens per example",
    },
    columns={"min": "Min", "p10": "10th percentile", "median": "Median", "mean": "Mean", "p90": "90th percentile", "max": "Max"},
)[["Min", "10th percentile", "Median", "Mean", "90th percentile", "Max"]]
st.table(stats.map(lambda v: f"{v:,.1f}"))
histogram = token_histogram(pd.Series(report.total_tokens), report.token_limit)
st.altair_chart(histogram, width="stretch")
chart_downloads(
    histogram,
    lambda: pd.DataFrame({"tokens": report.total_tokens, "assistant_tokens": report.assistant_tokens}),
    "tokens-per-example",
    "histogram",
)

st.subheader("What training on this file costs")
rows = []
for option in records_for(current_options()).values():
    option_epochs, rule = epochs_for(report.n_valid, option, int(epochs_choice) or None)
    cost = billed_training_cost(report.billing_tokens_per_epoch * option_epochs, option_epochs, report.n_valid, option, rule)
    price_range = "" if cost.cost_low_usd is None else f"{usd(cost.cost_low_usd)} to {usd(cost.cost_high_usd)}"
    status = option_status(option, today)
    rows.append(
        {
            "Option": option.label,
            "Status": status.headline,
            "Epochs": f"{option_epochs} ({rule})",
            "GPU-hours": "" if cost.gpu_hours is None else f"{cost.gpu_hours:,.2f}",
            "Cost": usd(cost.cost_usd) if cost.price_known else "not published",
            "Range": price_range,
            "Minimum examples": ""
            if cost.min_examples is None
            else f"{cost.min_examples} ({'met' if cost.meets_minimum else 'NOT met'})",
        }
    )
st.table(pd.DataFrame(rows), hide_index=True)
st.caption(
    f"Billed tokens = sum of min(limit, tokens) x epochs ({count(billed)} at {epochs} epochs; each option bills its own "
    "default epochs unless you set them). "
    "Self-hosted: GPU-hours from measured throughput x hourly rate."
)

st.subheader("Data-quality checklist")
for _, row in checklist(report).iterrows():
    rule = f" *Article: {row['article']}*" if row["article"] else ""
    st.markdown(f"{STATUS[row['status']]} — **{row['criterion']}**: {row['finding']}{rule}")
balance = class_balance(report)
if balance is not None:
    st.caption("Outputs look like labels; their balance:")
    st.table(balance.assign(share=balance["share"].map(lambda s: f"{s:.1%}")), hide_index=True)

st.subheader("Train / eval split")
train, evaluation, n_train, n_eval = split(digest, data, kind, columns, eval_share, int(seed))
st.markdown(
    f"Seed {int(seed)}: **{count(n_train)}** training and **{count(n_eval)}** evaluation examples; "
    "the same file and seed always give the same split."
)
cols = st.columns(3)
stem = Path(name).stem
cols[0].download_button(
    "Download train.jsonl", train, f"{stem}-train.jsonl", "application/jsonl", key="download_train", on_click="ignore"
)
cols[1].download_button(
    "Download eval.jsonl", evaluation, f"{stem}-eval.jsonl", "application/jsonl", key="download_eval", on_click="ignore"
)
cols[2].button(
    "Use this dataset in the scenario",
    on_click=use_dataset,
    type="primary",
    help="Sets training examples and tokens per training example in the sidebar (and the link).",
)
if st.session_state.pop("_dataset_used", False):
    st.success(
        f"The scenario now trains on {count(report.n_valid)} examples of {round(report.stats['total_tokens']['mean'])} tokens."
    )
