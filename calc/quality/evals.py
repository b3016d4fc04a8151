"""Eval results brought in by the user: a results file (CSV or JSONL with `route`, `example_id`, `score`, or
promptfoo's `promptfoo eval -o results.json`), or counts typed per route (right out of n).

A route is named as a prompting model (`provider:model`), a fine-tuning option id, or a route id as
`routes --json` prints it (`prompt:openai:gpt-6-luna`, `fine_tune:bedrock-nova-micro`); a promptfoo row is named by
its provider's label when that names a route, else by its provider id (`openai:chat:gpt-4o-mini` reads as
`openai:gpt-4o-mini`). A file with any unusable row is refused whole, with every problem's line (up to
MAX_PROBLEMS), so what was already entered stays in force.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

COLUMNS = ("route", "example_id", "score")
MAX_PROBLEMS = 20
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Words promptfoo puts between a provider and its model ("openai:chat:gpt-4o-mini"), dropped to name the model.
_PROVIDER_API_WORDS = {"chat", "completion", "completions", "messages", "responses", "assistant", "text"}
_TRUE = {"true", "pass", "passed", "yes"}
_FALSE = {"false", "fail", "failed", "no"}
ROUTE_HELP = "a prompting model as provider:model, a fine-tuning option id, or a route id as `routes --json` prints it"

#: Resolves a route name to its route id, or None when no route has that name.
Resolver = Callable[[str], "str | None"]


class EvalFileError(ValueError):
    """An eval file that cannot be used, with every problem found (each naming its line)."""

    def __init__(self, name: str, problems: list[str], more: int = 0) -> None:
        self.problems = problems
        extra = f" (and {more:,} more)" if more else ""
        super().__init__(f"{name}: {len(problems) + more:,} problem(s){extra}: " + "; ".join(problems))


@dataclass(frozen=True)
class RouteScores:
    """One route's scores: per example (`example_ids` aligned with `scores`), or typed counts (`example_ids` None)."""

    route_id: str
    scores: np.ndarray
    example_ids: tuple[str, ...] | None
    binary: bool
    source: str

    @property
    def n(self) -> int:
        return int(self.scores.size)


@dataclass(frozen=True)
class EvalResults:
    """Every route's scores from one file or from typed counts, and a digest that names the content."""

    routes: dict[str, RouteScores]
    source: str
    digest: str

    def merged(self, other: EvalResults | None) -> EvalResults:
        """These results, with `other`'s routes added where these have none (a file wins over typed counts)."""
        if other is None or not other.routes:
            return self
        routes = {**other.routes, **self.routes}
        return EvalResults(routes, f"{self.source} + {other.source}", _digest(f"{self.digest}|{other.digest}".encode()))


