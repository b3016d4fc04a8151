"""The explorer's model from a shell: `python -m calc` or the `prompt-or-finetune` console script.

Subcommands:
- `tokens FILE|-`: tokens of a prompt (plain text or chat JSON) for a model, and what it costs.
- `dataset FILE`: the Training data page's checks on a JSONL or CSV file; exit status 0 valid,
  1 format errors, 2 unusable input; `--split` writes the seeded train/eval files.
- `compare`: the home page's figures for a scenario from flags, `--link` or `--scenario FILE`, on `--on DATE`
  (calc/cli/compare.py).
- `prices --check`: the freshness check of the curated prices; exit status 1 on a hard finding.

Bad input is reported as one line on stderr (`prompt-or-finetune: error: ...`), never a traceback.
The calc modules are imported inside each subcommand, so `--help` is fast and one subcommand does
not depend on the others' modules.
"""

from __future__ import annotations

import argparse
import codecs
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from calc.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    PROG,
    TOO_LARGE,
    CliError,
    _decode,
    _fail,
    _first_line,
    _read_bytes,
    load_json,
    print_json,
)
from calc.scenario import CONTENT_KINDS
from calc.text.formatting import usd

if TYPE_CHECKING:
    from calc.inputs.chat_body import ChatBody
    from calc.inputs.dataset import DatasetReport
    from calc.inputs.prompt import PromptCount

DAYS_PER_MONTH = 30
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_MAX_MB = 50.0
#: --max-mb accepts up to this many megabytes (10 GB): larger is a typo, and the byte count must stay a finite integer.
MAX_MAX_MB = 10_000.0
#: --limit accepts up to this many tokens per example: far above any fine-tuning context, and within numpy's int64.
MAX_TOKEN_LIMIT = 100_000_000
#: Files from this size start the token worker (calc/inputs/token_worker.py): its start of about half a second is
#: repaid from about 28 MB (bench/dataset.py: start + analysis 0.83 s, in-process 0.82 s on 28 MB).
WORKER_FILE_BYTES = 32_000_000
#: What --json prints in place of an infinite amount (JSON has no Infinity), as the pages say it.


def _money(value: float, spec: str) -> str:
    """Dollars: `value` formatted with `spec` after a "$", or "too large" when it is not a finite number."""
    return "$" + format(value, spec) if math.isfinite(value) else TOO_LARGE


# --- tokens ----------------------------------------------------------------------------------


def _resolve_model(ref: str) -> str:
    """The model whose tokens count the prompt: `ref` itself, or a fine-tuning option's base model."""
    from calc.catalogue.options import shipped_records

    option = shipped_records().get(ref.strip())
    if option is None:
        return ref
    return option.base_model_ref or option.model_id


