"""The `compare` and `prices` subcommands of the command line (registered by calc/cli.py).

- `compare`: a scenario from flags (one per URL key), a share link (`--link`) or a JSON file of URL keys
  (`--scenario`), flags overriding the link or file; the home page's figures as a table or `--json`, for
  today or `--on DATE`.
- `prices --check`: the freshness check of scripts/check_prices.py; exit 1 on a hard finding.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from calc.cli import EXIT_OK, _decode, _fail, _first_line, _read_bytes, load_json, print_json

if TYPE_CHECKING:
    from calc.api import Comparison

EXIT_HARD_FINDING = 1
_MAX_SCENARIO_FILE_BYTES = 1_000_000
#: URL key -> what its flag means (every scenario key the pages put in a link has one flag).
FLAG_HELP = {
    "requests_per_day": "daily volume, 10 to 1,000,000",
    "examples": "few-shot examples per prompted request, 0 to 50",
    "tokens_per_example": "tokens of one few-shot example",
    "instruction_tokens": "instruction + input tokens every request keeps after fine-tuning",
    "output_tokens": "output tokens per request",
    "training_examples": "training examples",
    "tokens_per_training_example": "tokens of one training example",
    "epochs": "training epochs (0 = the provider's default or OpenAI's rule)",
    "horizon_months": "months the crossover spreads training over",
    "request_input_tokens": "of the instruction tokens, those that differ per request (never cached)",
    "cache_hit_pct": "share of requests finding the prefix cached (%%)",
    "batch_pct": "share of traffic that can wait for a batch API (%%)",
    "error_cost": "cost of one wrong answer, USD",
    "training_price": "training price, USD per 1M tokens or per GPU-hour (required where none is published)",
    "peak_factor": "peak over average traffic (sizes dedicated GPUs)",
    "option": "fine-tuning option id or label, e.g. azure-gpt-4.1-mini",
    "prompt_model": "prompting model as provider:model, e.g. openai:gpt-6-luna",
    "task": "task type id or name (Quality page)",
    "pricing": "full (each side at its own prices) or article (the article's convention)",
    "caching": "prompt caching: --caching, or --caching true|false",
}


def _date(text: str | None) -> dt.date:
    """--on as a date the bundled prices cover (default today); CliError otherwise."""
    from calc.api import check_date

    if text is None:
        on = dt.date.today()
    else:
        try:
            on = dt.date.fromisoformat(text.strip())
        except ValueError:
            _fail(f"--on: {text!r} is not a date; use YYYY-MM-DD, e.g. 2027-02-01")
    try:
        return check_date(on)
    except ValueError as problem:
        _fail(f"--on: {_first_line(problem)}")


def _file_params(source: str) -> dict[str, str]:
    """The URL keys and values of a --scenario JSON file (an object), as link text."""
    from calc.querystring import SCENARIO_PARAMS

    data, name = _read_bytes(source, max_bytes=_MAX_SCENARIO_FILE_BYTES)
    text = _decode(data, name)
    value = load_json(text, name)
    if not isinstance(value, dict):
        _fail(f'{name}: a scenario file is a JSON object of link keys, e.g. {{"requests_per_day": 50000}}')
    params: dict[str, str] = {}
    for key, item in value.items():
        if key not in SCENARIO_PARAMS:
            _fail(f"{name}: unknown scenario key {key!r}; use the link's keys: {', '.join(SCENARIO_PARAMS)}")
        if item is None:
            continue
        if isinstance(item, bool):
            params[key] = "true" if item else "false"
        elif isinstance(item, (str, int, float)):
            params[key] = str(item)
        else:
            _fail(f"{name}: {key!r} must be text, a number or true/false, not a JSON {type(item).__name__}")
    return params


def scenario_params(args: argparse.Namespace) -> dict[str, str]:
    """Link parameters from --link, then --scenario, then the flags (each overriding the one before)."""
    from calc.api import link_params
    from calc.querystring import SCENARIO_PARAMS

    params: dict[str, str] = {}
    if args.link is not None:
        try:
            params.update(link_params(args.link))
        except ValueError as problem:
            _fail(f"--link: {_first_line(problem)}")
    if args.scenario is not None:
        params.update(_file_params(args.scenario))
    params.update({key: getattr(args, key) for key in SCENARIO_PARAMS if getattr(args, key) is not None})
    return params


def _comparison(args: argparse.Namespace) -> Comparison:
    from calc.api import compare, scenario_from_params

    on = _date(args.on)
    try:
        scenario = scenario_from_params(scenario_params(args))
    except ValueError as problem:
        _fail(f"unusable scenario: {_first_line(problem)}")
    try:
        return compare(scenario, on=on)
    except ValueError as problem:
        _fail(_first_line(problem))


def comparison_text(result: Comparison) -> str:
    """The comparison as a readable table: the home page's pair line, metrics, band, crossover, statuses and sources."""
    scenario = result.scenario
    prompt, option = result.prompt_status, result.option_status
    lines = [
        f"Prompting {result.prompt_label} ({prompt.headline}) vs fine-tuning {result.option_label} ({option.headline})"
        + (" · same base model" if result.same_base_model else "")
        + f" · prices as of {result.on.isoformat()}",
        f"{scenario.requests_per_day:,.0f}/day · {scenario.examples} few-shot examples x {scenario.tokens_per_example:,} "
        f"tokens · {scenario.pricing} pricing" + (" · prompt caching on" if scenario.caching else ""),
        "",
    ]
    metrics = result.metrics()
    width = max(len(label) for label in metrics)
    lines += [f"  {label:<{width}}  {value}" for label, value in metrics.items()]
    lines += [
        "",
        f"Band: {result.band} requests/day. The article recommends {result.recommendation}: {result.recommendation_why}.",
        result.crossover_text(),
        "Status:",
    ]
    for side, status in (("prompting", prompt), ("fine-tuning", option)):
        mark = {"ok": "ok", "warning": "WARNING", "error": "NOT USABLE"}.get(status.severity, status.severity)
        lines.append(f"  {side:<12}{mark}: {status.sentence}")
    source, tuned = result.prompting_source, result.fine_tuning_source
    lines += [
        "Sources:",
        f"  prompting   {source.catalogue}, prices in force on {source.on.isoformat()} ({source.pricing_url})",
        f"  fine-tuning {tuned.source} · as of {tuned.as_of.isoformat()} · confidence: {tuned.confidence}",
    ]
    return "\n".join(lines)