NO_RESULTS = EvalResults({}, "none", "none")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def score_value(value: object) -> float | None:
    """A score as a number 0..1 (1/0 for true/false, pass/fail), or None when it is not one."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return 1.0
        if text in _FALSE:
            return 0.0
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and 0 <= number <= 1 else None


def promptfoo_route_name(provider: object) -> list[str]:
    """The names a promptfoo provider can be known by, most specific first: its label, its id, its id without the
    API word ("openai:chat:gpt-4o-mini" -> "openai:gpt-4o-mini")."""
    names: list[str] = []
    if isinstance(provider, dict):
        for key in ("label", "id"):
            if isinstance(provider.get(key), str) and provider[key].strip():
                names.append(provider[key].strip())
    elif isinstance(provider, str) and provider.strip():
        names.append(provider.strip())
    for name in list(names):
        parts = name.split(":")
        if len(parts) >= 3 and parts[1].lower() in _PROVIDER_API_WORDS:
            names.append(":".join([parts[0], *parts[2:]]))
    return list(dict.fromkeys(names))


class _Problems:
    """Problems found while reading, capped at MAX_PROBLEMS with a count of the rest."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.more = 0

    def add(self, text: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(text)
        else:
            self.more += 1


@dataclass
class _Rows:
    """The rows of a file as columns: where each is (its line, row or result number), its route name(s), example id
    and score as read."""

    unit: str  # "line", "row" or "result"
    where: list[int] = field(default_factory=list)
    routes: list[object] = field(default_factory=list)
    examples: list[object] = field(default_factory=list)
    scores: list[object] = field(default_factory=list)

    def add(self, where: int, route: object, example: object, score: object) -> None:
        self.where.append(where)
        self.routes.append(route)
        self.examples.append(example)
        self.scores.append(score)


def _rows_from_csv(text: str, problems: _Problems) -> _Rows:
    """The CSV's rows, as read (text); the header must name the three columns."""
    rows = _Rows("line")
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as problem:
        problems.add(f"not a readable CSV file ({str(problem).splitlines()[0]})")
        return rows
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        problems.add(
            f"line 1: the header needs the columns {', '.join(COLUMNS)}; missing {', '.join(missing)} "
            f"(found {', '.join(table.columns[:6]) or 'none'})"
        )
        return rows
    rows.where = _csv_line_numbers(text, len(table))
    rows.routes = table["route"].str.strip().tolist()
    rows.examples = table["example_id"].str.strip().tolist()
    rows.scores = table["score"].str.strip().tolist()
    return rows


def _csv_line_numbers(text: str, rows: int) -> list[int]:
    """The file line of each data row (the header is line 1; blank lines skipped as pandas skips them)."""
    numbers = [i for i, line in enumerate(text.splitlines(), start=1) if line.strip()][1:]
    return numbers[:rows] if len(numbers) >= rows else list(range(2, rows + 2))


def _rows_from_jsonl(text: str, problems: _Problems) -> _Rows:
    rows = _Rows("line")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as problem:
            problems.add(f"line {number}: not valid JSON ({problem.msg}, column {problem.colno})")
            continue
        if not isinstance(record, dict):
            problems.add(f"line {number}: expected an object with {', '.join(COLUMNS)}, found a JSON {type(record).__name__}")
            continue
        _record_row(rows, number, record, problems)
    return rows


def _record_row(rows: _Rows, where: int, record: dict, problems: _Problems) -> None:
    missing = [c for c in COLUMNS if c not in record]
    if missing:
        problems.add(f"{rows.unit} {where}: missing {', '.join(missing)}")
        return
    rows.add(where, record["route"], record["example_id"], record["score"])


def _rows_from_json(value: object, problems: _Problems) -> _Rows:
    """Rows of a JSON array of row objects, or of promptfoo's results (`results.results`, or `results` as a list)."""
    if isinstance(value, list):
        rows = _Rows("row")
        for index, record in enumerate(value, start=1):
            if not isinstance(record, dict):
                problems.add(f"row {index}: expected an object with {', '.join(COLUMNS)}")
                continue
            _record_row(rows, index, record, problems)
        return rows
    rows = _Rows("result")
    results = value.get("results") if isinstance(value, dict) else None
    if isinstance(results, dict):
        results = results.get("results")
    if not isinstance(results, list):
        problems.add("a JSON file must be an array of {route, example_id, score} rows or promptfoo's results.json")
        return rows
    for index, record in enumerate(results, start=1):
        if not isinstance(record, dict):
            problems.add(f"result {index}: expected an object")
            continue
        names = promptfoo_route_name(record.get("provider"))
        test = record.get("testIdx", record.get("test_idx"))
        score = record.get("score")
        if score_value(score) is None:
            score = record.get("success")
        if not names or test is None or score is None:
            problems.add(f"result {index}: a promptfoo result needs provider, testIdx and success or score")
            continue
        rows.add(index, tuple(names), test, score)
    return rows


def _rows(data: bytes, problems: _Problems) -> _Rows:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        problems.add(f"not UTF-8 text (byte {problem.start:,})")
        return _Rows("line")
    head = text.lstrip()[:1]
    if head == "[" or (head == "{" and not _is_jsonl(text)):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as problem:
            problems.add(f"line {problem.lineno}: not valid JSON ({problem.msg}, column {problem.colno})")
            return _Rows("line")
        return _rows_from_json(value, problems)
    if head == "{":
        return _rows_from_jsonl(text, problems)
    return _rows_from_csv(text, problems)


def _is_jsonl(text: str) -> bool:
    """True when the first non-blank line is a whole JSON object by itself (one row per line)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        value = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(value, dict) and "route" in value


def _route_ids(names: list[object], resolve: Resolver) -> tuple[list[str | None], dict[int, str]]:
    """Each row's route id (None where no route has its name), resolving each distinct name once; and the position
    of each unknown name's first row with the name shown (a promptfoo row's names are tried in order)."""
    resolved: dict[object, tuple[str | None, str]] = {}
    for names_of_row in dict.fromkeys(names):
        candidates = names_of_row if isinstance(names_of_row, tuple) else (str(names_of_row).strip(),)
        found = next(((route, c) for c in candidates if c and (route := resolve(c)) is not None), None)
        resolved[names_of_row] = found or (None, candidates[0] if candidates else "")
    ids = [resolved[n][0] for n in names]
    unknown: dict[int, str] = {}
    seen: set[str] = set()
    for position, name in enumerate(names):
        route, shown = resolved[name]
        if route is None and shown not in seen:
            seen.add(shown)
            unknown[position] = shown
    return ids, unknown


def _score_values(scores: list[object]) -> np.ndarray:
    """Scores as numbers 0..1 (NaN where a score is not one): whole columns at once, word by word only where needed."""
    try:
        values = np.asarray(scores, dtype=float)
    except (TypeError, ValueError):
        numbers = pd.to_numeric(pd.Series(scores, dtype=object), errors="coerce").to_numpy(dtype=float)
        values = np.array([n if not math.isnan(n) else _word_score(s) for n, s in zip(numbers, scores, strict=True)])
    valid = np.isfinite(values) & (values >= 0) & (values <= 1)
    return np.where(valid, values, np.nan)


def _word_score(value: object) -> float:
    found = score_value(value)
    return math.nan if found is None else found


def read_eval_file(data: bytes, name: str, resolve: Resolver) -> EvalResults:
    """Every route's scores from an eval file; EvalFileError listing each unusable row by line.

    Problems: unknown route names (once each, at their first line), example ids repeated for a route, scores that are
    not numbers from 0 to 1 (or true/false, pass/fail), missing columns, malformed lines. Checks run on whole columns,
    so a 100,000-row file is read in well under a second (bench/eval.py).
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ValueError("an eval file must be bytes")
    if len(data) > MAX_FILE_BYTES:
        raise EvalFileError(name, [f"the file is {len(data) / 2**20:,.0f} MB; at most {MAX_FILE_BYTES // 2**20} MB"])
    problems = _Problems()
    rows = _rows(bytes(data), problems)
    if problems.items:
        raise EvalFileError(name, problems.items, problems.more)
    if not rows.where:
        raise EvalFileError(name, ["no rows: expected a header route,example_id,score and one row per scored example"])
    found: list[tuple[int, str]] = []  # (row position, problem)
    routes, unknown = _route_ids(rows.routes, resolve)
    found += [(i, f"unknown route {shown[:80]!r} (use {ROUTE_HELP})") for i, shown in unknown.items()]
    examples = [_example_text(e) for e in rows.examples]
    scores = _score_values(rows.scores)
    usable = np.array([r is not None for r in routes])
    for i in np.flatnonzero(usable & np.array([e is None for e in examples])):
        found.append((int(i), f"example_id must be text or a whole number, not {str(rows.examples[i])[:40]!r}"))
    usable &= np.array([e is not None for e in examples])
    for i in np.flatnonzero(usable & np.isnan(scores)):
        found.append((int(i), f"score {str(rows.scores[i])[:40]!r} is not a number from 0 to 1 (use 0/1, or 0..1 for graded "
                              "metrics)"))  # fmt: skip
    usable &= ~np.isnan(scores)
    keys = pd.DataFrame({"route": routes, "example": examples})
    repeated = keys.duplicated(keep="first").to_numpy() & usable
    if repeated.any():
        first = keys[usable].drop_duplicates(keep="first").reset_index().set_index(["route", "example"])["index"]
        for i in np.flatnonzero(repeated)[: MAX_PROBLEMS + 1]:
            origin = int(first.loc[(routes[i], examples[i])])
            found.append((int(i), f"duplicate row for route {routes[i]}, example {str(examples[i])[:40]!r} (first at "
                                  f"{rows.unit} {rows.where[origin]})"))  # fmt: skip
        extra = int(repeated.sum()) - min(int(repeated.sum()), MAX_PROBLEMS + 1)
        problems.more += extra
    for position, text in sorted(found):
        problems.add(f"{rows.unit} {rows.where[position]}: {text}")
    if problems.items:
        raise EvalFileError(name, problems.items, problems.more)
    frame = pd.DataFrame({"route": routes, "example": examples, "score": scores})
    results = {
        str(route): _route_scores(str(route), group["example"].tolist(), group["score"].to_numpy(), f"file {name}")
        for route, group in frame.groupby("route", sort=False)
    }
    return EvalResults(results, f"file {name}", _digest(bytes(data)))


