"""The verdict: the model's one answer for a scenario's pair — prompt, fine-tune, or measure first — in one sentence,
with the reasons it weighed, each carrying its number and source.

It weighs the pair's costs (monthly saving at real prices, breakeven, the one-off work), the quality gap (measured on
the user's eval, else a cited prior, else unknown), the cost of errors and a target accuracy, the article's volume
band and its decision tree. Where they disagree the sentence says which wins and why. Every surface (home page,
All routes, Quality & decision, presentation mode, the brief, `compare`/`routes`) shows this sentence; none states
a recommendation of its own.

The rules, in order:
1. A side that cannot be used on the date decides: fine-tuning a new customer cannot start (closed to new customers,
   no new jobs, shut down) -> prompt; prompting shut down -> measure first (choose a live prompting model).
2. Training that cannot run (fewer examples than the option's minimum) -> prompt.
3. Measured on both routes: fine-tuning wins when it is worth more per month (saving + the value of the quality gap
   at the cost of an error) and pays back within the horizon, unless the eval shows it significantly worse with no
   error cost or target to weigh that, or the eval cannot yet rule out a 5-point drop (measure more).
4. Not measured: where fine-tuning would be cheaper (or its expected quality gain could pay for it), measure first
   and say what it would save and how many examples tell a 5-point gap; otherwise prompt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from calc.article.bands import band_for
from calc.article.decision import GAP_THRESHOLD, SIGNIFICANCE, Decision, walk
from calc.article.quality import Range, error_value_per_month
from calc.article.source import article_section
from calc.costs.pair import NOT_LIVE, CostSummary, Pair
from calc.quality.evals import EvalResults
from calc.quality.report import EvalReport, SampleSize, advice, advice_for_accuracy
from calc.quality.route_quality import QualityGap, RouteQuality, pair_gap, route_quality
from calc.scenario import Scenario
from calc.text.formatting import count, months, per_day, usd, usd_per_month

ACTIONS = ("prompt", "fine-tune", "measure first")
ACTION_WORDS = {"prompt": "Prompt", "fine-tune": "Fine-tune", "measure first": "Measure first"}
#: A fine-tuned route "matches" a prompted one when its eval rules out a drop larger than this many points.
MATCH_TOLERANCE = GAP_THRESHOLD


@dataclass(frozen=True)
class Reason:
    """One thing the verdict weighed: its kind, a sentence, its number (with unit) and where the number comes from."""

    kind: str  # status, data, cost, breakeven, one_off, quality, errors, target, sample_size, tree, band, pricing
    text: str
    value: float | None
    unit: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        value = self.value if self.value is None or math.isfinite(self.value) else None
        return {"kind": self.kind, "text": self.text, "value": value, "unit": self.unit, "source": self.source}


@dataclass(frozen=True)
class Verdict:
    """What to do (`action`: prompt, fine-tune or measure first), the one sentence every surface shows, the reasons."""

    action: str
    sentence: str
    reasons: tuple[Reason, ...]
    gap: QualityGap
    prompting_quality: RouteQuality
    tuned_quality: RouteQuality
    tree: Decision
    sample_size: SampleSize | None

    @property
    def headline(self) -> str:
        """The action and the sentence: 'Measure first: ...'."""
        return f"{ACTION_WORDS[self.action]}: {self.sentence}"

    def reason(self, kind: str) -> Reason | None:
        """The first reason of a kind, if any."""
        return next((r for r in self.reasons if r.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready values: action, sentence, reasons (each with its number and source)."""
        return {
            "action": self.action,
            "sentence": self.sentence,
            "headline": self.headline,
            "reasons": [reason.to_dict() for reason in self.reasons],
        }


@dataclass(frozen=True)
class _Money:
    """The cost side of the pair at real prices, and the value of the quality gap, per month."""

    saving: float  # prompting minus fine-tuned per month, real prices
    one_off: float | None  # training + the work before it (None: unknown)
    breakeven: float | None  # months, at real prices (None: never or unknown)
    error_value: tuple[float, float, float] | None  # low, mid, high dollars a month fine-tuning's quality gap is worth
    horizon: int

    def value(self, which: int = 1) -> float:
        """Saving plus the gap's error value (low, mid or high) per month."""
        return self.saving + (self.error_value[which] if self.error_value else 0.0)

    def pays_back(self, which: int = 1) -> bool:
        """True when saving + error value repays the one-off within the horizon (one-off unknown: when positive)."""
        value = self.value(which)
        if value <= 0:
            return False
        return self.one_off is None or self.one_off <= value * self.horizon


