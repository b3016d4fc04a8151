"""Stored training-file reports are counted by what they hold, stay small whatever keys and roles a file invents,
and one session's uploads keep a bounded share of the shared store."""

from __future__ import annotations

import gc
import json
import tracemalloc
from array import array

import numpy as np
import pytest

from calc.article.checklist import checklist
from calc.inputs.dataset import (
    MAX_DISTINCT_PATTERNS,
    _compact_lines,
    analyze_jsonl,
    parse_jsonl,
    split_counts,
    split_train_eval,
    token_bins,
)
from ui.result_store import ResultStore


def crafted(lines: int, variety: str) -> bytes:
    """A JSONL file whose every line carries its own extra key ("key") or its own role ("role"), long ones included."""
    rows = []
    for i in range(lines):
        user = {"role": "user", "content": f"Where is parcel {i}?"}
        assistant = {"role": "assistant", "content": "delivery"}
        if variety == "key":
            user[f"extra_{i:07d}_" + "k" * (i % 300)] = 1
        else:
            assistant["role"] = f"role_{i:07d}_" + "r" * (i % 300)
        rows.append(json.dumps({"messages": [user, assistant]}))
    return "\n".join(rows).encode()


def _held_bytes(data: bytes):
    """The report of `data` and the bytes it keeps allocated once the analysis is over (tracemalloc)."""
    analyze_jsonl(b'{"messages": [{"role": "user", "content": "warm"}]}')  # the encoder, loaded once per process
    gc.collect()
    tracemalloc.start()
    try:
        report = analyze_jsonl(data)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return report, held


@pytest.mark.parametrize("variety", ["key", "role"])
def test_the_count_is_within_2x_of_measured_memory(variety):
    report, held = _held_bytes(crafted(3_000, variety))
    counted = report.memory_bytes()
    assert held / 2 <= counted <= held * 2, (counted, held)
    assert ResultStore.size(report) == counted
    assert held < 3_000 * 100  # tens of bytes per line: no entry per distinct key or role


def test_distinct_keys_and_roles_are_remembered_up_to_a_cap():
    keys = analyze_jsonl(crafted(500, "key"))
    assert len(keys.key_sets) == MAX_DISTINCT_PATTERNS and keys.n_other_key_sets == 500 - MAX_DISTINCT_PATTERNS
    roles = analyze_jsonl(crafted(500, "role"))
    assert len(roles.role_patterns) == MAX_DISTINCT_PATTERNS and all(len(r) <= 40 for p in roles.role_patterns for r in p)
    findings = dict(zip(checklist(keys)["criterion"], checklist(keys)["finding"], strict=True))
    assert f"more than {MAX_DISTINCT_PATTERNS} distinct key set(s)" in findings["Consistent format"]
    share = dict(zip(checklist(roles)["criterion"], checklist(roles)["finding"], strict=True))["Consistent format"]
    assert share.startswith("0% of examples")  # every example has its own pattern, remembered or not
    assert all(len(e["message"]) <= 300 for e in keys.errors)


def test_split_counts_equal_the_written_split():
    data = crafted(300, "key") + b"\nnot json\n[1, 2]\n" + b'{"prompt": "a", "completion": "b"}\n'
    report = analyze_jsonl(data)
    _, _, n_train, n_eval = split_train_eval(parse_jsonl(data, type(report)()), 0.3, 7)
    assert split_counts(report.split_lines, 0.3, 7) == (n_train, n_eval)


def test_one_owner_keeps_at_most_its_share():
    store = ResultStore(max_bytes=10_000, max_bytes_per_owner=2_500)
    for index in range(4):
        store.get(("a", index), lambda: (b"x" * 1_000,), owner="session-a")
    store.get(("b", 0), lambda: (b"y" * 1_000,), owner="session-b")
    assert store.owner_bytes("session-a") <= 2_500 and ("a", 3) in store.entries and ("a", 0) not in store.entries
    assert store.owner_bytes("session-b") == 1_000
    assert store.get(("a", "big"), lambda: (b"z" * 3_000,), owner="session-a") == (b"z" * 3_000,)
    assert ("a", "big") not in store.entries
    assert store.bytes == sum(size for _, size in store.entries.values())


@pytest.mark.parametrize("tokens", [[7, 7, 7], [3, 5, 5, 120, 16_000], list(range(0, 1_000_000, 7))])
def test_the_histogram_is_drawn_from_a_few_bins_that_hold_every_example(tokens):
    bins = token_bins(np.asarray(tokens))
    width = int(bins["bin_end"].iloc[0] - bins["bin_start"].iloc[0])
    assert len(bins) <= 40 and int(bins["examples"].sum()) == len(tokens)
    assert str(width).strip("0") in ("1", "2", "5") and (bins["bin_end"] - bins["bin_start"] == width).all()
    assert bins["bin_start"].iloc[0] <= min(tokens) and bins["bin_end"].iloc[-1] > max(tokens)


def test_evenly_spaced_split_lines_are_kept_as_a_range_and_count_the_same():
    every_line = _compact_lines(array("q", range(1, 450_001)))
    assert every_line == range(1, 450_001)
    assert _compact_lines(array("q", range(3, 1_000, 23))) == range(3, 1_000, 23)  # a uniform sample
    irregular = _compact_lines(array("q", [1, 2, 4, 5]))
    assert isinstance(irregular, np.ndarray) and irregular.tolist() == [1, 2, 4, 5]
    assert _compact_lines(array("q", [7])).tolist() == [7] and _compact_lines(array("q")).size == 0
    assert split_counts(every_line) == split_counts(np.arange(1, 450_001))
    rows = [{"messages": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]} for i in range(5_000)]
    lines = "\n".join(map(json.dumps, rows))
    report = analyze_jsonl(lines.encode())
    assert report.split_lines == range(1, 5_001) and report.memory_bytes() < 100_000
