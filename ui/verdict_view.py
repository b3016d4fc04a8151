"""The verdict as every page shows it: one box with the action and the sentence (calc/verdict/verdict.py), and the
reasons it weighed behind an expander; and the eval results file this session brought in (Quality & decision)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from calc.costs.pair import CostSummary, Pair
from calc.quality.evals import EvalResults
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from calc.verdict.quality import pair_verdict
from calc.verdict.verdict import ACTION_WORDS, Verdict

#: This session's eval results file (Quality & decision): kept in the session like an uploaded training file.
EVAL_FILE_KEY = "_eval_file_results"
_BOX = {"prompt": st.info, "fine-tune": st.success, "measure first": st.warning}
_ICONS = {"prompt": ":material/chat:", "fine-tune": ":material/model_training:", "measure first": ":material/science:"}


def eval_file_results() -> EvalResults | None:
    """The eval results file this session brought in, if any."""
    results = st.session_state.get(EVAL_FILE_KEY)
    return results if isinstance(results, EvalResults) else None


def page_verdict(scenario: Scenario, pair: Pair, summary: CostSummary) -> Verdict:
    """The verdict for the page's pair with this session's eval results (the same function every surface calls)."""
    return pair_verdict(scenario, pair, summary, eval_file_results())


def show_verdict(verdict: Verdict, details: Sequence[str] = (), key: str = "verdict") -> None:
    """The verdict box (action in bold, then its sentence) and the reasons behind an expander, with `details` (further
    facts of the page, already inert Markdown) after them."""
    box = _BOX[verdict.action]
    box(f"**{ACTION_WORDS[verdict.action]}:** {plain_markdown(verdict.sentence)}", icon=_ICONS[verdict.action])
    why = st.expander(f"Why: the {len(verdict.reasons)} things the verdict weighed", key=f"{key}_why", on_change="rerun")
    if not why.open:
        return  # drawn only when asked for: a slider move then sends two elements, not a dozen
    with why:
        reasons = "\n".join(f"- {plain_markdown(reason.text)}" for reason in verdict.reasons)
        st.markdown("\n\n".join([reasons, *details]))