def decide(
    scenario: Scenario, pair: Pair, summary: CostSummary, report: EvalReport | None = None,
    results: EvalResults | None = None,
) -> Verdict:  # fmt: skip
    """The verdict for the scenario's pair on the pair's date, from its priced summary and the user's eval (if any)."""
    prompt_id, tuned_id = pair.prompting.id, pair.fine_tuning.id
    labels, task = scenario.training_examples, scenario.task
    prompting = route_quality(prompt_id, task, labels, pair.prompt.ref, report)
    tuned = route_quality(tuned_id, task, labels, pair.prompt.ref, report)
    gap = pair_gap(prompt_id, tuned_id, pair.same_base_model, task, labels, report, results)
    size = _sample_size(gap, prompting)
    tree = walk(scenario, gap, prompting, size.n if size else None)
    money = _money(scenario, summary, gap)
    action, sentence = _choose(scenario, pair, summary, money, gap, prompting, tuned, tree, size)
    reasons = _reasons(scenario, pair, summary, money, gap, prompting, tuned, tree, size, action)
    return Verdict(action, sentence, reasons, gap, prompting, tuned, tree, size)


def _sample_size(gap: QualityGap, prompting: RouteQuality) -> SampleSize | None:
    """Shared examples that tell a 5-point gap: from the measured disagreement, else from prompting's accuracy."""
    comparison = gap.comparison
    if comparison is not None and comparison.discordant_share is not None:
        sizes = advice(comparison.discordant_share, "the disagreement measured on your shared examples")
    elif prompting.known:
        assert prompting.mid is not None
        sizes = advice_for_accuracy(prompting.mid / 100, f"errors assumed independent near {prompting.mid:.0f}% accuracy "
                                    f"({prompting.source})")  # fmt: skip
    else:
        return None
    return next(s for s in sizes if s.gap_points == GAP_THRESHOLD)


def _money(scenario: Scenario, summary: CostSummary, gap: QualityGap) -> _Money:
    tuned = summary.fine_tuned_costs
    one_off = summary.one_off_usd if tuned is not None and tuned.one_off_known else None
    error_value = None
    if scenario.error_cost > 0 and gap.known:
        assert gap.low is not None and gap.mid is not None and gap.high is not None
        error_value = error_value_per_month(scenario, Range(gap.low, gap.mid, gap.high))
    return _Money(summary.real_savings_usd, one_off, summary.real_breakeven_months, error_value, scenario.horizon_months)


def _about(n: int) -> str:
    """A sample size in round words: about 690."""
    rounded = int(math.ceil(n / 10) * 10) if n >= 100 else n
    return f"about {count(rounded)}"


def _tell(size: SampleSize | None) -> str:
    return f" ({_about(size.n)} examples tell a {size.gap_points:g}-point gap)" if size else ""


def _saving_words(money: _Money) -> str:
    """'$1,682/mo cheaper (pays back in ~1 day)' or '$1,240/mo dearer'."""
    if money.saving > 0:
        payback = "" if money.breakeven is None else f", paying back in {months(money.breakeven)}"
        unknown = ", training price unknown" if money.one_off is None else ""
        return f"{usd_per_month(money.saving)} cheaper{payback}{unknown}"
    if money.saving < 0:
        return f"{usd_per_month(-money.saving)} dearer to run"
    return "no cheaper to run"


def _tree_clause(tree: Decision, action: str) -> str:
    """'The article's tree says prompting because ...; but here ' where the tree disagrees with the action."""
    says = {"Use prompting": "prompt", "Fine-tune": "fine-tune"}.get(tree.recommendation)
    if says is None or says == action or (says == "fine-tune" and action == "measure first"):
        return ""
    word = "prompting" if says == "prompt" else "fine-tuning"
    return f"The article's tree says {word} because {tree.because}; but here "


