"""The chat builder's table: messages with a role, content and an "example" mark, kept across pages.

`st.data_editor` forgets its edits on a page switch, so every change is applied to a plain session
key in `on_change`, and the editor is always drawn from that key.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calc.inputs.prompt import ROLES

SAVED_KEY = "chat_messages"
EDITOR_KEY = "chat_editor"
COLUMNS = ("role", "content", "example")
#: What an emptied cell (the editor sends None after Delete) becomes in each column.
EMPTY_CELL = {"role": "user", "content": "", "example": False}


def empty_messages() -> pd.DataFrame:
    return pd.DataFrame({"role": ["system"], "content": [""], "example": [False]})


def apply_editor_changes(frame: pd.DataFrame, changes: dict) -> pd.DataFrame:
    """`frame` with a data editor's edited, added and deleted rows applied (positions refer to `frame`)."""
    result = frame.reset_index(drop=True).copy()
    for position, edits in changes.get("edited_rows", {}).items():
        for column, value in edits.items():
            if column in COLUMNS and int(position) < len(result):
                result.at[int(position), column] = _cell(column, value)
    deleted = {int(p) for p in changes.get("deleted_rows", [])}
    result = result.drop(index=[p for p in deleted if p < len(result)]).reset_index(drop=True)
    added = [{column: _cell(column, row.get(column)) for column in COLUMNS} for row in changes.get("added_rows", [])]
    if added:
        result = pd.concat([result, pd.DataFrame(added, columns=list(COLUMNS))], ignore_index=True)
    result["example"] = result["example"].fillna(False).astype(bool)
    result["role"] = result["role"].fillna("user")
    result["content"] = result["content"].fillna("").astype(str)
    return result[list(COLUMNS)]


def _cell(column: str, value: object) -> object:
    """An edited cell as its column's type: empty (None, NaN) becomes the column's empty value, never a crash."""
    if value is None or (isinstance(value, float) and value != value):
        return EMPTY_CELL[column]
    if column == "example":
        return value.strip().lower() in ("true", "1", "yes") if isinstance(value, str) else bool(value)
    return str(value)


def _save_changes() -> None:
    st.session_state[SAVED_KEY] = apply_editor_changes(st.session_state[SAVED_KEY], st.session_state[EDITOR_KEY])
    st.session_state.pop(EDITOR_KEY, None)


def chat_messages_editor() -> pd.DataFrame:
    """Draw the chat builder and return its current messages."""
    if SAVED_KEY not in st.session_state:
        st.session_state[SAVED_KEY] = empty_messages()
    st.data_editor(
        st.session_state[SAVED_KEY],
        key=EDITOR_KEY,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        on_change=_save_changes,
        column_config={
            "role": st.column_config.SelectboxColumn("Role", options=list(ROLES), required=True, width="small"),
            "content": st.column_config.TextColumn("Content", width="large"),
            "example": st.column_config.CheckboxColumn("Few-shot example?", help="Fine-tuning removes these messages."),
        },
    )
    return st.session_state[SAVED_KEY]
