import datetime as dt
import random
from dataclasses import replace

import numpy as np
import pytest
from genai_prices import Usage, calc_price

import calc.costs.pair as calc_costs
from calc.catalogue.prompt_models import catalogue_refs, resolve_prompt_model
from calc.catalogue.tables import load_options
from calc.costs.pair import resolve_pair
from calc.costs.workload import OWN_TOKENS, scenario_workload
from calc.scenario import Scenario as _Scenario

TODAY = dt.date(2026, 11, 29)
#: The article's setting: prompting gpt-4o-mini vs fine-tuning it on OpenAI (its own base model).
ARTICLE_PAIR = {"option": "openai-gpt-4o-mini", "prompt_model": "openai:gpt-4o-mini"}


def Scenario(**fields) -> _Scenario:  # noqa: N802 - the article pair unless a test names another
    return _Scenario(**{**ARTICLE_PAIR, **fields})


class costs:  # noqa: N801 - calc.costs.pair with each scenario's pair resolved on TODAY
    """The cost functions with the pair resolved for the scenario on the fixed date."""

    summarize = staticmethod(lambda s: calc_costs.summarize(s, resolve_pair(s, None, TODAY)))
    crossover = staticmethod(lambda s: calc_costs.crossover(s, resolve_pair(s, None, TODAY)))
    volume_curves = staticmethod(lambda s, v: calc_costs.volume_curves(s, v, resolve_pair(s, None, TODAY)))
    cumulative_costs = staticmethod(lambda s, m: calc_costs.cumulative_costs(s, m, resolve_pair(s, None, TODAY)))
    breakeven_months = staticmethod(calc_costs.breakeven_months)


def article_case(saved, kept, output, pricing):
    return Scenario(examples=1, tokens_per_example=saved, instruction_tokens=kept, output_tokens=output, pricing=pricing)


@pytest.mark.parametrize(
    ("prompting", "tuned", "output", "stated"),
    [(800, 200, 50, 54), (1_200, 400, 200, 72), (2_000, 500, 1_000, 135), (3_000, 1_000, 2_000, 180)],
)
def test_article_convention_reproduces_its_savings_exactly(prompting, tuned, output, stated):
    summary = costs.summarize(article_case(prompting - tuned, tuned, output, "article"))
    assert round(summary.monthly_savings_usd, 9) == stated


@pytest.mark.parametrize(
    ("prompting", "tuned", "output", "expected"),
    [(800, 200, 50, 9.0), (1_200, 400, 200, -18.0), (2_000, 500, 1_000, -135.0), (3_000, 1_000, 2_000, -315.0)],
)
def test_full_pricing_counts_the_fine_tuned_premium(prompting, tuned, output, expected):
    summary = costs.summarize(article_case(prompting - tuned, tuned, output, "full"))
    # prompting at base ($0.15 in / $0.60 out), fine-tuned at $0.30 / $1.20, 300,000 requests a month
    assert summary.monthly_prompting_usd == pytest.approx((prompting * 0.15 + output * 0.60) * 0.3)
    assert summary.monthly_fine_tuned_usd == pytest.approx((tuned * 0.30 + output * 1.20) * 0.3)
    assert summary.monthly_savings_usd == pytest.approx(expected)


def test_breakeven_default_scenario():
    summary = costs.summarize(Scenario())
    assert summary.training.cost_usd == pytest.approx(2.25)  # 1,000 x 250 tokens x 3 epochs x $3/1M
    assert summary.breakeven_months == pytest.approx(2.25 / 9)


@pytest.mark.parametrize(("training", "savings", "expected"), [(100, 50, 2.0), (0, 10, 0.0), (100, 0, None), (100, -5, None)])
def test_breakeven_never_negative_or_divides_by_zero(training, savings, expected):
    assert costs.breakeven_months(training, savings) == expected


def test_zero_examples_saves_nothing_under_article_convention():
    summary = costs.summarize(Scenario(examples=0, pricing="article"))
    assert summary.monthly_savings_usd == 0
    assert summary.breakeven_months is None


def test_output_heavy_work_costs_more_fine_tuned():
    summary = costs.summarize(Scenario(output_tokens=2_000))
    assert summary.monthly_savings_usd < 0 and summary.breakeven_months is None
    assert costs.crossover(Scenario(output_tokens=2_000)) is None


