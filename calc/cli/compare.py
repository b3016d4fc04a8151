"""The scenario subcommands of the command line (registered by calc/cli/commands.py): `compare`, `routes`, `prices`.

- `compare`: a scenario from flags (one per URL key), a share link (`--link`) or a JSON file of URL keys
  (`--scenario`), flags overriding the link or file; the home page's figures as a table or `--json`, for
  today or `--on DATE`.
- `routes`: every route for the scenario (prompting the recommended models and its own, every fine-tuning option),
  ranked by monthly cost, as the All routes page shows them; `--top N`, `--all` (closed and shut-down routes too).
- `prices --check`: the freshness check of scripts/check_prices.py; exit 1 on a hard finding. With
  `--options-file`/`--options-url` (or `--models-*`) it checks a team's table before it is published.
All take the price-source flags of calc/cli/sources.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from calc.cli.common import EXIT_OK, _decode, _fail, _first_line, _read_bytes, load_json, print_json

if TYPE_CHECKING:
    from calc.api import Comparison
    from calc.catalogue.price_check import Finding
    from calc.scenario import Scenario
    from calc.verdict.ranked import QualityRanking

T = TypeVar("T")
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
    "training_hours": "hours of one training run, where the option bills training by the hour (no provider publishes them)",
    "peak_factor": "peak over average traffic (sizes dedicated GPUs)",
    # Hosting that scales (issue 21)
    "active_hours": "hours a day a per-minute/per-second billed deployment serves traffic (scales to zero otherwise, "
    "after the provider's idle window, which is billed too), 1 to 24",
    "finetunes_per_deployment": "fine-tunes sharing one multi-LoRA deployment (each pays its share), 1 to 100",
    "option": "fine-tuning option id or label, e.g. azure-gpt-4.1-mini",
    "prompt_model": "prompting model as provider:model, e.g. openai:gpt-6-luna",
    "task": "task type id or name (Quality page)",
    "pricing": "full (each side at its own prices) or article (the article's convention)",
    "caching": "prompt caching: --caching, or --caching true|false",
    "reasoning_effort": "a reasoning prompting model's effort: default (the model's own, e.g. GPT-6 Luna: medium), none, low, "
    "medium or high; its reasoning tokens bill as output",
    # --- the work before training, distillation, latency target (issue 22) ---
    "data_cost_per_example": "USD per labelled example (training set by hand, and the evaluation set)",
    "label_hours_per_100": "your people's hours to label 100 examples (x --hourly-rate, added per example)",
    "eval_examples": "evaluation set size, labelled at the per-example cost",
    "engineering_hours": "engineering hours before training",
    "hourly_rate": "USD per engineering hour",
    "maintenance_usd_per_month": "monthly upkeep of the fine-tune (evaluation, maintenance), USD",
    "labelling": "hand (people label the training set) or teacher (a prompting model answers it: distillation)",
    "teacher_model": "teacher as provider:model (empty = the pair's prompting model)",
    "ttft_target_ms": "latency target: milliseconds to first token (0 = none); routes that may miss it are marked",
    # --- quality (issue 28) ---
    "target_accuracy": "the accuracy a route must reach, %% (0 = none): the verdict and --meets-target use it",
    "eval_counts": "eval results typed per route: route=right/n joined by commas, e.g. bedrock-nova-micro=186/200",
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
    from calc.inputs.querystring import SCENARIO_PARAMS

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
    from calc.inputs.querystring import SCENARIO_PARAMS

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


def _answer(args: argparse.Namespace, ask: Callable[..., T], **options: Any) -> tuple[T, str | None]:
    """`ask(scenario, on=date, eval_results=...)` (compare or routes) for the scenario and date the flags name, with
    the price sources they name in force, and what was done about the pair in words (None: nothing to say); CliError
    with one line for anything unusable."""
    from calc.api import scenario_from_params
    from calc.cli.evals import read_results
    from calc.cli.sources import source_settings, use_sources

    use_sources(source_settings(args))
    on = _date(args.on)
    params = scenario_params(args)
    old_link_rule = args.option is None  # an old link's rule: never for an --option flag
    try:
        scenario = scenario_from_params(params, old_link_rule)
    except ValueError as problem:
        _fail(f"unusable scenario: {_first_line(problem)}")
    results = read_results(args.eval_results)
    try:
        return ask(scenario, on=on, eval_results=results, **options), pair_note(params, scenario, old_link_rule)
    except ValueError as problem:
        _fail(_first_line(problem))


def pair_note(params: dict[str, str], scenario: Scenario, old_link_rule: bool) -> str | None:
    """What was done about the prompting side of the pair when the parameters name an option but no prompting model:
    an old link prompts the option's own base model, as such links did; an --option flag keeps the default."""
    from calc.inputs.querystring import LEGACY_OPTION_IDS

    if "option" not in params or "prompt_model" in params:
        return None
    if old_link_rule and scenario.option in LEGACY_OPTION_IDS:
        return (
            f"The link names only a pre-2026-11 option ({scenario.option}) and no prompting model: prompting its own "
            f"base model {scenario.prompt_model}, as such links did (--prompt-model chooses another)."
        )
    return (
        f"No prompting model given: prompting {scenario.prompt_model}, the default, against {scenario.option} "
        "(--prompt-model chooses another; only an old link prompts the option's base model)."
    )


