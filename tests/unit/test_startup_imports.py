"""The server's start-up warm-up covers the home page and nothing more (checked in a fresh interpreter)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# genai-prices is on the home page since it prices the prompting model of every pair.
PAGE_ONLY = ("altair", "vl_convert", "calc.inputs.dataset", "calc.inputs.prompt")


def _home_page_imports() -> set[str]:
    """Every module streamlit_app.py imports at its top level."""
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _after_warm_up() -> dict:
    code = (
        "import gc, json, sys; from ui.warmup import warm_home_page; failed = warm_home_page(); "
        "print(json.dumps({'failed': failed, 'modules': sorted(sys.modules), 'frozen': gc.get_freeze_count()}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_warm_up_loads_what_the_home_page_imports_and_no_page_only_package():
    state = _after_warm_up()
    assert state["failed"] == []
    loaded = set(state["modules"])
    assert _home_page_imports() <= loaded
    assert [name for name in PAGE_ONLY if name in loaded] == []
    assert state["frozen"] > 50_000  # pandas, Altair and the tables: out of the per-rerun garbage collection


def test_server_entry_is_an_app_whose_start_runs_the_warm_up():
    """`streamlit run server.py` finds an st.App (Streamlit's own discovery), and starting it starts the warm-up."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "server.py")
    assert found.is_asgi_app and found.import_string == "server:app"
    code = (
        "import asyncio, sys, threading, server\n"
        "async def start():\n"
        "    async with server.warm_up(server.app):\n"
        "        [t.join(60) for t in threading.enumerate() if t.name == 'warm-up']\n"
        "asyncio.run(start())\n"
        "print(server.app.__class__.__name__, 'ui.home_charts' in sys.modules, 'pandas' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["App", "True", "True"]
