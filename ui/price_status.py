"""Which prices are in force, for the pages: the refreshers started from the environment, and one caption saying so."""

from __future__ import annotations

import streamlit as st

from calc.catalogue.price_sources import InForce, in_force, start_from_environ
from calc.text.safe_text import plain_markdown


def prices_for_run() -> InForce:
    """The price data this run computes with, read once; starts the configured refreshers on the first run.

    Starting returns at once: fetching runs in background threads, so a page never waits on the network.
    """
    start_from_environ()
    return in_force()


def show_prices_in_force(state: InForce, *, always: bool = False) -> None:
    """A caption naming the prices in force and one line per failed refresh; nothing by default unless `always`."""
    if always or state.refreshing or state.problems:
        st.caption(plain_markdown(" ".join(state.lines())))
    for note in state.notes():
        st.warning(plain_markdown(note), icon=":material/sync_problem:")
