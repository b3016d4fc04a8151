"""Property-based tests: awkward input never crashes the model, and its invariants hold."""

import datetime as dt
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.catalogue.tables import load_options
from calc.costs.pair import resolve_pair, summarize
from calc.costs.workload import in_tokens_of, scenario_workload
from calc.inputs import tokens
from calc.inputs.dataset import analyze_jsonl
from calc.inputs.querystring import SCENARIO_PARAMS, parse_scenario_params
from calc.scenario import Scenario

TODAY = dt.date(2026, 11, 29)

OPTIONS = load_options()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["system", "user", "assistant", "tool", "bot"]), "content": st.text(max_size=60)}
    ),
    max_size=4,
).map(lambda ms: {"messages": ms})


def _check_report(report, data_lines: int) -> None:
    assert report.n_examples + report.n_invalid_json <= data_lines
    assert report.n_valid <= report.n_examples
    assert report.total_tokens.size <= report.n_examples
    assert all(e["line"] is None or 1 <= e["line"] <= max(report.n_lines, 1) for e in report.errors)
    assert report.n_errors >= len(report.errors)
    assert report.total_billed_tokens == report.billing_tokens_per_epoch * report.default_epochs >= 0


@FAST
@given(st.binary(max_size=2_000))
def test_analyzer_survives_arbitrary_bytes(data):
    report = analyze_jsonl(data)
    _check_report(report, data.count(b"\n") + 1)


@FAST
@given(st.lists(json_values | messages, max_size=15))
def test_analyzer_reports_every_bad_line(values):
    lines = [json.dumps(v) for v in values]
    report = analyze_jsonl("\n".join(lines).encode())
    _check_report(report, len(lines))
    assert report.n_examples == len([line for line in lines if line.strip()])
    bad_lines = {e["line"] for e in report.errors}
    for number, value in enumerate(values, start=1):
        if not isinstance(value, dict):
            assert number in bad_lines


def test_analyzer_survives_deep_nesting_and_long_lines():
    deep = "[" * 50_000 + "]" * 50_000
    long_line = json.dumps({"messages": [{"role": "user", "content": "x" * 2_000_000}, {"role": "assistant", "content": "y"}]})
    report = analyze_jsonl(f"{deep}\n{long_line}".encode())
    assert report.n_examples == 1 and report.n_valid == 1 and report.errors[0]["line"] == 1


@FAST
@given(st.text(), st.text())
def test_token_counter_properties(a, b):
    for model in ("gpt-4o", "gpt-4", "claude-3-haiku"):
        whole, left, right = tokens.count_tokens(a + b, model), tokens.count_tokens(a, model), tokens.count_tokens(b, model)
        assert whole >= 0 and left >= 0 and right >= 0
        if tokens.is_exact(model):  # an estimate (Claude) is a ratio of tokens, not bound by the bytes
            assert whole <= len((a + b).encode("utf-8", "surrogatepass"))
        # No bound on whole vs left + right: BPE merges differ across the join ("Tue" + "true" is 1 + 1 tokens
        # apart, 4 together in cl100k_base), so only the byte bound holds.
        assert whole == tokens.count_tokens(a + b, model)  # deterministic


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=5))
def test_lone_surrogates_do_not_crash(text):
    assert tokens.count_tokens(text + "<|endoftext|>", "gpt-4o") > 0


scenarios = st.builds(
    Scenario,
    requests_per_day=st.floats(min_value=0, max_value=1e7),
    examples=st.integers(0, 60),
    tokens_per_example=st.integers(0, 5_000),
    instruction_tokens=st.integers(0, 20_000),
    output_tokens=st.integers(0, 5_000),
    option=st.sampled_from(list(OPTIONS.index)),
    training_examples=st.integers(0, 100_000),
    tokens_per_training_example=st.integers(0, 5_000),
    pricing=st.sampled_from(["full", "article"]),
    caching=st.booleans(),
)