def _choose(
    scenario: Scenario, pair: Pair, summary: CostSummary, money: _Money, gap: QualityGap,
    prompting: RouteQuality, tuned: RouteQuality, tree: Decision, size: SampleSize | None,
) -> tuple[str, str]:  # fmt: skip
    """The action and its sentence, by the module's rules."""
    prompt, option = pair.prompt.label, pair.option.label
    tuning = pair.option_status()
    if not tuning.usable_by_new_customer:
        successor = f" (successor: {pair.fine_tuning.successor})" if pair.fine_tuning.successor else ""
        return "prompt", (f"fine-tuning {option} is {tuning.headline}{successor}, so prompt "
                          f"{prompt}, or choose a fine-tuning option a new customer can use.")  # fmt: skip
    prompting_status = pair.prompt_status()
    if prompting_status.state in NOT_LIVE:
        successor = f" (successor: {pair.prompting.successor})" if pair.prompting.successor else ""
        return "measure first", (f"prompting {prompt} is {prompting_status.headline}{successor}: "
                                 f"choose a live prompting model to compare {option} with.")  # fmt: skip
    if summary.training.not_possible:
        need, have = count(summary.training.min_examples), count(scenario.training_examples)
        return "prompt", (f"{option} needs at least {need} training examples and the scenario has {have}, so prompt "
                          f"{prompt} and collect data first.")  # fmt: skip
    target = scenario.target_accuracy
    if gap.source == "measured":
        return _choose_measured(scenario, money, gap, prompting, tuned, tree, size, prompt, option)
    cheaper = money.saving > 0 and money.pays_back(1)
    could_pay = money.error_value is not None and money.pays_back(2)
    same = "prompting it" if pair.same_base_model else prompt
    if cheaper:
        clause = _tree_clause(tree, "measure first")
        cost = f"fine-tuning {option} is {'also ' if clause else ''}{_saving_words(money)}"
        goal = f"reaches your {target:g}% target" if target > 0 else f"matches {same}"
        lead = clause + cost if clause else cost[0].upper() + cost[1:]
        return "measure first", f"{lead}, so fine-tune if {option} {goal} on your eval{_tell(size)}."
    if could_pay:
        assert gap.high is not None
        needed = _points_to_pay(scenario, money)
        clause = _tree_clause(tree, "measure first")
        text = (f"fine-tuning {option} is {_saving_words(money)}, yet at {usd(scenario.error_cost)} a wrong answer a gain of "
                f"{needed:.1f} points would repay it (the {gap.source} allows up to {gap.high:+g})")
        lead = clause + text if clause else text[0].upper() + text[1:]
        goal = f"beats {same} by {needed:.1f} points or more"
        return "measure first", f"{lead}, so fine-tune if {option} {goal} on your eval{_tell(size)}."
    clause = _tree_clause(tree, "prompt")
    why = _not_worth(money, gap, option)
    return "prompt", (clause + why if clause else why[0].upper() + why[1:]) + f", so prompt {prompt}."


def _points_to_pay(scenario: Scenario, money: _Money) -> float:
    """Quality points fine-tuning must gain for fewer errors to repay its extra monthly cost and one-off over the horizon."""
    per_point = scenario.requests_per_month * scenario.error_cost / 100
    shortfall = -money.saving + (money.one_off or 0.0) / money.horizon
    return max(shortfall / per_point, 0.0)


def _not_worth(money: _Money, gap: QualityGap, option: str) -> str:
    """Why fine-tuning does not pay here, in words (cost first, then what quality could add)."""
    if money.saving > 0:
        base = f"fine-tuning {option} saves {usd_per_month(money.saving)} but does not repay {usd(money.one_off or 0)} " \
               f"within the {money.horizon}-month horizon"
    else:
        base = f"fine-tuning {option} is {_saving_words(money)}"
    if money.error_value is not None and gap.high is not None:
        base += f", and even a {gap.high:+g}-point gain ({gap.source}) would not make it pay"
    return base