def count_prompt(
    text: str, name: str, model: str, form: str, delimiter: str | None, kind: str | None = None
) -> tuple[str, PromptCount, ChatBody | None]:
    """The prompt's format ("text", "chat" or "instructions+examples"), its token count in `model`'s tokens, and the
    chat request it was read from (None for text)."""
    from calc.inputs.chat_body import read_chat_body
    from calc.inputs.prompt import count_chat_prompt, count_text_prompt
    from calc.inputs.tokens import DEFAULT_DELIMITER, normalise_newlines

    if not text.strip():
        _fail(f"{name}: the prompt is empty")
    looks_like_json = name.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{")
    if form == "chat" or (form == "auto" and looks_like_json):
        value = load_json(text, name, " (use --format text to count it as plain text)")
        if isinstance(value, dict) and "messages" not in value and "instructions" in value:
            instructions, examples = value.get("instructions") or "", value.get("examples") or ""
            if not isinstance(instructions, str) or not isinstance(examples, str):
                _fail(f"{name}: 'instructions' and 'examples' must be text")
            counted = count_text_prompt(instructions, examples, model, delimiter or DEFAULT_DELIMITER, kind)
            return "instructions+examples", counted, None
        try:
            body = read_chat_body(value)
        except ValueError as problem:
            _fail(f"{name}: {problem}")
        return "chat", count_chat_prompt(body.messages, model), body
    if delimiter:
        instructions, _, examples = normalise_newlines(text).partition(normalise_newlines(delimiter))
        return "text", count_text_prompt(instructions, examples, model, delimiter, kind), None
    return "text", count_text_prompt(text, "", model, kind=kind), None


def _delimiter(raw: str | None) -> str | None:
    """The --examples-delimiter with escapes such as \\n decoded, as the Token cost page does."""
    if raw is None:
        return None
    try:
        delimiter = codecs.decode(raw, "unicode_escape")
    except UnicodeDecodeError as problem:
        _fail(f"--examples-delimiter: {problem.reason}")
    if not delimiter:
        _fail("--examples-delimiter must not be empty")
    return delimiter


def _token_costs(counted: PromptCount, args: argparse.Namespace) -> dict[str, float] | None:
    """Cost per request, day and month at the given prices, or None when no price was given."""
    from calc.inputs.prompt import Prices

    if args.input_price is None and args.output_price is None:
        return None
    prices = Prices(input=args.input_price or 0.0, cached_input=None, output=args.output_price or 0.0, source="command line")
    per_request = prices.request_usd(counted.total_tokens, args.output_tokens)
    examples_per_request = prices.request_usd(counted.example_tokens, 0)
    per_day = per_request * args.requests_per_day
    return {
        "input_usd_per_mtok": prices.input,
        "output_usd_per_mtok": prices.output,
        "output_tokens": args.output_tokens,
        "requests_per_day": args.requests_per_day,
        "days_per_month": DAYS_PER_MONTH,
        "usd_per_request": per_request,
        "usd_per_day": per_day,
        "usd_per_month": per_day * DAYS_PER_MONTH,
        "examples_usd_per_month": examples_per_request * args.requests_per_day * DAYS_PER_MONTH,
    }


def run_tokens(args: argparse.Namespace) -> int:
    """The `tokens` subcommand: count a prompt and, given prices, cost it per request and month."""
    from calc.inputs.prompt import MAX_PROMPT_CHARS, PromptTooLargeError

    delimiter = _delimiter(args.examples_delimiter)
    data, name = _read_bytes(args.file, max_bytes=MAX_PROMPT_CHARS * 4)
    text = _decode(data, name)
    model = _resolve_model(args.model)
    kind = None if args.content == "auto" else args.content
    try:
        form, counted, body = count_prompt(text, name, model, args.format, delimiter, kind)
    except PromptTooLargeError as problem:
        _fail(f"{name}: {problem}")
    except (ValueError, TypeError) as problem:
        _fail(f"{name}: {_first_line(problem)}")
    costs = _token_costs(counted, args)
    ratio = counted.ratio
    result: dict[str, Any] = {
        "file": name,
        "model": args.model,
        "counted_as": model,
        "format": form,
        "chat_format": body.form if body else None,
        "not_counted": body.left_out if body else {},
        "total_tokens": counted.total_tokens,
        "exact": counted.exact,
        "tokenizer": counted.tokenizer,
        "family": counted.family,
        "encoding": counted.family if counted.exact else ratio.base_encoding,
        "range": None if counted.exact else [counted.low, counted.high],
        "content_kind": None if ratio is None else ratio.content_kind,
        "ratio": None
        if ratio is None
        else {
            "base_encoding": ratio.base_encoding,
            "ratio": ratio.ratio,
            "low": ratio.low,
            "high": ratio.high,
            "source": ratio.source,
            "as_of": ratio.as_of,
            "confidence": ratio.confidence,
        },
        "instruction_tokens": counted.instruction_tokens,
        "example_tokens": counted.example_tokens,
        "examples": counted.examples,
        "tokens_per_example": counted.tokens_per_example,
        "costs": costs,
    }
    if args.json:
        print_json(result)
        return EXIT_OK
    how = (
        f"exact ({counted.tokenizer})"
        if counted.exact
        else f"{counted.tokenizer}: {ratio.describe()} ({ratio.confidence}; sources in --json)"
    )
    about = "" if counted.exact else "~"
    counted_as = f" (counted as its base model {model})" if model != args.model else ""
    lines = [
        f"{name}: {form} prompt, model {args.model}{counted_as}",
        f"  prompt tokens       {counted.describe():>12}   counting: {how}",
        f"  instruction tokens  {about + format(counted.instruction_tokens, ','):>12}",
        f"  example tokens      {about + format(counted.example_tokens, ','):>12}   {counted.examples} examples, "
        f"~{counted.tokens_per_example:,} tokens each",
    ]
    if body and body.note():
        lines.append(f"  {body.note()}")
    if costs:
        lines += [
            f"At ${costs['input_usd_per_mtok']:,.4g} in / ${costs['output_usd_per_mtok']:,.4g} out per 1M tokens, "
            f"{costs['output_tokens']:,} output tokens, {costs['requests_per_day']:,.0f} requests/day:",
            f"  per request         {_money(costs['usd_per_request'], '>14,.6f')}",
            f"  per day             {_money(costs['usd_per_day'], '>14,.2f')}",
            f"  per {DAYS_PER_MONTH}-day month    {_money(costs['usd_per_month'], '>14,.2f')}"
            f"   (the examples alone: {_money(costs['examples_usd_per_month'], ',.2f')})",
        ]
    print("\n".join(lines))
    return EXIT_OK


# --- dataset ---------------------------------------------------------------------------------


def _billing_rows(report: DatasetReport, epochs: int, epochs_are_default: bool = True) -> list[dict[str, Any]]:
    """Training cost of the report's billed tokens on each shipped fine-tuning option."""
    from calc.catalogue.options import shipped_records
    from calc.costs.training import billed_training_cost, epochs_for

    rows = []
    for option_id, option in shipped_records().items():
        option_epochs, rule = epochs_for(report.n_valid, option, None if epochs_are_default else epochs)
        billed = report.billing_tokens_per_epoch * option_epochs
        cost = billed_training_cost(billed, option_epochs, report.n_valid, option, rule)
        rows.append(
            {
                "option_id": option_id,
                "label": option.label,
                "epochs": option_epochs,
                "cost_usd": cost.cost_usd if cost.price_known else None,
                "cost_low_usd": cost.cost_low_usd,
                "cost_high_usd": cost.cost_high_usd,
                "gpu_hours": cost.gpu_hours,
                "min_examples": cost.min_examples,
                "meets_minimum": cost.meets_minimum,
            }
        )
    return rows


def _analyse(
    data: bytes, text: str, name: str, args: argparse.Namespace
) -> tuple[str, DatasetReport, tuple[str, str, str | None]]:
    """The file's kind ("jsonl" or "csv"), its analysis and the CSV columns used."""
    from calc.inputs import token_worker
    from calc.inputs.dataset import DatasetFileError, DatasetReport, analyze_jsonl, analyze_records, csv_columns, csv_records

    if len(data) >= WORKER_FILE_BYTES:
        token_worker.start()
    kind = "csv" if args.csv or name.lower().endswith(".csv") else "jsonl"
    columns: tuple[str, str, str | None] = ("", "", None)
    if not text.strip():
        _fail(f"{name}: the file is empty")
    if kind == "csv":
        try:
            header = csv_columns(data)
        except DatasetFileError as problem:
            _fail(f"{name}: {problem}")
        if len(header) < 2:
            _fail(f"{name}: a CSV needs a header row with at least an input and an output column")
        chosen = (args.input_column or header[0], args.output_column or header[1], args.system_column)
        unknown = [c for c in chosen if c is not None and c not in header]
        if unknown:
            _fail(f"{name}: no column {unknown[0]!r}; the header has {', '.join(header)}")
        columns = chosen
        try:
            report = analyze_records(csv_records(data, *columns), DatasetReport(), max_tokens_per_example=args.limit)
        except DatasetFileError as problem:
            _fail(f"{name}: {problem}")
    else:
        report = analyze_jsonl(data, max_tokens_per_example=args.limit)
    if report.n_examples == 0:
        detail = f" (line {report.errors[0]['line']}: {report.errors[0]['message']})" if report.errors else ""
        _fail(f"{name}: no examples could be read; is it JSONL or CSV?{detail}")
    return kind, report, columns


def _write_split(
    data: bytes, name: str, kind: str, columns: tuple[str, str, str | None], args: argparse.Namespace
) -> dict[str, Any]:
    """Write the seeded train/eval files into --out and say what was written."""
    from calc.inputs.dataset import DatasetFileError, DatasetReport, csv_records, parse_jsonl, split_train_eval

    records = csv_records(data, *columns) if kind == "csv" else parse_jsonl(data, DatasetReport(), keep_surrogates=True)
    try:
        train, evaluation, n_train, n_eval = split_train_eval(records, args.split, args.seed)
    except DatasetFileError as problem:
        _fail(f"{name}: {problem}")
    out = Path(args.out)
    stem = "stdin" if name == "<stdin>" else Path(name).stem
    paths = (out / f"{stem}-train.jsonl", out / f"{stem}-eval.jsonl")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, content in zip(paths, (train, evaluation), strict=True):
            path.write_bytes(content)
    except OSError as problem:
        _fail(f"--out {args.out}: cannot write the split ({problem.strerror or _first_line(problem)})")
    return {
        "eval_share": args.split,
        "seed": args.seed,
        "train_file": str(paths[0]),
        "eval_file": str(paths[1]),
        "n_train": n_train,
        "n_eval": n_eval,
    }


def _dataset_result(
    name: str, kind: str, report: DatasetReport, columns: tuple[str, str, str | None], args: argparse.Namespace
) -> dict[str, Any]:
    """Everything the Training data page shows about the file, as plain JSON-ready values."""
    from calc.article.checklist import checklist, class_balance

    format_total = sum(report.format_errors.values())
    valid = format_total == 0 and report.n_invalid_json == 0
    epochs = args.epochs or report.default_epochs
    result: dict[str, Any] = {
        "file": name,
        "kind": kind,
        "valid": valid,
        "exit_status": EXIT_OK if valid else EXIT_INVALID,
        "n_lines": report.n_lines,
        "n_examples": report.n_examples,
        "n_valid": report.n_valid,
        "n_invalid_json": report.n_invalid_json,
        "n_format_errors": format_total,
        "format_errors": dict(report.format_errors),
        "n_problems": report.n_errors,
        "problems": report.errors,
        "n_missing_system": report.n_missing_system,
        "n_missing_user": report.n_missing_user,
        "n_replaced_text_lines": report.n_replaced_text_lines,
        "token_limit": report.token_limit,
        "n_examples_over_limit": report.n_examples_over_limit,
        "stats": report.stats,
        "epochs": epochs,
        "epochs_are_default": not args.epochs,
        "billing_tokens_per_epoch": report.billing_tokens_per_epoch,
        "billed_tokens": report.billing_tokens_per_epoch * epochs,
        "billing": None,
        "billing_unavailable": None,
        "checklist": checklist(report).to_dict(orient="records"),
        "class_balance": None,
        "split": None,
    }
    if kind == "csv":
        result["csv_columns"] = {"input": columns[0], "output": columns[1], "system": columns[2]}
    try:
        result["billing"] = _billing_rows(report, epochs, not args.epochs)
    except Exception as problem:
        result["billing_unavailable"] = _first_line(problem)
    balance = class_balance(report)
    if balance is not None:
        result["class_balance"] = balance.to_dict(orient="records")
    return result


def _usd(value: float | None) -> str:
    """Dollars as the pages show them, or that the provider publishes no price."""
    return "not published" if value is None else usd(value)


def _dataset_text(result: dict[str, Any]) -> str:
    """The dataset result as readable text, in the order of the Training data page."""
    verdict = "valid" if result["valid"] else "INVALID: fix the problems below before uploading"
    lines_read = f" ({result['n_lines']:,} lines)" if result["kind"] == "jsonl" else ""
    lines = [
        f"{result['file']} ({result['kind']}): {verdict}",
        f"  examples {result['n_examples']:,}{lines_read} · valid {result['n_valid']:,} · "
        f"format errors {result['n_format_errors']:,} · lines that are not JSON {result['n_invalid_json']:,} · "
        f"over the {result['token_limit']:,}-token limit {result['n_examples_over_limit']:,}",
        f"  {result['n_missing_system']:,} examples have no system message; {result['n_missing_user']:,} have no user message.",
    ]
    if result.get("n_replaced_text_lines"):
        from calc.inputs.dataset import replaced_text_note

        lines.append(f"  {replaced_text_note(result['n_replaced_text_lines'])}")
    counted = {key: n for key, n in result["format_errors"].items() if n}
    if counted:
        from calc.inputs.dataset import FORMAT_ERROR_WORDS

        words = (f"{FORMAT_ERROR_WORDS.get(key, key).lower()} ({key}) {n:,}" for key, n in counted.items())
        lines.append("  format errors: " + ", ".join(words))
    if result["problems"]:
        lines.append(f"Problems ({result['n_problems']:,}):")
        lines += [f"  line {p['line'] if p['line'] is not None else '-'}: {p['message']}" for p in result["problems"]]
        if result["n_problems"] > len(result["problems"]):
            lines.append(f"  ... {result['n_problems'] - len(result['problems']):,} more not listed")
    lines.append("Tokens per example:       min      p10   median     mean      p90      max")
    labels = {"n_messages": "messages per example", "total_tokens": "tokens per example", "assistant_tokens": "assistant tokens"}
    for key, label in labels.items():
        s = result["stats"].get(key, {})
        values = " ".join(f"{s.get(k, 0):>8,.1f}" for k in ("min", "p10", "median", "mean", "p90", "max"))
        lines.append(f"  {label:<22}{values}")
    rule = " (OpenAI default rule)" if result["epochs_are_default"] else ""
    lines.append(
        f"Billed tokens: {result['billed_tokens']:,} = {result['billing_tokens_per_epoch']:,} per epoch x "
        f"{result['epochs']} epochs{rule}"
    )
    if result["billing"] is None:
        lines.append(f"  billing per option unavailable: {result['billing_unavailable']}")
    else:
        for row in result["billing"]:
            price_range = (
                f" ({_usd(row['cost_low_usd'])} to {_usd(row['cost_high_usd'])})" if row["cost_low_usd"] is not None else ""
            )
            hours = f", {row['gpu_hours']:,.3g} GPU-hours" if row["gpu_hours"] is not None else ""
            minimum = ""
            if row["min_examples"] is not None:
                minimum = f", minimum {row['min_examples']} examples {'met' if row['meets_minimum'] else 'NOT met'}"
            lines.append(f"  {row['label']}: {_usd(row['cost_usd'])}{price_range}{hours}{minimum}")
    lines.append("Data-quality checklist:")
    lines += [f"  [{row['status']}] {row['criterion']}: {row['finding']}" for row in result["checklist"]]
    if result["class_balance"]:
        lines.append("  labels: " + ", ".join(f"{r['label']} {r['share']:.1%}" for r in result["class_balance"]))
    if result["split"]:
        s = result["split"]
        lines.append(
            f"Split (seed {s['seed']}, {s['eval_share']:.0%} eval): {s['n_train']:,} -> {s['train_file']}, "
            f"{s['n_eval']:,} -> {s['eval_file']}"
        )
    return "\n".join(lines)


def run_dataset(args: argparse.Namespace) -> int:
    """The `dataset` subcommand: 0 when the file is valid, 1 with format errors, 2 when unusable."""
    if args.split is not None and not 0 < args.split < 1:
        _fail(f"--split: the evaluation share must be between 0 and 1 (e.g. 0.2), not {args.split:g}")
    if not 1 <= args.limit <= MAX_TOKEN_LIMIT:
        _fail(f"--limit must be a whole number of tokens from 1 to {MAX_TOKEN_LIMIT:,}")
    if not 0 <= args.epochs <= 25:
        _fail("--epochs must be between 0 (OpenAI's default rule) and 25")
    if not 0 < args.max_mb <= MAX_MAX_MB:  # NaN fails too
        _fail(f"--max-mb must be a number of megabytes above 0 and at most {MAX_MAX_MB:,.0f}")
    data, name = _read_bytes(args.file, max_bytes=int(args.max_mb * 1e6))
    text = _decode(data, name)
    kind, report, columns = _analyse(data, text, name, args)
    result = _dataset_result(name, kind, report, columns, args)
    if args.split is not None:
        result["split"] = _write_split(data, name, kind, columns, args)
    if args.json:
        print_json(result, default=str)
    else:
        print(_dataset_text(result))
    return result["exit_status"]


# --- parser ----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line on stderr (no usage block), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_UNUSABLE, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def _non_negative(value: str) -> float:
    number = float(value)
    if number < 0 or number != number or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a non-negative number, not {value!r}")
    return number


def _finite(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {value!r}")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, not {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The command line parser with its subcommands."""
    parser = _Parser(prog=PROG, description="Prompt engineering or fine-tuning: the explorer's model without a browser.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    tokens = commands.add_parser(
        "tokens",
        help="exact tokens of a prompt for a model, and what it costs",
        description="Count a prompt's tokens in the model's own tokens (exact where its vocabulary ships here, else an "
        "estimate with its range): plain text, chat JSON (an OpenAI messages array or request body, an Anthropic "
        '{"system", "messages"} body; messages with "example": true are the few-shot part), or '
        '{"instructions", "examples"} as in data/sample_prompt.json.',
    )
    tokens.add_argument("file", metavar="FILE", help="the prompt file, or - to read stdin")
    tokens.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help=f"a prompting model (provider:model or a model id) or a fine-tuning option id, counted in its own tokens "
        f"(default {DEFAULT_MODEL})",
    )
    tokens.add_argument(
        "--content",
        choices=("auto", *CONTENT_KINDS),
        default="auto",
        help="what the text mostly is, for the ratio of a model without a bundled vocabulary (default: detected)",
    )
    tokens.add_argument(
        "--format",
        choices=("auto", "text", "chat"),
        default="auto",
        help="auto: JSON when FILE ends in .json or starts with [ or {",
    )
    tokens.add_argument(
        "--examples-delimiter",
        metavar="DELIM",
        help="plain text: what follows the first DELIM is few-shot examples separated by DELIM (\\n = new line; "
        "the Token cost page's default is '\\n\\n---\\n')",
    )
    tokens.add_argument(
        "--requests-per-day", type=_non_negative, default=1.0, metavar="N", help="volume for the cost (default 1)"
    )
    tokens.add_argument("--input-price", type=_non_negative, metavar="USD", help="input price per 1M tokens")
    tokens.add_argument("--output-price", type=_non_negative, metavar="USD", help="output price per 1M tokens")
    tokens.add_argument(
        "--output-tokens", type=_non_negative_int, default=0, metavar="N", help="output tokens per request (default 0)"
    )
    tokens.add_argument("--json", action="store_true", help="print JSON")
    tokens.set_defaults(run=run_tokens)

    dataset = commands.add_parser(
        "dataset",
        help="check a fine-tuning file (exit 0 valid, 1 format errors, 2 unusable)",
        description="The Training data page's checks: OpenAI Cookbook format rules, token statistics, billed tokens "
        "per option and the data-quality checklist. Exit status: 0 valid, 1 format errors, 2 unusable input.",
    )
    dataset.add_argument("file", metavar="FILE", help="JSONL (chat or prompt/completion) or CSV file, or - for stdin")
    dataset.add_argument("--csv", action="store_true", help="read FILE as CSV whatever its name")
    dataset.add_argument("--input-column", help="CSV: input column (default: the first)")
    dataset.add_argument("--output-column", help="CSV: output column (default: the second)")
    dataset.add_argument("--system-column", help="CSV: system prompt column (default: none)")
    dataset.add_argument("--limit", type=int, default=16_385, metavar="TOKENS", help="token limit per example (default 16385)")
    dataset.add_argument("--epochs", type=int, default=0, help="epochs to bill (default 0 = OpenAI's default rule)")
    dataset.add_argument(
        "--max-mb", type=_finite, default=DEFAULT_MAX_MB, help=f"refuse larger files (default {DEFAULT_MAX_MB:g}, as the page)"
    )
    dataset.add_argument("--split", type=_finite, metavar="EVAL_SHARE", help="write a seeded train/eval split, e.g. 0.2")
    dataset.add_argument("--seed", type=int, default=42, help="split seed (default 42)")
    dataset.add_argument("--out", default=".", metavar="DIR", help="where --split writes FILE-train.jsonl and FILE-eval.jsonl")
    dataset.add_argument("--json", action="store_true", help="print JSON")
    dataset.set_defaults(run=run_dataset)

    from calc.cli.compare import add_subcommands
    from calc.cli.evals import add_eval_subcommand

    add_subcommands(commands)
    add_eval_subcommand(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CliError as problem:
        print(f"{PROG}: error: {problem}", file=sys.stderr)
        return problem.status
    except KeyboardInterrupt:
        print(f"{PROG}: error: interrupted", file=sys.stderr)
        return 130
    except (RecursionError, MemoryError, OverflowError, ValueError) as problem:  # a path not checked above: still one line
        print(f"{PROG}: error: unusable input ({type(problem).__name__}: {_first_line(problem)[:300]})", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
