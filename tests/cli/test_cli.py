"""The command line (`python -m calc`) run as a user runs it: in a subprocess, from the repository root.

Independent invocations of one test start side by side (`run_many`), so the file stays fast on 2 cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import calc.cli.commands as cli
from calc.article.checklist import checklist
from calc.costs.training import billed_training_cost
from calc.inputs.dataset import DatasetReport, analyze_jsonl, parse_jsonl, split_train_eval
from calc.inputs.prompt import Prices, count_text_prompt
from calc.inputs.tokens import count_chat_tokens, count_tokens
from calc.tokenizers import count, tokenizer_for

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE_PROMPT = ROOT / "data" / "sample_prompt.json"
SAMPLE_TRAINING = ROOT / "data" / "sample_training.jsonl"
CHAT = [
    {"role": "system", "content": "You classify support tickets. Answer with one label."},
    {"role": "user", "content": "Where is my parcel?", "name": "customer"},
]
GOOD_LINE = '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "billing"}]}'

Command = tuple[tuple[str, ...], str | bytes | None]


def run_many(*commands: Command) -> list[subprocess.CompletedProcess]:
    """Run `python -m calc ARGS` for each (ARGS, stdin) side by side from the repository root; text output."""
    started = []
    for args, stdin in commands:
        process = subprocess.Popen(
            [sys.executable, "-m", "calc", *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started.append((process, args, stdin.encode() if isinstance(stdin, str) else stdin))
    done = []
    for process, args, data in started:
        out, err = process.communicate(data or b"", timeout=60)
        done.append(subprocess.CompletedProcess(args, process.returncode, out.decode(), err.decode()))
    return done


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    """`python -m calc ARGS` from the repository root, with text output."""
    return run_many((args, stdin))[0]


def assert_one_error_line(done: subprocess.CompletedProcess, status: int, *fragments: str) -> None:
    """A failed run: the expected status, nothing on stdout, one `prompt-or-finetune: error:` line on stderr."""
    where = f"{done.args}: {done.stderr!r}"
    assert done.returncode == status, where
    assert done.stdout == "", where
    assert "Traceback" not in done.stderr, where
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, where
    assert lines[0].startswith("prompt-or-finetune: error: "), where
    for fragment in fragments:
        assert fragment in lines[0], where


def expected_billing(report: DatasetReport) -> dict[str, float] | str:
    """Training cost per shipped option as the Training data page computes it, or why it cannot be."""
    from calc.catalogue.options import shipped_records
    from calc.costs.training import epochs_for

    try:
        costs = {}
        for option_id, option in shipped_records().items():
            epochs, rule = epochs_for(report.n_valid, option, None)
            cost = billed_training_cost(report.billing_tokens_per_epoch * epochs, epochs, report.n_valid, option, rule)
            costs[option_id] = cost.cost_usd if cost.price_known else None
        return costs
    except Exception as problem:
        return str(problem).splitlines()[0]


def test_help_lists_the_subcommands() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "tokens" in done.stdout and "dataset" in done.stdout


def test_tokens_of_the_sample_prompt_equal_the_token_cost_page() -> None:
    sample = json.loads(SAMPLE_PROMPT.read_text())
    prices = ("--input-price", "0.15", "--output-price", "0.6", "--output-tokens", "5")
    as_json, as_text = run_many(
        (("tokens", "data/sample_prompt.json", "--json", "--requests-per-day", "10000", *prices), None),
        (("tokens", "data/sample_prompt.json", "--requests-per-day", "10000", *prices), None),
    )
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    expected = count_text_prompt(sample["instructions"], sample["examples"], "gpt-4o-mini")
    assert result["format"] == "instructions+examples"
    assert (result["total_tokens"], result["instruction_tokens"], result["example_tokens"], result["examples"]) == (
        expected.total_tokens,
        expected.instruction_tokens,
        expected.example_tokens,
        expected.examples,
    )
    assert result["exact"] is True and result["encoding"] == "o200k_base"
    per_request = Prices(0.15, None, 0.6, "").request_usd(expected.total_tokens, 5)
    assert result["costs"]["usd_per_request"] == pytest.approx(per_request)
    assert result["costs"]["usd_per_month"] == pytest.approx(per_request * 10_000 * 30)
    assert as_text.returncode == 0, as_text.stderr
    assert "exact (OpenAI o200k_base)" in as_text.stdout and "per 30-day month" in as_text.stdout
    assert f"{expected.total_tokens:,} OpenAI tokens (exact)" in as_text.stdout


def test_tokens_of_chat_json_equal_count_chat_tokens(tmp_path: Path) -> None:
    examples = [
        {"role": "user", "content": "I was charged twice", "example": True},
        {"role": "assistant", "content": "billing", "example": True},
    ]
    (tmp_path / "list.json").write_text(json.dumps(CHAT))
    (tmp_path / "object.json").write_text(json.dumps({"messages": CHAT}))
    (tmp_path / "marked.json").write_text(json.dumps(CHAT + examples))
    runs = run_many(*((("tokens", str(tmp_path / f), "--json", "--model", "gpt-4o"), None) for f in ("list.json", "object.json")))
    for done in runs:
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["format"] == "chat"
        assert result["total_tokens"] == count_chat_tokens(CHAT, "gpt-4o")
        assert result["example_tokens"] == 0
    marked = json.loads(run("tokens", str(tmp_path / "marked.json"), "--json").stdout)
    plain = [{k: v for k, v in m.items() if k != "example"} for m in CHAT + examples]
    assert marked["total_tokens"] == count_chat_tokens(plain, "gpt-4o-mini")
    assert marked["example_tokens"] == count_chat_tokens(plain[2:], "gpt-4o-mini") - 3
    assert marked["examples"] == 1


def test_tokens_of_plain_text_from_stdin() -> None:
    sample = json.loads(SAMPLE_PROMPT.read_text())
    text = sample["instructions"] + "\n\n---\n" + sample["examples"]
    split, whole, estimate = run_many(
        (("tokens", "-", "--json", "--examples-delimiter", r"\n\n---\n"), text),
        (("tokens", "-", "--json"), text),
        (("tokens", "-", "--model", "claude-3-5-haiku"), "Classify this ticket."),
    )
    expected = count_text_prompt(sample["instructions"], sample["examples"], "gpt-4o-mini")
    result = json.loads(split.stdout)
    assert (result["instruction_tokens"], result["example_tokens"], result["examples"]) == (
        expected.instruction_tokens,
        expected.example_tokens,
        expected.examples,
    )
    result = json.loads(whole.stdout)
    assert result["total_tokens"] == count_tokens(text, "gpt-4o-mini") and result["examples"] == 0
    assert estimate.returncode == 0, estimate.stderr
    claude = count("Classify this ticket.", "claude-3-5-haiku")
    assert f"estimate: {claude.low:,}-{claude.high:,} Claude tokens" in estimate.stdout
    assert "x o200k_base on English prose" in estimate.stdout


REFERENCE = json.loads((ROOT / "tests" / "fixtures" / "tokenizer_reference.json").read_text(encoding="utf-8"))
EXACT_MODELS = ("groq:llama-3.1-8b-instant", "groq:qwen/qwen3-32b", "google:gemma-3", "mistral:mistral-nemo",
                "deepseek:deepseek-v4-flash")  # fmt: skip


def test_tokens_counts_each_model_in_its_own_tokens(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Issue 30's acceptance: `tokens FILE --format text --model REF --json` is exact, equal to the reference tokenizer,
    for the five open families, and a labelled estimate above o200k for Claude Sonnet 5 on English and code (run in
    this process: thirty interpreters would take most of a minute; the shell path is run below)."""
    texts = ("english_few_shot", "json_schema", "german", "python", "chinese")

    def tokens_json(text_id: str, model: str) -> dict:
        assert cli.main(["tokens", str(tmp_path / f"{text_id}.txt"), "--format", "text", "--model", model, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    for text_id in texts:
        (tmp_path / f"{text_id}.txt").write_text(REFERENCE["texts"][text_id], encoding="utf-8")
    shell = run("tokens", str(tmp_path / "german.txt"), "--format", "text", "--model", EXACT_MODELS[0], "--json")
    assert json.loads(shell.stdout)["total_tokens"] == REFERENCE["counts"]["llama3"]["german"]
    for text_id in texts:
        for model in EXACT_MODELS:
            result = tokens_json(text_id, model)
            family = tokenizer_for(model).family
            assert result["exact"] is True and result["range"] is None and result["family"] == family
            assert result["total_tokens"] == REFERENCE["counts"][family][text_id], (model, text_id)
        claude = tokens_json(text_id, "anthropic:claude-sonnet-5")
        assert claude["exact"] is False and claude["tokenizer"].startswith("Claude Opus 4.7")
        o200k = count_tokens(REFERENCE["texts"][text_id], "gpt-4o")
        low, high = claude["range"]
        assert low <= claude["total_tokens"] <= high and claude["ratio"]["source"]
        if text_id in ("english_few_shot", "python"):
            assert low > o200k


def test_tokens_model_may_be_a_fine_tuning_option(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text(REFERENCE["texts"]["german"], encoding="utf-8")
    done = run("tokens", str(tmp_path / "p.txt"), "--model", "selfhosted-llama-3.1-8b", "--json")
    result = json.loads(done.stdout)
    assert result["counted_as"] == "together:meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"
    assert result["total_tokens"] == REFERENCE["counts"]["llama3"]["german"] and result["exact"]


def test_tokens_reads_openai_and_anthropic_request_bodies(tmp_path: Path) -> None:
    openai_body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "developer", "content": "You classify support tickets. Answer with one label."},
            {"role": "user", "content": [{"type": "text", "text": "Where is my parcel?"}, {"type": "image_url"}]},
        ],
    }
    anthropic_body = {
        "model": "claude-sonnet-5",
        "system": [{"type": "text", "text": "You classify support tickets. Answer with one label."}],
        "messages": [{"role": "user", "content": "Where is my parcel?"}],
    }
    (tmp_path / "openai.json").write_text(json.dumps(openai_body))
    (tmp_path / "anthropic.json").write_text(json.dumps(anthropic_body))
    as_openai, as_anthropic = run_many(
        (("tokens", str(tmp_path / "openai.json"), "--json", "--model", "gpt-4o"), None),
        (("tokens", str(tmp_path / "anthropic.json"), "--json", "--model", "gpt-4o"), None),
    )
    plain = [{"role": "system", "content": CHAT[0]["content"]}, {"role": "user", "content": "Where is my parcel?"}]
    for done, form in ((as_openai, "openai"), (as_anthropic, "anthropic")):
        result = json.loads(done.stdout)
        assert result["format"] == "chat" and result["chat_format"] == form
        assert result["total_tokens"] == count_chat_tokens(plain, "gpt-4o")
    assert json.loads(as_openai.stdout)["not_counted"] == {"image_url block(s)": 1}


