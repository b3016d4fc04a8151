"""What the home page says at one volume: the five metric cards, the scenario line, warnings and the verdict, as text.

Pure (no Streamlit): the page draws what `volume_texts` returns. It is built once per stored analysis and display
mode, so a slider move back to a volume seen before spends its server time drawing, not formatting. Text that can
come from an imported price table (labels, sources, notes) is made inert with `plain_markdown`.
"""

from __future__ import annotations

from dataclasses import dataclass

from calc.costs.hosting import hosting_at_volume
from calc.costs.latency import latency_sentence, route_latency
from calc.costs.requests import reasoning_note
from calc.costs.routes import cost_caveats
from calc.costs.teachers import teacher_terms_text
from calc.costs.upfront import roi_text
from calc.costs.workload import scenario_workload
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from ui.analysis import VolumeAnalysis
from ui.format import (
    article_suffix,
    breakeven_text,
    count,
    per_day,
    real_beside,
    real_breakeven_text,
    training_text,
    usd,
    usd_per_month,
    usd_per_month_short,
)
from ui.object_memo import ObjectMemo

NOT_USABLE = "not usable: see status"


@dataclass(frozen=True)
class Card:
    """One headline number: its label, the value shown and the arithmetic with its source on hover."""

    label: str
    value: str
    help: str


@dataclass(frozen=True)
class VolumeTexts:
    """Everything the volume view writes, in the order it is drawn."""

    cards: tuple[Card, ...]
    summary: str
    warnings: tuple[str, ...]
    notes: tuple[str, ...]
    details: tuple[str, ...]  # facts shown with the verdict's reasons: crossover, cheapest route, batch, work, latency
    cumulative_note: str | None


def volume_texts(scenario: Scenario, result: VolumeAnalysis, presenting: bool) -> VolumeTexts:
    """The volume view's text for `scenario` and its analysis; `presenting` shortens money and drops sidebar hints."""
    return _texts(result, scenario, presenting)


def _build(result: VolumeAnalysis, scenario: Scenario, presenting: bool) -> VolumeTexts:
    return VolumeTexts(
        cards=metric_cards(scenario, result, presenting),
        summary=summary_line(scenario, result, presenting),
        warnings=option_warnings(scenario, result),
        notes=(),
        details=tuple(
            text.strip()
            for text in (
                crossover_text(scenario, result) + batch_sentence(scenario, result),
                cheapest_sentence(scenario, result),
                work_sentence(scenario, result),
                latency_text(scenario, result),
            )
            if text.strip()
        ),
        cumulative_note=cumulative_note(scenario, result),
    )


_texts = ObjectMemo(_build)


