from tests.app.conftest import run_page


def test_sources_page_lists_every_table_with_provenance():
    at = run_page("pages/9_Sources.py")
    assert not at.exception
    options, bands, scenarios = (frame.value for frame in at.dataframe)
    assert len(options) == 14 and {"source", "as_of", "confidence"} <= set(options.columns)
    assert len(bands) == 5 and len(scenarios) == 4


def test_sources_page_follows_the_shared_option():
    at = run_page("pages/9_Sources.py", {"option": "vertex-gemini-2.5-pro"})
    assert any("Vertex Gemini 2.5 Pro" in h.value for h in at.subheader)
    assert any("is available for new fine-tuning jobs" in s.value for s in at.success)
    at.selectbox(key="option").set_value("openai-gpt-4.1-nano").run()
    assert any("was shut down" in e.value for e in at.error)
