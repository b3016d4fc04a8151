"""The prompting-model picker on a fixed day: shut-down models hidden unless asked for, marked, and a link to one
still opens it and says it is shut down."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _sidebar_on_2026_12_03() -> None:
    import datetime as dt

    from ui.sidebar import scenario_sidebar

    scenario_sidebar("picker", today=dt.date(2026, 12, 3), nav=False)


def _run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_sidebar_on_2026_12_03, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_shut_down_models_are_hidden_until_asked_for_then_listed_last_and_marked():
    at = _run()
    at.selectbox(key="prompt_provider").set_value("OpenAI").run()
    offered = at.selectbox(key="prompt_model").options
    assert "openai:o3" in offered  # shuts down 2026-12-11: still offered
    assert not [text for text in offered if text.startswith(("openai:o4-mini", "openai:gpt-4.1-nano"))]
    at.toggle(key="show_shut_down_models").set_value(True).run()
    offered = at.selectbox(key="prompt_model").options
    marked = [text for text in offered if " · shut down " in text]
    assert "openai:o4-mini · shut down 2026-10-23" in marked
    assert offered[-len(marked) :] == marked  # every live model first, the shut-down ones last


def test_a_link_naming_a_shut_down_model_still_opens_it_and_says_so():
    at = _run({"prompt_model": "openai:o4-mini"})
    assert not at.exception
    assert at.selectbox(key="prompt_model").value == "openai:o4-mini"
    assert any("shut down 2026-10-23" in error.value and "cannot be prompted" in error.value for error in at.error)
    assert at.query_params["prompt_model"] == "openai:o4-mini · shut down 2026-10-23"


def test_the_recommended_list_has_no_toggle_when_nothing_in_it_is_shut_down():
    at = _run()
    assert not [toggle for toggle in at.toggle if toggle.key == "show_shut_down_models"]
