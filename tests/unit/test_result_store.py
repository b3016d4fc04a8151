import threading

import numpy as np

from calc.inputs.dataset import DatasetReport
from ui.result_store import ResultStore


def test_store_is_bounded_in_bytes_not_entries():
    store = ResultStore(max_bytes=1_000)
    for index in range(5):
        store.get(("split", index), lambda: (b"x" * 300, b"", 1, 0))
    assert store.bytes <= 1_000 and len(store.entries) == 3
    assert ("split", 4) in store.entries and ("split", 0) not in store.entries


def test_a_result_bigger_than_the_store_is_returned_but_not_kept():
    store = ResultStore(max_bytes=100)
    assert store.get(("big",), lambda: (b"x" * 1_000,)) == (b"x" * 1_000,)
    assert store.entries == {} and store.bytes == 0


def test_report_size_counts_its_arrays():
    report = DatasetReport(total_tokens=np.zeros(1_000, dtype=np.int64))
    assert ResultStore.size(report) >= 8_000


def test_concurrent_use_keeps_the_byte_count_exact():
    store = ResultStore(max_bytes=50_000)

    def work(offset: int) -> None:
        for index in range(300):
            store.get(("k", (offset + index) % 97), lambda index=index: (b"y" * (100 + index),))

    threads = [threading.Thread(target=work, args=(n * 13,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.bytes == sum(size for _, size in store.entries.values()) <= 50_000


def test_shipped_analyses_are_bounded_in_bytes_not_entries():
    import datetime as dt
    from dataclasses import replace

    from calc.scenario import Scenario
    from ui.analysis import analysis_bytes, volume_analysis
    from ui.result_store import ResultStore

    one = volume_analysis(Scenario(), dt.date(2026, 11, 29))
    size = analysis_bytes(one)
    assert 8 * 1024 < size < 1024 * 1024
    store = ResultStore(size * 3, analysis_bytes)
    for examples in range(10):
        scenario = replace(Scenario(), examples=examples)
        store.get((scenario,), lambda s=scenario: volume_analysis(s, dt.date(2026, 11, 29)))
    assert len(store.entries) <= 3 and store.bytes <= size * 3
