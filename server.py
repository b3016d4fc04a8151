"""Serve the explorer: `streamlit run server.py` runs streamlit_app.py and pages/ as usual, and warms the server up.

As the server starts, a background thread imports and computes what the home page needs (ui/warmup.py) while the
first browser is still loading Streamlit's scripts, so the first chart appears sooner. `streamlit run
streamlit_app.py` also works; it only skips the warm-up.

Prices stay current without a release when asked to (off by default; calc/catalogue/price_sources.py): options after `--`,
e.g. `streamlit run server.py -- --prices-url URL --options-url URL`, or the EXPLORER_* environment variables they
override. The refreshers start here, in the background, before the first page runs.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import streamlit as st


def price_options(argv: Sequence[str]) -> dict[str, str | None]:
    """The price-source options given to the server script (unknown arguments are left to others)."""
    parser = argparse.ArgumentParser(prog="server.py", add_help=False)
    for flag in ("prices-url", "prices-interval", "options-url", "options-file", "models-url", "models-file", "tables-interval"):
        parser.add_argument(f"--{flag}")
    known, _ = parser.parse_known_args(list(argv))
    return vars(known)


def start_price_sources(argv: Sequence[str]) -> None:
    """Start the refreshers the options and environment ask for (nothing by default); exit saying why on a bad one."""
    import os

    from calc.catalogue.price_sources import SourceError, settings_from, start

    try:
        start(settings_from(os.environ, **price_options(argv)))
    except SourceError as problem:
        raise SystemExit(f"server.py: {problem}") from None


@asynccontextmanager
async def warm_up(_app: st.App) -> AsyncIterator[None]:
    """Start the price refreshers and the warm-up without delaying the server: it answers requests while they work."""
    from ui.warmup import warm_home_page

    start_price_sources(sys.argv[1:])
    threading.Thread(target=warm_home_page, name="warm-up", daemon=True).start()
    yield


app = st.App("streamlit_app.py", lifespan=warm_up)
