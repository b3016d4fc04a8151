"""Which prices are in force: genai-prices' bundled snapshot or one fetched at run time, and the fine-tuning options
and prompting-model facts shipped in data/ or loaded from a team-hosted table.

Off by default: nothing here opens a connection unless a setting names a URL (`start_from_environ`, `server.py`, the command
line's `--prices-url`/`--options-url`/`--options-file`). Prompting prices are refreshed by genai-prices' own
background updater (`genai_prices.UpdatePrices`, shared by every caller in the process) with a fetch that caps the
download and checks the data before it is used; a team table is re-read by a daemon thread. A failed refresh keeps
the last good data in force and records one line saying why. Every combination of data in force has a `version`
that caches key on, so a refresh never mixes old and new prices in one view.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version as package_version
from typing import Any

from calc.catalogue.price_fetch import SourceError, clock_text, digest, download, one_line, utc_now
from calc.catalogue.team_tables import MODEL_FACTS, OPTIONS, SHIPPED_VERSION, TableData, TableSource, shipped_table

ENV_PRICES_URL = "EXPLORER_PRICES_URL"
ENV_PRICES_INTERVAL = "EXPLORER_PRICES_INTERVAL"
ENV_OPTIONS_URL = "EXPLORER_OPTIONS_URL"
ENV_OPTIONS_FILE = "EXPLORER_OPTIONS_FILE"
ENV_MODELS_URL = "EXPLORER_MODELS_URL"
ENV_MODELS_FILE = "EXPLORER_MODELS_FILE"
ENV_TABLES_INTERVAL = "EXPLORER_TABLES_INTERVAL"

#: The day the project checked the installed genai-prices data against its providers' pages (data/README.md).
BUNDLED_CHECKED = dt.date(2026, 12, 6)
BUNDLED_VERSION = "bundled"
DEFAULT_INTERVAL_S = 3600.0
MIN_INTERVAL_S = 1.0
#: genai-prices' whole data file is about 0.9 MB; anything past this is refused before it is parsed.
MAX_CATALOGUE_BYTES = 10_000_000
_KEPT_VERSIONS = 8


# --- settings ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Where fresh prices come from (None: the bundled or shipped data) and how often they are re-read, in seconds."""

    prices_url: str | None = None
    prices_interval_s: float = DEFAULT_INTERVAL_S
    options_location: str | None = None
    models_location: str | None = None
    tables_interval_s: float = DEFAULT_INTERVAL_S

    @property
    def refreshing(self) -> bool:
        """True when any setting asks for data from outside the installed package and data/."""
        return any((self.prices_url, self.options_location, self.models_location))


def check_url(text: str, what: str) -> str:
    """`text` when it is an http(s) URL with a host; SourceError saying why not."""
    from urllib.parse import urlsplit

    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{what}: {text[:80]!r} is not an http(s) URL")
    return text


def check_interval(text: str | float, what: str) -> float:
    """An interval in seconds, at least MIN_INTERVAL_S; SourceError otherwise."""
    try:
        seconds = float(text)
    except (TypeError, ValueError):
        raise SourceError(f"{what}: {str(text)[:40]!r} is not a number of seconds") from None
    if not MIN_INTERVAL_S <= seconds < float("inf"):
        raise SourceError(f"{what}: {seconds:g} s is outside {MIN_INTERVAL_S:g} s to any finite number of seconds")
    return seconds


def table_location(url: str | None, path: str | None, what: str) -> str | None:
    """The one location of a team table given as a URL or a path (never both); SourceError otherwise."""
    if url and path:
        raise SourceError(f"{what}: give a URL or a file, not both")
    if url:
        return check_url(url, what)
    return path.strip() if path and path.strip() else None