def _choose_measured(
    scenario: Scenario, money: _Money, gap: QualityGap, prompting: RouteQuality, tuned: RouteQuality,
    tree: Decision, size: SampleSize | None, prompt: str, option: str,
) -> tuple[str, str]:  # fmt: skip
    """The action when the eval measured both routes.

    The fine-tuned route "matches" when the eval rules out a drop of more than MATCH_TOLERANCE points (however small
    a significant difference inside it); it is "worse" when the eval shows it significantly worse beyond that.
    """
    assert gap.comparison is not None and gap.low is not None and gap.high is not None
    result = gap.comparison.text()
    target = scenario.target_accuracy
    p_value = gap.comparison.p_value
    significant = p_value is None or p_value < SIGNIFICANCE
    better = gap.low > 0 and significant
    within = gap.low >= -MATCH_TOLERANCE
    worse = gap.high < 0 and significant and not within
    if target > 0 and tuned.meets(target) is False:
        return "prompt", f"{option} misses your {target:g}% target on your eval ({tuned.short()}), so prompt {prompt}."
    if target > 0 and prompting.meets(target) is False and tuned.meets(target) is True and money.pays_back(1):
        return "fine-tune", (f"{option} reaches your {target:g}% target on your eval and {prompt} does not "
                             f"({tuned.short()} vs {prompting.short()}); fine-tuning is {_saving_words(money)}.")  # fmt: skip
    if not money.pays_back(1):
        why = _not_worth(money, gap, option)
        if better:
            why += f", though it is better on your eval ({result})"
        return "prompt", why[0].upper() + why[1:] + f", so prompt {prompt}."
    errors = ""
    if money.error_value is not None:
        fewer = "extra" if gap.mid < 0 else "fewer"
        errors = f" and, with the value of its {fewer} errors, worth {usd_per_month(money.value(1))}"
    clause = _tree_clause(tree, "fine-tune")
    if better or within:
        if better:
            how = f"is better than {prompt}"
        elif gap.mid < 0:
            how = f"is within {MATCH_TOLERANCE:g} points of {prompt}"
        else:
            how = f"matches {prompt}"
        text = f"{option} {how} on your eval ({result}) and is {_saving_words(money)}{errors}"
        return "fine-tune", (clause + text if clause else text) + f", so fine-tune {option}."
    if worse:
        if money.error_value is None and not (target > 0 and tuned.meets(target) is True):
            return "prompt", (f"{option} is worse than {prompt} on your eval ({result}); fine-tuning would be "
                              f"{_saving_words(money)}: set the cost of a wrong answer or a target accuracy to weigh the "
                              f"two, so prompt {prompt} for now.")  # fmt: skip
        text = f"{option} is worse than {prompt} on your eval ({result}) but is {_saving_words(money)}{errors}"
        return "fine-tune", (clause + text if clause else text) + f", so fine-tune {option}."
    return "measure first", (f"{option} is {_saving_words(money)}, but your eval cannot yet rule out a drop of more than "
                             f"{MATCH_TOLERANCE:g} points ({result}): measure more{_tell(size)}.")  # fmt: skip


