"""Checks on an imported price table before it is validated cell by cell: size, text lengths, price ranges.

A table a legitimate user exports and re-imports never meets these limits; a hostile one is refused in
one sentence, quickly, before the per-cell validation (which costs time per row) runs.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 500
#: The options table has 38 columns; an export re-imported has them all, and a few of a user's own are allowed.
MAX_IMPORT_COLUMNS = 60
#: Its header row is ~700 characters; checked before the table is parsed (parsing a very wide file takes seconds).
MAX_HEADER_CHARS = 3_000
_LINE_END = re.compile(r"[\r\n]")
MAX_TEXT_CHARS = {"option_id": 100, "label": 200, "successor": 100, "catalogue_ref": 200, "source": 1_000, "notes": 2_000,
                  "service_kind_source": 1_000, "unverified_figures": 500}
DEFAULT_MAX_TEXT_CHARS = 200
MAX_LISTED = 5


class PriceImportError(ValueError):
    """An imported price table that is refused; the message is one plain sentence."""


def read_price_csv(data: bytes) -> pd.DataFrame:
    """The CSV as text cells (nothing parsed as numbers yet); PriceImportError in plain words when it cannot be read.

    Read with the csv module row by row, each row's width checked against the header's and at most
    MAX_IMPORT_ROWS + 1 rows kept, so a very wide or long file is refused in milliseconds.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise PriceImportError(f"The file is {len(data):,} bytes; a price table is at most {MAX_IMPORT_BYTES:,}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PriceImportError("The file is not UTF-8 text; export it again from this page or re-save it as UTF-8.") from None
    if not text.strip():
        raise PriceImportError("The file is empty.")
    check_header(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise PriceImportError(
                    f"Row {len(rows) + 1} has {len(row):,} cells; the header has {len(header)}. "
                    "The file is not a readable CSV table (rows with different numbers of cells, or broken quoting)."
                )
            rows.append(row)
            if len(rows) > MAX_IMPORT_ROWS:
                break
    except csv.Error:
        raise PriceImportError(
            "The file is not a readable CSV table (rows with different numbers of cells, or broken quoting)."
        ) from None
    if len(set(header)) != len(header):
        raise PriceImportError("The header row names a column twice.")
    return pd.DataFrame(rows, columns=header, dtype=object)


def check_header(text: str) -> None:
    """PriceImportError when the header row is longer or wider than a price table's, read before the table is parsed."""
    end = _LINE_END.search(text, 0, MAX_HEADER_CHARS + 1)
    if end is None and len(text) > MAX_HEADER_CHARS:
        raise PriceImportError(f"The header row is longer than {MAX_HEADER_CHARS:,} characters; a price table's is about 700.")
    header = text[: end.start() if end else len(text)]
    try:
        width = len(next(csv.reader([header]), []))
    except csv.Error:
        raise PriceImportError("The header row is not readable CSV.") from None
    if width > MAX_IMPORT_COLUMNS:
        raise PriceImportError(f"The table has {width:,} columns; a price table has 38 (at most {MAX_IMPORT_COLUMNS} are read).")


def check_import_limits(frame: pd.DataFrame) -> list[str]:
    """Sentences naming what is over the import limits (rows, text length); empty when the table is within them."""
    problems = []
    if len(frame) > MAX_IMPORT_ROWS:
        problems.append(f"The table has more than {MAX_IMPORT_ROWS:,} rows; a price table holds at most {MAX_IMPORT_ROWS:,}.")
    for column in frame.columns:
        limit = MAX_TEXT_CHARS.get(str(column), DEFAULT_MAX_TEXT_CHARS)
        lengths = frame[column].astype(str).str.len()
        over = lengths[lengths > limit]
        if not over.empty:
            rows = ", ".join(str(frame.index.get_loc(i) + 1) for i in over.index[:MAX_LISTED])
            problems.append(f"'{str(column)[:40]}' is longer than {limit:,} characters in row(s) {rows}.")
    return problems


def check_price_ranges(frame: pd.DataFrame) -> list[str]:
    """Sentences naming rows whose training_price_low_usd is above training_price_high_usd; empty when none is."""
    if not {"training_price_low_usd", "training_price_high_usd"} <= set(frame.columns):
        return []
    low = pd.to_numeric(frame["training_price_low_usd"], errors="coerce")
    high = pd.to_numeric(frame["training_price_high_usd"], errors="coerce")
    wrong = frame.index[(low > high).to_numpy()]
    problems = []
    for index in wrong[:MAX_LISTED]:
        position = frame.index.get_loc(index) + 1
        name = str(frame.at[index, "label"])[:60] if "label" in frame.columns else f"row {position}"
        problems.append(
            f"Row {position} ({name}): training_price_low_usd {low[index]:g} is above training_price_high_usd {high[index]:g}."
        )
    if len(wrong) > MAX_LISTED:
        problems.append(f"{len(wrong) - MAX_LISTED} more rows have a low price above the high one.")
    return problems
