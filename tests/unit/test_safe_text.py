import io
import re

import pandas as pd
import pytest

from calc.text.brief import brief_markdown
from calc.text.safe_text import JOINER, csv_bytes, escape_markdown, plain_cells, plain_markdown
from tests.unit.test_brief_export import _brief

HOSTILE = [
    "<script>alert(1)</script>",
    "[session expired - sign in here](https://evil.example/login)",
    "![x](https://evil.example/pixel.png)",
    "[x](javascript:alert(document.cookie))",
    "<img src=x onerror=alert(1)>",
    "JaVaScRiPt:alert(1)",
    "<https://evil.example>",
    "line one\n# heading\n- list",
    "**bold** _it_ `code` ~~s~~ | pipe $x^2$",
]


def _links_or_markup(markdown: str) -> list[str]:
    """Markdown or HTML that a renderer would turn into a link, image, tag or formatting (escapes excluded)."""
    unescaped = re.sub(r"\\.", "", markdown)
    found = re.findall(r"<[A-Za-z/!]|\]\(|(?i:javascript|https?):|www\.|\*\*|`|\|", unescaped)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_markdown_leaves_no_markup(text):
    escaped = escape_markdown(text)
    assert "\n" not in escaped
    assert _links_or_markup(escaped) == []


@pytest.mark.parametrize(
    ("text", "escaped"), [("- item", "\\- item"), ("1. one", "1\\. one"), ("a & b", "a &amp; b"), ("=2+3", "\\=2+3")]
)
def test_escape_markdown_neutralises_line_starts_and_entities(text, escaped):
    assert escape_markdown(text) == escaped


FRONTEND_LINKS = [
    "Your session expired. Sign in again at https://evil.example/login",
    "ZQXL [Sign in](https://evil.example/login) ![p](https://evil.example/label.png)",
    "www.evil.example WWW.EVIL.EXAMPLE bob@evil.example mailto:bob@evil.example HTTP://EVIL.EXAMPLE",
    ":material/warning: :smile: :+1: :red[red text] :rainbow-background[x] <b>x</b>",
]
#: What Streamlit's frontend turns into links, emoji, icons and colours in the text it has already unescaped
#: (GFM autolink literals, the emoji shortcodes, :material/...: and :colour[...]).
_RENDERED = re.compile(r"(?i)https?://|www\.|[-.\w+]@|:[\w+-]+:|:material/|:[\w-]+\[")


def _as_rendered(markdown: str) -> str:
    """The text Markdown's escapes resolve to (what the frontend's autolink and directive plugins then see)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.mark.parametrize("text", [*HOSTILE, *FRONTEND_LINKS])
def test_plain_markdown_leaves_nothing_the_frontend_renders_and_reads_as_typed(text):
    shown = plain_markdown(text)
    assert "<" not in shown and ">" not in shown
    assert _RENDERED.findall(_as_rendered(shown)) == []
    assert _as_rendered(shown).replace(JOINER, "").replace("  \n", "\n") == text


def test_plain_cells_shows_only_the_named_columns_as_text():
    frame = pd.DataFrame({"label": ["![p](https://evil.example/c.png)"], "share": ["$1.00"]})
    shown = plain_cells(frame, ["label"])
    assert _RENDERED.findall(_as_rendered(shown.loc[0, "label"])) == []
    assert shown.loc[0, "share"] == "$1.00" and frame.loc[0, "label"].startswith("![")


def test_markdown_brief_carries_no_html_links_or_remote_images():
    assumptions = pd.DataFrame(
        [{"item": HOSTILE[0], "value": HOSTILE[1], "source": HOSTILE[2], "as_of": HOSTILE[3], "confidence": "x"}]
    )
    brief = _brief(
        title=f"Prompt or fine-tune: {HOSTILE[0]}",
        scenario=[("Fine-tuning option", HOSTILE[1])],
        reasons=HOSTILE,
        caveats=[f"notes: {HOSTILE[2]}", HOSTILE[3]],
        assumptions=assumptions,
        charts=[],
        link="javascript:alert(1)",
    )
    text = brief_markdown(brief)
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("|---", "| Input", "| Figure", "| Item")))
    cells = re.sub(r"(?m)^\| | \| | \|$", " ", body)  # the table's own pipes
    assert "<script" not in text and "javascript:" not in text.lower() and "](https" not in text
    assert "[open this scenario]" not in text
    assert _links_or_markup(cells.replace("**", "", 2)) == []


def test_markdown_brief_link_cannot_break_out():
    text = brief_markdown(_brief(link="http://x/?a=1) ![img](http://evil.example/p.png"))
    assert "![img]" not in text and "(http://x/?a=1%29%20%21%5Bimg%5D" in text


def test_csv_bytes_neutralises_formula_text_but_keeps_numbers():
    frame = pd.DataFrame({"label": ["=2+3", "+1", "-cmd", "@SUM(A1)", "\tx", "\ry", "plain"], "usd": [-5.0, 1, 2, 3, 4, 5, 6]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), keep_default_na=False)
    assert back["label"].tolist() == ["'=2+3", "'+1", "'-cmd", "'@SUM(A1)", "'\tx", "'\ry", "plain"]
    assert back["usd"].tolist() == [-5.0, 1, 2, 3, 4, 5, 6]


def test_csv_bytes_neutralises_headers():
    assert csv_bytes(pd.DataFrame({"=cmd": [1]})).startswith(b"'=cmd\r\n")