def test_caching_bills_only_the_static_prefix_in_provider_steps():
    long_prefix = Scenario(examples=10, tokens_per_example=150, instruction_tokens=200, cache_hit_pct=100)
    plain, cached = costs.summarize(long_prefix), costs.summarize(Scenario(**{**long_prefix.__dict__, "caching": True}))
    # static prefix = 1,500 example + 100 static instruction tokens; the request's own 100 are never cached.
    # OpenAI: 1,024 + 4 x 128 = 1,536 cached; 64 static + 100 own tokens at the input price
    assert cached.prompting_request.cached_tokens == 1_536
    assert cached.prompting_request.usd == pytest.approx((1_536 * 0.075 + 164 * 0.15 + 50 * 0.60) / 1e6)
    assert cached.monthly_prompting_usd < plain.monthly_prompting_usd
    assert cached.fine_tuned_request.cached_tokens == 0  # 100 static tokens: below the 1,024-token minimum


def test_acceptance_cached_prefix_gpt_4_1_mini():
    scenario = _Scenario(
        prompt_model="openai:gpt-4.1-mini", option="azure-gpt-4.1-mini", examples=0, instruction_tokens=1_200,
        request_input_tokens=100, output_tokens=0, caching=True, cache_hit_pct=100,
    )  # fmt: skip
    request = resolve_pair(scenario, None, TODAY).prompting.costs(scenario).request
    assert request.cached_tokens == 1_024  # 1,100 static tokens: 1,024 cached, 76 uncached, + 100 own input
    assert request.usd == pytest.approx((1_024 * 0.10 + 76 * 0.40 + 100 * 0.40) / 1e6)


def test_cache_misses_write_the_prefix_where_the_model_charges_writes():
    scenario = _Scenario(
        prompt_model="anthropic:claude-haiku-5-5", examples=10, tokens_per_example=150, caching=True, cache_hit_pct=0,
        output_tokens=0,
    )  # fmt: skip
    own_tokens = replace(scenario_workload(scenario), encoding=OWN_TOKENS)  # the counts as Claude's own tokens
    request = resolve_pair(scenario, None, TODAY).prompting.costs(scenario, own_tokens).request
    # every request misses: 1,600 static tokens written at $0.125 (1.25x input), 100 own tokens at $0.10
    assert request.usd == pytest.approx((1_600 * 0.125 + 100 * 0.10) / 1e6)


def test_batch_share_halves_the_waiting_traffic():
    plain = costs.summarize(Scenario())
    half = costs.summarize(Scenario(batch_pct=50))
    assert half.monthly_prompting_usd == pytest.approx(plain.monthly_prompting_usd * 0.75)
    # OpenAI's own fine-tunes bill per token, so their batch share is discounted too
    assert half.monthly_fine_tuned_usd == pytest.approx(plain.monthly_fine_tuned_usd * 0.75)
    azure = _Scenario(batch_pct=100)
    summary = calc_costs.summarize(azure, resolve_pair(azure, None, TODAY))
    default = calc_costs.summarize(_Scenario(), resolve_pair(_Scenario(), None, TODAY))
    assert summary.monthly_fine_tuned_usd == pytest.approx(default.monthly_fine_tuned_usd)  # hourly deployment: no batch


def test_caching_needs_1024_tokens_and_is_ignored_by_article_convention():
    short = Scenario(caching=True)  # 800-token prefix
    assert costs.summarize(short).prompting_request.cached_tokens == 0
    article = Scenario(examples=10, tokens_per_example=150, caching=True, pricing="article")
    assert costs.summarize(article).prompting_request.cached_tokens == 0


def test_missing_cached_price_falls_back_to_input_price():
    scenario = Scenario(option="vertex-gemini-2.5-flash", instruction_tokens=2_000, caching=True)
    own_tokens = replace(scenario_workload(scenario), encoding=OWN_TOKENS)  # the counts as Gemini 2.5's own tokens
    tuned = resolve_pair(scenario, None, TODAY).fine_tuning.costs(scenario, own_tokens).request
    # no cached price for tuned Vertex endpoints: nothing is billed as cached, every token at the input price
    assert tuned.cached_tokens == 0
    assert tuned.usd == pytest.approx((2_000 * 0.30 + 50 * 2.50) / 1e6)


def test_self_hosted_adds_hosting_and_has_no_token_price():
    scenario = Scenario(option="selfhosted-llama-3.1-8b")
    summary = costs.summarize(scenario)
    assert summary.fine_tuned_request.usd == 0
    assert summary.hosting_monthly_usd == pytest.approx(1.006 * 24 * 30)
    assert summary.monthly_fine_tuned_usd == pytest.approx(summary.hosting_monthly_usd)
    # the article convention falls back to base prices where tuned ones are per GPU-hour, not zero
    article = costs.summarize(Scenario(option="selfhosted-llama-3.1-8b", pricing="article"))
    assert article.monthly_savings_usd == pytest.approx(600 * 0.18 / 1e6 * 300_000)