@FAST
@given(scenarios, st.floats(min_value=1.01, max_value=100))
def test_cost_model_invariants(scenario, factor):
    summary = summarize(scenario, resolve_pair(scenario, None, TODAY))
    assert summary.monthly_prompting_usd >= 0 and summary.monthly_fine_tuned_usd >= 0 and summary.training.cost_usd >= 0
    if scenario.pricing == "full":
        assert math.isclose(summary.monthly_savings_usd, summary.real_savings_usd, abs_tol=1e-9)
    assert summary.breakeven_months is None or summary.breakeven_months >= 0
    if summary.prompting_request.usd > summary.fine_tuned_request.usd and scenario.requests_per_day * factor <= 1e9:
        busier_scenario = Scenario(**{**scenario.__dict__, "requests_per_day": scenario.requests_per_day * factor})
        busier = summarize(busier_scenario, resolve_pair(busier_scenario, None, TODAY))
        # Hosting is stepwise (a deployment or GPU more past a volume), and a cache hit rate estimated from the traffic
        # changes each request's price with the volume: only at the same fixed fee and a per-request saving no smaller
        # must more requests pay back no later.
        saving = summary.prompting_request.usd - summary.fine_tuned_request.usd
        busier_saving = busier.prompting_request.usd - busier.fine_tuned_request.usd
        same_fee = busier.hosting_monthly_usd == summary.hosting_monthly_usd
        if summary.breakeven_months is not None and same_fee and busier_saving >= saving:
            assert busier.breakeven_months is not None
            assert busier.breakeven_months <= summary.breakeven_months + 1e-9


@FAST
@given(
    st.dictionaries(
        st.sampled_from([*SCENARIO_PARAMS, "other"]), st.text(max_size=300) | st.lists(st.text(max_size=20), max_size=3)
    )
)
def test_query_string_parsing_never_raises(params):
    values, problems = parse_scenario_params(params, OPTIONS)
    assert set(values) <= set(SCENARIO_PARAMS)
    fields = {k: v for k, v in values.items()}
    fields.pop("epochs", None)
    if "requests_per_day" in fields:
        fields["requests_per_day"] = float(fields["requests_per_day"])
    Scenario(**fields)  # whatever survives parsing is a valid scenario
    assert all(isinstance(p, str) and p for p in problems)


CACHING_MODELS = ["openai:gpt-4.1-mini", "openai:gpt-4o-mini", "google:gemini-3.1-flash-lite", "anthropic:claude-haiku-5-5"]


@FAST
@given(
    examples=st.integers(0, 50),
    per_example=st.integers(0, 2_000),
    instructions=st.integers(0, 5_000),
    own=st.integers(0, 5_000),
    hit=st.integers(0, 100),
    batch=st.integers(0, 100),
    model=st.sampled_from(CACHING_MODELS),
)
def test_caching_and_batch_never_raise_a_bill(examples, per_example, instructions, own, hit, batch, model):
    """Where cache writes are free, at any hit rate; where they are charged, once hits are common."""
    base = Scenario(
        prompt_model=model, examples=examples, tokens_per_example=per_example, instruction_tokens=instructions,
        request_input_tokens=own, cache_hit_pct=hit, batch_pct=batch,
    )  # fmt: skip
    plain = summarize(base, resolve_pair(base, None, TODAY))
    cached_scenario = Scenario(**{**base.__dict__, "caching": True})
    cached = summarize(cached_scenario, resolve_pair(cached_scenario, None, TODAY))
    writes_charged = model.startswith("anthropic")  # 1.25x input to write: caching pays once hits pass ~22%
    if not writes_charged or hit >= 25:
        assert cached.monthly_prompting_usd <= plain.monthly_prompting_usd + 1e-9
    own_tokens = in_tokens_of(scenario_workload(base), resolve_pair(base, None, TODAY).prompt.model_id)
    assert cached.prompting_request.cached_tokens <= own_tokens.static_prefix_tokens
    unbatched = Scenario(**{**base.__dict__, "batch_pct": 0})
    assert plain.monthly_prompting_usd <= summarize(unbatched, resolve_pair(unbatched, None, TODAY)).monthly_prompting_usd + 1e-9
