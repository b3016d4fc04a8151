"""Presentation mode and sharing: a clean screen for a meeting room, a link that reopens the view."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from ui.binding import IN_LINK

PRESENT_KEY = "present"
_STYLE = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
[data-testid="stDecoration"], header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.9vw, 3.4rem) !important; line-height: 1.15 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; overflow-wrap: anywhere;
}
[data-testid="stMetricLabel"] p { font-size: clamp(0.95rem, 1.3vw, 1.25rem) !important; white-space: normal !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important; max-width: 100% !important; }
h1 { font-size: 2.6rem !important; }
[data-testid="stAlert"] p { font-size: 1.3rem !important; }
.st-key-presenter_controls label p, .st-key-presenter_controls [data-testid="stMarkdownContainer"] p {
  font-size: clamp(1rem, 1.4vw, 1.35rem) !important;
}
.st-key-presenter_controls [data-testid="stSliderThumbValue"], .st-key-presenter_controls [data-baseweb="select"] {
  font-size: clamp(1rem, 1.3vw, 1.3rem) !important;
}
</style>
"""


def presenting() -> bool:
    """True when the session is in presentation mode."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def presentation_toggle() -> None:
    """The toggle (in the sidebar), bound to the URL so a link can open straight into presentation mode."""
    st.toggle(
        "Presentation mode",
        key=PRESENT_KEY,
        **IN_LINK,
        help="Hides every control but the prompting/fine-tuning pair and the volume, and shows the key numbers large, "
        "for a meeting room.",
    )


def _leave() -> None:
    st.session_state[PRESENT_KEY] = False


def apply_presentation() -> None:
    """In presentation mode: hide the controls, enlarge numbers, offer a way back."""
    if presenting():
        st.html(_STYLE)
        st.button("Exit presentation", on_click=_leave, key="exit_presentation", icon=":material/close:")


def share_link(base_url: str | None, params: dict[str, str]) -> str:
    """The page's address with `params` as its query string (and "/" as the path of a bare host, as browsers write it)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    parts = urlsplit(base_url or "")
    if parts.netloc and not parts.path:
        parts = parts._replace(path="/")
    return urlunsplit(parts._replace(query=query, fragment=""))
