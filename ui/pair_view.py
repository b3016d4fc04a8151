"""The pair every page compares, resolved once per run, and the one line that says which two models and their status."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from calc.catalogue.price_sources import start_from_environ
from calc.catalogue.status import Status
from calc.costs.pair import Pair, resolve_pair
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from ui.assumptions import edited_options
from ui.format import STATUS_ICON_NAMES, STATUS_ICONS


def page_pair(scenario: Scenario, today: dt.date, version: str | None = None) -> tuple[Scenario, Pair]:
    """The scenario's pair priced on `today` with the price data of `version` (None: in force now); an unusable pair
    is reported and replaced by the default one. Starts the configured price refreshers (in the background)."""
    start_from_environ()
    try:
        return scenario, resolve_pair(scenario, edited_options(), today, version)
    except ValueError as problem:
        st.error(plain_markdown(f"{problem} The default pair is shown instead."), icon=":material/error:")
        fallback = replace(scenario, prompt_model=Scenario().prompt_model, option=Scenario().option)
        return fallback, resolve_pair(fallback, None, today, version)


def pair_line(pair: Pair) -> str:
    """Markdown (user text escaped) naming the two models, each with its status, and the pricing date."""
    prompt, option = pair.prompt_status(), pair.option_status()
    return (
        f"Prompting **{plain_markdown(pair.prompt.label)}** ({STATUS_ICONS[prompt.severity]} {prompt.headline}) vs "
        f"fine-tuning **{plain_markdown(pair.option.label)}** ({STATUS_ICONS[option.severity]} {option.headline})"
        + (" · same base model" if pair.same_base_model else "")
        + f" · prices as of {pair.on.isoformat()}"
    )


def show_status(status: Status, *, show_ok: bool = False) -> None:
    """One status as an alert of its severity (its sentence shown as text); an "ok" one only when `show_ok`."""
    if status.severity == "ok" and not show_ok:
        return
    alert = {"error": st.error, "warning": st.warning, "ok": st.success}[status.severity]
    alert(plain_markdown(status.sentence), icon=STATUS_ICON_NAMES[status.severity])


def show_pair(pair: Pair) -> None:
    """The pair line under a page title."""
    st.markdown(pair_line(pair))
