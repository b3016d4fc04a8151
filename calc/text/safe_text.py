"""User text made inert: as Markdown that shows exactly the text, as CSV that no spreadsheet runs, and as valid Unicode
(a lone surrogate from a JSON escape replaced visibly, so every encoder takes it).

Labels, sources and notes can come from an imported price table, link values from a URL, labels and file names
from an upload, prompts from a paste: wherever they reach Markdown (the brief, any Streamlit element: alerts,
captions, st.table cells, metric labels and help, progress text) or a CSV file, they pass through here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

#: What a lone surrogate becomes: U+FFFD REPLACEMENT CHARACTER, shown as a visible "�".
REPLACEMENT = "\ufffd"
#: A lone surrogate: a JSON escape in \ud800-\udfff that pairs with nothing decodes to one of these, and no UTF-8
#: encoder (Arrow, pandas' string columns, JSON output, the page's protobuf) accepts it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: Characters that start Markdown syntax anywhere in a line (CommonMark, GFM tables and strikethrough,
#: and the $ of the math that GitHub and Streamlit render); each is written with a backslash before it.
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#!|~$^@")
_HTML = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
#: Both at once, for str.translate (one pass in C instead of a Python loop over every character).
_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in _MARKDOWN_PUNCTUATION}, **_HTML})
#: What only means something at the start of a line: a list item ("- ", "+ ", "1. ") or a heading underline ("=").
_LEADING_NUMBER = re.compile(r"^(\s*\d+)(?=[.)])")
_LEADING_MARK = re.compile(r"^(\s*)(?=[-+=])")
#: URL schemes (and GFM's bare "www." links): the colon or dot after them is escaped so no renderer links them.
_SCHEMES = re.compile(r"(?i)(javascript|vbscript|data|file|https?|ftp|mailto)(?=:)|\b(www)(?=\.)")
#: U+2060 WORD JOINER: invisible and zero-width. Streamlit's frontend turns `https://`, `www.` and `name@host` into links
#: and `:name:`, `:material/name:` and `:red[...]` into emoji, icons and colours *after* Markdown escapes are resolved,
#: so escaping cannot stop them; a joiner after every colon, before every @ and inside `www.` does (checked in Chromium:
#: tests/e2e/test_no_html_injection.py).
JOINER = "\u2060"
_SHOWN = str.maketrans(
    {
        **{ch: "\\" + ch for ch in _MARKDOWN_PUNCTUATION - {"@"}},
        **_HTML,
        ":": ":" + JOINER,
        "@": JOINER + "@",
    }
)
_WWW = re.compile(r"(?i)(?<=www)(?=\.)")
#: OWASP's list of characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def valid_unicode(value: Any) -> Any:
    """`value` (text, or a JSON value: its lists, objects and keys too) with each lone surrogate replaced by "�", so
    every consumer can encode it; the very same object when it holds none (so `is` tells whether any was replaced).

    >>> valid_unicode({"role": "assistant", "content": "x\\udc80"}) == {"role": "assistant", "content": "x\\ufffd"}
    True
    """
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(REPLACEMENT, value) if _LONE_SURROGATE.search(value) else value
    if isinstance(value, list):
        items = [valid_unicode(item) for item in value]
        return items if any(new is not old for new, old in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        pairs = [(valid_unicode(key), valid_unicode(item)) for key, item in value.items()]
        changed = any(k is not old_k or v is not old_v for (k, v), (old_k, old_v) in zip(pairs, value.items(), strict=True))
        return dict(pairs) if changed else value
    return value


def escape_markdown(text: object) -> str:
    """`text` as one line of Markdown that renders as exactly that text: no links, images, HTML or formatting."""
    line = " ".join(str(text).splitlines())
    escaped = line.translate(_ESCAPES)
    escaped = _SCHEMES.sub(lambda m: (m.group(1) or m.group(2)) + "\\", escaped)
    escaped = _LEADING_NUMBER.sub(r"\1\\", escaped, count=1)
    return _LEADING_MARK.sub(r"\1\\", escaped, count=1)


def plain_markdown(text: object) -> str:
    """`text` for any Streamlit element that renders Markdown: shown as typed, its line breaks kept, nothing rendered.

    The one way text from outside (a link, an import, an upload, an edited table) reaches the page: no link, image,
    HTML, formatting, autolink, emoji, icon or colour comes out of it, whatever it holds.
    """
    return "  \n".join(_plain_line(line) for line in str(text).splitlines() or [""])


def _plain_line(line: str) -> str:
    shown = _WWW.sub(JOINER, line.translate(_SHOWN))
    shown = _LEADING_NUMBER.sub(r"\1\\", shown, count=1)
    return _LEADING_MARK.sub(r"\1\\", shown, count=1)


def plain_cells(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`frame` for st.table, which renders Markdown in its cells: the `columns` that hold outside text through
    plain_markdown (the others are the app's own formatted numbers)."""
    shown = frame.copy()
    for column in columns:
        shown[column] = shown[column].map(plain_markdown)
    return shown


def neutralise_cell(value: object) -> object:
    """A text cell a spreadsheet would read as a formula, with a single quote in front; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV (CRLF line ends, no index), formula-like text cells and headers neutralised; numbers stay."""
    safe = frame.copy()
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_datetime64_any_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise_cell)
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