def _example_text(value: object) -> str | None:
    """An example id as text: a string (stripped, not empty) or a whole number; None otherwise."""
    kind = type(value)
    if kind is str:
        return value or None  # type: ignore[return-value]
    if kind is int:
        return str(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    return text or None


def _route_scores(route: str, ids: list[str], scores: list[float] | np.ndarray, source: str) -> RouteScores:
    values = np.asarray(scores, dtype=float)
    binary = bool(np.all((values == 0) | (values == 1)))
    return RouteScores(route, values, tuple(ids), binary, source)


_COUNT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def typed_counts(counts: Iterable[tuple[str, int, int]]) -> EvalResults:
    """Results from counts typed per route, (route id, right, out of n): binary, with no examples to pair."""
    routes: dict[str, RouteScores] = {}
    for route, right, n in counts:
        if isinstance(right, bool) or isinstance(n, bool) or not 0 <= right <= n or n < 1:
            raise ValueError(f"{route}: {right} right out of {n} is not a count (0 <= right <= n, n >= 1)")
        scores = np.concatenate([np.ones(right), np.zeros(n - right)])
        routes[route] = RouteScores(route, scores, None, True, "typed counts")
    if not routes:
        return NO_RESULTS
    text = ";".join(f"{r}={s.scores.sum():.0f}/{s.n}" for r, s in sorted(routes.items()))
    return EvalResults(routes, "typed counts", _digest(text.encode()))


def parse_count(text: str) -> tuple[int, int]:
    """'178/200' as (178, 200); ValueError saying what a count looks like."""
    match = _COUNT.match(text)
    if not match:
        raise ValueError(f"{text[:40]!r} is not a count: write right/n, e.g. 178/200")
    right, n = int(match.group(1)), int(match.group(2))
    if n < 1 or right > n:
        raise ValueError(f"{right}/{n}: right must be from 0 to n, and n at least 1")
    return right, n
