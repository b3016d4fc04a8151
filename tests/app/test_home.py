import json
import re

import pytest

from tests.app.conftest import chart_specs, metrics, run_default, run_page, verdict_box, verdict_why


def test_home_runs_with_article_defaults(home):
    assert not home.exception
    shown = metrics(home)
    assert shown == {
        "Prompting per month": "$45.00/mo",
        "Fine-tuned per month": "$36.00/mo",
        "Monthly savings": "$9.00/mo",
        "Training cost (one run)": "$2.25",
        "Breakeven": "~8 days",
    }
    assert verdict_box(home).startswith("**Prompt:** fine-tuning OpenAI gpt-4o-mini is closed to new customers since")
    why = verdict_why(home)
    assert "10,000-100,000 requests/day" in why and "\"Fine-tune \\(usually\\)\"" in why  # the band: a reason only


def test_moving_volume_changes_metrics(home):
    home.select_slider(key="requests_per_day").set_value(100).run()
    assert not home.exception
    shown = metrics(home)
    assert shown["Prompting per month"] == "$0.45/mo"
    assert shown["Monthly savings"] == "$0.09/mo"
    assert shown["Breakeven"] == "25.0 months"
    assert "100-1,000 requests/day" in verdict_why(home)


def test_changing_examples_changes_metrics(home):
    home.slider(key="examples").set_value(20).run()
    shown = metrics(home)
    # 200 + 20 x 120 = 2,600 input tokens at $0.15/1M + 50 x $0.60/1M, x 300,000 requests
    assert shown["Prompting per month"] == "$126.00/mo"
    assert shown["Monthly savings"] == "$90.00/mo"


def test_pricing_mode_and_provider(home):
    home.radio(key="pricing").set_value("article").run()
    assert metrics(home)["Monthly savings (article)"] == "$54.00/mo"
    assert metrics(home)["Prompting per month"] == "$45.00/mo"  # real prices under both conventions
    home.selectbox(key="option").set_value("openai-gpt-4o").run()
    assert not home.exception
    assert metrics(home)["Training cost (one run)"] == "$18.75"  # 750,000 tokens x $25/1M


def test_chart_spec_has_bands_and_both_lines(home):
    specs = chart_specs(home)
    assert len(specs) == 2
    volume = specs[0]
    text = json.dumps(volume, ensure_ascii=False)
    assert any(layer.get("mark", {}).get("type") == "rect" for layer in volume["layer"])
    for label in ("<100/day", "100-1,000/day", "1,000-10,000/day", "10,000-100,000/day", ">100,000/day"):
        assert label in text
    lines = [layer for layer in volume["layer"] if layer.get("mark", {}).get("type") == "line"]
    approaches = {row["approach"] for layer in lines for row in volume["datasets"][layer["data"]["name"]]}
    assert approaches == {"Prompting", "Fine-tuned"}
    assert "You: 10,000/day" in text


def test_query_string_is_honoured():
    at = run_page("streamlit_app.py", {"requests_per_day": "50000", "option": "openai-gpt-4o", "examples": "10"})
    assert not at.exception
    assert at.select_slider(key="requests_per_day").value == 50_000
    assert at.selectbox(key="option").value == "openai-gpt-4o"
    # 200 + 10 x 120 = 1,400 tokens x $2.50 + 50 x $10 per 1M, x 1,500,000 requests
    assert metrics(at)["Prompting per month"] == "$6,000/mo"
    assert not at.warning or all("could not be used" not in w.value for w in at.warning)


def test_off_grid_volume_from_a_link_is_kept():
    at = run_page("streamlit_app.py", {"requests_per_day": "4321"})
    assert at.select_slider(key="requests_per_day").value == 4321


