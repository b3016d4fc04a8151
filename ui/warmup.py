"""Start-up warm-up: what the home page needs, done once in the server process before anyone asks.

`server.py` runs `warm_home_page` in a background thread while the first browser is still loading Streamlit's
own scripts, so the first visitor's page does not wait for pandas, the data tables or the default charts.
Only the home page's needs are warmed: other pages keep their heavy imports (Altair, genai-prices, vl-convert, the
dataset analyser) lazy.
"""

from __future__ import annotations

import gc
import importlib
import time

from streamlit.logger import get_logger

LOGGER = get_logger(__name__)

HOME_MODULES = (
    "pandas",
    "calc.text.brief",
    "calc.costs.pair",
    "calc.catalogue.prompt_models",
    "ui.analysis",
    "ui.assumptions",
    "ui.export",
    "ui.home_charts",
    "ui.pair_view",
    "ui.present",
    "ui.price_status",
    "ui.sidebar",
    "ui.verdict_view",
    "ui.volume_texts",
)


def warm_home_page() -> list[str]:
    """Import the home page's modules and compute its default view; returns what could not be warmed.

    Never raises: a warm-up failure only means the first visitor pays the cost it would have saved.
    """
    start = time.perf_counter()
    failed = [name for name in HOME_MODULES if not _import(name)]
    for step in (_default_view, _freeze_long_lived):
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

    from calc.catalogue.prompt_models import catalogue_refs
    from calc.scenario import Scenario
    from calc.verdict.quality import pair_verdict
    from ui.analysis import article_view, volume_analysis
    from ui.assumptions import shipped_options
    from ui.clock import app_today
    from ui.home_charts import cumulative_page_spec, volume_page_spec
    from ui.sidebar import task_labels
    from ui.volume_texts import volume_texts

    shipped_options()
    scenario = Scenario()
    result = volume_analysis(scenario, app_today())
    catalogue_refs()
    volume_texts(scenario, result, False)
    pair_verdict(scenario, result.pair, result.summary)
    volume_page_spec(scenario, result)
    cumulative_page_spec(scenario, result)
    article_view()
    task_labels()


def _freeze_long_lived() -> None:
    """Move everything alive now (modules, tables, cached views) out of the garbage collector's sight.

    Streamlit's own full collection after every script run is off (`runner.postScriptGC = false` in
    .streamlit/config.toml: with it on, each rerun also walked every other session's objects, so a move cost 29 ms
    of server CPU with 10 sessions and 63 ms with 80; see deploy/CAPACITY.md). Python's automatic collections still
    run; frozen, the ~120,000 long-lived objects of pandas and the data tables are skipped by them. Collecting first
    keeps garbage from being frozen; at most the objects of a run in flight at this moment stay for good.
    """
    gc.collect()
    gc.freeze()
