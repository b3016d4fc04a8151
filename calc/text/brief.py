"""The decision brief: the scenario, the recommendation with reasons, key numbers, charts, sources
and caveats, as Markdown and as one self-contained HTML file (images inline, no network needed)."""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pandas as pd

from calc.text.safe_text import escape_markdown


@dataclass(frozen=True)
class Brief:
    """Everything a brief says; every string is plain text (escaped when written as HTML)."""

    title: str
    generated: dt.date
    scenario: list[tuple[str, str]]
    recommendation: str
    reasons: list[str]
    numbers: list[tuple[str, str]]
    assumptions: pd.DataFrame  # columns: item, value, source, as_of, confidence
    caveats: list[str]
    charts: list[tuple[str, bytes]] = field(default_factory=list)  # (title, PNG bytes)
    edited: bool = False
    link: str = ""


def _table_md(rows: list[tuple[str, str]], header: tuple[str, str]) -> str:
    lines = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| {escape_markdown(a)} | {escape_markdown(b)} |" for a, b in rows]
    return "\n".join(lines)


def _safe_link(link: str) -> str:
    """`link` as a Markdown link destination when it is an http(s) address, else ""; no character can end it early."""
    if urlsplit(link).scheme.lower() not in ("http", "https"):
        return ""
    return quote(link, safe=":/?&=%#+,;@~.-_")


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown; charts are embedded as data-URI PNG images, every text from the app escaped."""
    e = escape_markdown
    link = _safe_link(brief.link)
    parts = [
        f"# {e(brief.title)}",
        f"Generated {brief.generated.isoformat()}" + (f" · [open this scenario]({link})" if link else ""),
    ]
    if brief.edited:
        parts.append("> **Edited assumptions:** this brief uses prices edited in the app; the table below shows them.")
    parts += ["## Recommendation", f"**{e(brief.recommendation)}**", "\n".join(f"- {e(r)}" for r in brief.reasons)]
    parts += ["## Scenario", _table_md(brief.scenario, ("Input", "Value"))]
    parts += ["## Key numbers", _table_md(brief.numbers, ("Figure", "Value"))]
    for title, png in brief.charts:
        parts += [f"## {e(title)}", f"![{e(title)}](data:image/png;base64,{base64.b64encode(png).decode()})"]
    parts.append("## Assumptions and sources")
    lines = ["| Item | Value | Source | As of | Confidence |", "|---|---|---|---|---|"]
    for row in brief.assumptions.itertuples(index=False):
        cells = [e(getattr(row, c)) for c in ("item", "value", "source", "as_of", "confidence")]
        lines.append("| " + " | ".join(cells) + " |")
    parts.append("\n".join(lines))
    parts += ["## Caveats", "\n".join(f"- {e(c)}" for c in brief.caveats)]
    return "\n\n".join(parts) + "\n"


_CSS = (
    "body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2rem auto;color:#222;line-height:1.45}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.35rem .5rem;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}.rec{font-size:1.4rem;font-weight:bold;color:#b23a16}"
    ".edited{background:#fff3cd;padding:.5rem;border:1px solid #e0c36a}img{max-width:100%}"
)


def _rows_html(rows: list[tuple[str, str]], header: tuple[str, str]) -> str:
    head = f"<tr><th>{html.escape(header[0])}</th><th>{html.escape(header[1])}</th></tr>"
    body = "".join(f"<tr><td>{html.escape(str(a))}</td><td>{html.escape(str(b))}</td></tr>" for a, b in rows)
    return f"<table>{head}{body}</table>"


def brief_html(brief: Brief) -> str:
    """The brief as one HTML file: styles and chart images inline, every text escaped."""
    e = html.escape
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{e(brief.title)}</title><style>{_CSS}</style></head><body>"
    ]
    out.append(f"<h1>{e(brief.title)}</h1><p>Generated {e(brief.generated.isoformat())}</p>")
    if brief.link:
        out.append(f"<p>Scenario link: <code>{e(brief.link)}</code></p>")
    if brief.edited:
        out.append(
            "<p class='edited'><b>Edited assumptions:</b> this brief uses prices edited in the app; see the table below.</p>"
        )
    out.append(f"<h2>Recommendation</h2><p class='rec'>{e(brief.recommendation)}</p><ul>")
    out += [f"<li>{e(r)}</li>" for r in brief.reasons]
    out.append("</ul><h2>Scenario</h2>" + _rows_html(brief.scenario, ("Input", "Value")))
    out.append("<h2>Key numbers</h2>" + _rows_html(brief.numbers, ("Figure", "Value")))
    for title, png in brief.charts:
        out.append(f"<h2>{e(title)}</h2><img alt='{e(title)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>")
    out.append(
        "<h2>Assumptions and sources</h2><table><tr><th>Item</th><th>Value</th><th>Source</th>"
        "<th>As of</th><th>Confidence</th></tr>"
    )
    for row in brief.assumptions.itertuples(index=False):
        out.append(
            "<tr>"
            + "".join(f"<td>{e(str(getattr(row, c)))}</td>" for c in ("item", "value", "source", "as_of", "confidence"))
            + "</tr>"
        )
    out.append("</table><h2>Caveats</h2><ul>" + "".join(f"<li>{e(c)}</li>" for c in brief.caveats) + "</ul></body></html>")
    return "".join(out)
