from tests.app.conftest import chart_specs, metrics, run_page


def test_cost_over_time_page():
    at = run_page("pages/5_Cost_over_time.py")
    assert not at.exception
    before = metrics(at)
    assert set(before) >= {"Prompting, 12 months", "Fine-tuned, 12 months", "Hybrid, 12 months", "Fine-tuned breaks even"}
    moves = " ".join(w.value for w in at.warning)
    assert "initial training on Azure gpt-4.1-mini instead" in moves  # OpenAI's own and Azure gpt-4o-mini are closed
    assert "prompting moves to OpenAI GPT-6 Luna" in moves  # gpt-4o-mini shuts down 2027-01-14, month 2
    at.slider(key="retrains_per_year").set_value(6.0).run()
    assert metrics(at)["Fine-tuned, 12 months"] != before["Fine-tuned, 12 months"]
    at.selectbox(key="decline_preset").set_value("None: a named model's list price stays flat").run()
    assert metrics(at)["Prompting, 12 months"] != before["Prompting, 12 months"]
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2


def test_cost_over_time_retired_option_is_prominent():
    at = run_page("pages/5_Cost_over_time.py", {"option": "openai-gpt-4.1-nano"})
    assert any("shut down 2026-10-23" in e.value for e in at.error)
    assert any("cannot be fine-tuned by a new customer today" in e.value for e in at.error)


def test_self_hosted_page():
    at = run_page("pages/6_Self_hosted.py")
    assert not at.exception
    assert any("Fits" in s.value for s in at.success)  # 8B LoRA on one H100
    at.radio(key="sh_method").set_value("full").run()
    assert any("Does not fit" in e.value and "smallest count that fits is 2" in e.value for e in at.error)
    lora_cost = metrics(at)["Cost"]
    at.selectbox(key="sh_gpu").set_value("A100 SXM 80GB").run()
    assert metrics(at)["Cost"] != lora_cost
    assert any("cannot fit in the A10G" in i.value for i in at.info)
    assert len(chart_specs(at)) == 1  # the serving cost chart


def test_a_vanishing_retraining_rate_in_the_link_renders():
    from tests.app.conftest import run_page

    at = run_page("pages/5_Cost_over_time.py", {"retrains_per_year": "1e-320"})
    assert not at.exception
    assert at.metric
