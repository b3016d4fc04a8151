"""A price table at the edge of what the import accepts is in force and picked on every page: no page fails;
one a step beyond is refused on the Assumptions page with its row and column, and its controls stay."""

from calc.catalogue.tables import table_as_text
from tests.app.conftest import run_page
from tests.unit.test_import_bounds import DEDICATED, _at_bound

ASSUMPTIONS = "pages/7_Assumptions.py"
PAGES = (
    "streamlit_app.py",
    "pages/2_Token_cost.py",
    "pages/3_Quality_and_decision.py",
    "pages/4_Training_data.py",
    "pages/5_Cost_over_time.py",
    "pages/6_Self_hosted.py",
    ASSUMPTIONS,
)


def _import(at, text: str):
    at.file_uploader(key="assumptions_import").set_value(("edge.csv", text.encode(), "text/csv"))
    return at.run()


def test_a_table_at_its_upper_bounds_runs_on_every_page():
    at = _import(run_page(ASSUMPTIONS, {"option": DEDICATED}), table_as_text(_at_bound("high")).to_csv(index=False))
    assert not at.exception
    assert any("Imported edge.csv" in s.value for s in at.success)
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page


def test_one_step_beyond_is_refused_and_the_controls_stay():
    text = table_as_text(_at_bound("high"))
    text.loc[text["option_id"] == DEDICATED, "hosting_units"] = str(2**64)
    at = _import(run_page(ASSUMPTIONS, {"option": DEDICATED}), text.to_csv(index=False))
    assert not at.exception
    refused = [e.value for e in at.error if "Import refused" in e.value]
    assert refused and "hosting" in refused[0] and "above the maximum 512" in refused[0]
    assert any(b.label == "Reset to the shipped prices" for b in at.button)
    assert at.file_uploader(key="assumptions_import") is not None