def _comparison(args: argparse.Namespace) -> tuple[Comparison, str | None]:
    from calc.api import compare

    return _answer(args, compare)


def comparison_text(result: Comparison) -> str:
    """The comparison as a readable table: the home page's pair line, metrics, band, crossover, statuses and sources."""
    scenario = result.scenario
    prompt, option = result.prompt_status, result.option_status
    lines = [
        f"Verdict: {result.verdict.headline}",
        "",
        f"Prompting {result.prompt_label} ({prompt.headline}) vs fine-tuning {result.option_label} ({option.headline})"
        + (" · same base model" if result.same_base_model else "")
        + f" · prices as of {result.on.isoformat()}",
        f"{scenario.requests_per_day:,.0f}/day · {scenario.examples} few-shot examples x {scenario.tokens_per_example:,} "
        f"tokens · {scenario.pricing} pricing" + (" · prompt caching on" if scenario.caching else ""),
        "",
    ]
    metrics = {**result.metrics(), **result.work_metrics()}
    width = max(len(label) for label in metrics)
    lines += [f"  {label:<{width}}  {value}" for label, value in metrics.items()]
    if result.hosting:
        lines.append(f"  Hosting: {result.hosting}")
    lines.append(f"  Breakeven counts {result.breakeven_counts}.")
    if result.labelling_choice:
        lines.append(f"  {result.labelling_choice}")
    if result.teacher_terms:
        lines.append(f"  {result.teacher_terms}")
    lines += ["", "Latency: " + result.latency]
    lines += [f"  measured: {source}" for source in result.latency_sources]
    lines += ["", "Why (the verdict weighed):"]
    lines += [f"  - {reason.text}" for reason in result.verdict.reasons]
    lines += ["", result.crossover_text(), "Status:"]
    for side, status in (("prompting", prompt), ("fine-tuning", option)):
        mark = {"ok": "ok", "warning": "WARNING", "error": "NOT USABLE"}.get(status.severity, status.severity)
        lines.append(f"  {side:<12}{mark}: {status.sentence}")
    if result.withheld:
        lines.append(f"  {result.withheld} Savings, breakeven and crossover are not shown.")
    if result.caveats:
        lines.append("Caveats:")
        lines += [f"  - {caveat}" for caveat in result.caveats]
    source, tuned = result.prompting_source, result.fine_tuning_source
    lines += [
        "Sources:",
        f"  prompting   {source.catalogue}, prices in force on {source.on.isoformat()} ({source.pricing_url})",
        f"  fine-tuning {tuned.source} · as of {tuned.as_of.isoformat()} · confidence: {tuned.confidence}",
    ]
    return "\n".join(lines)


def run_compare(args: argparse.Namespace) -> int:
    """The `compare` subcommand: the home page's figures for a scenario and date."""
    result, note = _comparison(args)
    if args.json:
        print_json({**result.to_dict(), "pair_note": note}, ensure_ascii=False)
    else:
        print((f"Note: {note}\n" if note else "") + comparison_text(result))
    return EXIT_OK


def _ranking(args: argparse.Namespace) -> tuple[QualityRanking, str | None]:
    from calc.api import routes

    return _answer(args, routes, sort=args.sort)


