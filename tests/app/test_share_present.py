from tests.app.conftest import chart_specs, metrics, run_page


def test_share_link_holds_the_scenario():
    at = run_page("streamlit_app.py", {"requests_per_day": "50000", "examples": "8"})
    assert not at.code  # the link is built only once the expander is opened
    at.session_state["share_open"] = True
    at.run()
    link = next(c.value for c in at.code)
    assert "requests_per_day=50000" in link and "examples=8" in link


def test_reset_to_defaults():
    at = run_page("streamlit_app.py", {"requests_per_day": "50000", "option": "openai-gpt-4o"})
    assert metrics(at)["Prompting per month"] != "$45.00/mo"
    next(b for b in at.button if b.label == "Reset to defaults").click().run()
    assert not at.exception
    assert metrics(at)["Prompting per month"] == "$42.90/mo"  # today's default pair: gpt-6-luna vs Azure gpt-4.1-mini
    assert at.selectbox(key="option").value == "azure-gpt-4.1-mini"
    assert at.select_slider(key="requests_per_day").value == 10_000


def test_presentation_mode_shows_one_clean_screen():
    at = run_page("streamlit_app.py", {"present": "true"})
    assert not at.exception
    assert len(chart_specs(at)) == 1  # the volume chart only
    assert len(at.metric) == 5
    assert any(b.label == "Exit presentation" for b in at.button)
    assert not at.table  # no article table in presentation mode
    next(b for b in at.button if b.label == "Exit presentation").click().run()
    assert len(chart_specs(at)) == 2