def settings_from(
    environ: Mapping[str, str],
    *,
    prices_url: str | None = None,
    prices_interval: str | float | None = None,
    options_url: str | None = None,
    options_file: str | None = None,
    models_url: str | None = None,
    models_file: str | None = None,
    tables_interval: str | float | None = None,
) -> Settings:
    """The settings from the environment, each overridden by its option where given; SourceError for a bad one."""

    def pick(option: Any, name: str) -> Any:
        return option if option is not None else (environ.get(name) or None)

    url = pick(prices_url, ENV_PRICES_URL)
    options = (pick(options_url, ENV_OPTIONS_URL), pick(options_file, ENV_OPTIONS_FILE))
    if options_url or options_file:
        options = (options_url, options_file)
    models = (pick(models_url, ENV_MODELS_URL), pick(models_file, ENV_MODELS_FILE))
    if models_url or models_file:
        models = (models_url, models_file)
    return Settings(
        prices_url=check_url(url, "prices URL") if url else None,
        prices_interval_s=check_interval(pick(prices_interval, ENV_PRICES_INTERVAL) or DEFAULT_INTERVAL_S, "prices interval"),
        options_location=table_location(*options, "fine-tuning options table"),
        models_location=table_location(*models, "prompting-model facts table"),
        tables_interval_s=check_interval(pick(tables_interval, ENV_TABLES_INTERVAL) or DEFAULT_INTERVAL_S, "table interval"),
    )


def parse_catalogue(data: bytes) -> Any:
    """genai-prices data (its published JSON: a list of providers) as a DataSnapshot; SourceError or the parse error.

    The default pair's prompting model must be in it: data without it would break every page's default view. Every
    model's prices are held to the team tables' bounds and priced once (calc/catalogue/price_probe.py): one bad price
    refuses the whole file, naming the model and the field.
    """
    from genai_prices.data_snapshot import DataSnapshot
    from genai_prices.types import _providers_from_raw

    from calc.catalogue.price_probe import ImplausiblePriceError, check_snapshot_prices, invalid_model_price
    from calc.scenario import Scenario

    payload = json.loads(data)
    if not isinstance(payload, list) or not payload:
        raise SourceError("not genai-prices data (expected a non-empty JSON list of providers)")
    try:
        providers = _providers_from_raw(payload)
    except ValueError:  # pydantic's ValidationError: say which model, where genai-prices names only the field
        model = invalid_model_price(payload)
        if model is None:
            raise
        raise SourceError(f"refused whole: {model}") from None
    snapshot = DataSnapshot(providers, from_auto_update=True)
    provider_id, _, model_ref = Scenario().prompt_model.partition(":")
    try:
        snapshot.find_provider_model(model_ref, None, provider_id, None)
    except LookupError:
        raise SourceError(f"the data has no price for the default model {Scenario().prompt_model}") from None
    try:
        check_snapshot_prices(snapshot)
    except ImplausiblePriceError as problem:
        raise SourceError(f"refused whole: {problem}") from None
    return snapshot


# --- prompting prices (genai-prices) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueData:
    """One version of genai-prices' data: the snapshot, and in words where it came from and when."""

    version: str
    snapshot: Any = field(repr=False, compare=False)
    label: str
    fetched_at: dt.datetime | None = None
    url: str | None = None
    digest: str | None = None  # of the fetched bytes: the same data fetched again changes nothing


class _Catalogues:
    """The fetched snapshots this process has used, by version, and the last refresh's outcome (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.by_id: dict[int, CatalogueData] = {}
        self.attempts = 0
        self.accepted = 0
        self.problem: str | None = None

    @staticmethod
    @cache
    def bundled() -> CatalogueData:
        """The package's own data (genai-prices 0.2.3 has no public name for it), described once per process."""
        from genai_prices import data_snapshot

        return CatalogueData(
            BUNDLED_VERSION,
            data_snapshot._bundled_snapshot(),
            f"genai-prices {package_version('genai-prices')}, bundled snapshot of {BUNDLED_CHECKED.isoformat()}",
        )

    def current(self) -> CatalogueData:
        """The data genai-prices prices with now."""
        from genai_prices import data_snapshot

        snapshot = data_snapshot.get_snapshot()
        known = self.by_id.get(id(snapshot))  # one dict read: no lock needed
        if known is not None and known.snapshot is snapshot:
            return known
        if not snapshot.from_auto_update:
            return self.bundled()
        return CatalogueData(f"custom-{id(snapshot)}", snapshot, "genai-prices data set by another caller")

    def accept(self, data: bytes, url: str, at: dt.datetime) -> Any:
        """The snapshot to put in force for fetched `data` (the one in force when nothing changed)."""
        fetched = digest(data)
        in_force = self.current()
        if in_force.digest == fetched:
            return in_force.snapshot
        snapshot = parse_catalogue(data)
        with self.lock:
            self.accepted += 1
            if len(self.by_id) >= _KEPT_VERSIONS:
                self.by_id.pop(next(iter(self.by_id)))
            label = f"genai-prices data updated {clock_text(at)} from {url}"
            version = f"fetched-{self.accepted}-{fetched}"  # each accepted snapshot its own, whatever its bytes
            self.by_id[id(snapshot)] = CatalogueData(version, snapshot, label, at, url, fetched)
        return snapshot

    def finished(self, problem: str | None) -> None:
        with self.lock:
            self.attempts += 1
            self.problem = problem
            self.lock.notify_all()

    def wait_for_attempt(self, after: int, timeout_s: float) -> bool:
        """True once more than `after` refreshes have finished (succeeded or failed) within `timeout_s`."""
        with self.lock:
            return self.lock.wait_for(lambda: self.attempts > after, timeout=timeout_s)


