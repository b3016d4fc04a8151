"""Which prices are in force: genai-prices' bundled snapshot or one fetched at run time, and the fine-tuning options
and prompting-model facts shipped in data/ or loaded from a team-hosted table.

Off by default: nothing here opens a connection unless a setting names a URL (`settings_from_environ`, the command
line's `--prices-url`/`--options-url`/`--options-file`). Prompting prices are refreshed by genai-prices' own
background updater (`genai_prices.UpdatePrices`, shared by every caller in the process) with a fetch that caps the
download and checks the data before it is used; a team table is re-read by a daemon thread. A failed refresh keeps
the last good data in force and records one line saying why. Every combination of data in force has a `version`
that caches key on, so a refresh never mixes old and new prices in one view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import pandas as pd

ENV_PRICES_URL = "EXPLORER_PRICES_URL"
ENV_PRICES_INTERVAL = "EXPLORER_PRICES_INTERVAL"
ENV_OPTIONS_URL = "EXPLORER_OPTIONS_URL"
ENV_OPTIONS_FILE = "EXPLORER_OPTIONS_FILE"
ENV_MODELS_URL = "EXPLORER_MODELS_URL"
ENV_MODELS_FILE = "EXPLORER_MODELS_FILE"
ENV_TABLES_INTERVAL = "EXPLORER_TABLES_INTERVAL"

#: The day the project checked the installed genai-prices data against its providers' pages (data/README.md).
BUNDLED_CHECKED = dt.date(2026, 11, 29)
BUNDLED_VERSION = "bundled"
SHIPPED_VERSION = "shipped"
DEFAULT_INTERVAL_S = 3600.0
MIN_INTERVAL_S = 1.0
#: genai-prices' whole data file is about 0.9 MB; anything past this is refused before it is parsed.
MAX_CATALOGUE_BYTES = 10_000_000
#: A team table is a CSV of a few hundred rows at most (as an imported table on the Assumptions page).
MAX_TABLE_BYTES = 1_000_000
REQUEST_TIMEOUT_S = 10.0
MAX_REASON_CHARS = 240
_KEPT_VERSIONS = 8


class SourceError(ValueError):
    """Data fetched or read for a refresh that is refused; the message is one line."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _clock_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%H:%M UTC")


def one_line(problem: BaseException | str) -> str:
    """A failure as one short line: the HTTP status, the connection error or the parse error, never a traceback."""
    if isinstance(problem, str):
        text = problem
    else:
        status = getattr(getattr(problem, "response", None), "status_code", None)
        if status is not None and type(problem).__name__ == "HTTPStatusError":
            text = f"the server answered HTTP {status}"
        elif isinstance(problem, json.JSONDecodeError):
            text = f"not complete JSON (line {problem.lineno}, column {problem.colno}: {problem.msg})"
        elif type(problem).__name__ == "ValidationError":
            first = problem.errors()[0] if hasattr(problem, "errors") and problem.errors() else {}
            where = ".".join(str(part) for part in first.get("loc", ()))
            text = f"not genai-prices data ({where}: {first.get('msg', 'invalid')})"
        elif type(problem).__module__.startswith("httpx"):
            text = f"{type(problem).__name__}: {problem}".rstrip(": ")
        else:
            text = str(problem) or type(problem).__name__
    text = " ".join(text.split()).rstrip(".")
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


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


# --- reading -----------------------------------------------------------------------------------------------------


def download(url: str, max_bytes: int, timeout: Any = REQUEST_TIMEOUT_S) -> bytes:
    """The body at `url`, read in chunks and refused past `max_bytes` (a 50 MB answer is never held whole).

    `timeout`: seconds, or an httpx2.Timeout (genai-prices' own `request_timeout`).
    """
    import httpx2

    if not isinstance(timeout, httpx2.Timeout):
        timeout = httpx2.Timeout(timeout, connect=min(timeout, 5.0))
    with httpx2.stream("GET", url, timeout=timeout) as response:
        response.raise_for_status()
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(f"the file is {int(declared):,} bytes; at most {max_bytes:,} are accepted")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"the file is over {max_bytes:,} bytes; at most {max_bytes:,} are accepted")
            chunks.append(chunk)
    return b"".join(chunks)