def metric_cards(scenario: Scenario, result: VolumeAnalysis, presenting: bool) -> tuple[Card, ...]:
    """Prompting and fine-tuned per month, savings, training and breakeven, each with its arithmetic and source."""
    summary, training, pair = result.summary, result.summary.training, result.pair
    option, prompt = pair.option, pair.prompt
    prompting, tuned = summary.prompting_request, summary.fine_tuned_request
    money = usd_per_month_short if presenting else usd_per_month
    fixed = summary.hosting_monthly_usd
    hosting = f" + {usd_per_month(fixed)} fixed ({hosting_at_volume(option, scenario_workload(scenario))})" if fixed else ""
    if summary.serving_gpus is not None:
        hosting = hosting[:-1] + ", from measured prefill and decode throughput; see the Self-hosted page)"
    source = f"{option.source} (as of {option.as_of}, {option.confidence})"
    if training.hours_missing:
        basis = (f"{option.label} bills training by the hour (${training.price_usd:,.2f}/hour) and publishes no run length: "
                 "enter the hours of one run under Training in the sidebar")
    elif not training.price_known:
        basis = f"{option.label} publishes no training price: enter one under Training in the sidebar"
    elif training.gpu_hours is not None:
        basis = f"{training.gpu_hours:,.2f} GPU-hours x {usd(training.price_usd)}/GPU-hour"
    else:
        basis = f"{count(training.billed_tokens)} billed tokens x {usd(training.price_usd)} per 1M"
    spread = ""
    if training.minimum_applied:
        spread = f" The provider's minimum charge per job ({usd(option.min_job_usd or 0)}) applies."
    if training.cost_low_usd is not None and training.cost_high_usd is not None:
        spread += f" Source range: {usd(training.cost_low_usd)} to {usd(training.cost_high_usd)}."
    article = scenario.pricing == "article"
    misfit = summary.article_misfit
    return (
        Card(
            "Prompting per month",
            money(summary.monthly_prompting_usd),
            plain_markdown(
                f"{prompt.label}: {usd(prompting.usd)} per request ({count(prompting.input_tokens)} input tokens, "
                f"{count(prompting.cached_tokens)} of them cached, + {count(prompting.output_tokens)} output"
                + (f", {count(prompting.reasoning_tokens)} of them reasoning" if prompting.reasoning_tokens else "")
                + f") x {per_day(scenario.requests_per_day)} x {scenario.days_per_month} days. Priced by {prompt.catalogue} "
                f"on {pair.on.isoformat()} ({prompt.source}). {reasoning_note(scenario_workload(scenario), prompt, cite=False)}"
            ).strip(),
        ),
        Card(
            "Fine-tuned per month",
            money(summary.monthly_fine_tuned_usd),
            plain_markdown(
                f"{option.label}: {usd(tuned.usd)} per request ({count(tuned.input_tokens)} input, "
                f"{count(tuned.cached_tokens)} cached, + {count(tuned.output_tokens)} output){hosting}. Prices: {source}."
            ),
        ),
        Card(
            "Monthly savings" + article_suffix(scenario.pricing, misfit),
            NOT_USABLE
            if summary.withheld
            else real_beside(scenario.pricing, misfit, money(summary.monthly_savings_usd), money(summary.real_savings_usd)),
            "The article's convention: the removed example tokens at the fine-tuned input price. Prompting minus "
            f"fine-tuned at real prices is {usd_per_month(summary.real_savings_usd)}."
            + (f" The convention does not describe this pair: {misfit}." if misfit else "")
            if article
            else "Prompting minus fine-tuned per month at real prices; negative when the fine-tuned model costs more to run.",
        ),
        Card(
            "Training cost (one run)",
            training_text(training),
            plain_markdown(f"{basis}; {training.epochs} epochs ({training.epochs_rule}).{spread} {source}"),
        ),
        Card(
            "Breakeven" + article_suffix(scenario.pricing, misfit),
            NOT_USABLE
            if summary.withheld
            else real_beside(scenario.pricing, misfit, breakeven_text(summary), real_breakeven_text(summary)),
            plain_markdown(summary.withheld)
            if summary.withheld
            else plain_markdown(
                "(Training + the work before it) / the monthly savings above"
                + (" (the article's convention)" if article else "")
                + f". Counts {summary.breakeven_basis}. 'never' when fine-tuning saves nothing per month."
                + ("" if summary.payback is None else f" {roi_text(summary.payback)}.")
            ),
        ),
    )


def summary_line(scenario: Scenario, result: VolumeAnalysis, presenting: bool) -> str:
    """The scenario in one line, and the savings under the other pricing mode."""
    other = "article convention" if scenario.pricing == "full" else "full pricing"
    line = (
        f"{per_day(scenario.requests_per_day)} · {scenario.examples} few-shot examples x "
        f"{count(scenario.tokens_per_example)} tokens · {scenario.pricing} pricing"
        + (" · prompt caching on" if scenario.caching else "")
        + (f" · {scenario.batch_pct}% batched" if scenario.batch_pct else "")
    )
    summary = result.summary
    counts = f" Breakeven counts {summary.breakeven_basis}" + (
        "" if presenting or not summary.work.is_zero else " (set it under *Work before training* in the sidebar)"
    )
    roi = "" if summary.payback is None else f"; {roi_text(summary.payback)}"
    return (
        f"{line}. Monthly savings under the {other}: **{usd_per_month(result.other_mode.monthly_savings_usd)}**."
        + ("" if presenting else " Switch with *Pricing* in the sidebar.")
        + plain_markdown(counts + roi + ".")
    )


def option_warnings(scenario: Scenario, result: VolumeAnalysis) -> tuple[str, ...]:
    """What the numbers leave out or cannot promise for this pair: the fine-tuning route's caveats (the command line
    and the brief print the same list) and, first, why live figures are withheld."""
    summary = result.summary
    assert summary.fine_tuned_costs is not None
    caveats = cost_caveats(result.pair.fine_tuning, summary.fine_tuned_costs, scenario)
    return tuple(plain_markdown(text) for text in ((summary.withheld,) if summary.withheld else ()) + caveats)


