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


def apply_editor_changes(frame: pd.DataFrame, changes: object) -> pd.DataFrame:
    """`frame` with a data editor's edited, added and deleted rows applied (positions refer to `frame`).

    The changes come from the client, which may send any JSON: a position that is not a row of `frame`, edits or rows
    that are not objects, and columns the table does not have are left out."""
    result = frame.reset_index(drop=True).copy()
    changes = changes if isinstance(changes, dict) else {}
    edited = changes.get("edited_rows")
    for position, edits in (edited.items() if isinstance(edited, dict) else ()):
        row = _position(position, len(result))
        for column, value in (edits.items() if row is not None and isinstance(edits, dict) else ()):
            if column in COLUMNS:
                result.at[row, column] = _cell(column, value)
    deleted = changes.get("deleted_rows")
    gone = {_position(p, len(result)) for p in (deleted if isinstance(deleted, list) else ())} - {None}
    result = result.drop(index=list(gone)).reset_index(drop=True)
    added_rows = changes.get("added_rows")
    added = [
        {column: _cell(column, row.get(column)) for column in COLUMNS}
        for row in (added_rows if isinstance(added_rows, list) else ())
        if isinstance(row, dict)
    ]
    if added:
        result = pd.concat([result, pd.DataFrame(added, columns=list(COLUMNS))], ignore_index=True)
    result["example"] = result["example"].fillna(False).astype(bool)
    result["role"] = result["role"].fillna("user")
    result["content"] = result["content"].fillna("").astype(str)
    return result[list(COLUMNS)]


def _position(value: object, n_rows: int) -> int | None:
    """A row position from the client (a whole number, or its digits as a JSON key) when it is one of `n_rows`."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return value if type(value) is int and 0 <= value < n_rows else None


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
