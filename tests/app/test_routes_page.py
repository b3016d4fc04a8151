"""The All routes page: every route ranked at the scenario's volume, filters, the envelope chart, presentation."""

import datetime as dt
import json

import pytest

from calc import Scenario, compare
from calc.catalogue.options import shipped_records
from calc.catalogue.status import option_status
from calc.text.formatting import usd_per_month
from tests.app.client_states import selection, send
from tests.app.conftest import chart_specs, metrics, run_default
from tests.conftest import PINNED_TODAY
from ui.routes_view import pair_update

PAGE = "pages/1_All_routes.py"
ON = dt.date.fromisoformat(PINNED_TODAY)


def table(at):
    return at.dataframe[0].value


def table_key_of(at) -> str:
    """The ranked table's key (it changes with each pick, so a pick starts a table with no selection)."""
    return at.dataframe[0].proto.id.rpartition("-")[2]


def test_default_scenario_ranks_every_open_option_as_compare_prices_it():
    at = run_default(PAGE)
    assert not at.exception
    shown = table(at).set_index("route")
    assert shown.loc["Bedrock Nova Micro", "per month"] == "$6.15/mo"
    assert shown.loc["Bedrock Nova Micro", "one-off (training + work)"] == "$0.50"
    for option in shipped_records().values():
        usable = option_status(option, ON).usable_by_new_customer
        offered = option.service_kind in ("production", "own_gpus")  # previews and training services are hidden too
        assert (option.label in shown.index) == (usable and offered), option.label  # closed and shut-down are hidden
        if usable and offered:
            figure = compare(Scenario(option=option.option_id), on=ON).monthly_fine_tuned_usd
            assert shown.loc[option.label, "per month"].removesuffix(" (lower bound)") == usd_per_month(figure)
    assert shown.loc["OpenAI GPT-6 Luna", "in pair"] == "prompting side"
    assert shown.loc["Azure gpt-4.1-mini", "in pair"] == "fine-tuning side"
    assert metrics(at)["Cheapest route: Bedrock Nova Micro"] == "$6.15/mo"
    assert len(chart_specs(at)) == 1


def test_hidden_routes_can_be_shown_and_filters_narrow_the_list():
    at = run_default(PAGE)
    before = len(table(at))
    at.toggle(key="routes_show_all").set_value(True).run()
    assert "OpenAI gpt-4o-mini" in set(table(at)["route"]) and len(table(at)) > before
    at.selectbox(key="routes_provider").set_value("AWS Bedrock").run()
    providers = set(table(at)["provider"])
    assert providers <= {"AWS Bedrock", "OpenAI", "Azure (Microsoft Foundry)"}  # the pair's own two always stay
    at.selectbox(key="routes_provider").set_value("All providers").run()
    at.toggle(key="routes_same_family").set_value(True).run()
    assert set(table(at)["route"]) >= {"OpenAI GPT-6 Luna", "Azure gpt-4.1-mini"}
    assert "Bedrock Nova Micro" not in set(table(at)["route"])


def test_the_volume_moves_the_ranking():
    at = run_default(PAGE, {"requests_per_day": "100"})
    low = table(at).set_index("route")["per month"]
    at.select_slider(key="requests_per_day").set_value(1_000_000).run()
    high = table(at).set_index("route")["per month"]
    assert low["OpenAI GPT-6 Luna"] != high["OpenAI GPT-6 Luna"]
    assert not at.exception


@pytest.mark.parametrize(
    ("route_id", "expected"),
    [("prompt:anthropic:claude-haiku-5-5", {"prompt_model": "anthropic:claude-haiku-5-5"}),
     ("fine_tune:bedrock-nova-micro", {"option": "bedrock-nova-micro"})],
)  # fmt: skip
def test_a_route_becomes_half_of_the_pair(route_id, expected):
    assert pair_update(route_id) == expected


def test_a_picked_route_opens_as_half_of_the_pair():
    at = run_default(PAGE, {"option": "bedrock-nova-micro"})
    shown = table(at).set_index("route")
    assert shown.loc["Bedrock Nova Micro", "in pair"] == "fine-tuning side"
    assert metrics(at)["Cheapest route: Bedrock Nova Micro"] == "$6.15/mo"


def test_presentation_keeps_the_answer_and_the_chart():
    at = run_default(PAGE, {"present": "true"})
    assert not at.exception
    assert len(table(at)) == 6 and len(chart_specs(at)) == 1
    assert not any(b.label == "Chart as PNG" for b in at.get("download_button"))


def test_the_latency_caption_keeps_its_own_bold_and_escapes_only_the_text():
    at = run_default(PAGE)
    caption = next(c.value for c in at.caption if "Latency." in c.value)
    assert caption.startswith("**Latency.** ") and "\\*\\*" not in caption


def test_a_clicked_row_makes_its_route_half_of_the_pair():
    at = run_default(PAGE)
    row = int(table(at).index[table(at)["route"] == "Bedrock Nova Micro"][0])
    send(at, table_key_of(at), selection(row))
    assert not at.exception
    assert any("fine-tuning side is now bedrock-nova-micro" in s.value for s in at.success)
    assert table(at).set_index("route").loc["Bedrock Nova Micro", "in pair"] == "fine-tuning side"