def batch_sentence(scenario: Scenario, result: VolumeAnalysis) -> str:
    """Batch as the other lever: whether sending the traffic that can wait through a batch API beats fine-tuning."""
    now, before, batched = result.summary, result.unbatched, result.all_batched
    tuned = now.monthly_fine_tuned_usd
    if scenario.batch_pct and before.monthly_prompting_usd > tuned >= now.monthly_prompting_usd:
        return (
            f" **Batch is cheaper here:** sending {scenario.batch_pct}% of the traffic through a batch API brings prompting to "
            f"{usd_per_month(now.monthly_prompting_usd)}, below the fine-tuned {usd_per_month(tuned)}: for "
            "latency-tolerant work it is the cheaper lever."
        )
    all_waiting = batched.monthly_prompting_usd
    if now.monthly_prompting_usd > tuned > all_waiting:
        return (
            f" If the traffic can wait, a batch API would bring prompting to {usd_per_month(all_waiting)}, below the "
            f"fine-tuned {usd_per_month(tuned)}: a cheaper lever than fine-tuning (set the share in the sidebar)."
        )
    return ""


def crossover_text(scenario: Scenario, result: VolumeAnalysis) -> str:
    """Where the monthly-cost lines of the chart below cross, and which side of it the scenario is on."""
    cross, summary = result.crossover, result.summary
    if summary.withheld:
        return "**No crossover:** the pair is not usable on this date (see the warning above)."
    if summary.training.not_possible:
        return (
            f"**No crossover:** training is {summary.training.not_possible} (Training in the sidebar)."
        )
    if summary.training.hours_missing:
        return "**Crossover unknown:** training is billed by the hour; enter the hours of one run under Training in the sidebar."
    if not summary.training.price_known:
        return "**Crossover unknown:** the provider publishes no training price; enter one under Training in the sidebar."
    if cross is None:
        return "**No crossover:** the fine-tuned model costs as much or more per request, so no volume pays back training."
    side = "above" if scenario.requests_per_day >= cross.requests_per_day else "below"
    return (
        f"**Crossover at about {per_day(cross.requests_per_day)}** (training spread over {scenario.horizon_months} "
        f"months): above it fine-tuning costs less per month. You are {side} it."
    )


def cheapest_sentence(scenario: Scenario, result: VolumeAnalysis) -> str:
    """The cheapest way to serve this workload today, over every route (not just this pair), and where to see them."""
    if result.cheapest is None:
        return ""
    entry, monthly = result.cheapest
    route = entry.route
    how = "prompting" if route.kind == "prompt" else "fine-tuning"
    one_off = f" + {usd(entry.costs.one_off_usd)} one-off (training + work)" if entry.costs.one_off_usd else ""
    in_pair = " (this pair's side)" if entry.role else ""
    return (
        f"**Cheapest route at {per_day(scenario.requests_per_day)} today:** {how} {plain_markdown(route.label)}"
        f"{in_pair}, {usd_per_month(monthly)}{one_off}. Every route is ranked on the *All routes* page; a different "
        "model is not the same quality: measure it on your eval."
    )


def work_sentence(scenario: Scenario, result: VolumeAnalysis) -> str:
    """Hand labelling beside the teacher's answers, and the teacher's terms, when the scenario distils or prices labels."""
    work = result.summary.work
    if scenario.labelling != "teacher" and not work.hand_labelling_usd:
        return ""
    parts = [text for text in (work.labelling_choice(),) if text]
    if scenario.labelling == "teacher":
        parts.append(teacher_terms_text(result.pair.teacher))
    return plain_markdown(" ".join(parts)) if parts else ""


def latency_text(scenario: Scenario, result: VolumeAnalysis) -> str:
    """What the pair's prompt tokens add to the first token, what fine-tuning and caching remove, and the output's time
    (calc/costs/latency.py), with how many dated measurements it rests on (listed on the All routes page)."""
    workload = scenario_workload(scenario)
    prompting = route_latency(result.pair.prompting, workload)
    tuned = route_latency(result.pair.fine_tuning, workload)
    dates = sorted({source.rsplit(", ", 2)[-2] for source in prompting.sources})
    return "**Latency.** " + plain_markdown(
        latency_sentence(prompting, tuned, scenario.ttft_target_ms)
        + f" From {len(prompting.sources)} dated measurements ({', '.join(dates)}); sources on the All routes page."
    )


def cumulative_note(scenario: Scenario, result: VolumeAnalysis) -> str | None:
    """Said under the cumulative chart when breakeven falls beyond its horizon."""
    breakeven = result.summary.breakeven_months
    if breakeven is not None and breakeven > scenario.horizon_months:
        return f"Breakeven ({breakeven_text(result.summary)}) falls beyond the {scenario.horizon_months}-month horizon."
    return None