_CATALOGUES = _Catalogues()


def _updater_class() -> type:
    """genai-prices' UpdatePrices with a fetch that caps the download, checks the data and records the outcome."""
    from genai_prices import UpdatePrices

    @dataclass
    class CatalogueUpdater(UpdatePrices):
        max_bytes: int = MAX_CATALOGUE_BYTES
        clock: Callable[[], dt.datetime] = utc_now

        def fetch(self) -> Any:
            """The snapshot at `url`, or the failure recorded in one line and raised (genai-prices keeps the last)."""
            try:
                data = download(self.url, self.max_bytes, self.request_timeout)
                snapshot = _CATALOGUES.accept(data, self.url, self.clock())
            except Exception as problem:
                _CATALOGUES.finished(f"update from {self.url} failed at {clock_text(self.clock())}: {one_line(problem)}")
                raise
            _CATALOGUES.finished(None)
            return snapshot

    return CatalogueUpdater


# --- what is in force ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InForce:
    """The data every number is computed from right now, its version (what caches key on) and failed refreshes."""

    catalogue: CatalogueData
    options: TableData
    models: TableData
    problems: tuple[str, ...] = ()
    refreshing: bool = False

    @property
    def version(self) -> str:
        """One key for this combination of data: equal versions price everything identically."""
        return f"{self.catalogue.version}+{self.options.version}+{self.models.version}"

    def lines(self) -> list[str]:
        """Which prices are in force, one line per source, for pages, the brief and the command line."""
        lines = [f"Prompting prices: {self.catalogue.label}.", f"Fine-tuning options: {self.options.label}."]
        if self.models.version != SHIPPED_VERSION:
            lines.append(f"Prompting-model facts: {self.models.label}.")
        return lines

    def notes(self) -> list[str]:
        """One line per failed refresh, saying that the last good data stays in use."""
        return [f"Price refresh: {problem}; the last good prices stay in use." for problem in self.problems]