def test_tokens_bad_input_is_one_error_line(tmp_path: Path) -> None:
    cases = {
        "malformed.json": (
            '[{"role": "user", "content": "hi"},\n {"role": "user" "content": "x"}]',
            ("malformed JSON on line 2",),
        ),
        "empty.txt": ("", ("empty",)),
        "robot.json": ('[{"role": "robot", "content": "hi"}]', ("message 1", "robot")),
        "not-chat.json": ('{"prompt": 3}', ("chat JSON must be",)),
    }
    for name, (content, _) in cases.items():
        (tmp_path / name).write_text(content)
    runs = run_many(
        *((("tokens", str(tmp_path / name)), None) for name in cases),
        (("tokens", "no/such/prompt.txt"), None),
    )
    for done, (_, fragments) in zip(runs, [*cases.values(), ("", ("no such file",))], strict=True):
        assert_one_error_line(done, 2, *fragments)


def test_dataset_of_the_sample_is_valid_with_the_pages_figures() -> None:
    as_json, as_text = run_many(
        (("dataset", "data/sample_training.jsonl", "--json"), None),
        (("dataset", "data/sample_training.jsonl", "--epochs", "2"), None),
    )
    assert as_json.returncode == 0, as_json.stderr
    result = json.loads(as_json.stdout)
    report = analyze_jsonl(SAMPLE_TRAINING)
    assert result["valid"] is True and result["exit_status"] == 0
    assert result["n_examples"] == report.n_examples == 109
    assert result["n_valid"] == report.n_valid and result["n_format_errors"] == 0
    assert result["billing_tokens_per_epoch"] == report.billing_tokens_per_epoch
    assert result["epochs"] == report.default_epochs
    assert result["billed_tokens"] == report.total_billed_tokens
    assert result["stats"] == report.stats
    assert result["checklist"] == checklist(report).to_dict(orient="records")
    billing = expected_billing(report)
    if isinstance(billing, str):
        assert result["billing"] is None and result["billing_unavailable"] == billing
    else:
        assert {row["option_id"]: row["cost_usd"] for row in result["billing"]} == pytest.approx(billing)
    assert as_text.returncode == 0, as_text.stderr
    assert as_text.stdout.splitlines()[0].endswith(": valid")
    assert f"Billed tokens: {report.billing_tokens_per_epoch * 2:,} =" in as_text.stdout
    assert "Data-quality checklist:" in as_text.stdout


