"""Issue 29 item 8: each route's kind of service and price confidence, previews and training-only services hidden by
default, preference and reinforcement fine-tuning routes with their own pricing units (per training hour included),
and self-hosting at reserved rates. Fixed date: 2026-12-06."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from calc.catalogue.options import shipped_records
from calc.catalogue.tables import load_options
from calc.costs.gpu import gpu_table
from calc.costs.pair import resolve_pair, summarize
from calc.costs.ranking import cheapest_by_volume, confidence_cell, price_routes, routes
from calc.costs.routes import FineTuneRoute, cost_caveats
from calc.costs.serving import gpu_ratio
from calc.costs.training import training_cost
from calc.inputs.querystring import parse_scenario_params, scenario_from_values
from calc.scenario import Scenario
from calc.text.figures import breakeven_text, training_text

ON = dt.date(2026, 12, 6)
HIDDEN = {"fine_tune:tinker-qwen3-8b": "training", "fine_tune:fireworks-glm-5.3-flash-serverless": "preview"}
ADDED = ("azure-gpt-4.1-mini-dpo", "together-dpo-lora-up-to-16b", "fireworks-dpo-up-to-16b", "fireworks-rft-up-to-16b",
         "azure-o4-mini-rft", "bedrock-nova-2-lite-rft", "selfhosted-llama-3.1-8b-h100-reserved",
         "selfhosted-llama-3.1-8b-l40s-reserved")  # fmt: skip


def test_every_option_says_its_kind_of_service_with_a_source():
    for option in shipped_records().values():
        assert option.service_kind in ("production", "preview", "training", "own_gpus"), option.option_id
        assert option.service_kind_source and len(option.service_kind_source) > 20, option.option_id
        assert (option.service_kind == "own_gpus") == option.per_gpu_hour, option.option_id
    records = shipped_records()
    assert records["tinker-qwen3-8b"].service_kind == "training" and "testing" in records["tinker-qwen3-8b"].service_kind_source
    assert records["fireworks-glm-5.3-flash-serverless"].service_kind == "preview"


def test_the_ranking_hides_previews_and_training_services_until_asked_and_keeps_the_pairs_own():
    ranking = routes(Scenario(), ON)
    shown = {row.route.id for row in ranking.visible()}
    assert not shown & set(HIDDEN)
    every = {row.route.id: row for row in ranking.visible(show_previews=True)}
    assert {route: every[route].route.service_kind for route in HIDDEN} == HIDDEN
    paired = routes(Scenario(option="tinker-qwen3-8b"), ON)  # the pair's own fine-tuning route always shows
    assert "fine_tune:tinker-qwen3-8b" in {row.route.id for row in paired.visible()}


def test_the_cheapest_route_is_a_production_one_unless_previews_are_asked_for():
    # At 1,000 requests/day Tinker ($0.00069 a request on sampling prices, no fee) undercuts Nova Micro: it ranked first
    # before, as a training service whose inference is for testing.
    priced = price_routes(Scenario(), ON)
    at_1000 = priced.at(1_000)
    assert at_1000.cheapest().route.id == "fine_tune:bedrock-nova-micro"
    assert at_1000.cheapest(include_previews=True).route.id == "fine_tune:tinker-qwen3-8b"
    grid = np.geomspace(10, 1_000_000, 60)
    plain = cheapest_by_volume(priced, grid)
    assert not set(plain.curves["route"]) & set(HIDDEN) and not set(plain.segments["route"]) & set(HIDDEN)
    assert "fine_tune:tinker-qwen3-8b" in set(cheapest_by_volume(priced, grid, include_previews=True).segments["route"])


def test_each_route_carries_its_price_confidence_and_the_figures_no_copy_confirms():
    data = routes(Scenario(), ON).to_dict()
    rows = {row["id"]: row for row in data["routes"]}
    assert data["previews_shown"] is False
    lite = rows["fine_tune:bedrock-nova-lite"]
    assert lite["price_confidence"] == "unverified" and lite["service_kind"] == "production"
    assert lite["unverified_figures"].startswith("training $2.00 per 1M tokens and storage $1.95/month")
    assert rows["fine_tune:bedrock-nova-micro"]["price_confidence"] == "confirmed"
    assert rows["fine_tune:bedrock-nova-micro"]["unverified_figures"] is None
    assert rows["prompt:openai:gpt-6-luna"]["price_confidence"] == "confirmed"  # its curated row
    assert rows["prompt:deepseek:deepseek-v4-flash"]["price_confidence"] == "secondary"
    assert confidence_cell("unverified", "training $2") == "unverified: training $2"
    assert confidence_cell("confirmed", None) == "confirmed"
    nova = FineTuneRoute(shipped_records()["bedrock-nova-lite"])
    caveat = next(c for c in cost_caveats(nova, nova.costs(Scenario()), Scenario()) if "prices are" in c)
    assert caveat.startswith("Bedrock Nova Lite: prices are unverified (no copy confirms training $2.00 per 1M tokens")


def test_preference_and_reinforcement_routes_are_priced_in_their_own_units():
    records = shipped_records()
    for option_id in ADDED:
        option = records[option_id]
        assert len(option.source) > 60 and option.as_of.year == 2026, option_id
    scenario = Scenario()  # 1,000 examples x 250 tokens x 3 epochs (OpenAI's rule, assumed) = 750,000 training tokens
    assert records["fireworks-rft-up-to-16b"].method == "rft"
    assert training_cost(scenario, records["fireworks-rft-up-to-16b"]).cost_usd == 0  # free under 16B
    assert training_cost(scenario, records["fireworks-dpo-up-to-16b"]).cost_usd == pytest.approx(0.75 * 0.50)
    together = training_cost(scenario, records["together-dpo-lora-up-to-16b"])  # 1 epoch by default
    assert together.cost_usd == pytest.approx(0.25 * 0.54)
    azure_dpo = training_cost(scenario, records["azure-gpt-4.1-mini-dpo"])
    assert not azure_dpo.price_known and training_text(azure_dpo) == "not published: enter it"  # never guessed
    assert not training_cost(scenario, records["bedrock-nova-2-lite-rft"]).price_known


def test_training_billed_per_hour_needs_the_hours_of_a_run_and_then_costs_hours_times_rate():
    option = shipped_records()["azure-o4-mini-rft"]
    assert option.per_training_hour and option.training_price_usd == 100
    scenario = Scenario(option="azure-o4-mini-rft", prompt_model="azure:o4-mini")
    unknown = training_cost(scenario, option)
    assert unknown.hours_missing and not unknown.price_known and unknown.missing_entry == "the training hours"
    assert training_text(unknown) == "hours of a run not published: enter them"
    summary = summarize(scenario, resolve_pair(scenario, None, ON))
    assert breakeven_text(summary) == "unknown: enter the training hours"
    route = FineTuneRoute(option)
    assert any("bills training by the hour ($100.00/hour)" in c for c in cost_caveats(route, route.costs(scenario), scenario))
    hours = replace(scenario, training_hours=4.5)
    known = training_cost(hours, option)
    assert known.price_known and known.cost_usd == pytest.approx(450)  # 4.5 h x $100 (range $50-$110 an hour)
    assert (known.cost_low_usd, known.cost_high_usd) == (pytest.approx(225), pytest.approx(495))
    other = FineTuneRoute(shipped_records()["azure-gpt-4.1-mini"]).costs(hours)
    assert other.training.cost_usd == pytest.approx(3.75)  # entered hours apply only to the option they were entered for
    ranked = next(r for r in routes(hours, ON).rows if r.route.id == "fine_tune:azure-o4-mini-rft")
    assert ranked.priced.costs.training.cost_usd == pytest.approx(450)
    unpriced = next(r for r in routes(scenario, ON).rows if r.route.id == "fine_tune:azure-o4-mini-rft")
    assert unpriced.breakeven_text == "unknown: no training hours"
    assert unpriced.priced.status.state == "closed_to_new_customers"  # RFT closed to new customers since 2026-10-16
    with pytest.raises(ValueError, match="training_hours"):
        Scenario(training_hours=-1)


def test_training_hours_travel_in_the_link():
    values, problems = parse_scenario_params({"option": "azure-o4-mini-rft", "training_hours": "12"}, load_options())
    assert problems == [] and scenario_from_values(values).training_hours == 12.0
    _, bad = parse_scenario_params({"training_hours": "inf"}, load_options())
    assert bad and "training_hours" in bad[0]


def test_self_hosting_at_reserved_rates():
    records = shipped_records()
    h100, l40s = records["selfhosted-llama-3.1-8b-h100-reserved"], records["selfhosted-llama-3.1-8b-l40s-reserved"]
    assert (h100.hosting_usd_per_hour, h100.serving_gpu) == (1.79, "H100 SXM 80GB")
    assert (l40s.hosting_usd_per_hour, l40s.serving_gpu) == (1.17, "L40S 48GB")
    assert "L40S 48GB" in gpu_table().index and gpu_table().loc["L40S 48GB", "memory_gib"] == 48
    assert "ESTIMATE" in gpu_ratio("L40S 48GB").basis  # no L40S serving measurement: said so
    # always on at 10,000/day: one GPU x rate x 720 h
    assert FineTuneRoute(h100).costs(Scenario()).fee.at(10_000) == pytest.approx(1.79 * 720)  # $1,288.80
    assert FineTuneRoute(l40s).costs(Scenario()).fee.at(10_000) == pytest.approx(1.17 * 720)  # $842.40
