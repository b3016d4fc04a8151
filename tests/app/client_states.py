"""Widget states as a hand-made client sends them over the websocket: any JSON where Streamlit's frontend would send a
row selection or a table's edits. A page must use only what it has checked."""

from __future__ import annotations

import json
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.testing.v1 import AppTest


def widget_id(at: AppTest, key: str) -> str:
    """The id of the table (st.dataframe with a selection, st.data_editor) drawn with `key`."""
    return next(element.proto.id for element in at.dataframe if element.proto.id.endswith(f"-{key}"))


def send(at: AppTest, key: str, state: Any) -> AppTest:
    """Rerun `at` as a client that reports `state` (any JSON value, as text) for the table drawn with `key`, and every
    other widget as it is."""
    target = widget_id(at, key)
    states = WidgetStates()
    states.widgets.extend(s for s in at._tree.get_widget_states().widgets if s.id != target)
    states.widgets.append(WidgetState(id=target, string_value=json.dumps(state)))
    return at._run(states)


def selection(*rows: Any) -> dict[str, Any]:
    """A row selection as the frontend sends it, with any row values."""
    return {"selection": {"rows": list(rows), "columns": [], "cells": []}}