def read_location(location: str, max_bytes: int) -> bytes:
    """The bytes of a team table at a URL or a path, refused past `max_bytes`; SourceError when unreadable."""
    if location.startswith(("http://", "https://")):
        return download(location, max_bytes)
    path = Path(location)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError(f"{location}: no such file") from None
    except (IsADirectoryError, PermissionError, OSError) as problem:
        raise SourceError(f"{location}: cannot read the file ({problem.strerror or problem})") from None
    if len(data) > max_bytes:
        raise SourceError(f"{location}: the file is over {max_bytes:,} bytes; at most {max_bytes:,} are accepted")
    return data


def parse_catalogue(data: bytes) -> Any:
    """genai-prices data (its published JSON: a list of providers) as a DataSnapshot; SourceError or the parse error.

    The default pair's prompting model must be in it: data without it would break every page's default view.
    """
    from genai_prices.data_snapshot import DataSnapshot
    from genai_prices.types import _providers_from_raw

    from calc.scenario import Scenario

    payload = json.loads(data)
    if not isinstance(payload, list) or not payload:
        raise SourceError("not genai-prices data (expected a non-empty JSON list of providers)")
    snapshot = DataSnapshot(_providers_from_raw(payload), from_auto_update=True)
    provider_id, _, model_ref = Scenario().prompt_model.partition(":")
    try:
        snapshot.find_provider_model(model_ref, None, provider_id, None)
    except LookupError:
        raise SourceError(f"the data has no price for the default model {Scenario().prompt_model}") from None
    return snapshot


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


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
        digest = _digest(data)
        in_force = self.current()
        if in_force.digest == digest:
            return in_force.snapshot
        snapshot = parse_catalogue(data)
        with self.lock:
            self.accepted += 1
            if len(self.by_id) >= _KEPT_VERSIONS:
                self.by_id.pop(next(iter(self.by_id)))
            label = f"genai-prices data updated {_clock_text(at)} from {url}"
            version = f"fetched-{self.accepted}-{digest}"  # each accepted snapshot its own, whatever its bytes
            self.by_id[id(snapshot)] = CatalogueData(version, snapshot, label, at, url, digest)
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
        clock: Callable[[], dt.datetime] = _utc_now

        def fetch(self) -> Any:
            """The snapshot at `url`, or the failure recorded in one line and raised (genai-prices keeps the last)."""
            try:
                data = download(self.url, self.max_bytes, self.request_timeout)
                snapshot = _CATALOGUES.accept(data, self.url, self.clock())
            except Exception as problem:
                _CATALOGUES.finished(f"update from {self.url} failed at {_clock_text(self.clock())}: {one_line(problem)}")
                raise
            _CATALOGUES.finished(None)
            return snapshot

    return CatalogueUpdater


# --- team tables (fine-tuning options, prompting-model facts) -----------------------------------------------------


@dataclass(frozen=True)
class TableData:
    """One version of a curated table: None while the shipped file is in force, else the team's validated table."""

    version: str
    table: pd.DataFrame | None = field(repr=False, compare=False)
    label: str
    location: str | None = None
    loaded_at: dt.datetime | None = None


