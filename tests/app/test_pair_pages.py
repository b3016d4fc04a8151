import re

import pytest

from tests.app.conftest import run_default

PAGES = (
    "streamlit_app.py",
    "pages/2_Token_cost.py",
    "pages/3_Quality_and_decision.py",
    "pages/4_Training_data.py",
    "pages/5_Cost_over_time.py",
    "pages/6_Self_hosted.py",
    "pages/7_Assumptions.py",
)
PAIR = {"prompt_model": "anthropic:claude-haiku-5-5", "option": "bedrock-nova-micro"}


@pytest.mark.parametrize("page", PAGES)
def test_the_pair_in_the_link_drives_every_page(page):
    at = run_default(page, PAIR)
    assert not at.exception
    assert any("Anthropic Claude Haiku 5.5" in m.value and "Bedrock Nova Micro" in m.value for m in at.markdown), page
    assert at.selectbox(key="prompt_model").value == "anthropic:claude-haiku-5-5"
    assert at.selectbox(key="option").value == "bedrock-nova-micro"


@pytest.mark.parametrize("page", PAGES)
def test_a_retired_option_is_shown_as_retired_on_every_page(page):
    at = run_default(page, {"option": "vertex-gemini-2.5-flash", "prompt_model": "openai:gpt-6-luna"})
    assert not at.exception
    assert any("shut down 2026-10-20" in m.value for m in at.markdown), page
    assert any("shut down 2026-10-20" in e.value for e in at.error), page


def test_imported_labels_and_sources_never_render_as_links_or_images():
    from streamlit.testing.v1 import AppTest

    from calc.catalogue.tables import load_options, table_as_text, validate_options
    from tests.app.conftest import ROOT

    table = table_as_text(load_options())
    row = table["option_id"] == "azure-gpt-4.1-mini"
    table.loc[row, "label"] = "[session expired: sign in](https://evil.example) ![x](https://evil.example/x.png)"
    table.loc[row, "source"] = "<script>alert(1)</script> [src](javascript:alert(1))"
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.session_state["_edited_options"] = validate_options(table)
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [m.proto.help for m in at.metric]
    unescaped_link = re.compile(r"(?<!\\)\]\(")  # "](" not preceded by a backslash: a Markdown link or image
    for text in shown:
        assert not unescaped_link.search(text), text
        assert "<script>" not in text
    assert any("session expired" in text for text in shown)  # the text is still shown, as text


@pytest.mark.parametrize("page", PAGES)
def test_prices_without_the_default_option_keep_every_page_working(page):
    from streamlit.testing.v1 import AppTest

    from calc.catalogue.tables import load_options, table_as_text, validate_options
    from tests.app.conftest import ROOT

    table = table_as_text(load_options())
    table = table[table["option_id"] != "azure-gpt-4.1-mini"]
    table.loc[table["successor"] == "azure-gpt-4.1-mini", "successor"] = ""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    if page != "streamlit_app.py":
        at.switch_page(page)
    at.session_state["_edited_options"] = validate_options(table)
    at.run()
    assert not at.exception
    assert any("have no 'azure-gpt-4.1-mini' option" in i.value for i in at.info)
    assert any(b.label == "Reset to defaults" for b in at.button)  # the way back is drawn
