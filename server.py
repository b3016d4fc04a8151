"""Serve the explorer: `streamlit run server.py` runs streamlit_app.py and pages/ as usual, and warms the server up.

As the server starts, a background thread imports and computes what the home page needs (ui/warmup.py) while the
first browser is still loading Streamlit's scripts, so the first chart appears sooner. `streamlit run
streamlit_app.py` also works; it only skips the warm-up.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def warm_up(_app: st.App) -> AsyncIterator[None]:
    """Start the warm-up without delaying the server: it answers requests while the thread works."""
    from ui.warmup import warm_home_page

    threading.Thread(target=warm_home_page, name="warm-up", daemon=True).start()
    yield


app = st.App("streamlit_app.py", lifespan=warm_up)
