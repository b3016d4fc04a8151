"""Hostile inputs to every subcommand: each error path ends in one `prompt-or-finetune: error:` line and exit 2,
and `--json` output is strict JSON (an infinite amount reads "too large", as the pages say it)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from calc.cli.common import json_safe
from tests.cli.test_cli import assert_one_error_line, run_many

NESTED = "[\n" * 990  # 1,980 bytes: deeper than Python's JSON reader goes
HUGE_INT = "9223372036854775808"  # 2**63


def _strict(text: str) -> object:
    """`text` parsed as JSON that has no Infinity or NaN (json.loads would accept them)."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"non-finite number {constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {
        "nested.json": NESTED,
        "nested.txt": NESTED,
        "cr.csv": "input,output\rWhere is my parcel?,delivery\rRefund please,billing\r",
        "big_cell.csv": 'input,output\n"' + "x" * 8_000_001 + '",y\n',
        "prompt.txt": "Classify the ticket. Answer with one label.",
    }
    for name, text in paths.items():
        (folder / name).write_text(text, newline="")
    return {name: folder / name for name in paths}


def test_every_subcommand_refuses_hostile_input_in_one_line(files: dict[str, Path]) -> None:
    sample = "data/sample_training.jsonl"
    cases = [
        (("tokens", str(files["nested.json"])), "nested too deeply"),
        (("tokens", str(files["nested.txt"]), "--format", "chat"), "nested too deeply"),
        (("tokens", "-", "--format", "chat"), "nested too deeply"),
        (("compare", "--scenario", str(files["nested.json"])), "nested too deeply"),
        (("compare", "--scenario", str(files["nested.json"]), "--json"), "nested too deeply"),
        (("compare", "--requests-per-day", "inf"), "requests_per_day"),
        (("compare", "--training-price", "1e309"), "training_price"),
        (("compare", "--examples", "9" * 5_000), "examples"),
        (("dataset", sample, "--limit", HUGE_INT), "--limit"),
        (("dataset", sample, "--limit", "0"), "--limit"),
        (("dataset", sample, "--max-mb", "inf"), "--max-mb"),
        (("dataset", sample, "--max-mb", "nan"), "--max-mb"),
        (("dataset", sample, "--max-mb", "1e303"), "--max-mb"),
        (("dataset", sample, "--split", "nan"), "--split"),
        (("dataset", str(files["big_cell.csv"])), "longer than 8,000,000 characters"),
        (("dataset", str(files["big_cell.csv"]), "--json"), "longer than 8,000,000 characters"),
        (("prices", "--check", "--on", "9999-99-99"), "--on"),
    ]
    done = run_many(*((args, NESTED if "-" in args else None) for args, _ in cases))
    for result, (_, fragment) in zip(done, cases, strict=True):
        assert_one_error_line(result, 2, fragment)


def test_a_csv_with_carriage_return_line_endings_is_read(files: dict[str, Path]) -> None:
    (done,) = run_many((("dataset", str(files["cr.csv"]), "--json"), None))
    assert done.returncode == 0, done.stderr
    result = _strict(done.stdout)
    assert result["n_examples"] == 2 and result["valid"] is True


def test_json_never_prints_a_non_finite_number(files: dict[str, Path]) -> None:
    prompt = str(files["prompt.txt"])
    huge, big_volume = run_many(
        (("tokens", prompt, "--input-price", "1e308", "--output-price", "1e308", "--output-tokens", "10", "--json"), None),
        (("tokens", prompt, "--input-price", "1e300", "--requests-per-day", "1e300", "--json"), None),
    )
    for done in (huge, big_volume):
        assert done.returncode == 0, done.stderr
        costs = _strict(done.stdout)["costs"]
        assert costs["usd_per_month"] == "too large"
    (text,) = run_many((("tokens", prompt, "--input-price", "1e308"), None))
    assert "too large" in text.stdout and "inf" not in text.stdout


def test_json_safe_names_what_json_cannot_hold() -> None:
    value = {"a": [math.inf, -math.inf, math.nan, 1.5], "b": (2, "x")}
    assert json_safe(value) == {"a": ["too large", "minus too large", None, 1.5], "b": [2, "x"]}


def test_lone_surrogates_in_a_file_are_read_as_replacement_characters(tmp_path: Path) -> None:
    """Valid JSON escapes that pair with nothing (\\udc80): the dataset is valid (exit 0) with its labels shown as "�",
    the split keeps the file's escapes, and a scenario or prompt file gets a plain answer, never a codec error."""
    training = tmp_path / "labels.jsonl"
    training.write_text(
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x\\udc80"}]}\n'
        '{"messages": [{"role": "user", "content": "b"}, {"role": "assistant", "content": "y"}]}\n'
    )
    scenario = tmp_path / "scenario.json"
    scenario.write_text('{"option": "azure-gpt-4.1-mini\\udc80"}')
    prompt = tmp_path / "prompt.json"
    prompt.write_text('[{"role": "system", "content": "Label it.\\ud800"}, {"role": "user", "content": "hi"}]')
    text, as_json, split, compared, tokens = run_many(
        (("dataset", str(training)), None),
        (("dataset", str(training), "--json"), None),
        (("dataset", str(training), "--split", "0.5", "--seed", "3", "--out", str(tmp_path / "out"), "--json"), None),
        (("compare", "--scenario", str(scenario)), None),
        (("tokens", str(prompt), "--model", "gpt-4o-mini", "--json"), None),
    )
    assert text.returncode == as_json.returncode == split.returncode == tokens.returncode == 0, text.stderr + as_json.stderr
    assert "labels: x� 50.0%, y 50.0%" in text.stdout and "1 line held text that is not valid Unicode" in text.stdout
    result = _strict(as_json.stdout)
    assert result["n_replaced_text_lines"] == 1 and {r["label"] for r in result["class_balance"]} == {"x\ufffd", "y"}
    written = _strict(split.stdout)["split"]
    lines = (Path(written["train_file"]).read_bytes() + Path(written["eval_file"]).read_bytes()).decode("utf-8")
    assert "\\udc80" in lines and "\ufffd" not in lines  # the split is the file's own examples
    assert_one_error_line(compared, 2, "azure-gpt-4.1-mini\ufffd")
    assert "codec" not in compared.stderr and _strict(tokens.stdout)
