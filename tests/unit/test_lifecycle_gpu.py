import datetime as dt

import pytest

from calc.catalogue.options import shipped_records
from calc.catalogue.status import option_status
from calc.costs.gpu import gpu_table, memory_gib, min_gpus_to_fit, serving_gpus, training_estimate
from calc.costs.lifecycle import (
    Assumptions,
    breakeven_month,
    cumulative_at,
    live_successor,
    month_date,
    path_costs,
    retrain_months,
    sensitivity,
)
from calc.costs.pair import resolve_pair
from calc.scenario import Scenario

TODAY = dt.date(2026, 11, 29)
FLAT = Assumptions(annual_price_decline=0.0, retrains_per_year=0)
RECORDS = shipped_records()


def paths(scenario: Scenario, months: int, assumptions: Assumptions, on: dt.date = TODAY):
    return path_costs(scenario, resolve_pair(scenario, None, on), RECORDS, months, assumptions)


def fine_tuned(frame):
    return frame[frame["path"] == "Fine-tuned"].set_index("month")


@pytest.mark.parametrize(
    ("per_year", "months", "expected"),
    [(3, 12, [4, 8, 12]), (2, 24, [6, 12, 18, 24]), (4, 6, [3, 6]), (0, 12, []), (2.5, 12, [5, 10])],
)
def test_retraining_months(per_year, months, expected):
    assert retrain_months(per_year, months) == expected


def test_retraining_is_paid_in_its_months():
    scenario = Scenario(option="bedrock-nova-micro")
    frame = fine_tuned(paths(scenario, 12, Assumptions(annual_price_decline=0.0, retrains_per_year=3)))
    training = frame["training_usd"]
    assert list(training[training > 0].index) == [0, 4, 8, 12]
    assert training[4] == pytest.approx(training[0])
    assert "retraining" in frame.loc[4, "event"]


def test_a_closed_option_trains_on_its_live_successor_and_a_shutdown_migrates():
    # OpenAI gpt-4o-mini is closed to new customers since 2026-05-07: the first run goes to its successor, Azure
    # gpt-4.1-mini (Azure gpt-4o-mini is closed to new customers too since its base model's 2026-07-07 deprecation).
    frame = fine_tuned(paths(Scenario(option="openai-gpt-4o-mini"), 12, FLAT))
    assert "initial training on Azure gpt-4.1-mini instead" in frame.loc[0, "event"]
    assert frame.loc[1, "option"] == "Azure gpt-4.1-mini"
    # Azure gpt-4.1-mini's deployments retire 2027-10-14 (month 11 ends after it): it moves to Nova Micro, live then.
    assert "migration to Bedrock Nova Micro" in frame.loc[11, "event"] and frame.loc[11, "training_usd"] > 0
    assert frame.loc[12, "option"] == "Bedrock Nova Micro"
    azure = fine_tuned(paths(Scenario(), 12, FLAT))
    assert "migration to Bedrock Nova Micro" in azure.loc[11, "event"]
    nova = fine_tuned(paths(Scenario(option="bedrock-nova-micro"), 120, FLAT))
    assert not nova["event"].str.contains("migration").any()  # no announced shutdown: it stays


def test_no_retraining_on_azure_after_its_jobs_close():
    start = dt.date(2026, 12, 3)
    frame = fine_tuned(paths(Scenario(), 14, Assumptions(retrains_per_year=3), on=start))
    trained = frame[frame["training_usd"] > 0]
    late = trained[trained["date"] > "2027-04-14"]
    assert len(late) >= 2 and (late["option"] != "Azure gpt-4.1-mini").all()
    assert "retraining moves to Bedrock Nova Micro" in frame.loc[8, "event"]  # 2027-08-03
    assert frame.loc[4, "event"] == "retraining" and frame.loc[4, "option"] == "Azure gpt-4.1-mini"  # 2027-04-03


def test_prompting_moves_to_the_named_successor_at_shutdown():
    start = dt.date(2026, 12, 3)
    scenario = Scenario(prompt_model="openai:gpt-4o-mini", option="bedrock-nova-micro")
    frame = paths(scenario, 6, FLAT, on=start)
    prompting = frame[frame["path"] == "Prompting"].set_index("month")
    assert "prompting moves to OpenAI GPT-6 Luna" in prompting.loc[2, "event"]  # 2027-02-03, after 2027-01-14
    assert prompting.loc[1, "option"] != prompting.loc[3, "option"] == "OpenAI GPT-6 Luna"
    assert prompting.loc[3, "monthly_usd"] < prompting.loc[1, "monthly_usd"]  # luna is cheaper than gpt-4o-mini