def test_garbage_query_string_falls_back_with_warning():
    at = run_page("streamlit_app.py", {"requests_per_day": "abc", "pricing": "<b>x</b>", "option": "nope"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "'requests\\_per\\_day' is 'abc', not a number" in warning
    assert "'option' is 'nope'" in warning and "'pricing'" in warning
    assert metrics(at)["Prompting per month"] == "$42.90/mo"  # the default pair


def test_retired_option_is_labelled():
    at = run_page("streamlit_app.py", {"option": "openai-gpt-4.1-nano"})
    assert any("shut down 2026-10-23" in e.value for e in at.error)
    assert "shut down 2026-10-23" in at.markdown[0].value
    assert any("shut down 2026-10-23" in o for o in at.selectbox(key="option").options)


def test_article_table_and_correction(home):
    table = home.table[0].value
    assert table["Article: savings/month"].tolist() == ["$54.00", "$72.00", "$135.00", "$180.00"]
    assert table["Recomputed, article convention"].tolist() == ["$54.00", "$72.00", "$135.00", "$180.00"]
    assert table["Recomputed, full pricing"].tolist() == ["$9.00", "-$18.00", "-$135.00", "-$315.00"]
    assert any("breakeven at 100/day is 8 to 139 months" in w.value for w in home.warning)


def test_self_hosted_and_output_heavy_never_break_even():
    at = run_page("streamlit_app.py", {"output_tokens": "2000"})
    assert metrics(at)["Breakeven"] == "never"
    assert "No crossover" in verdict_why(at)
    at = run_page("streamlit_app.py", {"option": "selfhosted-llama-3.1-70b", "requests_per_day": "1000000"})
    training = metrics(at)["Training cost (one run)"]
    assert not at.exception and re.fullmatch(r"\$[\d,]+(\.\d\d)?", training) and training != "$0"


def test_minimum_examples_warning():
    at = run_page("streamlit_app.py", {"option": "bedrock-claude-3-haiku", "training_examples": "20"})
    warnings = " ".join(w.value for w in at.warning)
    assert "needs at least 32 training examples" in warnings
    assert "lower bound" in warnings


def test_default_pair_today_has_no_lifecycle_warning():
    from tests.app.conftest import run_default

    at = run_default("streamlit_app.py")
    assert not at.exception
    assert not at.error and not [w for w in at.warning if "shut" in w.value or "closed" in w.value]
    assert "GPT-6 Luna" in at.markdown[0].value and "Azure gpt-4.1-mini" in at.markdown[0].value


def test_acceptance_link_prompting_a_frontier_model_vs_azure():
    from tests.app.conftest import run_default

    query = {
        "prompt_model": "openai:gpt-6-luna", "option": "azure-gpt-4.1-mini", "requests_per_day": "10000", "examples": "5",
        "tokens_per_example": "120", "instruction_tokens": "200", "output_tokens": "50", "pricing": "full", "caching": "false",
    }  # fmt: skip
    shown = metrics(run_default("streamlit_app.py", query))
    assert shown["Prompting per month"] == "$42.90/mo" and shown["Fine-tuned per month"] == "$1,272/mo"
    assert shown["Breakeven"] == "never"
    same_base = run_default("streamlit_app.py", {**query, "prompt_model": "openai:gpt-4.1-mini"})
    why = verdict_why(same_base)
    assert "Crossover at about 170,043/day" in why and "You are below it" in why


def test_changing_the_prompting_model_changes_the_numbers():
    from tests.app.conftest import run_default

    at = run_default("streamlit_app.py")
    before = metrics(at)["Prompting per month"]
    at.selectbox(key="prompt_model").set_value("anthropic:claude-sonnet-5").run()
    assert metrics(at)["Prompting per month"] != before
    assert "Claude Sonnet 5" in at.markdown[0].value


def test_batch_is_named_as_the_cheaper_lever_when_it_wins():
    from tests.app.conftest import run_default

    # 250,000/day: prompting gpt-4.1-mini $3,000/mo, fine-tuned on Azure $1,200 tokens + $1,224 hosting = $2,424;
    # a batch API halves prompting to $1,500, and an hourly deployment gets no batch discount.
    query = {"prompt_model": "openai:gpt-4.1-mini", "option": "azure-gpt-4.1-mini", "requests_per_day": "250000"}
    why = verdict_why(run_default("streamlit_app.py", query))
    assert "If the traffic can wait, a batch API would bring prompting to $1,500/mo" in why
    at = run_default("streamlit_app.py", {**query, "batch_pct": "100"})
    assert "Batch is cheaper here" in verdict_why(at) and metrics(at)["Prompting per month"] == "$1,500/mo"


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "2.5"])
@pytest.mark.parametrize("key", ["tokens_per_example", "instruction_tokens", "epochs", "examples"])
def test_unusable_whole_numbers_in_a_link_are_reported_not_crashing_or_truncated(key, value):
    at = run_page("streamlit_app.py", {key: value})
    assert not at.exception
    assert any(f"'{key.replace('_', chr(92) + '_')}' is" in w.value for w in at.warning)
    assert metrics(at)["Prompting per month"] == "$45.00/mo"  # the default, not a truncated 2