def routes_text(
    ranked: QualityRanking, top: int | None, show_unusable: bool, meets_target: bool = False, show_previews: bool = False
) -> str:
    """The ranking as a readable table: rank, monthly cost, quality, total with wrong answers, one-off, breakeven
    against the scenario's prompting model, status, then the verdict and every caveat and source by route."""
    from calc.costs.ranking import DIFFERENT_MODEL_NOTE, ONE_OFF_COLUMN, TOKENS_COLUMN, TTFT_COLUMN, confidence_cell
    from calc.costs.upfront import one_off_label
    from calc.verdict.ranked import SORTS, quality_table

    ranking = ranked
    shown = ranked.visible(show_unusable, meets_target, show_previews)
    if top is not None:
        shown = shown[:top]
    table = quality_table(shown)
    table["price"] = [row.route.price_confidence for row in shown]  # the figures it names are under each route below
    scenario = ranking.scenario
    assert ranked.verdict is not None
    lines = [
        f"Every route at {scenario.requests_per_day:,.0f}/day · {scenario.examples} few-shot examples x "
        f"{scenario.tokens_per_example:,} tokens (o200k_base; each route in its own tokens, {scenario.content_kind} text) · "
        f"prices as of {ranking.on.isoformat()} · sorted by {SORTS[ranked.sort]}"
        + ("" if show_unusable else " · closed and shut-down routes hidden (--all shows them)")
        + ("" if show_previews else " · previews and training services hidden (--previews shows them)"),
        "",
    ]
    columns = ["rank", "route", "how", "per month", "quality", "with wrong answers", ONE_OFF_COLUMN,
               "breakeven vs prompting", TTFT_COLUMN, TOKENS_COLUMN, "status", "service", "price", "in pair"]  # fmt: skip
    widths = {c: max(len(c), *(len(str(v)) for v in table[c])) if len(table) else len(c) for c in columns}
    lines.append("  ".join(f"{c:<{widths[c]}}" for c in columns).rstrip())
    for record in table.to_dict(orient="records"):
        lines.append("  ".join(f"{record[c]!s:<{widths[c]}}" for c in columns).rstrip())
    rows = shown
    cheapest = ranked.cheapest(include_previews=show_previews)
    if cheapest is not None:
        lines += ["", f"Cheapest usable route with every cost known: {cheapest.route.label} ({cheapest.route.kind})."]
    lines += ["", f"Breakeven counts {one_off_label(ranking.work())}.", "Latency: " + ranking.latency_text()]
    lines += ["", f"Verdict: {ranked.verdict.headline}"]
    lines += ["", DIFFERENT_MODEL_NOTE, "Quality:"]
    lines += [f"  {row.route.label}: {row.quality.label if row.quality else 'unknown'}" for row in shown]
    lines += ["Caveats and sources:"]
    for row in rows:
        lines.append(f"  {row.route.label} [{row.route.id}]: {row.priced.status.sentence}")
        lines.append(f"    service: {row.route.service_kind} ({row.route.service_kind_source}); price confidence: "
                     + confidence_cell(row.route.price_confidence, row.route.unverified_figures))
        lines += [f"    - {caveat}" for caveat in row.priced.caveats]
        lines += [f"    source: {source}" for source in row.route.sources()]
    return "\n".join(lines)


def run_routes(args: argparse.Namespace) -> int:
    """The `routes` subcommand: every route ranked by monthly cost for a scenario and date."""
    ranking, note = _ranking(args)
    if args.json:
        data = {**ranking.to_dict(args.all, args.meets_target, args.previews), "pair_note": note}
        if args.top is not None:
            data["routes"] = data["routes"][: args.top]
        print_json(data, ensure_ascii=False)
    else:
        print((f"Note: {note}\n" if note else "") + routes_text(ranking, args.top, args.all, args.meets_target, args.previews))
    return EXIT_OK


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 1_000:
        raise argparse.ArgumentTypeError(f"{value} is outside 1-1,000")
    return value


def _team_tables(args: argparse.Namespace) -> tuple[list[Finding], dict[str, Any]]:
    """A team's tables named by the flags, each checked whole: a refused one is a hard finding with its first problem.

    Returns the findings and the check's inputs from the tables that passed (`records`, `facts`).
    """
    from calc.catalogue.options import option_records
    from calc.catalogue.price_check import Finding
    from calc.catalogue.price_fetch import SourceError
    from calc.catalogue.price_sources import Settings
    from calc.catalogue.tables import DataSchemaError
    from calc.catalogue.team_tables import MODEL_FACTS, OPTIONS, load_table
    from calc.cli.sources import source_settings, use_sources

    settings = source_settings(args)
    use_sources(Settings(prices_url=settings.prices_url))
    findings, inputs = [], {}
    tables = ((OPTIONS, settings.options_location, "records"), (MODEL_FACTS, settings.models_location, "facts"))
    for kind, location, key in tables:
        if not location:
            continue
        try:
            table = load_table(kind, location)
        except DataSchemaError as problem:
            findings.append(Finding(True, location, f"refused whole: {problem}"))
            continue
        except SourceError as problem:
            _fail(str(problem))
        inputs[key] = option_records(table) if key == "records" else table
    return findings, inputs