def test_dataset_with_errors_exits_1_and_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "malformed.jsonl").write_text(f'{GOOD_LINE}\n{{"messages": [oops\n{GOOD_LINE}\n')
    (tmp_path / "no-answer.jsonl").write_text(GOOD_LINE + '\n{"messages": [{"role": "user", "content": "no answer"}]}\n')
    (tmp_path / "mixed.jsonl").write_text(GOOD_LINE + '\n{"prompt": "Q?", "completion": "A."}\n')
    as_json, as_text, no_answer, mixed = run_many(
        (("dataset", str(tmp_path / "malformed.jsonl"), "--json"), None),
        (("dataset", str(tmp_path / "malformed.jsonl")), None),
        (("dataset", str(tmp_path / "no-answer.jsonl"), "--json"), None),
        (("dataset", str(tmp_path / "mixed.jsonl")), None),
    )
    assert mixed.returncode == 1 and "format errors: mixed formats (mixed_format) 1" in mixed.stdout
    assert "line 2: Mixed formats: a legacy prompt/completion record in a file of chat examples" in mixed.stdout
    assert as_json.returncode == 1, as_json.stderr
    result = json.loads(as_json.stdout)
    assert result["valid"] is False and result["n_invalid_json"] == 1
    assert [p["line"] for p in result["problems"]] == [2]
    assert as_text.returncode == 1 and "INVALID" in as_text.stdout and "line 2: Not valid JSON at column 15:" in as_text.stdout
    assert no_answer.returncode == 1
    result = json.loads(no_answer.stdout)
    assert result["format_errors"]["example_missing_assistant_message"] == 1
    assert [p["line"] for p in result["problems"]] == [2]