def test_unknown_option_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown fine-tuning option 'nope'"):
        costs.summarize(Scenario(option="nope"))


def test_curves_are_linear_in_volume_and_include_amortised_training():
    scenario = Scenario(horizon_months=6)
    volumes = calc_costs.volume_grid(10, 1_000_000, 241)
    assert len(volumes) == 241 and volumes[0] == pytest.approx(10) and volumes[-1] == pytest.approx(1_000_000)
    curves = costs.volume_curves(scenario, volumes)
    assert len(curves) == 482 and set(curves["approach"]) == {"Prompting", "Fine-tuned"}
    summary = costs.summarize(scenario)
    tuned = curves[curves["approach"] == "Fine-tuned"]["monthly_cost_usd"].to_numpy()
    expected = volumes * 30 * summary.fine_tuned_request.usd + summary.training.cost_usd / 6
    np.testing.assert_allclose(tuned, expected)


def test_crossover_is_where_the_curves_meet():
    scenario = Scenario()
    point = costs.crossover(scenario)
    summary = costs.summarize(scenario)
    # prompting $0.00015/request, fine-tuned $0.00012, training $2.25 over 12 months
    assert point.requests_per_day == pytest.approx((2.25 / 12) / (0.00003 * 30))
    curves = costs.volume_curves(scenario, np.array([point.requests_per_day]))
    assert curves["monthly_cost_usd"].iloc[0] == pytest.approx(curves["monthly_cost_usd"].iloc[1])
    assert point.monthly_cost_usd == pytest.approx(point.requests_per_day * 30 * summary.prompting_request.usd)


def test_cumulative_costs_pay_training_up_front():
    frame = costs.cumulative_costs(Scenario(), 12)
    tuned = frame[frame["approach"] == "Fine-tuned"].set_index("month")["cumulative_usd"]
    prompting = frame[frame["approach"] == "Prompting"].set_index("month")["cumulative_usd"]
    assert tuned[0] == pytest.approx(2.25) and prompting[0] == 0
    assert prompting[12] == pytest.approx(12 * 45) and tuned[12] == pytest.approx(2.25 + 12 * 36)


@pytest.mark.parametrize("bad", [0, 241, 2.5, True])
def test_cumulative_rejects_bad_months(bad):
    with pytest.raises(ValueError, match="months"):
        costs.cumulative_costs(Scenario(), bad)


@pytest.mark.parametrize("bad", [np.array([]), np.array([-1.0]), np.array([np.nan]), np.ones((2, 2))])
def test_curves_reject_bad_volumes(bad):
    with pytest.raises(ValueError, match="volumes"):
        costs.volume_curves(Scenario(), bad)


def test_every_option_computes():
    for option_id in load_options().index:
        for pricing in ("full", "article"):
            summary = costs.summarize(Scenario(option=option_id, pricing=pricing, caching=True))
            assert summary.monthly_prompting_usd >= 0 and summary.monthly_fine_tuned_usd >= 0
            # free training is published for one row: Fireworks RFT under 16B (issue 29 item 8)
            free = summary.training.price_usd == 0 and option_id == "fireworks-rft-up-to-16b"
            assert summary.training.cost_usd > 0 or not summary.training.price_known or free


def test_acceptance_prompt_a_frontier_model_vs_azure_fine_tune():
    scenario = _Scenario(
        prompt_model="openai:gpt-6-luna", option="azure-gpt-4.1-mini", requests_per_day=10_000, examples=5,
        tokens_per_example=120, instruction_tokens=200, output_tokens=50, pricing="full", caching=False,
    )  # fmt: skip
    pair = resolve_pair(scenario, None, TODAY)
    summary = calc_costs.summarize(scenario, pair)
    # GPT-6 Luna reasons at its default effort (medium): 76 reasoning tokens billed as output (issue 29)
    assert summary.monthly_prompting_usd == pytest.approx((800 * 0.10 + (50 + 76) * 0.50) / 1e6 * 300_000)  # $42.90
    assert summary.hosting_monthly_usd == pytest.approx(1.70 * 720)
    assert summary.monthly_fine_tuned_usd == pytest.approx(48 + 1_224)
    assert summary.monthly_savings_usd < 0 and summary.breakeven_months is None
    assert calc_costs.crossover(scenario, pair) is None
    same_base = _Scenario(prompt_model="openai:gpt-4.1-mini", option="azure-gpt-4.1-mini")
    point = calc_costs.crossover(same_base, resolve_pair(same_base, None, TODAY))
    training = 1_000 * 250 * 3 * 5.0 / 1e6
    assert point.requests_per_day == pytest.approx((1_224 + training / 12) / (600 * 0.40 / 1e6) / 30)
    assert 169_000 < point.requests_per_day < 171_000