def _reasons(
    scenario: Scenario, pair: Pair, summary: CostSummary, money: _Money, gap: QualityGap, prompting: RouteQuality,
    tuned: RouteQuality, tree: Decision, size: SampleSize | None, action: str,
) -> tuple[Reason, ...]:  # fmt: skip
    """Every reason weighed, each with its number and source, the deciding ones first."""
    option, prompt = pair.option, pair.prompt
    prices = (f"{prompt.catalogue} on {pair.on.isoformat()}; {option.source} (as of {option.as_of.isoformat()}, "
              f"{option.confidence})")
    reasons: list[Reason] = []
    for route in (pair.prompting, pair.fine_tuning):
        status = route.status(pair.on)
        if status.severity != "ok":
            reasons.append(Reason("status", status.sentence, None, "", "lifecycle dates (see the route's sources)"))
    reasons.append(Reason("cost", f"At {per_day(scenario.requests_per_day)} prompting {prompt.label} costs "
                          f"{usd_per_month(summary.monthly_prompting_usd)} and fine-tuned {option.label} "
                          f"{usd_per_month(summary.monthly_fine_tuned_usd)} (real prices): fine-tuning is "
                          f"{_saving_words(money)}.", money.saving, "USD/month", prices))  # fmt: skip
    one_off = "unknown (no training price)" if money.one_off is None else usd(money.one_off)
    reasons.append(Reason("one_off", f"One-off before serving: {one_off} ({summary.breakeven_basis}).", money.one_off,
                          "USD", option.source))  # fmt: skip
    if summary.training.not_possible:
        reasons.append(Reason("data", f"Training: {summary.training.not_possible}.", float(scenario.training_examples),
                              "examples", option.source))  # fmt: skip
    breakeven = "never" if money.breakeven is None else months(money.breakeven)
    reasons.append(Reason("breakeven", f"Breakeven at real prices: {breakeven} (horizon {scenario.horizon_months} months).",
                          money.breakeven, "months", prices))  # fmt: skip
    if scenario.pricing == "article":
        reasons.append(Reason("pricing", f"The article's convention gives {usd_per_month(summary.monthly_savings_usd)} of "
                              "savings; the verdict weighs real prices.", summary.monthly_savings_usd, "USD/month",
                              article_section("Inference Cost Comparison")))  # fmt: skip
    reasons.append(Reason("quality", f"Quality gap, fine-tuned minus prompted: {gap.label}.", gap.mid, "points",
                          _gap_source(gap)))  # fmt: skip
    for quality, route in ((prompting, prompt.label), (tuned, option.label)):
        reasons.append(Reason("quality", f"{route}: {quality.label}.", quality.mid, "% accuracy", quality.source))
    reasons.append(_errors_reason(scenario, money, gap))
    if scenario.target_accuracy > 0:
        reasons.append(Reason("target", f"Target accuracy {scenario.target_accuracy:g}%: {option.label} "
                              f"{_meets_words(tuned.meets(scenario.target_accuracy))}, {prompt.label} "
                              f"{_meets_words(prompting.meets(scenario.target_accuracy))}.", scenario.target_accuracy,
                              "% accuracy", "your target"))  # fmt: skip
    if size is not None:
        holdout = scenario.training_examples // 5
        eval_set = f"your evaluation set: {count(scenario.eval_examples)}" if scenario.eval_examples else "no evaluation set"
        training = count(scenario.training_examples)
        reasons.append(Reason("sample_size", f"{_about(size.n).capitalize()} shared examples tell a {size.gap_points:g}-point "
                              f"gap at 80% power ({size.basis}); the article's 20% hold-out of {training} training examples "
                              f"is {count(holdout)}; {eval_set}.", float(size.n), "examples",
                              "Connor (1987) sample size for McNemar's test"))  # fmt: skip
    says = {"Use prompting": "prompting", "Fine-tune": "fine-tuning", "Measure first": "measuring first"}[tree.recommendation]
    reasons.append(Reason("tree", f"The article's decision tree says {says}: {tree.reason}", float(tree.stopped_at), "question",
                          article_section("Decision Tree")))  # fmt: skip
    band = band_for(scenario.requests_per_day)
    reasons.append(Reason("band", f"The article's volume band for {per_day(scenario.requests_per_day)} is "
                          f"{band['volume_label']} requests/day, where it says \"{band['recommendation']}\" ({band['why']}).",
                          scenario.requests_per_day, "requests/day", article_section("The Volume Decision")))  # fmt: skip
    return tuple(reasons)


def _gap_source(gap: QualityGap) -> str:
    if gap.comparison is not None:
        return "your eval"
    if gap.prior is not None:
        return gap.prior.source
    return "no source: unmeasured"


def _meets_words(meets: bool | None) -> str:
    return {True: "meets it", False: "misses it", None: "may or may not meet it"}[meets]


def _errors_reason(scenario: Scenario, money: _Money, gap: QualityGap) -> Reason:
    """What the quality gap is worth at the cost of an error (or that no cost is set)."""
    if scenario.error_cost <= 0:
        return Reason("errors", "No cost of a wrong answer is set: quality enters the verdict through the eval and the "
                      "target only (set one under Quality in the sidebar).", 0.0, "USD/error", "your input")  # fmt: skip
    if money.error_value is None:
        return Reason("errors", f"At {usd(scenario.error_cost)} a wrong answer the gap would be worth money, but the gap is "
                      "unknown.", scenario.error_cost, "USD/error", "your input")  # fmt: skip
    low, mid, high = money.error_value
    return Reason("errors", f"At {usd(scenario.error_cost)} a wrong answer and {count(scenario.requests_per_month)} requests "
                  f"a month, the gap is worth {usd(low)} to {usd(high)} a month to fine-tuning (mid {usd_per_month(mid)}).",
                  mid, "USD/month", f"your error cost x {_gap_source(gap)}")  # fmt: skip
