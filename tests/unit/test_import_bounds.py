"""Imported or edited price tables are held to the model's own bounds: every numeric column has a range the model
accepts, so a table that is accepted computes on every route, and one that is not is refused whole, row and column named."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from calc.catalogue import tables
from calc.catalogue.price_import import PriceImportError, read_price_csv
from calc.catalogue.tables import DataSchemaError, load_options, table_as_text, validate_options
from calc.costs.gpu import _check
from calc.costs.pair import crossover, resolve_pair, summarize
from calc.costs.serving import size_class
from calc.costs.training import dataset_training_cost
from calc.scenario import LIMITS, Scenario

ON = dt.date(2026, 11, 29)
DEDICATED = "together-lora-up-to-16b"  # a dedicated_gpu option sized by throughput
NUMERIC = [c for c in tables.OPTION_COLUMNS if c.kind in ("float", "int")]


def _with(column: str, value: str, row: int = 0) -> pd.DataFrame:
    frame = table_as_text(load_options())
    frame.loc[row, column] = value
    return frame


def test_every_numeric_column_has_a_range():
    assert NUMERIC and all(c.min_value is not None and c.max_value is not None for c in NUMERIC)


def test_the_bounds_are_the_models_own():
    low, high = tables.MODEL_SIZE_B_RANGE
    assert size_class(low) and size_class(high)
    with pytest.raises(ValueError):
        size_class(high * 1.01)
    _check(8.0, "lora", tables.MAX_HOSTING_UNITS)
    with pytest.raises(ValueError):
        _check(8.0, "lora", tables.MAX_HOSTING_UNITS + 1)
    assert LIMITS["epochs"] == tables.EPOCH_RANGE
    assert LIMITS["training_examples"][1] == tables.MAX_MIN_EXAMPLES
    Scenario(epochs=int(tables.EPOCH_RANGE[1]), training_examples=tables.MAX_MIN_EXAMPLES)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("model_size_b", "8030", "'model_size_b' is 8030, above the maximum 2,000"),
        ("max_example_tokens", str(2**63), "'max_example_tokens' is 9223372036854775808, above the maximum"),
        ("hosting_units", str(2**64), "'hosting_units' is 18446744073709551616, above the maximum 512"),
        ("hosting_units", "0", "below the minimum 1"),
        ("default_epochs", "1.79e308", "'default_epochs' is 1.79e308, above the maximum 50"),
        ("gpu_hours_per_mtok", "1e9", "above the maximum 10,000"),
        ("min_examples", "1e300", "above the maximum"),
        ("as_of", "9999-12-31", "dates run from 2000-01-01 to 2099-12-31"),
        ("shutdown", "0001-01-01", "dates run from"),
        ("tuned_input_per_mtok", "true", "not a valid float"),
        ("notes", "x" * 6_000, "at most 5,000"),
    ],
)
def test_out_of_bounds_cells_are_refused_naming_row_and_column(column, value, words):
    row = load_options().index.get_loc(DEDICATED)
    with pytest.raises(DataSchemaError, match=words) as caught:
        validate_options(_with(column, value, row), "The imported table")
    assert f"row {row + 1}" in str(caught.value)


def _at_bound(which: str) -> pd.DataFrame:
    """The shipped table with every numeric cell of the dedicated option at its lower or upper bound."""
    frame = table_as_text(load_options())
    row = frame.index[frame["option_id"] == DEDICATED][0]
    for column in NUMERIC:
        frame.loc[row, column.name] = repr(column.min_value if which == "low" else column.max_value)
    return validate_options(frame, "bounds")


@pytest.mark.parametrize("which", ["low", "high"])
def test_a_table_at_its_bounds_computes_on_every_route(which):
    table = _at_bound(which)
    for scenario in (Scenario(option=DEDICATED), Scenario(option=DEDICATED, requests_per_day=1e9, epochs=None)):
        pair = resolve_pair(scenario, table, ON)
        summary = summarize(scenario, pair)
        assert not math.isnan(summary.monthly_fine_tuned_usd) and summary.hosting_monthly_usd >= 0
        crossover(scenario, pair)
        cost = dataset_training_cost(10_000, 10**9, pair.option)
        assert cost.epochs == (tables.EPOCH_RANGE[0] if which == "low" else tables.EPOCH_RANGE[1])


def test_a_wide_or_long_file_is_refused_before_it_is_parsed():
    header = ",".join(f"c{i}" for i in range(158_000)).encode()[:999_000]
    narrow = table_as_text(load_options()).to_csv(index=False)
    wide_row = (narrow.split("\n")[0] + "\n" + ",".join("1" for _ in range(150_000)) + "\n").encode()
    for data, words in ((header, "header row is longer"), (wide_row, "Row 1 has 150,000 cells")):
        with pytest.raises(PriceImportError, match=words):
            read_price_csv(data)
    few = ",".join(f"c{i}" for i in range(100)).encode()
    with pytest.raises(PriceImportError, match="100 columns"):
        read_price_csv(few)


@pytest.mark.parametrize(
    ("edits", "words"),
    [
        ({1: {"base_input_per_mtok": None}}, "'base_input_per_mtok' is empty but required"),
        ({1: {"base_input_per_mtok": math.nan}}, "'base_input_per_mtok' is empty but required"),
        ({1: {"base_input_per_mtok": True}}, "not a valid float"),
        ({1: {"hosting_units": 2**64}}, "above the maximum 512"),
        ({1: {"base_input_per_mtok": {"a": 1}}}, "not a valid float"),
        ({"first": {"base_input_per_mtok": 1}}, "'first' is not a row"),
        ({1: "cheap"}, "not a set of cells"),
    ],
)
def test_an_edit_that_empties_or_breaks_a_cell_is_refused(edits, words):
    editable = ("base_input_per_mtok", "hosting_units")
    with pytest.raises(DataSchemaError, match=words):
        tables.apply_price_edits(load_options(), edits, editable)


def test_an_emptied_optional_count_falls_back_to_one_unit():
    edited = tables.apply_price_edits(load_options(), {0: {"hosting_units": None}}, ("hosting_units",))
    assert pd.isna(edited.iloc[0]["hosting_units"])
    pair = resolve_pair(Scenario(option=edited.index[0]), edited, ON)
    assert pair.option.hosting_units == 1
