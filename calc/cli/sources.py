"""The command line's price-source flags (`--prices-url`, `--options-url`/`--options-file`, `--models-url`/
`--models-file`), shared by `compare` and `prices`: a script answers with the team's prices, or fails saying why.

The same settings as the server's (environment variables in calc/catalogue/price_sources.py, each overridden by its flag).
Unlike the server, which keeps the last good prices when a refresh fails, a command has no earlier prices to keep:
a source that cannot be used is an error (exit status 2), never a silent answer at the bundled prices.
"""

from __future__ import annotations

import argparse
import logging
import os

from calc.catalogue.price_fetch import SourceError
from calc.catalogue.price_sources import (
    ENV_MODELS_FILE,
    ENV_MODELS_URL,
    ENV_OPTIONS_FILE,
    ENV_OPTIONS_URL,
    ENV_PRICES_URL,
    InForce,
    Settings,
    in_force,
    settings_from,
    start,
    wait_until_loaded,
)
from calc.cli.common import _fail

#: Seconds a command waits for its sources to load: longer than a download's own deadline (FETCH_DEADLINE_S).
WAIT_S = 30.0


def add_source_flags(parser: argparse.ArgumentParser) -> None:
    """The flags naming where prices come from (default: the bundled genai-prices data and the shipped tables)."""
    group = parser.add_argument_group("price sources (default: the bundled genai-prices data and the shipped tables)")
    group.add_argument(
        "--prices-url", metavar="URL", help=f"genai-prices data (JSON) for prompting prices (or ${ENV_PRICES_URL})"
    )
    table = group.add_mutually_exclusive_group()
    table.add_argument("--options-url", metavar="URL", help=f"a team's fine-tuning options table (CSV; or ${ENV_OPTIONS_URL})")
    table.add_argument("--options-file", metavar="FILE", help=f"the same table from a file (or ${ENV_OPTIONS_FILE})")
    models = group.add_mutually_exclusive_group()
    models.add_argument("--models-url", metavar="URL", help=f"a team's prompting-model facts table (CSV; or ${ENV_MODELS_URL})")
    models.add_argument("--models-file", metavar="FILE", help=f"the same table from a file (or ${ENV_MODELS_FILE})")


def source_settings(args: argparse.Namespace) -> Settings:
    """The settings from the environment and the flags; CliError for an unusable one."""
    try:
        return settings_from(
            os.environ,
            prices_url=args.prices_url,
            options_url=args.options_url,
            options_file=args.options_file,
            models_url=args.models_url,
            models_file=args.models_file,
        )
    except SourceError as problem:
        _fail(str(problem))


def use_sources(settings: Settings) -> InForce:
    """Load what `settings` name, once, before anything is priced; CliError with the first failure's line."""
    if not settings.refreshing:
        return in_force()
    logging.getLogger("genai-prices").addHandler(logging.NullHandler())  # its own error log would repeat ours
    start(settings)
    try:
        state = wait_until_loaded(WAIT_S)
    except SourceError as problem:
        _fail(str(problem))
    if state.problems:
        _fail(state.problems[0])
    return state