def test_dataset_unusable_input_exits_2(tmp_path: Path) -> None:
    cases = {
        "junk.jsonl": (bytes(range(256)) * 8, "binary"),
        "latin1.jsonl": ('{"messages": "caf\u00e9"}\n'.encode("latin-1"), "not UTF-8"),
        "empty.jsonl": (b"  \n", "empty"),
        "notes.jsonl": (b"just some notes\nmore notes\n", "no examples could be read"),
        "one-column.csv": (b"text\nhello\n", "header row"),
    }
    for name, (content, _) in cases.items():
        (tmp_path / name).write_bytes(content)
    runs = run_many(
        *((("dataset", str(tmp_path / name)), None) for name in cases),
        (("dataset", str(tmp_path / "missing.jsonl")), None),
        (("dataset", str(tmp_path)), None),
        (("dataset", "data/sample_training.jsonl", "--max-mb", "0.001"), None),
    )
    fragments = [fragment for _, fragment in cases.values()] + ["no such file", "directory", "larger than"]
    for done, fragment in zip(runs, fragments, strict=True):
        assert_one_error_line(done, 2, fragment)


def test_dataset_split_writes_the_seeded_files(tmp_path: Path) -> None:
    done = run("dataset", "data/sample_training.jsonl", "--split", "0.2", "--seed", "7", "--out", str(tmp_path), "--json")
    assert done.returncode == 0, done.stderr
    split = json.loads(done.stdout)["split"]
    train = (tmp_path / "sample_training-train.jsonl").read_bytes()
    evaluation = (tmp_path / "sample_training-eval.jsonl").read_bytes()
    assert train.count(b"\n") == split["n_train"] and evaluation.count(b"\n") == split["n_eval"]
    assert split["n_train"] + split["n_eval"] == 109
    assert (train, evaluation) == split_train_eval(parse_jsonl(SAMPLE_TRAINING, DatasetReport()), 0.2, 7)[:2]