def test_month_dates_are_calendar_months():
    assert month_date(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert month_date(dt.date(2026, 12, 3), 14) == dt.date(2028, 2, 3)


def test_no_migration_onto_a_retired_model():
    for option in RECORDS.values():
        successor = live_successor(option, RECORDS, TODAY)
        assert successor is None or option_status(successor, TODAY).usable_by_new_customer


def test_decline_compounds_monthly():
    scenario = Scenario(option="bedrock-nova-micro")
    frame = paths(scenario, 24, Assumptions(annual_price_decline=0.5, retrains_per_year=0))
    prompting = frame[frame["path"] == "Prompting"].set_index("month")["monthly_usd"]
    assert prompting[12] / prompting[1] == pytest.approx(0.5 ** (11 / 12))
    assert prompting[24] / prompting[12] == pytest.approx(0.5)


def test_growth_and_breakeven():
    scenario = Scenario(option="bedrock-nova-micro", examples=10, tokens_per_example=150)
    growing = Assumptions(monthly_growth=0.1, annual_price_decline=0, retrains_per_year=0)
    frame = paths(scenario, 12, growing)
    prompting = frame[frame["path"] == "Prompting"].set_index("month")["monthly_usd"]
    assert prompting[2] / prompting[1] == pytest.approx(1.1)
    assert breakeven_month(frame) == 1
    losing = paths(Scenario(output_tokens=2_000), 12, FLAT)
    assert breakeven_month(losing) is None


def test_cumulative_at_is_each_paths_total():
    frame = paths(Scenario(), 6, FLAT)
    totals = cumulative_at(frame, 6)
    assert sorted(totals.index) == ["Fine-tuned", "Hybrid", "Prompting"]
    for path, total in totals.items():
        rows = frame[frame["path"] == path]
        assert total == pytest.approx(rows["cumulative_usd"].iloc[-1])
        assert total == pytest.approx(rows["monthly_usd"].sum())


def test_validation():
    with pytest.raises(ValueError, match="annual_price_decline"):
        Assumptions(annual_price_decline=1.5)
    with pytest.raises(ValueError, match="months"):
        paths(Scenario(), 0, FLAT)


def test_sensitivity_is_sorted_and_covers_the_articles_ranges():
    scenario = Scenario(option="bedrock-nova-micro", examples=10, tokens_per_example=150)
    table = sensitivity(scenario, resolve_pair(scenario, None, TODAY), RECORDS, FLAT)
    assert list(table["span"]) == sorted(table["span"], reverse=True)
    rows = table.set_index("input")
    assert (rows.loc["Few-shot examples", "low_value"], rows.loc["Few-shot examples", "high_value"]) == (3, 10)
    assert (rows.loc["Annual price decline", "low_value"], rows.loc["Annual price decline", "high_value"]) == (0.5, 0.8)
    assert rows.loc["Few-shot examples", "saving_high"] > rows.loc["Few-shot examples", "saving_low"]
    azure = Scenario()
    ranged = sensitivity(azure, resolve_pair(azure, None, TODAY), RECORDS, FLAT).set_index("input")
    assert "Training price" in ranged.index


def test_memory_by_hand():
    # 8B full with mixed-precision AdamW: 16 bytes x 8.03e9 = 119.7 GiB of states alone: no 80 GB GPU holds it
    assert memory_gib(8.03, "full") > 119.6
    assert min_gpus_to_fit(8.03, "full", "H100 SXM 80GB") == 2
    assert min_gpus_to_fit(8.03, "full", "A10G 24GB") > 4
    # 8B LoRA: 2 bytes x 8.03e9 = 15 GiB + adapters + activations; the measurement peaked at 31.4 GiB
    assert memory_gib(8.03, "lora") == pytest.approx(31.4, rel=0.1)
    assert training_estimate(8.03, "lora", "H100 SXM 80GB", 1, 1e6).fits
    assert memory_gib(70.6, "qlora") < memory_gib(70.6, "lora") / 2
    with pytest.raises(ValueError, match="method"):
        memory_gib(8, "dpo")


def test_throughput_scaling():
    h100 = training_estimate(8.03, "lora", "H100 SXM 80GB", 1, 5_872.1 * 3_600)
    assert h100.gpu_hours == pytest.approx(1.0, rel=1e-3)  # the measured 5,872 tokens/s
    a100 = training_estimate(8.03, "lora", "A100 SXM 80GB", 1, 1e6)
    assert a100.gpu_hours / training_estimate(8.03, "lora", "H100 SXM 80GB", 1, 1e6).gpu_hours == pytest.approx(989 / 312)
    bigger = training_estimate(16.06, "lora", "H100 SXM 80GB", 1, 1e6)
    assert bigger.gpu_hours == pytest.approx(2 * training_estimate(8.03, "lora", "H100 SXM 80GB", 1, 1e6).gpu_hours)
    four = training_estimate(8.03, "lora", "H100 SXM 80GB", 4, 1e6)
    assert four.hours == pytest.approx(four.gpu_hours / 4)
    assert four.cost_usd == pytest.approx(four.gpu_hours * gpu_table().loc["H100 SXM 80GB", "price_per_gpu_hour"])


def test_serving_gpus():
    assert serving_gpus(8.03, "L4 24GB") == 1
    assert serving_gpus(70.6, "A100 SXM 80GB") == 3


def test_dedicated_gpus_are_sized_by_each_months_volume():
    scenario = Scenario(option="together-lora-up-to-16b", instruction_tokens=800, output_tokens=200, requests_per_day=1_000_000)
    frame = fine_tuned(paths(scenario, 3, FLAT))
    assert frame.loc[1, "monthly_usd"] >= 2 * 3.99 * 24 * 30  # two H100s at 1,000,000 requests/day, as on the home page
    quiet = fine_tuned(paths(Scenario(option="together-lora-up-to-16b", requests_per_day=10), 3, FLAT))
    assert quiet.loc[1, "monthly_usd"] == pytest.approx(3.99 * 24 * 30, rel=0.01)  # one GPU, always on
