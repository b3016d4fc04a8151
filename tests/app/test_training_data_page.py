import json

from calc.inputs.dataset import analyze_jsonl
from tests.app.conftest import metrics, run_page

PAGE = "pages/4_Training_data.py"


def example(user, answer="yes"):
    return json.dumps({"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]})


def upload(at, name, data, mime="application/jsonl"):
    at.file_uploader(key="training_upload").set_value((name, data, mime))
    return at.run()


def test_sample_dataset_is_analysed_without_an_upload():
    at = run_page(PAGE)
    assert not at.exception
    assert metrics(at)["Examples"] == "109"
    assert any("sample dataset" in i.value for i in at.info)
    costs = at.table[1].value
    # 40 options (8 added by issue 29); the RFT option billed per training hour asks for the hours of a run
    assert len(costs) == 40
    assert (costs["Cost"].str.startswith("$") | costs["Cost"].isin(["not published", "hours of a run not published"])).all()


def test_malformed_upload_lists_lines():
    at = run_page(PAGE)
    data = "\n".join([example("a"), "not json", '{"messages": []}', example("b")]).encode()
    upload(at, "bad.jsonl", data)
    assert not at.exception
    shown = metrics(at)
    assert shown["Examples"] == "3" and shown["Valid examples"] == "2" and shown["Lines that are not JSON"] == "1"
    problems = next(df.value for df in at.dataframe if "message" in df.value.columns)
    assert problems["line"].tolist() == [2, 3]


def test_use_this_dataset_sets_the_scenario():
    at = run_page(PAGE)
    upload(at, "ok.jsonl", "\n".join(example(f"question {i}") for i in range(40)).encode())
    next(b for b in at.button if b.label == "Use this dataset in the scenario").click().run()
    assert at.number_input(key="training_examples").value == 40
    assert at.number_input(key="tokens_per_training_example").value > 0
    assert any("now trains on 40 examples" in s.value for s in at.success)


def test_csv_upload_with_column_mapping():
    at = run_page(PAGE)
    upload(at, "pairs.csv", b"output,input\nyes,Is it on?\nno,Is it off?\n", "text/csv")
    assert not at.exception
    at.selectbox(key="csv_input").set_value("input")
    at.selectbox(key="csv_output").set_value("output").run()
    assert metrics(at)["Valid examples"] == "2"


def test_empty_upload_is_explained():
    at = run_page(PAGE)
    upload(at, "empty.jsonl", b"")
    assert not at.exception
    assert any("No examples could be read" in e.value for e in at.error)


def test_latin1_csv_is_named_and_the_session_kept():
    at = run_page(PAGE, {"requests_per_day": "4321"})
    upload(at, "latin.csv", "input,output\ncafé crème,bon\n".encode("latin-1"), "text/csv")
    assert not at.exception
    assert any("not UTF-8" in e.value and "Latin-1" in e.value and "re-save it as UTF-8" in e.value for e in at.error)
    assert at.select_slider(key="requests_per_day").value == 4321


def test_csv_cell_over_131072_characters_is_analysed():
    at = run_page(PAGE)
    upload(at, "long.csv", ('input,output\n"' + "word " * 30_000 + '",yes\nshort,no\n').encode(), "text/csv")
    assert not at.exception
    assert metrics(at)["Valid examples"] == "2"


def test_jsonl_with_a_5000_digit_integer_is_reported():
    at = run_page(PAGE)
    upload(at, "big.jsonl", ('{"weight": ' + "7" * 5_000 + "}\n" + example("a") + "\n").encode())
    assert not at.exception
    assert metrics(at)["Lines that are not JSON"] == "1"


def test_token_statistics_show_whole_counts_without_decimals():
    at = run_page(PAGE)
    data = "\n".join([example("one two three"), example("one two three four five", "no"), example("x"), example("a b")]).encode()
    upload(at, "stats.jsonl", data)
    stats = next(t.value for t in at.table if "10th percentile" in t.value.columns)
    assert stats.loc["Messages per example"].tolist() == ["2"] * 6
    mean = analyze_jsonl(data).stats["total_tokens"]["mean"]
    assert not float(mean).is_integer()  # four examples of different lengths
    assert stats.loc["Tokens per example", "Mean"] == f"{mean:,.1f}"


def test_a_file_with_lone_surrogates_gets_a_full_report():
    """Escapes such as \\udc80 that pair with nothing (valid JSON, not valid text) in a label, a role and a key: the
    whole report is drawn, with "�" where each was, and a line saying so."""
    at = run_page(PAGE)
    lines = [
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x\\udc80"}]}',
        '{"messages": [{"role": "user", "content": "b"}, {"role": "assistant", "content": "y"}]}',
        '{"messages": [{"role": "\\ud800", "content": "c"}, {"role": "assistant", "content": "y"}]}',
        '{"messages": [{"role": "user", "content": "d", "k\\udfff": 1}, {"role": "assistant", "content": "x\\udc80"}]}',
    ]
    upload(at, "surrogates.jsonl", "\n".join(lines).encode())
    assert not at.exception, at.exception
    assert metrics(at)["Examples"] == "4" and metrics(at)["Format errors"] == "2"
    assert any("3 lines held text that is not valid Unicode" in c.value for c in at.caption)
    problems = next(df.value for df in at.dataframe if "message" in df.value.columns)
    assert any("\ufffd" in message for message in problems["message"])
    balance = next(t.value for t in at.table if "label" in t.value.columns)
    assert set(balance["label"]) == {"x\ufffd", "y"}
    assert any("Label balance" in m.value for m in at.markdown)  # the checklist, past the class balance
    assert any(b.label == "Download train.jsonl" for b in at.get("download_button"))


def test_a_paused_token_worker_leaves_the_page_to_count_in_process(monkeypatch):
    """The worker the page starts is paused (SIGSTOP): the upload is analysed in-process, with the same figures."""
    import os
    import signal
    import time

    from calc.inputs import token_worker
    from calc.inputs.dataset import analyze_jsonl

    data = "\n".join(example(f"question {i} " + "word " * 400, f"label {i % 4}") for i in range(600)).encode()
    expected = analyze_jsonl(data)
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "1")
    at = run_page(PAGE)  # starts the worker
    assert token_worker.WORKER.running
    os.kill(token_worker.WORKER._process.pid, signal.SIGSTOP)
    stalls = token_worker.WORKER.stalls
    try:
        began = time.monotonic()
        upload(at, "paused.jsonl", data)
        took = time.monotonic() - began
    finally:
        token_worker.WORKER.stop()
    assert not at.exception and took < 20 and token_worker.WORKER.stalls == stalls + 1
    assert metrics(at)["Billed tokens"] == f"{expected.billed_tokens(expected.default_epochs):,}"


def test_problems_are_told_in_words_with_the_column_and_a_mixed_format_line_is_flagged():
    at = run_page(PAGE)
    lines = [
        example("a"),
        '{"prompt": "Q?", "completion": "A."}',
        '{"messages": [{"role": "user", "content": "hi}]}',
        json.dumps({"messages": [{"role": "bot", "content": "q"}, {"role": "assistant", "content": "a"}]}),
        example("b"),
    ]
    upload(at, "mixed.jsonl", "\n".join(lines).encode())
    assert not at.exception
    checks = next(t.value for t in at.table if "check" in t.value.columns)
    assert set(checks["check"]) == {"Unknown role", "Mixed formats"}  # words, not unrecognized_role
    problems = next(df.value for df in at.dataframe if "message" in df.value.columns).set_index("line")["message"]
    assert problems[2].startswith("Mixed formats: a legacy prompt/completion record in a file of chat examples")
    assert problems[3].startswith("Not valid JSON at column 43: the text in quotes that starts here is never closed")
    assert problems[4].startswith("Unknown role: message 1 has role 'bot'")
    assert metrics(at)["Valid examples"] == "2"
