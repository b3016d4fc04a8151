"""Exports for the planning meeting: chart images rendered offline and the decision brief."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from calc.article.quality import task_quality
from calc.article.source import ARTICLE_CITATION, ARTICLE_READ
from calc.catalogue.tables import load_article_table
from calc.costs.caching import scenario_cache_estimate
from calc.costs.hosting import hosting_at_volume, scaled_hosting_note
from calc.costs.latency import latency_sentence, route_latency
from calc.costs.pair import Pair
from calc.costs.requests import caching_raises_cost
from calc.costs.routes import cost_caveats
from calc.costs.teachers import teacher_terms_text
from calc.costs.upfront import roi_text
from calc.costs.workload import scenario_workload
from calc.scenario import Scenario
from calc.text.brief import Brief
from calc.text.safe_text import csv_bytes
from calc.verdict.quality import pair_verdict
from calc.verdict.verdict import Verdict
from ui.analysis import VolumeAnalysis
from ui.chart_specs import json_spec
from ui.format import (
    article_suffix,
    breakeven_text,
    count,
    per_day,
    real_beside,
    real_breakeven_text,
    usd,
    usd_per_month,
)
from ui.volume_texts import metric_cards


@lru_cache(maxsize=32)
def _render(spec_json: str, kind: str) -> bytes:
    import vl_convert  # imported on first export only: it is large

    spec = json.loads(spec_json)
    if kind == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    return vl_convert.vegalite_to_svg(spec).encode("utf-8")


def chart_image(spec: dict, kind: str = "png") -> bytes:
    """A chart spec (datasets as DataFrames or records) as PNG or SVG, rendered without a browser or network."""
    if kind not in ("png", "svg"):
        raise ValueError(f"kind must be png or svg, not {kind!r}.")
    plain = json_spec(spec)
    plain.setdefault("width", 900)
    plain["autosize"] = {"type": "pad"}
    return _render(json.dumps(plain, default=str, sort_keys=True), kind)


def _price_text(value: float | None, unit: str = "per 1M") -> str:
    return "not published" if value is None else f"{usd(value)} {unit}"


def _hit_rate(scenario: Scenario) -> str:
    if scenario.cache_hit_pct is not None:
        return f"{scenario.cache_hit_pct}% (entered)"
    return f"estimated: {scenario_cache_estimate(scenario).text}"


def _assumptions(pair: Pair, scenario: Scenario) -> pd.DataFrame:
    option, prompt = pair.option, pair.prompt
    unit = "per GPU-hour" if option.per_gpu_hour else "per 1M tokens"
    training = scenario.training_price if scenario.training_price is not None else option.training_price_usd
    entered = " (entered)" if scenario.training_price is not None else ""
    rows = [
        {
            "item": f"Prompting {prompt.label}: input / output (per 1M, on {pair.on.isoformat()})",
            "value": f"{usd(prompt.input_per_mtok)} / {usd(prompt.output_per_mtok)}"
            + (" (tiered by context)" if prompt.tiered else ""),
            "source": f"{prompt.source} ({prompt.catalogue})",
            "as_of": pair.on.isoformat(),
            "confidence": "catalogue",
        },
        *(
            {
                "item": f"Fine-tuning {option.label}: {name}",
                "value": value,
                "source": option.source,
                "as_of": option.as_of,
                "confidence": option.confidence,
            }
            for name, value in (
                ("Training price", _price_text(training, unit) + entered),
                (
                    "Fine-tuned input / output (per 1M)",
                    f"{usd(option.tuned_input_per_mtok)} / {usd(option.tuned_output_per_mtok)}",
                ),
                ("Hosting", hosting_at_volume(option, scenario_workload(scenario))),
            )
        ),
        {
            "item": "Volume bands, task quality, decision tree",
            "value": "the article's tables",
            "source": ARTICLE_CITATION,
            "as_of": f"undated (read {ARTICLE_READ})",
            "confidence": "as published",
        },
        {
            "item": "Month length",
            "value": f"{scenario.days_per_month} days",
            "source": "convention",
            "as_of": "",
            "confidence": "",
        },
    ]
    return pd.DataFrame(rows)


def build_brief(
    scenario: Scenario,
    result: VolumeAnalysis,
    charts: list[tuple[str, bytes]],
    verdict: Verdict | None = None,
    link: str = "",
    edited: bool = False,
) -> Brief:
    """The brief for the home page's scenario and pair, dated by the pair's date: its headline is the verdict (the
    same sentence every page shows; `verdict` as the page computed it with the session's eval file, else computed
    here from the scenario alone), its reasons the verdict's, then the page's further facts."""
    summary, pair = result.summary, result.pair
    verdict = verdict or pair_verdict(scenario, pair, summary)
    option, today = pair.option, pair.on
    misfit = summary.article_misfit
    savings_name = "savings" + article_suffix(scenario.pricing, misfit)
    breakeven = real_beside(scenario.pricing, misfit, breakeven_text(summary), real_breakeven_text(summary))
    reasons = [
        f"Comparing {pair.title}.",
        *(reason.text for reason in verdict.reasons),
        summary.withheld
        or f"Cost: fine-tuning {'saves' if summary.monthly_savings_usd >= 0 else 'costs'} "
        f"{usd_per_month(abs(summary.monthly_savings_usd))} ({savings_name}); "
        f"breakeven{article_suffix(scenario.pricing, misfit)} {breakeven}, counting {summary.breakeven_basis}"
        + ("" if summary.payback is None else f"; {roi_text(summary.payback)}")
        + ".",
        _crossover_reason(scenario, result),
        *_cheapest_reason(scenario, result),
    ]
    cards = metric_cards(scenario, result, presenting=False)  # the home page's five numbers, as the page shows them
    numbers = [(card.label, card.value) for card in cards]
    numbers.insert(
        3,
        (
            f"Monthly savings, {'article convention' if scenario.pricing == 'full' else 'full pricing'}",
            usd_per_month(result.other_mode.monthly_savings_usd),
        ),
    )
    numbers += [
        ("Work before training", usd(summary.work.total_usd) if summary.work.total_usd else "$0 (none entered)"),
        ("Breakeven counts", summary.breakeven_basis),
        (
            f"ROI over {scenario.horizon_months} months",
            "not shown (breakeven withheld or unknown)" if summary.payback is None else roi_text(summary.payback),
        ),
    ]
    workload = scenario_workload(scenario)
    prompting_latency = route_latency(pair.prompting, workload)
    reasons.append(
        "Latency: "
        + latency_sentence(prompting_latency, route_latency(pair.fine_tuning, workload), scenario.ttft_target_ms)
    )
    if summary.work.labelling_choice() and (scenario.labelling == "teacher" or summary.work.hand_labelling_usd):
        reasons.append(str(summary.work.labelling_choice()))
    if scenario.labelling == "teacher":
        reasons.append(teacher_terms_text(pair.teacher))
    scenario_rows = [
        ("Prompting model", f"{pair.prompt.label} ({pair.prompt.ref}): {pair.prompt_status().headline}"),
        ("Fine-tuning option", f"{option.label}: {pair.option_status().headline}"),
        ("Prices as of", today.isoformat()),
        ("Requests per day", count(scenario.requests_per_day)),
        ("Few-shot examples x tokens", f"{scenario.examples} x {count(scenario.tokens_per_example)}"),
        ("Instruction + input tokens", count(scenario.instruction_tokens)),
        ("Output tokens", count(scenario.output_tokens)),
        ("Training examples x tokens", f"{count(scenario.training_examples)} x {count(scenario.tokens_per_training_example)}"),
        ("Pricing", scenario.pricing + (" with prompt caching" if scenario.caching else "")),
        *((("Cache hit rate", _hit_rate(scenario)),) if scenario.caching and scenario.pricing == "full" else ()),
        ("Task type", task_quality(scenario.task)["task"]),
        ("Cost of a wrong answer", usd(scenario.error_cost) if scenario.error_cost else "not set"),
        ("Target accuracy", f"{scenario.target_accuracy:g}%" if scenario.target_accuracy else "not set"),
        ("Quality gap, fine-tuned minus prompted", verdict.gap.label),
        # Hosting that scales (issue 21)
        ("Active hours a day (scale to zero)", f"{scenario.active_hours:g}"),
        ("Fine-tunes sharing one deployment", count(scenario.finetunes_per_deployment)),
    ]
    caveats = [
        *load_article_table("limitations")["limitation"],
        f"Lifecycle: {pair.prompt_status().sentence} {pair.option_status().sentence}",
    ]
    if option.confidence == "secondary":
        caveats.append(f"{option.label} prices rest on one secondary copy: {option.notes}")
    assert summary.fine_tuned_costs is not None and summary.prompting_costs is not None
    work = scenario_workload(scenario)
    caveats += cost_caveats(pair.prompting, summary.prompting_costs, scenario, work)  # the page's and the CLI's list
    caveats += cost_caveats(pair.fine_tuning, summary.fine_tuned_costs, scenario, work)
    caveats += [f"Latency measurement: {source}" for source in prompting_latency.sources]
    hosting = scaled_hosting_note(option, work)
    dearer = caching_raises_cost(work, pair.prompt)
    caveats = list(dict.fromkeys([*caveats, *(note for note in (hosting, dearer) if note)]))
    return Brief(
        title=f"Prompt or fine-tune: {pair.prompt.label} vs {option.label} at {per_day(scenario.requests_per_day)}",
        generated=today,
        scenario=scenario_rows,
        recommendation=verdict.headline,
        reasons=reasons,
        numbers=numbers,
        assumptions=_assumptions(pair, scenario),
        caveats=caveats,
        charts=charts,
        edited=edited,
        link=link,
    )


def _crossover_reason(scenario: Scenario, result: VolumeAnalysis) -> str:
    """Where the pair's cost lines cross, in the brief's plain words (the page's verdict says the same)."""
    summary, cross = result.summary, result.crossover
    if summary.withheld:
        return "No crossover: the pair is not usable on this date."
    if not summary.training.price_known:
        return "Crossover unknown: the provider publishes no training price."
    if cross is None:
        return "No volume makes fine-tuning cheaper per request."
    return (
        f"Fine-tuning is cheaper above about {per_day(cross.requests_per_day)} "
        f"(training spread over {scenario.horizon_months} months)."
    )


def _cheapest_reason(scenario: Scenario, result: VolumeAnalysis) -> list[str]:
    """The cheapest route over every route (the All routes page's answer), if any is usable with every cost known."""
    if result.cheapest is None:
        return []
    entry, monthly = result.cheapest
    how = "prompting" if entry.route.kind == "prompt" else "fine-tuning"
    one_off = f" + {usd(entry.costs.one_off_usd)} training" if entry.costs.one_off_usd else ""
    return [
        f"Cheapest route at {per_day(scenario.requests_per_day)} today, over every route: {how} {entry.route.label}, "
        f"{usd_per_month(monthly)}{one_off}. A different model is not the same quality: measure it on your eval."
    ]


def chart_downloads(chart, data: Callable[[], pd.DataFrame], stem: str, key: str) -> None:
    """PNG, SVG and CSV (the numbers behind it) for one chart, each built only when clicked.

    `chart` is an Altair chart or a Vega-Lite spec; `data` returns the DataFrame the chart draws.
    """
    import streamlit as st

    def spec() -> dict:
        return chart if isinstance(chart, dict) else chart.to_dict()

    png, svg, csv = st.columns(3)
    png.download_button(
        "Chart as PNG", lambda: chart_image(spec(), "png"), f"{stem}.png", "image/png", key=f"{key}_png", on_click="ignore"
    )
    svg.download_button(
        "Chart as SVG", lambda: chart_image(spec(), "svg"), f"{stem}.svg", "image/svg+xml", key=f"{key}_svg", on_click="ignore"
    )
    csv.download_button(
        "Chart data as CSV",
        lambda: csv_bytes(data()),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
