"""The first look at a long file reads a uniform sample of its lines, numbered as in the file."""

import json

import pytest

from calc.inputs.dataset import SAMPLE_FIRST_LINES, SAMPLE_LINES, analyze_jsonl, sample_every


def test_the_sample_reads_every_kth_line_with_its_own_number():
    good = json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]})
    data = "\n".join("not json" if i % 7 == 0 else good for i in range(1, 1_001)).encode()
    sample = analyze_jsonl(data, every=10)
    assert sample.sampled_every == 10 and sample.n_examples + sample.n_invalid_json == 100
    assert [e["line"] for e in sample.errors] == [21, 91, 161, 231, 301, 371, 441, 511, 581, 651, 721, 791, 861, 931]
    assert analyze_jsonl(data).sampled_every == 1


def test_only_long_files_are_sampled_first():
    assert sample_every(SAMPLE_FIRST_LINES) == 1
    assert sample_every(1_000_000) == -(-1_000_000 // SAMPLE_LINES)
    with pytest.raises(ValueError, match="every"):
        analyze_jsonl(b"{}", every=0)