@pytest.mark.parametrize(
    "rows", [["a"], [0.5], [None], [True], [-1], [10_000], [2**70], [[0]], [{"row": 0}], [0, 1], "0", None]
)
def test_a_hand_made_row_selection_changes_nothing_and_breaks_nothing(rows):
    at = run_default(PAGE)
    before = table(at)[["route", "in pair"]]
    send(at, table_key_of(at), {"selection": {"rows": rows, "columns": [], "cells": []}})
    assert not at.exception, at.exception
    assert table(at)[["route", "in pair"]].equals(before) and not at.success


ISSUE_PAIR = {"requests_per_day": "20000", "prompt_model": "anthropic:claude-sonnet-5", "option": "bedrock-nova-micro",
              "examples": "8"}  # fmt: skip


def test_the_page_shows_the_pairs_verdict_and_each_routes_quality_labelled():
    from tests.app.conftest import verdict_box

    at = run_default(PAGE, ISSUE_PAIR)
    assert not at.exception
    # $2,754: Claude Sonnet 5 priced in its own tokens (issue 30)
    assert verdict_box(at).startswith("**Measure first:**") and "\\$2,754/mo cheaper" in verdict_box(at)
    shown = table(at).set_index("route")
    assert shown.loc["Anthropic Claude Sonnet 5", "quality"] == "88-92% prior"
    assert shown.loc["Bedrock Nova Micro", "quality"] == "88-100% prior"
    assert (shown["with wrong answers"] == "—").all()  # no error cost set: nothing to add


def test_sorting_by_total_cost_adds_each_routes_wrong_answers_and_the_target_filters():
    at = run_default(PAGE, {**ISSUE_PAIR, "error_cost": "0.05", "routes_sort": "total cost",
                            "eval_counts": "bedrock-nova-micro=300/400,anthropic:claude-sonnet-5=396/400"})  # fmt: skip
    shown = table(at)
    assert not at.exception
    sonnet = shown.set_index("route").loc["Anthropic Claude Sonnet 5"]
    nova = shown.set_index("route").loc["Bedrock Nova Micro"]
    assert sonnet["quality"] == "99.0% measured" and nova["quality"] == "75.0% measured"
    # 600,000 requests a month x 25% wrong x $0.05 = $7,500 on top of Nova Micro's $10.35
    assert nova["with wrong answers"].startswith("$7,510/mo")
    assert list(shown["route"]).index("Anthropic Claude Sonnet 5") < list(shown["route"]).index("Bedrock Nova Micro")
    at.toggle(key="routes_meets_target").set_value(True).run()
    at.number_input(key="target_accuracy").set_value(95.0).run()
    kept = table(at)
    assert "Bedrock Nova Micro" in set(kept["route"])  # the pair's own routes always stay
    assert kept.set_index("route").loc["Bedrock Nova Micro", "quality"] == "75.0% measured · misses target"
    others = kept[kept["in pair"] == ""]
    assert (others["quality"].str.contains("misses target") == False).all()  # noqa: E712


def test_the_chart_can_draw_total_cost_when_an_error_cost_is_set():
    at = run_default(PAGE, {**ISSUE_PAIR, "error_cost": "0.05"})
    assert not at.exception
    before = chart_specs(at)[0]
    at.toggle(key="routes_chart_total").set_value(True).run()
    assert not at.exception
    after = chart_specs(at)[0]
    assert json.dumps(after) != json.dumps(before)
    assert any("wrong answers are added at $0.05 each" in c.value.replace("\\", "") for c in at.caption)
    no_error_cost = run_default(PAGE, ISSUE_PAIR)
    assert all(t.key != "routes_chart_total" for t in no_error_cost.toggle)  # nothing to add without an error cost


def test_previews_and_training_services_are_hidden_until_shown_with_their_kind_and_price_confidence():
    # Issue 29 item 8: Tinker (a training service) and Fireworks' serverless LoRA (a preview) ranked first at some
    # volumes; they are labelled and hidden by default, shown with a toggle that travels in the link.
    at = run_default(PAGE)
    shown = table(at).set_index("route")
    assert "Tinker Qwen3-8B" not in shown.index and "Fireworks GLM 5.3 Flash, serverless LoRA (preview)" not in shown.index
    assert shown.loc["Bedrock Nova Micro", "service"] == "production"
    assert shown.loc["Bedrock Nova Micro", "price confidence"] == "confirmed"
    assert shown.loc["Self-hosted Llama 3.1 8B", "service"] == "own GPUs"
    assert shown.loc["Bedrock Nova Lite", "price confidence"] == (
        "unverified: training $2.00 per 1M tokens and storage $1.95/month (a recollection of the 2025 Bedrock pricing "
        "page; no copy found)"
    )
    at.toggle(key="routes_show_previews").set_value(True).run()
    assert not at.exception
    shown = table(at).set_index("route")
    assert shown.loc["Tinker Qwen3-8B", "service"] == "training service"
    assert shown.loc["Fireworks GLM 5.3 Flash, serverless LoRA (preview)", "service"] == "preview"
    linked = run_default(PAGE, {"routes_show_previews": "true"})
    assert "Tinker Qwen3-8B" in set(table(linked)["route"])
