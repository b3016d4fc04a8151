"""The article's five-question decision tree walked for a scenario, the mistakes it risks, and the
tradeoff dimensions it makes decisive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.article.bands import band_for
from calc.article.quality import expected_gain, task_quality
from calc.catalogue.tables import load_article_table
from calc.costs.pair import CostSummary, Pair
from calc.costs.requests import CACHE_MIN_PREFIX_TOKENS
from calc.costs.training import epochs_for
from calc.quality.priors import PRIOR_LABEL, same_model_prior
from calc.quality.route_quality import QualityGap, RouteQuality
from calc.scenario import Scenario

VOLUME_THRESHOLD = 1_000
EXAMPLES_THRESHOLD = 100
GAP_THRESHOLD = 5.0
#: p-value under which an eval's paired test counts as showing an effect (two-sided).
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Step:
    """One question of the tree as answered for the scenario."""

    number: int
    question: str
    answer: bool | None  # None: not known yet
    why: str


@dataclass(frozen=True)
class Decision:
    """The path through the tree, where it ends and why (in a clause that follows "because"), and the volume band's
    recommendation. The tree is one reason of the verdict (calc/verdict/), never a recommendation on its own."""

    steps: list[Step]
    recommendation: str  # "Fine-tune", "Use prompting" or "Measure first"
    reason: str
    because: str
    band_recommendation: str

    @property
    def stopped_at(self) -> int:
        """The number of the question the walk stopped at."""
        return self.steps[-1].number


@lru_cache(maxsize=1)
def _tree() -> dict[int, dict[str, str]]:
    """The tree's rows by question number (read once: every verdict walks it)."""
    table = load_article_table("decision_tree")
    return {int(row["step"]): {k: str(v) for k, v in row.items()} for row in table.to_dict(orient="records")}


@lru_cache(maxsize=64)
def _task(task_id: str) -> tuple[str, bool]:
    """A task's name and whether the article counts it a format/style task (cached: every verdict asks)."""
    row = task_quality(task_id)
    return str(row["task"]), bool(row["format_or_style"])


def _gap_answer(scenario: Scenario, gap: QualityGap, prompting: RouteQuality | None) -> tuple[bool | None, str, str]:
    """Question 3 (is the gap between prompting and your target above 5 points?): against the target where one is set
    and prompting's accuracy is known; otherwise the pair's quality gap (measured where there is one, else its prior).
    Returns the answer, the why, and the "because" clause for a stop here."""
    target = scenario.target_accuracy
    if target > 0 and prompting is not None and prompting.known:
        assert prompting.mid is not None
        short = target - prompting.mid
        where = f"prompting's {prompting.mid:.1f}% ({prompting.source})"
        why = f"Your target {target:g}% is {short:+.1f} points from {where}."
        return short > GAP_THRESHOLD, why, f"{where} is within {GAP_THRESHOLD:g} points of your {target:g}% target"
    if not gap.known:
        return None, f"The quality gap is {gap.label}: measure it.", "the quality gap is not known"
    assert gap.mid is not None
    if gap.source == "measured":
        why = f"The gap measured on your eval: {gap.label.removeprefix('measured: ')}."
        return gap.mid > GAP_THRESHOLD, why, f"the measured gap ({gap.mid:+.1f} points) is not above {GAP_THRESHOLD:g}"
    why = (f"The expected gap is {gap.label}, mid {gap.mid:+g}: used here as the gap (set a target accuracy to ask "
           "the tree's own question).")
    which = "a literature prior" if gap.prior is not None and gap.prior.label == PRIOR_LABEL else "the article's range"
    return gap.mid > GAP_THRESHOLD, why, f"the expected gap ({gap.mid:+g} points, {which}) is not above {GAP_THRESHOLD:g}"


def _eval_answer(gap: QualityGap, sample_size: int | None) -> tuple[bool | None, str]:
    """Question 5 (does fine-tuning improve quality on your eval set?), answered by the eval's comparison."""
    comparison = gap.comparison
    if comparison is None:
        tell = f": about {sample_size:,} shared examples would tell a {GAP_THRESHOLD:g}-point gap" if sample_size else ""
        return None, f"Not measured{tell}."
    improves = comparison.difference.low > 0 and (comparison.p_value is None or comparison.p_value < SIGNIFICANCE)
    return improves, f"Your eval: fine-tuned minus prompted {comparison.text()}."


