import json

import numpy as np
import pandas as pd
import pytest

from calc.article.checklist import checklist, class_balance, length_outlier_share, size_band
from calc.inputs.dataset import (
    FORMAT_ERROR_KEYS,
    FORMAT_ERROR_WORDS,
    MAX_CSV_FIELD_CHARS,
    MAX_LINE_BYTES,
    DatasetFileError,
    DatasetReport,
    analyze_jsonl,
    analyze_records,
    csv_columns,
    csv_records,
    parse_jsonl,
    split_train_eval,
)
from calc.inputs.tokens import count_chat_tokens, count_tokens


def example(user="hi", answer="positive", system="Be brief.", **extra):
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": user},
        {"role": "assistant", "content": answer},
    ]
    return {"messages": messages, **extra}


def jsonl(*records) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def test_tokens_follow_the_chat_rule():
    record = example("How are you?", "Fine, thanks.")
    report = analyze_jsonl(jsonl(record, example("x", "y", weight=0)))
    assert report.n_examples == 2 and report.n_valid == 2
    assert report.total_tokens[0] == count_chat_tokens(record["messages"], "gpt-4o")
    assert report.assistant_tokens[0] == count_tokens("Fine, thanks.", "gpt-4o")
    assert set(report.stats) == {"n_messages", "total_tokens", "assistant_tokens"}
    assert set(report.stats["total_tokens"]) == {"min", "max", "mean", "median", "p10", "p90"}


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ([1, 2], "data_type"),
        ("42", "data_type"),
        ({"messages": []}, "missing_messages_list"),
        ({"text": "x"}, "missing_messages_list"),
        ({"messages": [{"role": "user"}, {"role": "assistant", "content": "a"}]}, "message_missing_key"),
        (
            {"messages": [{"role": "user", "content": "q", "extra": 1}, {"role": "assistant", "content": "a"}]},
            "message_unrecognized_key",
        ),
        ({"messages": [{"role": "bot", "content": "q"}, {"role": "assistant", "content": "a"}]}, "unrecognized_role"),
        ({"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "a"}]}, "missing_content"),
        ({"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "a"}]}, "missing_content"),
        ({"messages": [{"role": "user", "content": "q"}]}, "example_missing_assistant_message"),
    ],
)
def test_every_format_error_is_counted_with_its_line(line, key):
    report = analyze_jsonl(jsonl(example(), line))
    assert report.format_errors[key] == 1
    assert sum(report.format_errors.values()) >= 1
    [problem] = [e["message"] for e in report.errors if e["line"] == 2 and e["message"].endswith(f"({key}).")]
    assert problem.startswith(f"{FORMAT_ERROR_WORDS[key]}: ") and key not in problem.removesuffix(f"({key}).")
    assert report.n_valid == 1


def test_format_error_names_are_the_cookbooks():
    assert FORMAT_ERROR_KEYS == (
        "data_type", "missing_messages_list", "message_missing_key", "message_unrecognized_key",
        "unrecognized_role", "missing_content", "example_missing_assistant_message",
    )  # fmt: skip


def test_missing_system_and_user_are_counted():
    report = analyze_jsonl(jsonl(example(system=None), {"messages": [{"role": "assistant", "content": "a"}]}))
    assert report.n_missing_system == 2 and report.n_missing_user == 1


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02\x03", "Binary data"),
        (b"\xff\xfe{bad", "Not valid UTF-8"),
        (b"{not json}", "Not valid JSON"),
        (b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", "nested too deeply"),
    ],
)
def test_bad_files_give_messages_not_tracebacks(data, fragment):
    report = analyze_jsonl(data)
    assert any(fragment in e["message"] for e in report.errors), report.errors


def test_bom_crlf_and_blank_lines():
    data = b"\xef\xbb\xbf" + jsonl(example(), example("b")).replace(b"\n", b"\r\n\r\n")
    report = analyze_jsonl(data)
    assert report.n_examples == 2 and report.n_errors == 0


def test_one_json_array_file_is_explained():
    report = analyze_jsonl(json.dumps([example(), example()]).encode())
    assert report.format_errors["data_type"] == 1
    assert "one JSON array" in report.errors[0]["message"]


def test_many_lines_and_error_list_is_capped():
    report = analyze_jsonl(b"\n".join([b"nope"] * 150 + [jsonl(example())] * 100_000))
    assert report.n_examples == 100_000 and report.n_invalid_json == 150
    assert len(report.errors) == 100 and report.n_errors == 150


def test_path_and_str_inputs(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_bytes(jsonl(example(), example("x")))
    assert analyze_jsonl(path).n_examples == 2
    assert analyze_jsonl(jsonl(example()).decode()).n_examples == 1


def test_legacy_prompt_completion():
    report = analyze_jsonl(jsonl({"prompt": "Q?", "completion": "A."}))
    assert report.n_valid == 1 and report.n_missing_system == 1


@pytest.mark.parametrize(("n", "epochs"), [(10, 10), (33, 3), (34, 3), (8_333, 3), (8_334, 2)])
def test_epoch_rule_and_billing(n, epochs):
    report = analyze_jsonl(jsonl(*[example(f"q{i}") for i in range(n)]))
    assert report.default_epochs == epochs
    assert report.total_billed_tokens == report.billing_tokens_per_epoch * epochs == int(report.total_tokens.sum()) * epochs


def test_report_epochs_and_billed_tokens():
    report = analyze_jsonl(jsonl(*[example(f"q{i}") for i in range(10)]))
    assert report.epochs() == report.epochs(0) == report.default_epochs == 10
    assert report.epochs(4) == 4
    assert report.billed_tokens(4) == report.billing_tokens_per_epoch * 4
    assert report.billed_tokens(report.epochs()) == report.total_billed_tokens


def test_token_limit_truncates_billing():
    long = example("word " * 400)
    report = analyze_jsonl(jsonl(long, example()), max_tokens_per_example=100)
    assert report.n_examples_over_limit == 1
    assert report.billing_tokens_per_epoch == 100 + int(report.total_tokens[1])
    with pytest.raises(ValueError, match="max_tokens_per_example"):
        analyze_jsonl(jsonl(example()), max_tokens_per_example=0)


def test_csv_mapping():
    data = b'question,answer,sys\nIs it on?,yes,Be brief.\n"Multi\nline",no,Be brief.\n'
    assert csv_columns(data) == ["question", "answer", "sys"]
    records = list(csv_records(data, "question", "answer", "sys"))
    assert records[0] == (2, example("Is it on?", "yes"))
    assert records[1][0] == 4  # line numbers follow the file, quoted newlines included


def test_split_is_reproducible_and_complete():
    data = jsonl(*[example(f"q{i}") for i in range(200)])
    train, evaluation, n_train, n_eval = split_train_eval(parse_jsonl(data, DatasetReport()), 0.2, 7)
    again = split_train_eval(parse_jsonl(data, DatasetReport()), 0.2, 7)
    assert (train, evaluation) == again[:2]
    assert n_train + n_eval == 200 and 25 <= n_eval <= 55
    assert len(train.splitlines()) == n_train and json.loads(evaluation.splitlines()[0])["messages"]
    other = split_train_eval(parse_jsonl(data, DatasetReport()), 0.2, 8)
    assert other[1] != evaluation
    with pytest.raises(ValueError, match="eval_share"):
        split_train_eval([], 1.5)


def test_checklist_findings():
    records = [example(f"question {i}", "positive" if i % 3 else "negative") for i in range(120)]
    records += [example("question 1", "positive")] * 10  # exact duplicates: ~7.7%
    report = analyze_jsonl(jsonl(*records))
    table = checklist(report).set_index("criterion")
    assert table.loc["Diverse examples", "status"] == "risk"
    assert table.loc["Consistent format", "status"] == "ok"
    assert table.loc["No data leakage", "status"] == "ok"
    assert "100-500 examples" in table.loc["Training set size", "finding"]
    balance = class_balance(report)
    assert set(balance["label"]) == {"positive", "negative"}
    assert size_band(10) is None and size_band(5_000)["size_label"] == "2,000-10,000 examples"


def test_length_outliers():
    assert length_outlier_share(np.array([10] * 95 + [1_000] * 5)) == pytest.approx(0.05)
    assert length_outlier_share(np.array([1, 2])) == 0.0


def _chat_line(user: str, assistant: str = "ok") -> str:
    return json.dumps({"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]})


def test_a_csv_cell_over_pythons_default_field_limit_is_read():
    long_cell = "word " * 40_000  # 200,000 characters: over csv's default 131,072
    data = f'input,output\n"{long_cell}",label\nshort,label\n'.encode()
    report = analyze_records(csv_records(data, "input", "output"), DatasetReport())
    assert report.n_examples == 2 and report.n_valid == 2 and report.stats["total_tokens"]["max"] > 40_000


def test_a_csv_cell_over_the_stated_limit_is_reported_not_raised():
    data = ("input,output\nshort,label\n" + '"' + "x" * (MAX_CSV_FIELD_CHARS + 1) + '",label\n').encode()
    report = DatasetReport()
    analyze_records(csv_records(data, "input", "output", report=report), report)
    assert report.n_examples == 1
    assert any(f"{MAX_CSV_FIELD_CHARS:,} characters" in e["message"] and e["line"] == 3 for e in report.errors)


def test_a_jsonl_integer_of_more_than_4300_digits_is_an_invalid_line():
    data = ('{"messages": [], "weight": ' + "9" * 5_000 + "}\n" + _chat_line("hi") + "\n").encode()
    report = analyze_jsonl(data)
    assert report.n_invalid_json == 1 and report.n_valid == 1
    assert "4,300 digits" in report.errors[0]["message"] and report.errors[0]["line"] == 1


def test_a_line_over_the_line_limit_is_reported_unread():
    data = (_chat_line("x" * (MAX_LINE_BYTES + 10)) + "\n" + _chat_line("hi") + "\n").encode()
    report = analyze_jsonl(data)
    assert report.n_valid == 1 and report.n_invalid_json == 1
    assert f"limit is {MAX_LINE_BYTES:,}" in report.errors[0]["message"]


def test_a_whitespace_run_the_tokenizer_cannot_take_is_reported():
    report = analyze_jsonl((_chat_line("a" + " " * 1_200_000 + "b") + "\n" + _chat_line("hi") + "\n").encode())
    assert report.n_examples == 2 and report.n_valid == 1
    assert "in a row" in report.errors[0]["message"]


def test_latin1_files_are_named_not_garbled():
    latin1 = "input,output\ncafé crème,bon\n".encode("latin-1")
    with pytest.raises(DatasetFileError, match=r"not UTF-8.*Latin-1.*re-save it as UTF-8"):
        csv_columns(latin1)
    with pytest.raises(DatasetFileError, match="Latin-1"):
        list(csv_records(latin1, "input", "output"))
    report = analyze_jsonl((_chat_line("x") + "\n").encode() + _chat_line("café").encode("latin-1").replace(b"\\u00e9", b"\xe9"))
    assert (
        report.n_valid == 1 and "Latin-1" in report.errors[0]["message"] and "re-save it as UTF-8" in report.errors[0]["message"]
    )


def test_the_split_keeps_a_lone_surrogate_escape_valid():
    data = ('{"messages": [{"role": "user", "content": "a\\ud800b"}, {"role": "assistant", "content": "é"}]}\n' * 10).encode()
    train, evaluation, n_train, n_eval = split_train_eval(parse_jsonl(data, DatasetReport(), keep_surrogates=True), 0.5, 1)
    assert n_train + n_eval == 10
    for line in (train + evaluation).splitlines():
        record = json.loads(line.decode("utf-8"))  # strict UTF-8
        assert record["messages"][0]["content"] == "a\ud800b" and record["messages"][1]["content"] == "é"


@pytest.mark.parametrize(
    "text",
    ['{"a": 1}\n', '{"a": 1}', '  {"a": [1, 2]}  \r\n', '[1, 2]', '"x"', "NaN", '{"a": 1} {"b": 2}', '{"a": 1} x',
     "", "   ", "{", '{"a": }', "[" * 5_000 + "]" * 5_000, "1" * 5_000, '{"a": "\\ud800"}'],
)  # fmt: skip
def test_reading_a_line_gives_what_json_loads_gives_or_raises_what_it_raises(text):
    from calc.inputs.dataset import _loads

    try:
        expected = json.loads(text)
    except (ValueError, RecursionError) as problem:
        with pytest.raises(type(problem)):
            _loads(text)
    else:
        assert _loads(text) == expected or (expected != expected and _loads(text) != _loads(text))  # NaN


def test_progress_is_reported_about_every_thousand_examples_rising_to_one():
    from calc.inputs.dataset import PROGRESS_EXAMPLES

    lines = [example(f"question {i}") for i in range(5_500)]
    lines[10:400] = ["not json"] * 390  # unreadable lines still move the file along
    seen = []
    report = analyze_jsonl(jsonl(*lines), progress=seen.append)
    assert report.n_invalid_json == 390
    assert len(seen) == 5_500 // PROGRESS_EXAMPLES + 1  # about every 1,000 examples, then done
    assert seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 0.3


SURROGATE_LINES = [
    '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x\\udc80"}]}',
    '{"messages": [{"role": "user", "content": "b\\uD800"}, {"role": "assistant", "content": "y"}]}',
    '{"messages": [{"role": "\\udc80", "content": "c"}, {"role": "assistant", "content": "y"}]}',
    '{"messages": [{"role": "user", "content": "d", "k\\udfff": 1}, {"role": "assistant", "content": "y"}]}',
    '{"messages": [{"role": "user", "content": "a pair \\ud83d\\ude00 is one"}, {"role": "assistant", "content": "y"}]}',
]


def test_lone_surrogates_are_replaced_visibly_for_every_consumer():
    """A lone \\udc80 escape is valid JSON but not valid text: Arrow, pandas' string columns, UTF-8 and the page's
    protobuf refuse it. Each is read as "�", the lines are counted, and a pair stays the one character it encodes."""
    import pyarrow as pa

    from calc.article.checklist import checklist, class_balance

    report = analyze_jsonl("\n".join(SURROGATE_LINES).encode())
    assert report.n_examples == 5 and report.n_replaced_text_lines == 4
    assert set(report.labels) == {"x\ufffd", "y"}
    assert any("role '\ufffd'" in e["message"] for e in report.errors)
    assert any("k\ufffd" in e["message"] for e in report.errors)
    assert ("\ufffd", "assistant") in report.role_patterns
    for frame in (pd.DataFrame(report.errors), class_balance(report), checklist(report)):
        pa.Table.from_pandas(frame)  # what st.table / st.dataframe send
    json.dumps({"errors": report.errors, "labels": dict(report.labels)}, ensure_ascii=False).encode("utf-8")
    replaced = analyze_jsonl("\n".join(line.replace("\\udc80", "\ufffd") for line in SURROGATE_LINES[:1]).encode())
    assert replaced.total_tokens.tolist() == analyze_jsonl(SURROGATE_LINES[0].encode()).total_tokens.tolist()


UNCLOSED = "the text in quotes that starts here is never closed"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"messages": [{"role": "user", "content": "hi}]}', f"at column 43: {UNCLOSED}"),
        ('{"messages": [{"role": "user", "content": "hi}]}\n', f"at column 43: {UNCLOSED}"),
        ('{"a": "x\ty"}', "at column 9: a line break or tab inside text in quotes must be written \\n or \\t"),
        ("{'a': 1}", "at column 2: a key in double quotes was expected (single quotes"),
        ('{"a": 1,}', "at column 9: a key in double quotes was expected (single quotes, or a comma before '}'?)"),
        ('{"a" 1}', "at column 6: a ':' was expected after the key"),
        ('{"a": 1 "b": 2}', "at column 9: a ',' (or a closing bracket) was expected"),
        ('{"a": 1} {"b": 2}', "at column 10: more text follows a complete JSON value"),
        ('{"a": "\\q"}', "at column 8: a backslash starts no escape JSON knows"),
    ],
)  # fmt: skip
def test_a_line_that_is_not_json_is_explained_with_its_column_and_the_cause_in_words(line, message):
    report = analyze_jsonl(line.encode())
    [problem] = report.errors
    assert problem["message"].startswith(f"Not valid JSON {message}"), problem["message"]
    assert "Invalid control character" not in problem["message"] and "Expecting" not in problem["message"]


def test_a_legacy_record_in_a_chat_file_is_flagged_as_mixed_formats():
    chat, legacy = example(), {"prompt": "Q?", "completion": "A."}
    report = analyze_jsonl(jsonl(chat, legacy, chat))
    assert report.n_examples == 3 and report.n_valid == 2 and report.format_errors["mixed_format"] == 1
    [problem] = report.errors
    assert problem["line"] == 2 and problem["message"].startswith(
        "Mixed formats: a legacy prompt/completion record in a file of chat examples (as line 1 is)"
    )
    reverse = analyze_jsonl(jsonl(legacy, legacy, chat))
    assert reverse.format_errors["mixed_format"] == 1 and "chat messages in a file of legacy" in reverse.errors[0]["message"]
    assert analyze_jsonl(jsonl(legacy, legacy)).n_errors == 0  # one format, whichever: nothing to flag
    assert report.total_tokens.tolist()[1] == analyze_jsonl(jsonl(legacy)).total_tokens.tolist()[0]  # still counted
