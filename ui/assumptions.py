"""The fine-tuning options in force for this session: the shipped (or team-hosted) table, or the user's edited copy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calc.catalogue.price_sources import in_force
from calc.catalogue.tables import load_options

EDITED_KEY = "_edited_options"


@st.cache_data(show_spinner=False)
def shipped_options() -> pd.DataFrame:
    """The curated options table as shipped, loaded and schema-checked once per process."""
    return load_options()


def edited_options() -> pd.DataFrame | None:
    """The session's edited table, or None while the shipped one is in force."""
    return st.session_state.get(EDITED_KEY)


def current_options() -> pd.DataFrame:
    """The options every page computes with in this session: edited, else the team's table when loaded, else shipped."""
    edited = edited_options()
    if edited is not None:
        return edited
    team = in_force().options.table
    return shipped_options() if team is None else team


def use_options(table: pd.DataFrame | None) -> None:
    """Put an already validated table in force for this session (None: back to the shipped one)."""
    if table is None:
        st.session_state.pop(EDITED_KEY, None)
    else:
        st.session_state[EDITED_KEY] = table
