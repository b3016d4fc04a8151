"""Formatting for the pages: the shared number formats (calc/text/formatting.py, figures.py), status icons, label wrapping."""

from __future__ import annotations

from calc.text.figures import article_suffix, breakeven_text, real_beside, real_breakeven_text, training_text
from calc.text.formatting import TOO_LARGE_USD, count, months, per_day, usd, usd_per_month, usd_per_month_short

__all__ = [
    "STATUS_ICONS",
    "STATUS_ICON_NAMES",
    "TOO_LARGE_USD",
    "article_suffix",
    "breakeven_text",
    "count",
    "months",
    "per_day",
    "real_beside",
    "real_breakeven_text",
    "training_text",
    "usd",
    "usd_per_month",
    "usd_per_month_short",
    "wrap",
]

def wrap(text: str, width: int = 16) -> str:
    """Insert line breaks so a label fits a narrow chart band."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


#: One set of status icons for every page (Streamlit Markdown: material icons render without emoji fonts).
STATUS_ICON_NAMES = {
    "ok": ":material/check_circle:",
    "warning": ":material/schedule:",
    "error": ":material/block:",
    "unknown": ":material/help:",
}
_STATUS_COLOURS = {"ok": "green", "warning": "orange", "error": "red", "unknown": "gray"}
#: The icons coloured, for inline Markdown.
STATUS_ICONS = {state: f":{_STATUS_COLOURS[state]}[{icon}]" for state, icon in STATUS_ICON_NAMES.items()}