def _validate_options(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    from calc.price_import import check_import_limits
    from calc.tables import DataSchemaError, validate_options

    problems = check_import_limits(frame)
    if problems:
        raise DataSchemaError(f"{name}: {problems[0]}")
    return validate_options(frame, name)


def _validate_models(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    from calc.prompt_models import PROMPT_MODEL_COLUMNS
    from calc.tables import DataSchemaError, validate_table

    table = validate_table(frame, PROMPT_MODEL_COLUMNS, name)
    duplicated = table["model_ref"][table["model_ref"].duplicated()].tolist()
    if duplicated:
        raise DataSchemaError(f"{name}: duplicate model_ref {', '.join(duplicated)}.")
    return table.set_index("model_ref", drop=False)


@dataclass(frozen=True)
class TableKind:
    """A curated table a team may host: what it is called, its shipped file and its validation."""

    name: str
    shipped_file: str
    validate: Callable[[pd.DataFrame, str], pd.DataFrame]


OPTIONS = TableKind("fine-tuning options", "data/finetune_options.csv", _validate_options)
MODEL_FACTS = TableKind("prompting-model facts", "data/prompt_models.csv", _validate_models)


def read_table(kind: TableKind, data: bytes, name: str) -> pd.DataFrame:
    """A team table's bytes checked whole: the validated table, or DataSchemaError/SourceError at the first problem."""
    from calc.price_import import read_price_csv

    try:
        frame = read_price_csv(data)
    except ValueError as problem:
        raise SourceError(f"{name}: {problem}") from None
    return kind.validate(frame, name)


def load_table(kind: TableKind, location: str) -> pd.DataFrame:
    """The team table at `location` (URL or path), validated; an error naming the row and column of the first problem."""
    return read_table(kind, read_location(location, MAX_TABLE_BYTES), f"{kind.name} table {location}")


class TableSource:
    """A team-hosted table re-read at an interval; a table that fails is refused whole and the last good one kept."""

    def __init__(self, kind: TableKind, location: str, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self.kind, self.location, self.clock = kind, location, clock
        self.lock = threading.Condition()
        self.current = shipped_table(kind)
        self.problem: str | None = None
        self.attempts = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh(self) -> bool:
        """Read and validate the table once; True when it is (still) in force, False when it was refused."""
        at = self.clock()
        try:
            data = read_location(self.location, MAX_TABLE_BYTES)
            version = f"team-{_digest(data)}"
            fresh = None if version == self.current.version else read_table(self.kind, data, f"{self.kind.name} table")
        except Exception as problem:
            self._finish(None, f"{self.kind.name} from {self.location} refused at {_clock_text(at)}: {one_line(problem)}")
            return False
        loaded = None
        if fresh is not None:
            loaded = TableData(version, fresh, f"team table from {self.location}, loaded {_clock_text(at)}", self.location, at)
        self._finish(loaded, None)
        return True

    def _finish(self, loaded: TableData | None, problem: str | None) -> None:
        with self.lock:
            if loaded is not None:
                self.current = loaded
            self.problem = problem
            self.attempts += 1
            self.lock.notify_all()

    def start(self, interval_s: float) -> None:
        """Read the table now and every `interval_s` seconds in a daemon thread (never in the caller's)."""
        if self._thread is not None:
            return

        def run() -> None:
            while not self._stop.is_set():
                self.refresh()
                self._stop.wait(interval_s)

        self._thread = threading.Thread(target=run, name=f"team-table:{self.kind.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop re-reading (a read in progress finishes; the table in force stays)."""
        self._stop.set()

    def wait_for_attempt(self, after: int, timeout_s: float) -> bool:
        """True once more than `after` reads have finished within `timeout_s`."""
        with self.lock:
            return self.lock.wait_for(lambda: self.attempts > after, timeout=timeout_s)


def shipped_table(kind: TableKind) -> TableData:
    """The shipped file of `kind` in force (its table is read where it always was: calc/tables.py, prompt_models.py)."""
    return _SHIPPED[kind.name]


_SHIPPED = {kind.name: TableData(SHIPPED_VERSION, None, f"shipped {kind.shipped_file}") for kind in (OPTIONS, MODEL_FACTS)}


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


def start(settings: Settings, clock: Callable[[], dt.datetime] = _utc_now) -> None:
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
        options.current if options else _SHIPPED[OPTIONS.name],
        models.current if models else _SHIPPED[MODEL_FACTS.name],
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
    again at once (a new run when the thread had exited, the next loop when it had not).
    """
    updater = _SOURCES.updater
    if updater is not None:
        attempts = _CATALOGUES.attempts
        updater.stop()
        updater.start()
        _CATALOGUES.wait_for_attempt(attempts, timeout_s)
    for source in list(_SOURCES.tables.values()):
        source.refresh()
    return in_force()


def wait_until_loaded(timeout_s: float = 30.0) -> InForce:
    """Wait for each configured source's first read to finish (the command line answers only once it has)."""
    if _SOURCES.updater is not None:
        _CATALOGUES.wait_for_attempt(_SOURCES.attempts_at_start, timeout_s)
    for source in list(_SOURCES.tables.values()):
        source.wait_for_attempt(0, timeout_s)
    return in_force()