def test_dataset_of_a_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text('ticket,label\nWhere is my parcel?,shipping\n"Refund, please",billing\n')
    good, unknown = run_many(
        (("dataset", str(path), "--json", "--output-column", "label"), None),
        (("dataset", str(path), "--input-column", "nope"), None),
    )
    result = json.loads(good.stdout)
    assert result["kind"] == "csv" and result["n_examples"] == 2 and result["valid"] is True
    assert result["csv_columns"] == {"input": "ticket", "output": "label", "system": None}
    assert_one_error_line(unknown, 2, "no column 'nope'")


def test_bad_arguments_exit_2_with_one_line() -> None:
    runs = run_many(
        (("dataset", "data/sample_training.jsonl", "--split", "20"), None),
        (("tokens", "-", "--requests-per-day", "-1"), ""),
        (("compute",), None),
    )
    for done, fragment in zip(runs, ["between 0 and 1", "--requests-per-day", "invalid choice"], strict=True):
        assert_one_error_line(done, 2, fragment)


def test_billing_failure_leaves_the_other_checks(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    def broken(*_args: object, **_kwargs: object) -> list:
        raise KeyError("training_unit")

    monkeypatch.setattr(cli, "_billing_rows", broken)
    assert cli.main(["dataset", str(SAMPLE_TRAINING)]) == 0
    out = capsys.readouterr().out
    assert "billing per option unavailable: 'training_unit'" in out and "Data-quality checklist:" in out


def test_dataset_of_a_big_file_starts_the_token_worker_and_prints_the_same(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    from calc.inputs import token_worker

    answer = {"role": "assistant", "content": "ok"}
    user = "parcel refund courier " * 40
    rows = [{"messages": [{"role": "user", "content": f"ticket {i}: {user}"}, answer]} for i in range(3_000)]
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(map(json.dumps, rows)))
    token_worker.WORKER.stop()
    assert cli.main(["dataset", str(path), "--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    monkeypatch.setenv("EXPLORER_TOKEN_WORKER", "1")
    monkeypatch.setattr(cli, "WORKER_FILE_BYTES", path.stat().st_size)  # as if this file were 32 MB
    answered = token_worker.WORKER.answered
    try:
        assert cli.main(["dataset", str(path), "--json"]) == 0
        assert token_worker.WORKER.running and token_worker.WORKER.answered > answered
    finally:
        token_worker.WORKER.stop()
    assert json.loads(capsys.readouterr().out) == alone