def test_article_mode_keeps_real_absolute_costs():
    summary = costs.summarize(Scenario(pricing="article"))
    assert summary.monthly_prompting_usd == pytest.approx(45.0)
    assert summary.monthly_savings_usd == pytest.approx(54.0)
    assert summary.real_savings_usd == pytest.approx(9.0)


def test_prompting_cost_is_genai_prices_own_calculation():
    rng = random.Random(20261129)
    refs = [ref for group in catalogue_refs().values() for ref in group]
    checked = 0
    while checked < 20:
        ref = rng.choice(refs)
        try:
            model = resolve_prompt_model(ref, TODAY)
        except ValueError:
            continue
        tokens, output = rng.randint(0, 300_000), rng.randint(0, 20_000)
        cached = rng.randint(0, tokens) if model.cached_input_per_mtok is not None else 0
        provider_id, _, model_id = model.ref.partition(":")
        usage = Usage(input_tokens=tokens, cache_read_tokens=cached, output_tokens=output)
        try:
            expected = calc_price(
                usage, model_id, provider_id=provider_id, genai_request_timestamp=dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
            )
        except LookupError:  # genai-prices 0.2.5's own matching misses a few of its ids (fireworks deepseek-v3-0324)
            continue
        assert model.request_usd(tokens, output, cached) == pytest.approx(float(expected.total_price)), ref
        checked += 1


def test_free_training_breaks_even_immediately_and_a_missing_price_is_unknown():
    free = _Scenario(training_examples=0)
    summary = calc_costs.summarize(free, resolve_pair(free, None, TODAY))
    assert summary.training.cost_usd == 0 and summary.training.price_known
    vertex = _Scenario(option="vertex-gemini-3.5-flash", prompt_model="google:gemini-3.5-flash")
    summary = calc_costs.summarize(vertex, resolve_pair(vertex, None, TODAY))
    assert not summary.training.price_known and summary.breakeven_months is None
    entered = _Scenario(option="vertex-gemini-3.5-flash", training_price=10.0)
    summary = calc_costs.summarize(entered, resolve_pair(entered, None, TODAY))
    assert summary.training.price_entered and summary.training.cost_usd == pytest.approx(0.75 * 10.0)


def test_each_hosting_kind_by_hand():
    from dataclasses import replace as swap

    from calc.catalogue.options import get_option
    from calc.costs.hosting import hosting_fee
    from calc.costs.workload import scenario_workload

    work = scenario_workload(_Scenario())

    def fee(option) -> float:
        return hosting_fee(option, work).at(work.requests_per_day)

    assert fee(get_option("bedrock-nova-micro")) == pytest.approx(1.95)  # storage_monthly: $1.95 a month
    assert fee(get_option("azure-gpt-4.1-mini")) == pytest.approx(1_224.0)  # deployment_hourly: $1.70 x 24 x 30
    provisioned = swap(get_option("bedrock-claude-3-haiku"), hosting_usd_per_hour=20.0, hosting_units=2)
    assert fee(provisioned) == pytest.approx(20.0 * 2 * 24 * 30)  # units x hours
    assert hosting_fee(get_option("bedrock-claude-3-haiku"), work).rate_missing  # no published rate: left out, said so
    assert fee(get_option("vertex-gemini-3.1-flash-lite")) == 0  # serverless
    assert fee(swap(get_option("tinker-qwen3-8b"), storage_usd_per_month=0.5)) == pytest.approx(0.5)  # + storage
    assert fee(get_option("together-lora-17-69b")) == pytest.approx(2 * 3.99 * 24 * 30)  # dedicated: its 2 GPUs at least


def test_free_training_with_savings_breaks_even_immediately():
    from ui.format import breakeven_text

    scenario = _Scenario(option="bedrock-nova-micro", prompt_model="openai:gpt-6-luna", examples=20, training_price=0.0)
    summary = calc_costs.summarize(scenario, resolve_pair(scenario, None, TODAY))
    assert summary.monthly_savings_usd > 0 and summary.breakeven_months == 0
    assert breakeven_text(summary) == "immediately"
    losing = _Scenario(training_price=0.0)  # a fixed fee and no saving: never, even with free training
    assert breakeven_text(calc_costs.summarize(losing, resolve_pair(losing, None, TODAY))) == "never"
