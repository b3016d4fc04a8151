"""Issue 29, items 2 and 3: cache lifetimes by model (and Google's honest one, unrounded rates), and reasoning tokens
billed as output on a reasoning model, with their source. Fixed date: 2026-12-06."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from calc.costs.caching import cache_estimate, lifetime
from calc.costs.latency import route_latency
from calc.costs.pair import resolve_pair
from calc.costs.reasoning import EFFORT_CHOICES, reasoning_tokens
from calc.costs.routes import cost_caveats
from calc.costs.workload import scenario_workload
from calc.scenario import REASONING_EFFORTS, Scenario

DAY = dt.date(2026, 12, 6)


def test_openai_gpt_5_6_and_later_keep_a_cache_30_minutes_older_models_5():
    assert lifetime("openai", "gpt-6-luna")[0] == 30 and lifetime("openai", "gpt-5.6-terra")[0] == 30
    assert lifetime("openai", "gpt-6.2-sol")[0] == 30 and lifetime("openai", "gpt-4o")[0] == 5
    # 100 requests/day on GPT-6 Luna: 1 - exp(-100/1,440 x 30) = 87.5%, not the 5-minute 29.3%.
    luna, old = cache_estimate(100, "openai", 24, "gpt-6-luna"), cache_estimate(100, "openai", 24, "gpt-4o")
    assert luna.hit_pct == pytest.approx(100 * (1 - math.exp(-100 / 1440 * 30)))
    assert old.hit_pct == pytest.approx(29.33, abs=0.01)


def test_google_implicit_caching_is_not_given_the_explicit_caches_hour():
    minutes, source = lifetime("google", "gemini-3.1-flash-lite")
    assert minutes == 5 and "best-effort" in source and "no published lifetime" in source, source
    assert cache_estimate(1_000, "google", 24, "gemini-3.1-flash-lite").hit_pct < 97  # 60 minutes gave ~100%


def test_the_hit_rate_is_not_floored_to_a_whole_percent():
    estimate = cache_estimate(500, "openai", 24, "gpt-4o")  # 1 - exp(-1.736) = 82.38%
    assert estimate.hit_pct == pytest.approx(100 * (1 - math.exp(-500 / 1440 * 5))) and not estimate.hit_pct.is_integer()
    assert estimate.text.startswith("82.4% = 1 - exp(")


def test_the_scenarios_efforts_are_the_reasoning_tables():
    assert REASONING_EFFORTS == EFFORT_CHOICES


def test_a_reasoning_model_counts_its_default_reasoning_tokens_with_the_source():
    scenario = Scenario(reasoning_effort="default")
    pair = resolve_pair(scenario, None, DAY)
    workload = scenario_workload(scenario)
    request = pair.prompting.costs(scenario, workload).request
    assert request.reasoning_tokens == 550 and request.output_tokens == scenario.output_tokens + 550
    plain = pair.prompting.costs(Scenario(reasoning_effort="none"), None).request
    # Reasoning tokens bill at GPT-6 Luna's output price ($0.50 per 1M): 550 x $0.50 / 1M more per request.
    assert request.usd - plain.usd == pytest.approx(550 * 0.50 / 1e6)
    caveat = next(c for c in cost_caveats(pair.prompting, pair.prompting.costs(scenario), scenario) if "reasons" in c)
    assert "550 reasoning tokens billed as output (its default effort, medium; source:" in caveat and "codexkey.ru" in caveat
    assert pair.fine_tuning.costs(scenario, workload).request.reasoning_tokens == 0  # a fine-tuned model does not reason
    latency = route_latency(pair.prompting, workload)
    assert latency.reasoning_tokens == 550 and latency.output_tokens == 600


@pytest.mark.parametrize(("effort", "tokens"), [("none", 0), ("low", 140), ("medium", 550), ("high", 1650)])
def test_each_effort_costs_its_tokens(effort, tokens):
    found = reasoning_tokens("openai", "gpt-6-luna", effort)
    assert found.tokens == tokens and found.effort == effort and not found.default
    assert reasoning_tokens("anthropic", "claude-haiku-5-5", effort).tokens == 0  # no row: no reasoning priced
    with pytest.raises(ValueError, match="reasoning effort"):
        reasoning_tokens("openai", "gpt-6-luna", "max")
