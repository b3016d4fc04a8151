"""The `eval` subcommand and the eval-results flag of `compare` and `routes`: what an eval results file says
(per-route accuracy with intervals, paired tests, sample-size advice), and the file read for the verdict."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from calc.cli.common import EXIT_OK, _fail, _first_line, _read_bytes, print_json

if TYPE_CHECKING:
    from calc.quality.evals import EvalResults
    from calc.quality.report import EvalReport

MAX_EVAL_BYTES = 200 * 1024 * 1024


def read_results(source: str | None) -> EvalResults | None:
    """The eval results file named by --eval-results (None when not given); CliError with its problems' lines."""
    if source is None:
        return None
    from calc.api import read_eval_results

    data, name = _read_bytes(source, max_bytes=MAX_EVAL_BYTES)
    try:
        return read_eval_results(data, name)
    except ValueError as problem:
        _fail(_first_line(problem))


def report_text(report: EvalReport) -> str:
    """The report as a readable table: routes, pairs, sample-size advice."""
    lines = [f"Eval results: {report.source}", "", "Accuracy by route (95% interval):"]
    width = max((len(route) for route in report.routes), default=0)
    lines += [f"  {route:<{width}}  {accuracy.text()} [{accuracy.accuracy.method}]" for route, accuracy in report.routes.items()]
    if report.pairs:
        lines += ["", "Pairs (first minus second):"]
        lines += [f"  {pair.first} - {pair.second}: {pair.text()} [{pair.difference.method}]" for pair in report.pairs]
    if report.sample_sizes:
        lines += ["", "Examples a paired eval needs (80% power, 5% two-sided):"]
        lines += [f"  a {size.gap_points:g}-point gap: {size.n:,} shared examples ({size.basis})" for size in report.sample_sizes]
    return "\n".join(lines)


def run_eval(args: argparse.Namespace) -> int:
    """The `eval` subcommand: the statistics of an eval results file."""
    from calc.quality.report import evaluate

    results = read_results(args.file)
    assert results is not None
    report = evaluate(results)
    if args.json:
        print_json(report.to_dict(), ensure_ascii=False)
    else:
        print(report_text(report))
    return EXIT_OK


def add_eval_subcommand(commands: Any) -> None:
    """Register `eval` on the command line's subparsers."""
    evaluate = commands.add_parser(
        "eval",
        help="what an eval results file says: accuracy per route, paired tests, sample sizes",
        description="Per-route accuracy (or mean graded score) with a 95%% interval (Wilson; bootstrap for graded "
        "scores), each pair of routes on their shared examples (difference with Newcombe's interval and the exact "
        "McNemar p-value), and how many shared examples tell a 3- or 5-point gap. FILE: CSV or JSONL with route, "
        "example_id and score (0/1, or 0..1 graded), or promptfoo's `promptfoo eval -o results.json`. A route is a "
        "prompting model (provider:model), a fine-tuning option id, or a route id as `routes --json` prints it.",
    )
    evaluate.add_argument("file", metavar="FILE", help="the eval results file, or - for stdin")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(run=run_eval)


def add_eval_flag(command: argparse.ArgumentParser) -> None:
    """--eval-results FILE for compare and routes."""
    command.add_argument(
        "--eval-results",
        metavar="FILE",
        help="eval results (as for the eval command) the verdict and the ranking weigh; with --error-cost, each route's "
        "monthly cost gains its wrong answers",
    )
