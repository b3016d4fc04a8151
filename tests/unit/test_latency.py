"""Latency per route (calc/costs/latency.py): the time prompt tokens add before the first token, from dated
measurements, what fine-tuning and caching remove, the output's time, the target, and the teachers' terms."""

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from calc.catalogue.options import shipped_records
from calc.catalogue.prompt_models import resolve_prompt_model
from calc.catalogue.tables import DataSchemaError
from calc.costs import latency as latency_module
from calc.costs.latency import Span, latency_sentence, latency_table, route_latency, source_list
from calc.costs.pair import resolve_pair
from calc.costs.routes import FineTuneRoute, SelfHostedRoute
from calc.costs.teachers import teacher_terms_table, teacher_terms_text
from calc.costs.workload import scenario_workload
from calc.scenario import Scenario

ON = dt.date(2026, 12, 3)


def test_the_measurements_are_dated_sourced_and_give_a_range():
    table = latency_table()
    prefill = table[table["measure"] == "prefill"]
    assert len(prefill) >= 3 and prefill["as_of"].nunique() >= 2
    assert (table["source"].str.len() > 20).all() and table["confidence"].isin(["confirmed", "secondary"]).all()
    assert prefill["ms_per_token_low"].min() == 0.05 and prefill["ms_per_token_high"].max() == 0.24


def test_a_low_above_its_high_is_refused(monkeypatch):
    bad = latency_module._read("prefill_latency.csv")
    bad.loc[0, "ms_per_token_low"] = "5"
    monkeypatch.setattr(latency_module, "_read", lambda name: bad)
    latency_table.cache_clear()
    try:
        with pytest.raises(DataSchemaError, match="row 2: ms_per_token_low is above"):
            latency_table()
    finally:
        monkeypatch.undo()
        latency_table.cache_clear()


def test_the_default_scenarios_600_example_tokens_add_a_range_with_dated_sources():
    scenario = Scenario()
    pair = resolve_pair(scenario, None, ON)
    workload = scenario_workload(scenario)
    prompting = route_latency(pair.prompting, workload)
    assert prompting.example_tokens == 600 and prompting.uncached_tokens == 800
    assert prompting.examples_ttft == Span(600 * 0.05, 600 * 0.24)
    assert prompting.examples_ttft.text() == "30-144 ms"
    tuned = route_latency(pair.fine_tuning, workload)
    assert tuned.example_tokens == 0 and tuned.uncached_tokens == 200
    sentence = latency_sentence(prompting, tuned)
    assert sentence.startswith("Your 600 example tokens add about 30-144 ms before the first token of every request")
    assert "fine-tuning removes the examples" in sentence and "caching the prefix removes nothing here" in sentence
    dated = {source.rsplit(", ", 2)[-2] for source in prompting.sources}
    assert len(dated) >= 2
    assert source_list(prompting).count("\n- ") == len(prompting.sources)


def test_caching_a_long_prefix_removes_what_it_reads():
    scenario = Scenario(examples=20, tokens_per_example=200)  # 4,000 example tokens: above OpenAI's 1,024 minimum
    pair = resolve_pair(scenario, None, ON)
    off = route_latency(pair.prompting, scenario_workload(scenario))
    assert off.caching_removes.high > 0
    on = route_latency(pair.prompting, scenario_workload(replace(scenario, caching=True)))
    assert on.uncached_tokens == pytest.approx(off.uncached_tokens - off.cacheable_tokens)
    assert on.caching_removes.high == 0  # already on: nothing more to remove


def test_own_gpus_use_the_measurements_on_own_gpus_only():
    workload = scenario_workload(Scenario())
    own = route_latency(SelfHostedRoute(8, "H100"), workload)
    assert own.prefill == Span(0.08, 0.08)
    dedicated = next(o for o in shipped_records().values() if o.hosting_kind == "dedicated_gpu")
    assert route_latency(FineTuneRoute(dedicated), workload).prefill == Span(0.08, 0.08)
    with pytest.raises(ValueError, match="needs a route"):
        route_latency("prompt", workload)


def test_output_generation_usually_dominates():
    scenario = Scenario()
    prompting = route_latency(resolve_pair(scenario, None, ON).prompting, scenario_workload(scenario))
    # 50 answer tokens + GPT-6 Luna's 76 default reasoning tokens (issue 29): 125 after the first
    assert prompting.generation == Span(125 * 4.63, 125 * 18.91)
    assert "which dominates end to end" in latency_sentence(prompting)


@pytest.mark.parametrize(("target", "mark"), [(0, ""), (1_000, ""), (100, "may miss"), (20, "misses")])
def test_a_latency_target_marks_routes_that_miss_it(target, mark):
    scenario = Scenario()
    prompting = route_latency(resolve_pair(scenario, None, ON).prompting, scenario_workload(scenario))  # 40-192 ms
    assert prompting.target_mark(target) == mark
    if target:
        assert f"Target {target:,} ms to first token: prompting {mark or 'meets it'}" in latency_sentence(
            prompting, None, target
        )


def test_span_text_in_ms_and_seconds():
    assert Span(30, 144).text() == "30-144 ms"
    assert Span(80, 80).text() == "80 ms"
    assert Span(1_200, 4_800).text() == "1.2-4.8 s"


def test_the_ranking_carries_latency_and_the_target():
    from calc.api import routes

    ranking = routes(Scenario(ttft_target_ms=30), on=ON)
    row = ranking.pair_row("prompting")
    assert row.ttft_mark == "misses"
    data = row.to_dict()
    assert data["added_ttft_ms"]["low"] == pytest.approx(40) and data["ttft_target"] == "misses"
    assert "600 example tokens" in ranking.to_dict()["latency"]


def test_teacher_terms_are_cited_or_unknown():
    table = teacher_terms_table()
    assert {"openai", "anthropic", "aws", "google"} <= set(table.index)
    assert isinstance(table, pd.DataFrame) and table["as_of"].notna().all()
    openai = teacher_terms_text(resolve_prompt_model("openai:gpt-6-luna", ON))
    assert "Restricted" in openai and "OpenAI Terms of Use" in openai and "2024-01-31" in openai
    bedrock = table.loc["aws", "distillation_product"]
    assert "no separate per-job rate published" in bedrock
    other = teacher_terms_text(resolve_prompt_model("groq:llama-3.3-70b-versatile", ON))
    assert "unknown" in other


def test_bedrocks_distillation_product_is_named_with_its_unpublished_rate_when_a_teacher_labels():
    from calc.costs.routes import cost_caveats
    from calc.costs.teachers import distillation_product_note

    scenario = Scenario(option="bedrock-nova-micro", labelling="teacher")
    pair = resolve_pair(scenario, None, ON)
    caveats = cost_caveats(pair.fine_tuning, pair.fine_tuning.costs(scenario, teacher=pair.teacher), scenario)
    assert any("Model Distillation" in c and "no separate per-job rate published" in c for c in caveats)
    hand = replace(scenario, labelling="hand")
    assert not any("Model Distillation" in c for c in cost_caveats(pair.fine_tuning, pair.fine_tuning.costs(hand), hand))
    assert distillation_product_note("Azure") is None
