"""The token view: pasted text with token boundaries shown, built only from escaped text."""

from __future__ import annotations

import html

COLOURS = ("#dbeafe", "#fde68a")
VIEW_TOKENS = 3_000
VIEW_CHARS = 60_000  # enough text for VIEW_TOKENS tokens; the rest is not encoded for the view


def token_view_html(text: str, ids: list[int], spans: list[tuple[int, int]], limit: int = VIEW_TOKENS) -> str:
    """HTML spans in alternating colours, one per token, its id(s) in the hover title.

    Tokens that end inside a multi-byte character are merged with the next until the bytes decode,
    so emoji and CJK show whole. Every piece of text is escaped: nothing the user typed is markup.
    """
    data = text.encode("utf-8")
    pieces: list[str] = []
    pending: list[int] = []
    start: int | None = None
    for token, (begin, end) in zip(ids[:limit], spans[:limit], strict=True):
        start = begin if start is None else start
        pending.append(token)
        try:
            chunk = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        colour = COLOURS[len(pieces) % 2]
        title = "token id " + ", ".join(str(t) for t in pending)
        pieces.append(f'<span style="background:{colour}" title="{title}">{html.escape(chunk)}</span>')
        pending, start = [], None
    return (
        '<div data-testid="token-view" style="white-space:pre-wrap;word-break:break-word;font-family:monospace;'
        'font-size:0.9rem;line-height:1.6;max-height:420px;overflow:auto;border:1px solid #ddd;padding:0.5rem">'
        + "".join(pieces)
        + "</div>"
    )
