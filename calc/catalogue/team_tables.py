"""Team-hosted copies of the curated tables (fine-tuning options, prompting-model facts): read from a URL or a path,
validated whole as the shipped files are, and re-read at an interval by a daemon thread; a copy that fails is refused
whole (the first problem's row and column in one line) and the last good one stays in force."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from calc.catalogue.price_fetch import SourceError, clock_text, digest, one_line, read_location, utc_now

SHIPPED_VERSION = "shipped"
#: A team table is a CSV of a few hundred rows at most (as an imported table on the Assumptions page).
MAX_TABLE_BYTES = 1_000_000


@dataclass(frozen=True)
class TableData:
    """One version of a curated table: None while the shipped file is in force, else the team's validated table."""

    version: str
    table: pd.DataFrame | None = field(repr=False, compare=False)
    label: str
    location: str | None = None
    loaded_at: dt.datetime | None = None


def _validate_options(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A team's options table checked as an imported one is, and holding the app's default option: without it every
    page's first view, and `compare` without --option, would have no fine-tuning side (a page would stand another in,
    the command line would fail), so the table is refused whole as genai-prices data without the default model is."""
    from calc.catalogue.price_import import check_import_limits
    from calc.catalogue.tables import DataSchemaError, validate_options
    from calc.scenario import DEFAULT_OPTION

    problems = check_import_limits(frame)
    if problems:
        raise DataSchemaError(f"{name}: {problems[0]}")
    table = validate_options(frame, name)
    if DEFAULT_OPTION not in set(table.index):
        raise DataSchemaError(
            f"{name}: no '{DEFAULT_OPTION}' row, the app's default option (every page opens on it and compare uses it "
            "without --option); keep its row, with your prices"
        )
    return table


def _validate_models(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    from calc.catalogue.tables import PROMPT_MODEL_COLUMNS, DataSchemaError, validate_table

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
    from calc.catalogue.price_import import read_price_csv

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

    def __init__(self, kind: TableKind, location: str, clock: Callable[[], dt.datetime] = utc_now) -> None:
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
            version = f"team-{digest(data)}"
            fresh = None if version == self.current.version else read_table(self.kind, data, f"{self.kind.name} table")
        except Exception as problem:
            self._finish(None, f"{self.kind.name} from {self.location} refused at {clock_text(at)}: {one_line(problem)}")
            return False
        loaded = None
        if fresh is not None:
            loaded = TableData(version, fresh, f"team table from {self.location}, loaded {clock_text(at)}", self.location, at)
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