def run_compare(args: argparse.Namespace) -> int:
    """The `compare` subcommand: the home page's figures for a scenario and date."""
    result = _comparison(args)
    if args.json:
        print_json(result.to_dict(), ensure_ascii=False)
    else:
        print(comparison_text(result))
    return EXIT_OK


def run_prices(args: argparse.Namespace) -> int:
    """The `prices --check` subcommand: every finding, hard ones first; exit 1 when any is hard."""
    from calc.price_check import check_prices

    on = _date(args.on)
    findings = sorted(check_prices(on), key=lambda f: (not f.hard, f.row))
    hard = sum(f.hard for f in findings)
    if args.json:
        summary = {"on": on.isoformat(), "findings": [vars(f) for f in findings], "n_findings": len(findings), "n_hard": hard}
        print_json(summary, ensure_ascii=False)
    else:
        for finding in findings:
            print(f"{'HARD' if finding.hard else 'note'}  {finding.row}: {finding.message}")
        print(f"{len(findings)} findings, {hard} hard, on {on.isoformat()}")
    return EXIT_HARD_FINDING if hard else EXIT_OK


def add_subcommands(commands: Any) -> None:
    """Register `compare` and `prices` on the command line's subparsers."""
    from calc.querystring import SCENARIO_PARAMS

    compare = commands.add_parser(
        "compare",
        help="the home page's figures for a scenario: costs, savings, training, breakeven, band, statuses",
        description="Prompting vs fine-tuning for a scenario given by flags (one per link key), a share link (--link) "
        "or a JSON file of link keys (--scenario); flags override the link or file. Prices and statuses are those "
        "in force on --on (default today).",
    )
    source = compare.add_argument_group("scenario source")
    source.add_argument("--link", metavar="URL", help="a share link, or just its query string (?a=1&b=2)")
    source.add_argument("--scenario", metavar="FILE", help='a JSON object of link keys, e.g. {"requests_per_day": 50000}')
    flags = compare.add_argument_group("scenario (link keys; unset = the link's, the file's or the default)")
    for key in SCENARIO_PARAMS:
        flag = "--" + key.replace("_", "-")
        if key == "caching":
            flags.add_argument(flag, dest=key, nargs="?", const="true", metavar="true|false", help=FLAG_HELP[key])
        else:
            flags.add_argument(flag, dest=key, metavar="VALUE", help=FLAG_HELP.get(key, key))
    compare.add_argument("--on", metavar="YYYY-MM-DD", help="price and status on this date (default today)")
    compare.add_argument("--json", action="store_true", help="print JSON")
    compare.set_defaults(run=run_compare)

    prices = commands.add_parser(
        "prices",
        help="check the curated prices (exit 1 on a hard finding)",
        description="The freshness check: curated base prices that differ from the installed genai-prices, rows older "
        "than 6 months, successors that are not live, recommended models already shut down, unverified rows that do "
        "not say so. Exit status 1 on a hard finding.",
    )
    prices.add_argument("--check", action="store_true", required=True, help="run the check")
    prices.add_argument("--on", metavar="YYYY-MM-DD", help="check for this date (default today)")
    prices.add_argument("--json", action="store_true", help="print JSON")
    prices.set_defaults(run=run_prices)
