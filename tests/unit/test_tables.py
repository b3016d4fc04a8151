import datetime as dt
import io

import pandas as pd
import pytest

from calc.catalogue import tables
from calc.catalogue.tables import DataSchemaError, validate_table

ISSUE_OPTIONS = {
    "openai-gpt-4o-mini", "openai-gpt-4o", "openai-gpt-4.1", "openai-gpt-4.1-mini", "openai-gpt-4.1-nano",
    "vertex-gemini-2.5-flash", "vertex-gemini-2.5-pro", "vertex-gemini-2.5-flash-lite", "vertex-gemini-2.0-flash",
    "bedrock-claude-3-haiku", "fireworks-up-to-16b", "fireworks-16-80b", "selfhosted-llama-3.1-8b", "selfhosted-llama-3.1-70b",
}  # fmt: skip


def test_every_option_is_present_with_provenance():
    options = tables.load_options()
    assert set(options.index) >= ISSUE_OPTIONS
    live = {"azure-gpt-4.1-mini", "bedrock-nova-micro", "vertex-gemini-3.5-flash", "together-lora-up-to-16b", "tinker-qwen3-8b"}
    assert live <= set(options.index)
    assert options["source"].str.len().gt(0).all()
    assert options["as_of"].map(lambda d: isinstance(d, dt.date)).all()
    assert set(options["confidence"]) <= {"confirmed", "secondary", "unverified"}
    assert options.loc["bedrock-claude-3-haiku", "confidence"] == "unverified"


def test_option_prices_carried_from_reference():
    row = tables.load_options().loc["openai-gpt-4o-mini"]
    assert (row["training_price_usd"], row["base_input_per_mtok"], row["tuned_input_per_mtok"], row["tuned_output_per_mtok"]) == (
        3.0, 0.15, 0.30, 1.20,
    )  # fmt: skip
    assert row["shutdown"] == dt.date(2027, 1, 14) and row["closed_to_new_customers"] == dt.date(2026, 5, 7)
    azure = tables.load_options().loc["azure-gpt-4.1-mini"]
    assert (azure["training_price_usd"], azure["hosting_kind"], azure["hosting_usd_per_hour"]) == (5.0, "deployment_hourly", 1.70)
    assert pd.isna(tables.load_options().loc["vertex-gemini-3.5-flash", "training_price_usd"])  # not published


def test_bands_and_scenarios_load():
    bands = tables.load_volume_bands()
    assert bands["min_requests_per_day"].tolist() == [0, 100, 1_000, 10_000, 100_000]
    scenarios = tables.load_inference_scenarios()
    assert scenarios["stated_monthly_savings_usd"].tolist() == [54, 72, 135, 180]


def _frame(**overrides):
    row = {"band": "1", "min_requests_per_day": "0", "max_requests_per_day": "", "volume_label": "x", "recommendation": "r",
           "why": "w", "source": "s", "as_of": "2026-01-01"}  # fmt: skip
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"min_requests_per_day": "-5"}, "row 1: 'min_requests_per_day' is -5, below the minimum 0"),
        ({"min_requests_per_day": "abc"}, "'min_requests_per_day' is 'abc', not a valid float"),
        ({"recommendation": ""}, "'recommendation' is empty but required"),
        ({"as_of": "last week"}, "'as_of' is 'last week', not a valid date"),
        ({"band": "1.5"}, "'band' is '1.5', not a valid int"),
        ({"min_requests_per_day": "nan"}, "not a valid float"),
    ],
)
def test_schema_errors_name_row_and_column(overrides, message):
    with pytest.raises(DataSchemaError, match=message.replace("(", r"\(")):
        validate_table(_frame(**overrides), tables.BAND_COLUMNS, "bands")


def test_missing_column_and_bad_choice():
    with pytest.raises(DataSchemaError, match="missing column"):
        validate_table(_frame().drop(columns=["why"]), tables.BAND_COLUMNS, "bands")
    frame = tables._read("finetune_options.csv").head(1).assign(confidence="probably")
    with pytest.raises(DataSchemaError, match="expected one of confirmed"):
        validate_table(frame, tables.OPTION_COLUMNS, "options")


def test_price_edits_are_validated_and_name_the_row():
    options = tables.load_options()
    editable = ("tuned_input_per_mtok", "base_input_per_mtok", "base_cached_input_per_mtok")
    edited = tables.apply_price_edits(options, {"0": {"tuned_input_per_mtok": 0.25}}, editable)
    assert edited.loc["azure-gpt-4.1", "tuned_input_per_mtok"] == 0.25
    assert options.loc["azure-gpt-4.1", "tuned_input_per_mtok"] == 2.00  # the input table is untouched
    cleared = tables.apply_price_edits(options, {0: {"base_cached_input_per_mtok": None}}, editable)
    assert pd.isna(cleared.loc["azure-gpt-4.1", "base_cached_input_per_mtok"])  # optional: may be empty
    for bad, message in ((-1, "below the minimum 0"), (None, "empty but required"), ("cheap", "not a valid float")):
        with pytest.raises(DataSchemaError, match=message) as caught:
            tables.apply_price_edits(options, {1: {"base_input_per_mtok": bad}}, editable)
        assert "row 2" in str(caught.value) and "Azure gpt-4.1-mini" in str(caught.value)
    with pytest.raises(DataSchemaError, match="cannot be edited"):
        tables.apply_price_edits(options, {0: {"label": "x"}}, editable)


def test_exported_table_reimports():
    options = tables.load_options()
    again = tables.validate_options(pd.read_csv(io.StringIO(options.to_csv(index=False)), dtype=str, keep_default_na=False))
    pd.testing.assert_frame_equal(again, options)


def test_absurd_prices_are_refused_so_costs_stay_finite():
    options = tables.load_options()
    with pytest.raises(DataSchemaError, match="above the maximum"):
        tables.apply_price_edits(options, {1: {"hosting_usd_per_hour": "1e305"}}, ("hosting_usd_per_hour",))