def _priced_as_compare_prices(args: argparse.Namespace, on: dt.date) -> list[Finding]:
    """The sources the flags name put in force as `compare` and the server put them, then the default scenario priced
    as `compare` and `routes` price it: a table that passes the check is one they accept (a hard finding otherwise)."""
    from calc.api import compare, routes
    from calc.catalogue.price_check import Finding
    from calc.cli.sources import source_settings, use_sources
    from calc.scenario import Scenario

    settings = source_settings(args)
    if not settings.refreshing:
        return []
    use_sources(settings)
    try:
        compare(Scenario(), on=on)
        routes(Scenario(), on=on)
    except ValueError as problem:
        where = settings.options_location or settings.models_location or settings.prices_url
        return [Finding(True, str(where), f"compare and routes cannot price the default scenario: {_first_line(problem)}")]
    return []


def run_prices(args: argparse.Namespace) -> int:
    """The `prices --check` subcommand: every finding, hard ones first; exit 1 when any is hard."""
    from calc.catalogue.price_check import check_prices

    refused, inputs = _team_tables(args)
    on = _date(args.on)
    if not refused:
        refused = _priced_as_compare_prices(args, on)
    findings = sorted(refused + ([] if refused else check_prices(on, **inputs)), key=lambda f: (not f.hard, f.row))
    hard = sum(f.hard for f in findings)
    if args.json:
        summary = {"on": on.isoformat(), "findings": [vars(f) for f in findings], "n_findings": len(findings), "n_hard": hard}
        print_json(summary, ensure_ascii=False)
    else:
        for finding in findings:
            print(f"{'HARD' if finding.hard else 'note'}  {finding.row}: {finding.message}")
        print(f"{len(findings)} findings, {hard} hard, on {on.isoformat()}")
    return EXIT_HARD_FINDING if hard else EXIT_OK


def _scenario_flags(command: argparse.ArgumentParser) -> None:
    """The scenario's sources (--link, --scenario) and one flag per link key, shared by compare and routes."""
    from calc.inputs.querystring import SCENARIO_PARAMS

    source = command.add_argument_group("scenario source")
    source.add_argument("--link", metavar="URL", help="a share link, or just its query string (?a=1&b=2)")
    source.add_argument("--scenario", metavar="FILE", help='a JSON object of link keys, e.g. {"requests_per_day": 50000}')
    flags = command.add_argument_group("scenario (link keys; unset = the link's, the file's or the default)")
    for key in SCENARIO_PARAMS:
        flag = "--" + key.replace("_", "-")
        if key == "caching":
            flags.add_argument(flag, dest=key, nargs="?", const="true", metavar="true|false", help=FLAG_HELP[key])
        else:
            flags.add_argument(flag, dest=key, metavar="VALUE", help=FLAG_HELP.get(key, key))
    command.add_argument("--on", metavar="YYYY-MM-DD", help="price and status on this date (default today)")
    command.add_argument("--json", action="store_true", help="print JSON")
    from calc.cli.evals import add_eval_flag

    add_eval_flag(command)


def add_subcommands(commands: Any) -> None:
    """Register `compare`, `routes` and `prices` on the command line's subparsers."""
    from calc.cli.sources import add_source_flags

    compare = commands.add_parser(
        "compare",
        help="the home page's figures for a scenario: costs, savings, training, breakeven, band, statuses",
        description="Prompting vs fine-tuning for a scenario given by flags (one per link key), a share link (--link) "
        "or a JSON file of link keys (--scenario); flags override the link or file. Prices and statuses are those "
        "in force on --on (default today).",
    )
    _scenario_flags(compare)
    add_source_flags(compare)
    compare.set_defaults(run=run_compare)

    ranked = commands.add_parser(
        "routes",
        help="every route for a scenario ranked by monthly cost: prompting models and fine-tuning options",
        description="The cheapest way to serve a scenario's workload on a date: the recommended prompting models, the "
        "scenario's own, and every fine-tuning option, ranked by monthly cost at the scenario's volume, with one-off "
        "training, breakeven against the scenario's prompting model, status, service, price confidence, caveats and "
        "sources. Closed and shut-down routes are hidden unless --all; previews and training-only services unless "
        "--previews.",
    )
    _scenario_flags(ranked)
    add_source_flags(ranked)
    ranked.add_argument("--top", type=_top, metavar="N", help="only the N cheapest routes")
    ranked.add_argument("--all", action="store_true", help="show closed and shut-down routes too")
    ranked.add_argument(
        "--previews", action="store_true", help="show previews and training-only services too (hidden by default)"
    )
    ranked.add_argument(
        "--sort",
        choices=("monthly", "total", "per_right"),
        default="monthly",
        help="monthly cost (default); total: with the monthly cost of wrong answers at --error-cost; per_right: cost per "
        "right answer",
    )
    ranked.add_argument("--meets-target", action="store_true", help="only routes that may reach --target-accuracy")
    ranked.set_defaults(run=run_routes)

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
    add_source_flags(prices)
    prices.set_defaults(run=run_prices)
