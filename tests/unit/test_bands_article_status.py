import datetime as dt

import pytest

from calc.article.bands import band_for, band_spans
from calc.article.reproduction import low_volume_check, recompute_inference_table
from calc.catalogue.options import shipped_records
from calc.catalogue.status import option_status
from calc.costs.pair import resolve_pair
from calc.scenario import Scenario


@pytest.mark.parametrize(
    ("volume", "band", "recommendation"),
    [
        (0, 1, "Prompt engineering"),
        (99.9, 1, "Prompt engineering"),
        (100, 2, "Prompt engineering (usually)"),
        (999, 2, "Prompt engineering (usually)"),
        (1_000, 3, "Evaluate both"),
        (10_000, 4, "Fine-tune (usually)"),
        (99_999, 4, "Fine-tune (usually)"),
        (100_000, 5, "Fine-tune + prompt optimization"),
        (10**9, 5, "Fine-tune + prompt optimization"),
    ],
)
def test_band_boundaries(volume, band, recommendation):
    row = band_for(volume)
    assert row["band"] == band and row["recommendation"] == recommendation


@pytest.mark.parametrize("bad", [-1, float("nan"), "100", None])
def test_band_rejects_bad_volume(bad):
    with pytest.raises(ValueError, match="requests_per_day"):
        band_for(bad)


def test_band_spans_cover_the_chart_range():
    spans = band_spans(10, 1_000_000)
    assert spans["start"].tolist() == [10, 100, 1_000, 10_000, 100_000]
    assert spans["end"].tolist() == [100, 1_000, 10_000, 100_000, 1_000_000]
    assert band_spans(500, 5_000)["band"].tolist() == [2, 3]


def test_recomputed_table():
    table = recompute_inference_table()
    assert [round(v, 9) for v in table["article_convention_savings_usd"]] == [54, 72, 135, 180]
    assert table["full_pricing_savings_usd"].round(9).tolist() == [9, -18, -135, -315]
    low, high = table.loc[0, "article_convention_breakeven_months"]
    assert (low, high) == (pytest.approx(15 / 54), pytest.approx(75 / 54))  # the article's "1-2 months"
    assert table.loc[1, "full_pricing_breakeven_months"] == (None, None)


def test_low_volume_claim_is_checked():
    check = low_volume_check()
    assert check["monthly_savings_usd"].round(9).tolist() == [0.54, 0.72, 1.35, 1.8]
    assert check["breakeven_low_months"].min() == pytest.approx(15 / 1.8)
    assert check["breakeven_high_months"].max() == pytest.approx(75 / 0.54)


def test_lifecycle_states_from_dates():
    records = shipped_records()
    today = dt.date(2026, 11, 29)
    mini = option_status(records["openai-gpt-4o-mini"], today)
    assert mini.state == "closed_to_new_customers" and mini.headline == "closed to new customers since 2026-05-07"
    assert not mini.usable_by_new_customer and "no new jobs after 2027-01-06" in mini.sentence
    assert option_status(records["openai-gpt-4o-mini"], dt.date(2026, 5, 6)).state == "open"
    assert option_status(records["openai-gpt-4o-mini"], dt.date(2027, 1, 6)).headline == "no new jobs since 2027-01-06"
    assert option_status(records["openai-gpt-4o-mini"], dt.date(2027, 1, 13)).state == "no_new_jobs"
    assert option_status(records["openai-gpt-4o-mini"], dt.date(2027, 1, 14)).headline == "shut down 2027-01-14"
    assert option_status(records["openai-gpt-4.1-nano"], today).state == "shut_down"
    retired_ids = ("vertex-gemini-2.5-flash", "vertex-gemini-2.5-pro", "vertex-gemini-2.5-flash-lite", "vertex-gemini-2.0-flash")
    for retired in retired_ids:
        assert option_status(records[retired], today).state == "shut_down"
    assert option_status(records["vertex-gemini-2.5-flash"], dt.date(2026, 9, 19)).state == "open"
    assert option_status(records["vertex-gemini-2.5-flash"], dt.date(2026, 9, 20)).state == "no_new_jobs"
    assert option_status(records["bedrock-claude-3-haiku"], today).state == "shut_down"
    azure = option_status(records["azure-gpt-4.1-mini"], today)
    assert azure.state == "open" and azure.severity == "ok" and azure.usable_by_new_customer
    assert option_status(records["azure-gpt-4.1-mini"], dt.date(2027, 2, 1)).severity == "warning"
    assert option_status(records["azure-gpt-4.1-mini"], dt.date(2027, 4, 14)).state == "no_new_jobs"


def test_a_fine_tune_on_a_deprecated_base_is_closed_to_new_customers_as_its_base_is():
    # Azure defines Deprecated as closed to new customers; prompt_models.csv marks azure:gpt-4o Deprecated since
    # 2026-04-23 and azure:gpt-4o-mini since 2026-07-07: their fine-tuning options follow, citing the base's source.
    records = shipped_records()
    before = option_status(records["azure-gpt-4o-mini"], dt.date(2026, 7, 6))
    after = option_status(records["azure-gpt-4o-mini"], dt.date(2026, 12, 6))
    assert before.state == "open" and before.usable_by_new_customer
    assert after.state == "closed_to_new_customers" and not after.usable_by_new_customer
    assert after.headline == "closed to new customers since 2026-07-07" and "its base model azure:gpt-4o-mini" in after.sentence
    assert option_status(records["azure-gpt-4o"], dt.date(2026, 12, 6)).headline == "closed to new customers since 2026-04-23"
    # A base that is not deprecated leaves the option's own dates alone; an earlier own date is kept.
    assert option_status(records["azure-gpt-4.1-mini"], dt.date(2026, 12, 6)).state == "open"
    openai = option_status(records["openai-gpt-4o-mini"], dt.date(2026, 12, 6))
    assert openai.headline == "closed to new customers since 2026-05-07"


def test_every_successor_is_live_today():
    records = shipped_records()
    today = dt.date(2026, 11, 29)
    for option in records.values():
        if option.successor:
            assert option_status(records[option.successor], today).usable_by_new_customer, option.option_id


def test_default_pair_is_usable_by_a_new_customer_today():
    today = dt.date(2026, 11, 29)
    pair = resolve_pair(Scenario(), None, today)
    assert pair.option_status().severity == "ok" and pair.prompt_status().severity == "ok"