def test_new_cost_inputs_change_the_numbers():
    from tests.app.conftest import run_default

    at = run_default("streamlit_app.py", {"examples": "10", "tokens_per_example": "150", "instruction_tokens": "300"})
    before = metrics(at)["Prompting per month"]
    at.slider(key="batch_pct").set_value(50).run()
    batched = metrics(at)["Prompting per month"]
    assert batched != before
    at.toggle(key="caching").set_value(True).run()
    cached = metrics(at)["Prompting per month"]
    assert cached != batched
    assert any("Estimated: 100.0% = 1 - exp(-6.94 requests/min x 30 min" in c.value.replace("\\", "") for c in at.caption)
    at.number_input(key="cache_hit_pct").set_value(20).run()
    assert metrics(at)["Prompting per month"] != cached
    at.number_input(key="request_input_tokens").set_value(300).run()  # no static instructions left to cache
    assert not at.exception


def test_an_all_zero_scenario_renders():
    from tests.app.conftest import run_default

    query = {"examples": "0", "instruction_tokens": "0", "output_tokens": "0", "training_examples": "0", "requests_per_day": "10"}
    at = run_default("streamlit_app.py", {**query, "option": "openai-gpt-4o-mini", "prompt_model": "openai:gpt-4o-mini"})
    assert not at.exception
    shown = metrics(at)
    # 0 training examples, below the option's minimum of 10: training is not possible (not free), so no breakeven
    assert shown["Prompting per month"] == "$0/mo"
    assert shown["Training cost (one run)"] == shown["Breakeven"] == "not possible: needs at least 10 training examples"
    assert "**No crossover:** training is not possible" in verdict_why(at)


