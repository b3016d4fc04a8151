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
