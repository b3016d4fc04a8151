"""The article's five-question decision tree walked for a scenario, the mistakes it risks, and the
tradeoff dimensions it makes decisive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from calc.article.bands import band_for
from calc.article.quality import expected_gain, task_quality
from calc.catalogue.tables import load_article_table
from calc.costs.pair import CostSummary, Pair
from calc.costs.requests import CACHE_MIN_PREFIX_TOKENS
from calc.costs.training import epochs_for
from calc.scenario import Scenario

EVAL_RESULTS = ("not yet measured", "yes", "no")
VOLUME_THRESHOLD = 1_000
EXAMPLES_THRESHOLD = 100
GAP_THRESHOLD = 5.0


@dataclass(frozen=True)
class Step:
    """One question of the tree as answered for the scenario."""

    number: int
    question: str
    answer: bool | None  # None: not known yet
    why: str


@dataclass(frozen=True)
class Decision:
    """The path through the tree, where it ends, and how it compares with the volume bands."""

    steps: list[Step]
    recommendation: str  # "Fine-tune", "Use prompting" or "Measure first"
    reason: str
    band_recommendation: str
    disagreement: str | None


def _tree() -> pd.DataFrame:
    return load_article_table("decision_tree").set_index("step")


def _answers(scenario: Scenario, eval_result: str) -> list[tuple[bool | None, str]]:
    gain = expected_gain(scenario.task)
    task = task_quality(scenario.task)
    eval_answer = {"yes": True, "no": False}.get(eval_result)
    return [
        (
            scenario.requests_per_day > VOLUME_THRESHOLD,
            f"{scenario.requests_per_day:,.0f} requests/day "
            f"{'>' if scenario.requests_per_day > VOLUME_THRESHOLD else '<='} {VOLUME_THRESHOLD:,}.",
        ),
        (
            scenario.training_examples >= EXAMPLES_THRESHOLD,
            f"{scenario.training_examples:,} labelled training examples (the tree asks for 100+).",
        ),
        (
            gain.mid > GAP_THRESHOLD,
            f"The article expects {gain.low:+g} to {gain.high:+g} points for {task['task']} (mid {gain.mid:+g}), "
            "used here as the gap.",
        ),
        (
            bool(task["format_or_style"]),
            f"{task['task']} is {'' if task['format_or_style'] else 'not '}primarily a format/style task.",
        ),
        (
            eval_answer,
            "Not measured yet: run prompting and a fine-tune on a held-out eval set."
            if eval_answer is None
            else f"Your eval says fine-tuning {'does' if eval_answer else 'does not'} improve quality.",
        ),
    ]


def walk(scenario: Scenario, eval_result: str = EVAL_RESULTS[0]) -> Decision:
    """Answer the tree's questions in order from the scenario and stop where the article stops."""
    if eval_result not in EVAL_RESULTS:
        raise ValueError(f"eval_result must be one of {', '.join(EVAL_RESULTS)}, not {eval_result!r}.")
    tree = _tree()
    steps: list[Step] = []
    recommendation, reason = "Measure first", ""
    for number, (answer, why) in enumerate(_answers(scenario, eval_result), start=1):
        row = tree.loc[number]
        steps.append(Step(number, row["question"], answer, why))
        if answer is None:
            recommendation = "Measure first"
            reason = "Everything before this step points to fine-tuning; an eval on your own data decides it."
            break
        outcome = row["if_yes"] if answer else row["if_no"]
        if outcome.startswith("Continue"):
            continue
        recommendation = "Fine-tune" if outcome.startswith("Fine-tune") else "Use prompting"
        reason = outcome.split("—", 1)[-1].strip().rstrip(".").capitalize() + f" (question {number})."
        break
    band = band_for(scenario.requests_per_day)
    return Decision(steps, recommendation, reason, band["recommendation"], _disagreement(band, recommendation))


def _disagreement(band: dict, recommendation: str) -> str | None:
    says_fine_tune = str(band["recommendation"]).startswith("Fine-tune")
    says_prompting = str(band["recommendation"]).startswith("Prompt engineering")
    if says_fine_tune and recommendation == "Use prompting":
        return (
            f'The volume bands say "{band["recommendation"]}" at {band["volume_label"]} requests/day, but the decision tree '
            "says use prompting: volume alone does not justify fine-tuning when data, quality gap or task type argue against it."
        )
    if says_prompting and recommendation == "Fine-tune":
        return (
            f'The volume bands say "{band["recommendation"]}" at {band["volume_label"]} requests/day, '
            "but the tree says fine-tune."
        )
    return None


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
