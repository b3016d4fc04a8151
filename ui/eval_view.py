"""The Quality & decision page's eval pieces: counts typed for the pair (written into the link's `eval_counts`), a
results file brought in (kept in the session; a refused file leaves what was there), and what the eval says."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calc.costs.pair import Pair
from calc.inputs.querystring import EVAL_COUNTS, eval_counts_text
from calc.quality.evals import EvalResults
from calc.quality.report import EvalReport
from calc.quality.route_quality import route_resolver
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from calc.verdict.verdict import Verdict
from ui.assumptions import edited_options
from ui.verdict_view import EVAL_FILE_KEY

MAX_EVAL_UPLOAD_MB = 200
_EDITOR_COLUMNS = ("route", "right", "out of n")
_UPLOAD_KEY = "eval_upload"
_PROBLEMS_KEY = "_eval_file_problems"


def _pair_rows(scenario: Scenario, pair: Pair) -> pd.DataFrame:
    """The pair's two routes with the counts typed for them (empty where none)."""
    typed = {route: (right, n) for route, right, n in scenario.eval_counts}
    rows = []
    for route in (pair.prompting, pair.fine_tuning):
        right, n = typed.get(route.id, (None, None))
        rows.append({"id": route.id, "route": route.label, "right": right, "out of n": n})
    return pd.DataFrame(rows)


def edited_counts(
    typed: tuple[tuple[str, int, int], ...], pair_ids: list[str], edits: dict
) -> tuple[tuple[str, int, int], ...]:
    """The typed counts after the editor's edits to the pair's rows ({row position: {column: value}}): a row with both
    numbers sets its route's count, a cleared one removes it; other routes' counts are kept, unusable counts dropped."""
    counts = {route: (right, n) for route, right, n in typed}
    for position, change in edits.items():
        if not isinstance(position, int) or not 0 <= position < len(pair_ids) or not isinstance(change, dict):
            continue
        route = pair_ids[position]
        right, n = counts.get(route, (None, None))
        right, n = change.get("right", right), change.get("out of n", n)
        if right is None or n is None or pd.isna(right) or pd.isna(n):
            counts.pop(route, None)
            continue
        counts[route] = (int(right), int(n))
    return tuple((route, right, n) for route, (right, n) in counts.items() if n >= 1 and 0 <= right <= n)


def _write_counts(scenario: Scenario, pair_ids: list[str], key: str) -> None:
    """The editor's callback: the edited counts into the link's (and the sidebar's) eval field."""
    state = st.session_state.get(key) or {}
    edits = state.get("edited_rows", {}) if isinstance(state, dict) else {}
    st.session_state[EVAL_COUNTS] = eval_counts_text(edited_counts(scenario.eval_counts, pair_ids, edits))


def typed_counts_editor(scenario: Scenario, pair: Pair) -> None:
    """A table of right / out of n for the pair's two routes; edits go into the link (the sidebar's eval field)."""
    rows = _pair_rows(scenario, pair)
    key = f"eval_counts_editor_{abs(hash(scenario.eval_counts)) % 10**8}"
    st.data_editor(
        rows[list(_EDITOR_COLUMNS)],
        key=key,
        hide_index=True,
        disabled=["route"],
        width="stretch",
        column_config={
            "right": st.column_config.NumberColumn("right", min_value=0, step=1, help="Examples this route got right."),
            "out of n": st.column_config.NumberColumn("out of n", min_value=1, step=1, help="Examples scored."),
        },
        on_change=_write_counts,
        args=(scenario, list(rows["id"]), key),
    )
    if any(right > n for _, right, n in scenario.eval_counts):
        st.warning("A count above its n is not used.")


def ingest_eval_upload() -> None:
    """Read this session's uploaded results file if it is new, before the page computes its verdict (the uploader's
    value is in the session before its widget is drawn): a good file comes into force, a refused one leaves what was in
    force and keeps its problems for the page to show."""
    upload = st.session_state.get(_UPLOAD_KEY)
    if upload is None or st.session_state.get("_eval_file_id") == upload.file_id:
        return
    st.session_state["_eval_file_id"] = upload.file_id
    from calc.quality.evals import EvalFileError, read_eval_file

    try:
        st.session_state[EVAL_FILE_KEY] = read_eval_file(upload.getvalue(), upload.name, route_resolver(edited_options()))
        st.session_state.pop(_PROBLEMS_KEY, None)
    except EvalFileError as problem:
        st.session_state[_PROBLEMS_KEY] = (upload.name, problem.problems)


