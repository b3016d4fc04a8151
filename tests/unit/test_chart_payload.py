"""The home charts' data is converted to Arrow once per stored frame, and a slider move reuses it."""

import datetime as dt
import gc
from dataclasses import replace

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from calc.catalogue.options import shipped_records
from calc.costs.pair import crossover, resolve_pair, volume_curves, volume_grid
from calc.scenario import Scenario
from ui.analysis import VOLUME_HIGH, VOLUME_LOW, volume_analysis
from ui.home_charts import cumulative_spec, page_spec, volume_spec
from ui.object_memo import ObjectMemo

TODAY = dt.date(2026, 11, 29)


def test_a_memo_derives_once_per_frame_object_and_forgets_a_freed_frame():
    calls = []
    memo = ObjectMemo(lambda frame: calls.append(len(frame)) or len(frame))
    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert memo(frame) == 3 and memo(frame) == 3 and calls == [3]
    twin = pd.DataFrame({"a": [1, 2, 3]})
    assert memo(twin) == 3 and calls == [3, 3]
    del frame, twin
    gc.collect()
    assert len(memo) == 0


def test_a_memo_keys_on_the_further_arguments_too():
    memo = ObjectMemo(lambda frame, scale: len(frame) * scale)
    frame = pd.DataFrame({"a": [1, 2]})
    assert memo(frame, 1) == 2 and memo(frame, 10) == 20 and len(memo) == 1


def test_the_page_gets_a_copy_streamlit_may_change_at_the_top_level():
    from ui.home_charts import volume_page_spec

    scenario = Scenario()
    result = volume_analysis(scenario, TODAY)
    first = volume_page_spec(scenario, result)
    del first["datasets"]
    first["autosize"] = "changed"
    again = volume_page_spec(scenario, result)
    assert "datasets" in again and again.get("autosize") != "changed"
    assert again["datasets"]["curves"] is page_spec(volume_spec(scenario, result))["datasets"]["curves"]


@pytest.mark.parametrize("option", sorted(shipped_records()))
def test_the_lines_do_not_depend_on_the_volume(option):
    # an entered hit rate: an estimated one is fixed at the scenario's volume before the lines are drawn
    # (calc/costs/caching.py with_cache_hit), so the lines then follow the scenario's own rate
    scenario = Scenario(option=option, batch_pct=40, caching=True, cache_hit_pct=90)
    try:
        pair = resolve_pair(scenario, None, TODAY)
    except ValueError:
        pytest.skip(f"{option} cannot be paired on {TODAY}")
    grid = volume_grid(VOLUME_LOW, VOLUME_HIGH)
    low, high = replace(scenario, requests_per_day=10), replace(scenario, requests_per_day=900_000)
    pd.testing.assert_frame_equal(volume_curves(low, grid, pair), volume_curves(high, grid, pair))
    assert crossover(low, pair) == crossover(high, pair)


def test_a_move_reuses_the_lines_and_their_arrow_form():
    first = volume_analysis(replace(Scenario(), examples=7), TODAY)
    moved = volume_analysis(replace(Scenario(), examples=7, requests_per_day=123_000), TODAY)
    assert moved.curves is first.curves and moved.crossover == first.crossover
    assert moved.summary != first.summary
    one = page_spec(volume_spec(replace(Scenario(), examples=7), first))
    two = page_spec(volume_spec(replace(Scenario(), examples=7, requests_per_day=123_000), moved))
    assert one["datasets"]["curves"] is two["datasets"]["curves"]
    assert one["datasets"]["current"] != two["datasets"]["current"]


def test_the_page_sends_what_streamlit_would_have_converted():
    scenario = Scenario()
    result = volume_analysis(scenario, TODAY)
    for spec in (volume_spec(scenario, result), cumulative_spec(scenario, result)):
        sent = page_spec(spec)
        assert {k: v for k, v in sent.items() if k != "datasets"} == {k: v for k, v in spec.items() if k != "datasets"}
        for name, frame in spec["datasets"].items():
            assert sent["datasets"][name] == convert_anything_to_arrow_bytes(frame)
            back = pa.ipc.open_stream(sent["datasets"][name]).read_all().to_pandas()
            pd.testing.assert_frame_equal(back.reset_index(drop=True), frame.reset_index(drop=True), check_dtype=False)


def test_edited_prices_get_lines_of_their_own_with_the_same_numbers():
    from calc.catalogue.tables import load_options

    scenario = Scenario()
    shipped = volume_analysis(scenario, TODAY)
    edited = volume_analysis(scenario, TODAY, load_options().copy())
    assert edited.curves is not shipped.curves
    sent, kept = page_spec(volume_spec(scenario, edited)), page_spec(volume_spec(scenario, shipped))
    assert sent["datasets"]["curves"] is not kept["datasets"]["curves"]
    assert sent["datasets"]["curves"] == kept["datasets"]["curves"]


def test_a_kept_analysis_and_what_the_page_derives_from_it_fit_the_bytes_it_is_counted_for():
    import tracemalloc

    from ui.analysis import analysis_bytes
    from ui.home_charts import cumulative_page_spec, volume_page_spec
    from ui.volume_texts import volume_texts

    base = replace(Scenario(), examples=11)
    volume_analysis(base, TODAY)  # the shared lines, counted by their own store
    scenarios = [replace(base, requests_per_day=volume) for volume in range(1_001, 1_041)]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        kept = []
        for scenario in scenarios:
            result = volume_analysis(scenario, TODAY)
            volume_texts(scenario, result, False)
            volume_page_spec(scenario, result)
            cumulative_page_spec(scenario, result)
            kept.append(result)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held = sum(stat.size_diff for stat in after.compare_to(before, "filename")) / len(kept)
    assert held <= analysis_bytes(kept[0]), f"{held:,.0f} bytes held per analysis"