class _Sources:
    """The refreshers this process runs (none by default), started once from settings."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = False
        self.settings = Settings()
        self.updater: Any = None
        self.tables: dict[str, TableSource] = {}
        self.setting_problem: str | None = None
        self.attempts_at_start = 0
        self.last: tuple[tuple, InForce] | None = None
        self.pinned: OrderedDict[str, InForce] = OrderedDict()


_SOURCES = _Sources()


def start(settings: Settings, clock: Callable[[], dt.datetime] = utc_now) -> None:
    """Start the refreshers `settings` ask for, in the background (returns at once); later calls do nothing."""
    with _SOURCES.lock:
        if _SOURCES.started:
            return
        _SOURCES.started, _SOURCES.settings = True, settings
        if settings.prices_url:
            _SOURCES.attempts_at_start = _CATALOGUES.attempts
            _SOURCES.updater = _updater_class()(url=settings.prices_url, update_interval=settings.prices_interval_s, clock=clock)
            _SOURCES.updater.start()
        tables = (("options", OPTIONS, settings.options_location), ("models", MODEL_FACTS, settings.models_location))
        for key, kind, location in tables:
            if location:
                _SOURCES.tables[key] = TableSource(kind, location, clock)
                _SOURCES.tables[key].start(settings.tables_interval_s)


def start_from_environ(environ: Mapping[str, str] | None = None) -> None:
    """Start what the environment asks for (the pages call this on every run: after the first, it does nothing).

    A setting that cannot be used starts nothing and is reported by `in_force()` as a problem.
    """
    if _SOURCES.started:
        return
    try:
        settings = settings_from(os.environ if environ is None else environ)
    except SourceError as problem:
        with _SOURCES.lock:
            _SOURCES.setting_problem = f"setting ignored: {one_line(problem)}"
            _SOURCES.started = True
        return
    start(settings)


def stop() -> None:
    """Stop every refresher and put the bundled and shipped data back in force (tests; a server's shutdown)."""
    from genai_prices import data_snapshot

    with _SOURCES.lock:
        if _SOURCES.updater is not None:
            _SOURCES.updater.stop()
        for source in _SOURCES.tables.values():
            source.stop()
        _SOURCES.__init__()
    data_snapshot.set_custom_snapshot(None)
    with _CATALOGUES.lock:
        _CATALOGUES.problem = None


def in_force() -> InForce:
    """The data in force now: a few dictionary reads while nothing changed (pages call it many times a run)."""
    tables = _SOURCES.tables
    options, models = tables.get("options"), tables.get("models")
    key = (
        _CATALOGUES.current(),
        options.current if options else shipped_table(OPTIONS),
        models.current if models else shipped_table(MODEL_FACTS),
        _SOURCES.setting_problem,
        _CATALOGUES.problem if _SOURCES.updater is not None else None,
        options.problem if options else None,
        models.problem if models else None,
        _SOURCES.settings,
    )
    last = _SOURCES.last
    if last is not None and all(a is b for a, b in zip(last[0], key, strict=True)):
        return last[1]
    catalogue, options_data, models_data, *problems, settings = key
    state = InForce(catalogue, options_data, models_data, tuple(p for p in problems if p), settings.refreshing)
    pinned = _SOURCES.pinned
    if state.version not in pinned:
        pinned[state.version] = state
        while len(pinned) > _KEPT_VERSIONS:
            pinned.popitem(last=False)
    _SOURCES.last = (key, state)
    return state


def pinned(version: str | None) -> InForce:
    """The data of `version` as long as it is kept (the last few), else the data in force now."""
    if version is None:
        return in_force()
    held = _SOURCES.pinned.get(version)
    return held if held is not None else in_force()


def current_version() -> str:
    """The version of the data in force now."""
    return in_force().version


def refresh_now(timeout_s: float = 30.0) -> InForce:
    """Re-read every configured source now and wait for the outcome (the command line, tests); what is then in force.

    genai-prices' updater has no "fetch now": stopping and starting the one instance makes its shared thread fetch
    again at once (a new run when the thread had exited, the next loop when it had not). SourceError naming the
    source when one did not finish within `timeout_s`.
    """
    updater = _SOURCES.updater
    late = []
    if updater is not None:
        attempts = _CATALOGUES.attempts
        updater.stop()
        updater.start()
        if not _CATALOGUES.wait_for_attempt(attempts, timeout_s):
            late.append(updater.url)
    for source in list(_SOURCES.tables.values()):
        source.refresh()
    _raise_if_late(late, timeout_s)
    return in_force()


def wait_until_loaded(timeout_s: float = 30.0) -> InForce:
    """Wait for each configured source's first read to finish (the command line answers only once it has); SourceError
    naming each source that did not finish within `timeout_s`, never an answer at the prices it would replace."""
    late = []
    deadline = time.monotonic() + timeout_s
    if _SOURCES.updater is not None and not _CATALOGUES.wait_for_attempt(_SOURCES.attempts_at_start, timeout_s):
        late.append(_SOURCES.updater.url)
    for source in list(_SOURCES.tables.values()):
        if not source.wait_for_attempt(0, max(deadline - time.monotonic(), 0.0)):
            late.append(source.location)
    _raise_if_late(late, timeout_s)
    return in_force()


def _raise_if_late(late: list[str], timeout_s: float) -> None:
    if late:
        raise SourceError(f"{' and '.join(late)} did not answer in time (nothing loaded within {timeout_s:g} s)")