def test_a_markdown_link_in_a_parameter_is_shown_as_text():
    at = run_page("streamlit_app.py", {"option": "[Session expired: sign in](https://evil.example) ![x](https://evil.example/x.png)"})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Session expired" in warning and "\\[Session expired:\u2060 sign in\\]\\(" in warning and "!\\[x\\]" in warning


def test_an_unpublished_training_price_is_asked_for_and_used():
    from tests.app.conftest import run_default

    at = run_default("streamlit_app.py", {"option": "vertex-gemini-3.5-flash", "prompt_model": "google:gemini-3.5-flash"})
    shown = metrics(at)
    assert shown["Training cost (one run)"] == "not published: enter it"
    assert shown["Breakeven"] == "unknown: enter the training price"
    price = at.number_input(key="training_price")
    assert "not published: enter it" in price.label
    price.set_value(10.0).run()
    shown = metrics(at)
    assert shown["Training cost (one run)"] == "$7.50 (entered price)"  # 1,000 x 250 x 3 epochs x $10 per 1M
    assert shown["Breakeven"] != "unknown: enter the training price"


def test_long_prompts_buy_gpus_by_prefill_and_article_labels_say_when_they_do_not_fit():
    from tests.app.conftest import run_default

    query = {"option": "together-lora-up-to-16b", "requests_per_day": "1000000", "instruction_tokens": "8000",
             "output_tokens": "10"}  # fmt: skip
    at = run_default("streamlit_app.py", query)
    assert not at.exception
    card = next(m for m in at.metric if m.label == "Fine-tuned per month")
    # 34.7 requests/s at peak / 4.129 prefilled per H100 = 9 H100s
    assert "9 x H100 SXM 80GB at $3.99/hour, always on" in card.help.replace("\\", "")
    texts = [e.value.replace("\\", "") for e in [*at.warning, *at.markdown, *at.caption]]
    assert any("bounded by prefill" in text for text in texts)
    at.number_input(key="active_hours").set_value(8.0).run()  # per-minute billing: 8 h billed, traffic in 8 h
    card = next(m for m in at.metric if m.label == "Fine-tuned per month")
    assert "26 x H100 SXM 80GB at $3.99/hour, 8 h/day" in card.help.replace("\\", "")  # ceil(104.2 / 4.129)
    article = run_default("streamlit_app.py", {"pricing": "article"})  # gpt-6-luna vs Azure: not the same model
    shown = metrics(article)
    assert shown["Monthly savings (article's convention only)"].endswith("(real: -$1,229/mo)")
    assert "Breakeven (article's convention only)" in shown


def test_reasoning_effort_control_prices_the_default_pair_and_travels_in_the_link():
    # Issue 29 item 3 (fixed date PRICES_ON=2026-12-03): GPT-6 Luna reasons at its default effort, medium (76 tokens a
    # request billed as output): $42.90/mo; none leaves it out ($31.50); high writes 228 ($31.50 + 228 x $0.50/1M x
    # 300,000 = $65.70). The control is a link key.
    at = run_default("streamlit_app.py")
    assert at.selectbox(key="reasoning_effort").value == "default"
    assert metrics(at)["Prompting per month"] == "$42.90/mo"
    assert "reasons by default (medium: 76 tokens a request)" in at.selectbox(key="reasoning_effort").help
    at.selectbox(key="reasoning_effort").set_value("none").run()
    assert not at.exception and metrics(at)["Prompting per month"] == "$31.50/mo"
    linked = run_default("streamlit_app.py", {"reasoning_effort": "high"})
    assert not linked.exception and metrics(linked)["Prompting per month"] == "$65.70/mo"
    bad = run_default("streamlit_app.py", {"reasoning_effort": "max"})
    assert not bad.exception and metrics(bad)["Prompting per month"] == "$42.90/mo"
    shown = [w.value.replace("\\", "") for w in bad.warning]  # as read: markdown escapes dropped
    assert any("'reasoning_effort' is 'max'; expected one of default, none, low, medium, high" in w for w in shown)


def test_an_option_billed_per_training_hour_asks_for_the_hours_of_a_run():
    # Issue 29 item 8: Azure o4-mini reinforcement fine-tuning bills $100 per training hour; no provider publishes how
    # long a run takes, so the sidebar asks for the hours (a link key), and the training cost is hours x rate.
    at = run_default("streamlit_app.py", {"option": "azure-o4-mini-rft", "prompt_model": "azure:o4-mini"})
    assert not at.exception
    assert metrics(at)["Training cost (one run)"] == "hours of a run not published: enter them"
    hours = at.number_input(key="training_hours")
    assert hours.value is None and "$100.00/hour" in hours.label
    hours.set_value(4.0).run()
    assert not at.exception and metrics(at)["Training cost (one run)"] == "$400.00"
    linked = run_default("streamlit_app.py", {"option": "azure-o4-mini-rft", "training_hours": "2.5"})
    assert metrics(linked)["Training cost (one run)"] == "$250.00"
    plain = run_default("streamlit_app.py")
    assert not [n for n in plain.number_input if n.key == "training_hours"]  # asked only where billed by the hour


def test_the_issue_pair_reads_the_same_verdict_on_the_home_page_and_quality_and_decision():
    from tests.app.conftest import run_default

    issue = {"requests_per_day": "20000", "prompt_model": "anthropic:claude-sonnet-5", "option": "bedrock-nova-micro",
             "examples": "8"}  # fmt: skip
    home = verdict_box(run_default("streamlit_app.py", issue))
    assert home == verdict_box(run_default("pages/3_Quality_and_decision.py", issue))
    assert home == verdict_box(run_default("pages/1_All_routes.py", issue))
    assert home.startswith("**Measure first:**") and "Use prompting" not in home
    assert "\\$2,754/mo cheaper" in home and "on your eval" in home  # Sonnet 5 priced in its own tokens (issue 30)
