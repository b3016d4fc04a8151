"""A long training file is first analysed on a uniform sample, said to be one, then read whole: the page ends on the
whole file's figures."""

import json

import calc.inputs.dataset
from tests.app.conftest import metrics, run_page

PAGE = "pages/4_Training_data.py"


def _lines(n: int) -> bytes:
    row = {"messages": [{"role": "user", "content": "Where is parcel {}?"}, {"role": "assistant", "content": "late"}]}
    return "\n".join(json.dumps(row).replace("{}", str(i)) for i in range(n)).encode()


def _recording(monkeypatch) -> list[int]:
    """The `every` of each analysis the page runs (1: the whole file), with a long file made 300 lines long."""
    monkeypatch.setattr(calc.inputs.dataset, "SAMPLE_FIRST_LINES", 300)
    monkeypatch.setattr(calc.inputs.dataset, "SAMPLE_LINES", 50)
    calls, analyse = [], calc.inputs.dataset.analyze_jsonl

    def recorded(data, **options):
        calls.append(options.get("every", 1))
        return analyse(data, **options)

    monkeypatch.setattr(calc.inputs.dataset, "analyze_jsonl", recorded)
    return calls


def test_a_long_file_is_sampled_first_then_read_whole(monkeypatch):
    calls = _recording(monkeypatch)
    at = run_page(PAGE)
    at.file_uploader(key="training_upload").set_value(("long.jsonl", _lines(1_000), "application/jsonl"))
    at.run()
    assert not at.exception
    assert calls[-2:] == [20, 1]  # every 20th line first (50 of 1,000), then the whole file
    assert metrics(at)["Examples"] == "1,000"  # the page ends on the whole file's figures
    assert not any("first look" in w.value for w in at.warning)
    assert any(b.label == "Use this dataset in the scenario" for b in at.button)


def test_a_short_file_is_read_whole_at_once(monkeypatch):
    calls = _recording(monkeypatch)
    at = run_page(PAGE)
    at.file_uploader(key="training_upload").set_value(("short.jsonl", _lines(200), "application/jsonl"))
    at.run()
    assert not at.exception and metrics(at)["Examples"] == "200" and calls[-1:] == [1] and 20 not in calls
