"""The work before training, latency and distillation on the pages (issue 22): the same breakeven on the home page and
the All routes page, sidebar widgets that change it, latency text with dated sources, Cost over time's old keys."""

from calc.api import compare, scenario_from_link
from calc.text.safe_text import JOINER
from tests.app.conftest import metrics, run_default, verdict_why
from tests.conftest import PINNED_TODAY

LABELLED = {"option": "bedrock-nova-micro", "data_cost_per_example": "2"}


def captions(at) -> str:
    """The page's captions as read (the word joiners that keep outside text inert dropped)."""
    return " ".join(c.value for c in at.caption).replace(JOINER, "")


def test_home_breakeven_counts_the_labels_as_compare_does():
    at = run_default("streamlit_app.py", LABELLED)
    assert not at.exception
    assert metrics(at)["Breakeven"] == "78.9 months"
    result = compare(scenario_from_link("?option=bedrock-nova-micro&data_cost_per_example=2"), on=_today())
    assert result.breakeven_text == "78.9 months"
    assert "Breakeven counts training + \\$2,000 work before it" in captions(at)
    assert "ROI -85% over 12 months" in captions(at)


def test_home_says_when_the_work_is_left_at_zero_and_a_widget_changes_it():
    at = run_default("streamlit_app.py", {"option": "bedrock-nova-micro"})
    assert metrics(at)["Breakeven"] == "~1 day"
    assert "training only: the work before training is left at zero" in captions(at)
    at.number_input(key="data_cost_per_example").set_value(2.0).run()
    assert not at.exception
    assert metrics(at)["Breakeven"] == "78.9 months"
    at.number_input(key="engineering_hours").set_value(10.0).run()
    at.number_input(key="hourly_rate").set_value(100.0).run()
    assert metrics(at)["Breakeven"] == "118.4 months"  # (0.50 + 2,000 + 1,000) / 25.35


def test_home_verdict_gives_the_example_tokens_latency_with_dated_sources():
    at = run_default("streamlit_app.py")
    verdict = verdict_why(at)
    assert "Your 600 example tokens add about 30-144 ms before the first token" in verdict
    assert "From 5 dated measurements \\(2024-07-01, 2024-08-14, 2026-12-03\\)" in verdict


def test_home_shows_hand_labelling_beside_the_teacher_and_its_terms():
    at = run_default("streamlit_app.py", {**LABELLED, "labelling": "teacher"})
    verdict = verdict_why(at)
    assert "by hand \\$2,000; by OpenAI GPT-6 Luna \\$0.05" in verdict
    assert "OpenAI Terms of Use" in verdict
    assert metrics(at)["Breakeven"] == "~1 day"  # $0.50 training + $0.05 of teacher answers


def test_all_routes_page_counts_the_same_work_and_shows_latency():
    at = run_default("pages/1_All_routes.py", {**LABELLED, "ttft_target_ms": "30"})
    assert not at.exception
    shown = at.dataframe[0].value.set_index("route")
    assert shown.loc["Bedrock Nova Micro", "one-off (training + work)"] == "$2,000"
    assert shown.loc["Bedrock Nova Micro", "breakeven vs prompting"] == "78.9 months"
    assert shown.loc["OpenAI GPT-6 Luna", "added to first token"] == "40-192 ms (misses target)"
    assert shown.loc["Bedrock Nova Micro", "added to first token"] == "10-48 ms (may miss target)"
    assert "Your 600 example tokens add about 30-144 ms" in captions(at)


def test_token_cost_page_gives_the_pasted_prompts_latency():
    at = run_default("pages/2_Token_cost.py")
    next(b for b in at.button if b.label == "Load an example prompt").click().run()
    assert not at.exception
    latency = next(m.value for m in at.markdown if m.value.startswith("**Latency.**"))
    assert "example tokens add about" in latency and "fine-tuning removes the examples" in latency
    sources = " ".join(m.value for m in at.markdown)
    assert "NVIDIA NIM LLM benchmarking" in sources


def test_cost_over_time_reads_the_old_link_keys_through_the_scenario():
    plain = run_default("pages/5_Cost_over_time.py")
    linked = run_default("pages/5_Cost_over_time.py", {"data_cost_per_example": "2", "engineering_hours": "10",
                                                        "hourly_rate": "100"})  # fmt: skip
    assert not linked.exception
    assert linked.number_input(key="data_cost_per_example").value == 2.0
    assert metrics(linked)["Fine-tuned, 12 months"] != metrics(plain)["Fine-tuned, 12 months"]


def _today():
    import datetime as dt

    return dt.date.fromisoformat(PINNED_TODAY)


def test_assumptions_page_lists_the_new_tables_with_sources():
    at = run_default("pages/7_Assumptions.py")
    assert not at.exception
    frames = [frame.value for frame in at.dataframe]
    rates = next(f for f in frames if "rate_id" in f.columns)
    assert set(rates["rate_id"]) == {"mturk_text_classification", "article_upfront"}
    terms = next(f for f in frames if "training_on_outputs" in f.columns)
    assert {"openai", "anthropic", "aws", "google"} <= set(terms["provider"])
    latency = next(f for f in frames if "ms_per_token_low" in f.columns)
    assert latency["source"].str.len().min() > 20 and len(latency) == 5
