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
