from calc.catalogue.tables import load_options
from tests.app.conftest import run_page

PAGE = "pages/7_Assumptions.py"


def _import(at, text: str, name: str = "prices.csv"):
    at.file_uploader(key="assumptions_import").set_value((name, text.encode(), "text/csv"))
    return at.run()


def _shipped_csv() -> str:
    return load_options().to_csv(index=False)


def test_the_imported_message_survives_the_rerun():
    at = _import(run_page(PAGE), _shipped_csv(), "mine.csv")
    assert not at.exception
    assert any("Imported mine.csv" in s.value for s in at.success)


def test_low_above_high_training_price_is_refused():
    table = load_options()
    table.iloc[0, table.columns.get_loc("training_price_low_usd")] = 50.0
    table.iloc[0, table.columns.get_loc("training_price_high_usd")] = 5.0
    at = _import(run_page(PAGE), table.to_csv(index=False))
    assert not at.exception
    assert any("Import refused" in e.value and "is above training\\_price\\_high\\_usd" in e.value for e in at.error)


def test_a_broken_csv_is_refused_in_plain_words():
    at = _import(run_page(PAGE), 'a,b\n1,2,3,4\n"open')
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("not a readable CSV table" in e for e in errors) and not any("Error tokenizing" in e for e in errors)


def test_imported_labels_render_as_text_not_links():
    table = load_options()
    table.iloc[0, table.columns.get_loc("source")] = "[sign in](https://evil.example) ![p](https://evil.example/p.png)"
    at = _import(run_page(PAGE, {"option": table.index[0]}), table.to_csv(index=False))
    assert not at.exception
    source = next(m.value for m in at.markdown if m.value.startswith("**Source:**"))
    assert "](" not in source and "\\[sign in\\]" in source
