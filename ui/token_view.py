"""The token view: pasted text with token boundaries shown, built only from escaped text."""

from __future__ import annotations

import html

COLOURS = ("#dbeafe", "#fde68a")
VIEW_TOKENS = 3_000
VIEW_CHARS = 60_000  # enough text for VIEW_TOKENS tokens; the rest is not encoded for the view


def token_view_html(pieces: list[tuple[bytes, int | None]], limit: int = VIEW_TOKENS) -> str:
    """HTML spans in alternating colours, one per token, its id(s) in the hover title where they are the model's own.

    Tokens that end inside a multi-byte character are merged with the next until the bytes decode,
    so emoji and CJK show whole. Every piece of text is escaped: nothing the user typed is markup.
    """
    shown: list[str] = []
    pending: list[int | None] = []
    data = b""
    for token_bytes, token in pieces[:limit]:
        pending.append(token)
        data += token_bytes
        try:
            chunk = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        colour = COLOURS[len(shown) % 2]
        ids = [str(t) for t in pending if t is not None]
        title = f' title="token id {", ".join(ids)}"' if ids else f' title="{len(pending)} token{"s" * (len(pending) > 1)}"'
        shown.append(f'<span style="background:{colour}"{title}>{html.escape(chunk)}</span>')
        pending, data = [], b""
    return (
        '<div data-testid="token-view" style="white-space:pre-wrap;word-break:break-word;font-family:monospace;'
        'font-size:0.9rem;line-height:1.6;max-height:420px;overflow:auto;border:1px solid #ddd;padding:0.5rem">'
        + "".join(shown)
        + "</div>"
    )
