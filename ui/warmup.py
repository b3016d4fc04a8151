"""Start-up warm-up: what the home page needs, done once in the server process before anyone asks.

`server.py` runs `warm_home_page` in a background thread while the first browser is still loading Streamlit's
own scripts, so the first visitor's page does not wait for pandas, the data tables or the default charts.
Only the home page's needs are warmed: other pages keep their heavy imports (Altair, genai-prices, vl-convert, the
dataset analyser) lazy.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import time

from streamlit.logger import get_logger

LOGGER = get_logger(__name__)

HOME_MODULES = (
    "pandas",
    "calc.brief",
    "calc.costs",
    "calc.prompt_models",
    "ui.analysis",
    "ui.assumptions",
    "ui.export",
    "ui.home_charts",
    "ui.present",
    "ui.sidebar",
)
# Streamlit internals the first run would load (the emoji table behind set_page_config's page_icon check);
# skipped quietly if a Streamlit release moves them.
STREAMLIT_MODULES = ("streamlit.emojis",)


def warm_home_page() -> list[str]:
    """Import the home page's modules and compute its default view; returns what could not be warmed.

    Never raises: a warm-up failure only means the first visitor pays the cost it would have saved.
    """
    start = time.perf_counter()
    failed = [name for name in HOME_MODULES if not _import(name)]
    for name in STREAMLIT_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    for step in (_default_view, _first_element_check, _freeze_long_lived):
        try:
            step()
        except Exception:
            LOGGER.exception("warm-up: %s failed", step.__name__)
            failed.append(step.__name__)
    LOGGER.info("Home page warmed up in %.1f s%s", time.perf_counter() - start, f" (failed: {failed})" if failed else "")
    return failed


def _import(name: str) -> bool:
    try:
        importlib.import_module(name)
    except Exception:
        LOGGER.exception("warm-up: importing %s failed", name)
        return False
    return True


def _default_view() -> None:
    """The default scenario's analysis, chart specs, option table and article table, as the home page first asks."""
    import datetime as dt

    from calc.prompt_models import catalogue_refs
    from calc.scenario import Scenario
    from ui.analysis import article_view, volume_analysis
    from ui.assumptions import shipped_options
    from ui.home_charts import cumulative_spec, volume_spec
    from ui.sidebar import task_labels

    shipped_options()
    scenario = Scenario()
    result = volume_analysis(scenario, dt.date.today())
    catalogue_refs()
    volume_spec(scenario, result)
    cumulative_spec(scenario, result)
    article_view()
    task_labels()


def _first_element_check() -> None:
    """Streamlit's once-per-process "not run with streamlit run?" check, which walks the whole stack (~0.2 s).

    It runs before the first element any session draws; done here, no visitor waits for it. Only in a running
    server (elsewhere the check would print its warning), and skipped if a Streamlit release drops it.
    """
    from streamlit import delta_generator, runtime

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if check is not None and runtime.exists():
        check()


def _freeze_long_lived() -> None:
    """Move everything alive now (modules, tables, cached views) out of the garbage collector's sight.

    Streamlit runs a full collection after every script run; with pandas and Altair loaded that walks ~120,000
    long-lived objects (~60 ms per rerun here). Frozen, they are skipped, and only each run's own objects are
    checked. Collecting first keeps garbage from being frozen; at most the objects of a run in flight at this
    moment stay for good.
    """
    gc.collect()
    gc.freeze()
