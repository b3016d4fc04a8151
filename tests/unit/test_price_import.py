import io

import pandas as pd
import pytest

from calc.catalogue.price_import import (
    MAX_IMPORT_ROWS,
    PriceImportError,
    check_import_limits,
    check_price_ranges,
    read_price_csv,
)
from calc.catalogue.tables import load_options, table_as_text


def shipped() -> pd.DataFrame:
    return table_as_text(load_options())


def test_shipped_prices_pass_every_check():
    assert check_price_ranges(shipped()) == [] and check_import_limits(shipped()) == []


def test_low_above_high_is_named():
    frame = shipped()
    frame.loc[0, ["training_price_low_usd", "training_price_high_usd"]] = ["9", "2"]
    problems = check_price_ranges(frame)
    assert len(problems) == 1 and problems[0].startswith("Row 1 (") and "9 is above" in problems[0]


def test_rows_and_text_lengths_are_bounded():
    frame = pd.concat([shipped()] * (MAX_IMPORT_ROWS // 14 + 1), ignore_index=True)
    frame.loc[3, "label"] = "x" * 5_000
    problems = check_import_limits(frame)
    assert any(f"more than {MAX_IMPORT_ROWS}" in p for p in problems) and any("'label' is longer" in p for p in problems)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        ("label\ncaf\xe9".encode("latin-1"), "not UTF-8"),
        (b'a,b\n1,2,3,4\n"unterminated', "not a readable CSV"),
        (b"x" * 1_000_001, "at most 1,000,000"),
    ],
)
def test_unreadable_files_are_refused_in_one_plain_sentence(data, words):
    with pytest.raises(PriceImportError, match=words) as caught:
        read_price_csv(data)
    assert "Error tokenizing" not in str(caught.value) and "codec" not in str(caught.value)


def test_an_exported_table_reads_back():
    text = load_options().to_csv(index=False)
    assert len(read_price_csv(text.encode())) == len(pd.read_csv(io.StringIO(text)))