def walk(
    scenario: Scenario,
    gap: QualityGap | None = None,
    prompting: RouteQuality | None = None,
    sample_size: int | None = None,
) -> Decision:
    """Answer the tree's questions in order from the scenario and the pair's quality (`gap`, fine-tuned minus prompted;
    `prompting`, the prompted route's accuracy for question 3's target), and stop where the article stops.

    Without a `gap`, question 3 uses the article's range for the task (a prior) and question 5 is not measured.
    """
    gap = gap or _article_gap(scenario.task)
    task_name, format_task = _task(scenario.task)
    q3, q3_why, q3_because = _gap_answer(scenario, gap, prompting)
    q5, q5_why = _eval_answer(gap, sample_size)
    volume, examples = scenario.requests_per_day, scenario.training_examples
    answers = [
        (volume > VOLUME_THRESHOLD,
         f"{volume:,.0f} requests/day {'>' if volume > VOLUME_THRESHOLD else '<='} {VOLUME_THRESHOLD:,}.",
         f"the volume ({volume:,.0f}/day) is not above {VOLUME_THRESHOLD:,}"),
        (examples >= EXAMPLES_THRESHOLD,
         f"{examples:,} labelled training examples (the tree asks for 100+).",
         f"you have fewer than {EXAMPLES_THRESHOLD} labelled examples ({examples:,})"),
        (q3, q3_why, q3_because),
        (format_task,
         f"{task_name} is {'' if format_task else 'not '}primarily a format/style task.",
         "the task is mainly format or style"),
        (q5, q5_why, "your eval shows fine-tuning does not improve quality"),
    ]  # fmt: skip
    tree = _tree()
    steps: list[Step] = []
    recommendation, reason, because = "Measure first", "", ""
    for number, (answer, why, stop_because) in enumerate(answers, start=1):
        row = tree[number]
        steps.append(Step(number, row["question"], answer, why))
        if answer is None:
            recommendation = "Measure first"
            reason = "The answer is not known yet: an eval on your own data decides it."
            because = "an eval on your data decides" if number == 5 else stop_because
            break
        outcome = row["if_yes"] if answer else row["if_no"]
        if outcome.startswith("Continue"):
            continue
        recommendation = "Fine-tune" if outcome.startswith("Fine-tune") else "Use prompting"
        reason = outcome.split("—", 1)[-1].strip().rstrip(".").capitalize() + f" (question {number})."
        because = "your eval shows fine-tuning improves quality" if number == 5 and answer else stop_because
        if number == 4 and answer:
            because = "the task is mainly format or style"
        break
    band = band_for(volume)
    return Decision(steps, recommendation, reason, because, str(band["recommendation"]))


def _article_gap(task_id: str) -> QualityGap:
    """The article's range for the task as the pair's gap (a prior), for a walk given no quality."""
    prior = same_model_prior(task_id)
    return QualityGap("prior", prior.low, prior.mid, prior.high, prior.text(), prior=prior)


def training_size_band(n_examples: int) -> dict | None:
    """The article's training-set size row `n_examples` falls in (the last whose minimum it reaches); None below all."""
    sizes = load_article_table("training_sizes")
    band = sizes[sizes["min_examples"] <= n_examples].tail(1)
    return None if band.empty else band.iloc[0].to_dict()


def mistake_risks(scenario: Scenario, pair: Pair) -> pd.DataFrame:
    """The article's common mistakes with, for each, whether this scenario risks it and why."""
    option, today = pair.option, pair.on
    epochs, rule = epochs_for(scenario.training_examples, option, scenario.epochs)
    status = pair.option_status()
    horizon_end = today + dt.timedelta(days=30 * scenario.horizon_months)
    retiring = option.shutdown is not None and option.shutdown <= horizon_end
    holdout = scenario.training_examples // 5
    checks = {
        "reasoning": (
            ("risk", "The task is reasoning/analysis, where the article finds fine-tuning lowers quality.")
            if scenario.task == "reasoning"
            else ("ok", "The task is not a reasoning task.")
        ),
        "eval_set": (
            ("risk", f"{scenario.training_examples:,} examples: a 20% hold-out leaves only {holdout} for evaluation.")
            if scenario.training_examples < EXAMPLES_THRESHOLD
            else ("ok", f"A 20% hold-out is {holdout:,} examples.")
        ),
        "synthetic": ("unknown", "The scenario does not say where the examples come from."),
        "base_updates": (
            ("risk", status.sentence + (" That is inside the planning horizon." if retiring else ""))
            if retiring or status.severity != "ok"
            else ("ok", "The option is open to new customers with no announced shutdown inside the horizon.")
        ),
        "epochs": (
            ("risk", f"{epochs} epochs ({rule if scenario.epochs is None else 'as set'}).")
            if epochs > 4
            else ("ok", f"{epochs} epochs.")
        ),
        "model_size": ("unknown", "Only an eval shows whether the chosen model size reaches the target quality."),
    }
    table = load_article_table("mistakes")
    table["status"] = [checks[m][0] for m in table["mistake_id"]]
    table["why"] = [checks[m][1] for m in table["mistake_id"]]
    return table


def decisive_dimensions(scenario: Scenario, summary: CostSummary, pair: Pair) -> dict[str, str]:
    """Tradeoff dimensions this scenario makes decisive, each with the reason."""
    decisive: dict[str, str] = {}
    savings = summary.monthly_savings_usd
    if savings > 0:
        decisive["Per-inference cost"] = f"Fine-tuning saves ${savings:,.2f} a month in tokens."
    elif savings < 0:
        decisive["Per-inference cost"] = f"The fine-tuned model costs ${-savings:,.2f} a month more to run."
    if summary.breakeven_months is None or summary.breakeven_months > scenario.horizon_months:
        decisive["Upfront cost"] = "Training is not repaid by token savings within the horizon."
    if scenario.training_examples < EXAMPLES_THRESHOLD:
        decisive["Data requirement"] = f"Only {scenario.training_examples:,} labelled examples."
    gain = expected_gain(scenario.task)
    if abs(gain.mid) >= GAP_THRESHOLD:
        decisive["Quality ceiling"] = f"The article expects {gain.mid:+g} points from fine-tuning on this task."
    status = pair.option_status()
    if status.severity != "ok":
        decisive["Model lock-in"] = status.sentence
        decisive["Maintenance"] = "A retiring base model forces a retrain on its successor."
    if scenario.example_tokens >= CACHE_MIN_PREFIX_TOKENS:
        decisive["Latency"] = f"{scenario.example_tokens:,} example tokens on every request."
    return decisive