def eval_file_upload() -> None:
    """The results file's uploader (read by `ingest_eval_upload`), what was refused and why, and what is in force."""
    st.file_uploader(
        "Eval results file: CSV or JSONL with route, example_id, score; or promptfoo's results.json",
        type=["csv", "jsonl", "json", "txt"],
        key=_UPLOAD_KEY,
        max_upload_size=MAX_EVAL_UPLOAD_MB,
        help="One row per route and example: route (a prompting model as provider:model, a fine-tuning option id, or a "
        "route id as `routes --json` prints it), example_id, score (0/1, or 0..1 for graded metrics). promptfoo's "
        "`promptfoo eval -o results.json` works as it is: its provider label or id names the route, its test index the "
        "example. The file stays in this session; the link carries only typed counts.",
    )
    problems = st.session_state.get(_PROBLEMS_KEY)
    if problems:
        name, lines = problems
        kept = " The results already in force stay." if st.session_state.get(EVAL_FILE_KEY) is not None else ""
        st.error(
            plain_markdown(f"{name} was not used.{kept} Problems:")
            + "\n\n"
            + "\n".join(f"- {plain_markdown(line)}" for line in lines),
            icon=":material/error:",
        )
    current = st.session_state.get(EVAL_FILE_KEY)
    if isinstance(current, EvalResults):
        cols = st.columns([4, 1], vertical_alignment="center")
        routes = ", ".join(sorted(current.routes))
        cols[0].caption(plain_markdown(f"In force: {current.source} ({len(current.routes)} routes: {routes})."))
        if cols[1].button("Forget the file", key="eval_file_clear", icon=":material/delete:"):
            st.session_state.pop(EVAL_FILE_KEY, None)
            st.session_state.pop(_PROBLEMS_KEY, None)
            st.rerun()


def report_tables(report: EvalReport, labels: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-route accuracy and the compared pairs as tables (labels from the routes in force, ids otherwise)."""
    routes = pd.DataFrame(
        [
            {
                "route": labels.get(route, route),
                "n": f"{accuracy.n:,}",
                "accuracy": f"{accuracy.accuracy.estimate * 100:.1f}%",
                "95% interval": f"{accuracy.accuracy.low * 100:.1f}-{accuracy.accuracy.high * 100:.1f}%",
                "method": accuracy.accuracy.method,
                "from": accuracy.source,
            }
            for route, accuracy in report.routes.items()
        ]
    )
    pairs = pd.DataFrame(
        [
            {
                "first minus second": f"{labels.get(p.first, p.first)} − {labels.get(p.second, p.second)}",
                "examples": f"{p.n:,} {'shared' if p.paired else 'in all (unpaired)'}",
                "difference": f"{p.difference.estimate * 100:+.1f} points",
                "95% interval": f"{p.difference.low * 100:+.1f} to {p.difference.high * 100:+.1f}",
                "test": p.test,
                "p-value": "—" if p.p_value is None else f"{p.p_value:.3g}",
            }
            for p in report.pairs
        ]
    )
    return routes, pairs


def show_report(report: EvalReport | None, verdict: Verdict, labels: dict[str, str], scenario: Scenario) -> None:
    """What the eval says (or that nothing is measured), and the sample size beside the article's hold-out advice."""
    if report is None:
        st.info(
            "Nothing measured yet: the verdict uses cited priors. Type the pair's counts above or bring a results file.",
            icon=":material/science:",
        )
    else:
        routes, pairs = report_tables(report, labels)
        st.dataframe(routes, hide_index=True, width="stretch")  # drawn as plain text: file names cannot render
        if len(pairs):
            st.dataframe(pairs, hide_index=True, width="stretch")
    size = verdict.sample_size
    if size is not None:
        holdout = scenario.training_examples // 5
        st.caption(
            plain_markdown(
                f"About {size.n:,} shared examples tell a {size.gap_points:g}-point gap at 80% power ({size.basis}). "
                f"The article's 20% hold-out of your {scenario.training_examples:,} training examples is {holdout:,}; "
                f"your evaluation set: {scenario.eval_examples:,} (Work before training in the sidebar)."
            )
        )
