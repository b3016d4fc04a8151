"""Every prompting model's lifecycle: curated dates with a source each, and the status they give on a fixed day."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from calc.catalogue.prompt_models import (
    LIFECYCLE_PROVIDERS,
    canonical_ref,
    lifecycle_gaps,
    prompt_model_facts,
    resolve_prompt_model,
    shut_down_refs,
)
from calc.catalogue.status import PromptLifecycle, prompt_status
from calc.catalogue.tables import PROMPT_LIFECYCLE_DATES

DAY = dt.date(2026, 12, 3)


def test_every_lifecycle_row_names_a_catalogue_model_and_a_source_for_each_date():
    facts = prompt_model_facts()
    for ref, row in facts.iterrows():
        assert canonical_ref(ref) == ref, f"{ref} is not written as the catalogue names it"
        assert resolve_prompt_model(ref, DAY).ref == ref
        for date, source in PROMPT_LIFECYCLE_DATES:
            if not pd.isna(row[date]):
                assert isinstance(row[source], str) and row[source].strip(), f"{ref}: {date} has no {source}"
        assert row["confidence"] in ("confirmed", "secondary", "unverified") and row["source"] and row["as_of"]
        if not pd.isna(row["successor_ref"]) and row["successor_ref"]:
            assert canonical_ref(row["successor_ref"]) == row["successor_ref"]


def test_every_required_provider_has_curated_lifecycle_rows():
    providers = {ref.split(":")[0] for ref in prompt_model_facts().index}
    assert set(LIFECYCLE_PROVIDERS) <= providers


@pytest.mark.parametrize(
    ("ref", "on", "state", "headline"),
    [
        ("openai:o4-mini", DAY, "shut_down", "shut down 2026-10-23"),
        ("openai:gpt-4.1-nano", DAY, "shut_down", "shut down 2026-10-23"),
        ("openai:chatgpt-4o-latest", DAY, "shut_down", "shut down 2026-02-17"),
        ("openai:o3", DAY, "open", "shuts down 2026-12-11"),
        ("openai:gpt-5-pro", DAY, "open", "shuts down 2026-12-11"),
        ("azure:o4-mini", DAY, "shut_down", "shut down 2026-10-16"),
        ("azure:codex-mini", DAY, "shut_down", "shut down 2026-11-15"),
        ("azure:gpt-4o", DAY, "closed_to_new_customers", "closed to new customers since 2026-04-23"),
        ("azure:gpt-4.1-mini", DAY, "open", "shuts down 2027-04-14"),
        ("azure:gpt-4.1-mini", dt.date(2027, 5, 1), "shut_down", "shut down 2027-04-14"),
        ("anthropic:claude-3-haiku", DAY, "shut_down", "shut down 2026-04-20"),
        ("google:gemini-3.5-flash", DAY, "open", "retires no earlier than 2027-05-19"),
        ("aws:regional.anthropic.claude-3-haiku-20240307-v1:0", DAY, "shut_down", "shut down 2026-09-10"),
    ],
)
def test_curated_dates_give_the_status_on_the_day(ref, on, state, headline):
    status = resolve_prompt_model(ref, on).status(on)
    assert (status.state, status.headline) == (state, headline)
    assert status.usable_by_new_customer == (state == "open")


def test_a_shutdown_within_ninety_days_warns_with_the_date_and_source():
    status = resolve_prompt_model("openai:o3", DAY).status(DAY)
    assert status.severity == "warning"
    assert "shuts down 2026-12-11 (in 8 days" in status.sentence and "deprecations" in status.sentence
    assert "openai:gpt-6.1-sol" in status.sentence


def test_a_model_with_no_row_says_no_lifecycle_data_never_no_shutdown_announced():
    status = resolve_prompt_model("anthropic:claude-fable-5-1", DAY).status(DAY)
    assert status.headline == "no lifecycle data" and "no shutdown announced" not in status.sentence
    assert "anthropic:claude-fable-5-1" in lifecycle_gaps()["anthropic"]


def test_the_catalogues_own_deprecation_flag_is_used_where_it_is_the_only_fact():
    model = resolve_prompt_model("avian:deepseek/deepseek-v4-pro", DAY)
    assert model.flagged_deprecated and model.lifecycle is None and model.superseded is None
    assert model.status(DAY).headline == "deprecated"
    # A flagged model of a family two generations back reads "superseded" (not usable), not merely "deprecated".
    old = resolve_prompt_model("google:gemini-2.5-flash-preview", DAY)
    assert old.flagged_deprecated and old.status(DAY).state == "superseded"
    assert "google:gemini-2.5-flash-preview" not in lifecycle_gaps().get("google", [])


def test_no_earlier_than_is_a_floor_not_a_shutdown():
    floor = PromptLifecycle(earliest_retirement=dt.date(2027, 5, 19), earliest_retirement_source="model-versions page")
    before = prompt_status("Gemini", floor, False, dt.date(2026, 12, 3))
    assert (before.state, before.severity, before.headline) == ("open", "ok", "retires no earlier than 2027-05-19")
    after = prompt_status("Gemini", floor, False, dt.date(2027, 6, 1))
    assert after.usable_by_new_customer and after.severity == "warning"
    assert after.headline == "may retire at any time" and "2027-05-19 has passed" in after.sentence


def test_closing_to_new_customers_comes_before_the_shutdown():
    life = PromptLifecycle(
        closed_to_new_customers=dt.date(2026, 7, 7),
        closed_to_new_customers_source="schedule, Deprecated",
        shutdown=dt.date(2027, 4, 14),
        shutdown_source="schedule",
        confidence="confirmed",
    )
    ahead = prompt_status("M", life, False, dt.date(2026, 6, 1))
    assert ahead.state == "open" and "closes to new customers 2026-07-07" in ahead.sentence
    closed = prompt_status("M", life, False, dt.date(2026, 12, 3))
    assert closed.state == "closed_to_new_customers" and not closed.usable_by_new_customer
    assert "shuts down 2027-04-14" in closed.sentence


def test_shut_down_models_are_computed_once_per_day():
    assert shut_down_refs(DAY) is shut_down_refs(DAY)
    assert "openai:o4-mini" in shut_down_refs(DAY) and "openai:o3" not in shut_down_refs(DAY)
    assert "openai:o3" in shut_down_refs(dt.date(2026, 12, 11))


@pytest.mark.parametrize(
    ("option_id", "floor"),
    [
        ("vertex-gemini-3.5-flash", dt.date(2027, 5, 19)),
        ("vertex-gemini-3.5-flash-lite", dt.date(2027, 7, 21)),
        ("vertex-gemini-3.1-flash-lite", dt.date(2027, 5, 7)),
    ],
)
def test_vertex_options_carry_their_no_earlier_than_date_as_a_floor(option_id, floor):
    from calc.catalogue.options import shipped_records
    from calc.catalogue.status import option_status

    option = shipped_records()[option_id]
    assert option.earliest_retirement == floor and option.shutdown is None
    assert "tuning is blocked one month before" in option.earliest_retirement_source
    today = option_status(option, DAY)
    assert today.usable_by_new_customer and f"retires no earlier than {floor.isoformat()}" in today.sentence
    after = option_status(option, floor + dt.timedelta(days=1))
    assert after.usable_by_new_customer and after.severity == "warning" and "may retire at any time" in after.sentence
    base = resolve_prompt_model(option.base_model_ref, DAY).lifecycle
    assert base.earliest_retirement == floor  # the prompting row of the same base model agrees


def test_an_option_floor_without_a_source_is_refused():
    from calc.catalogue.tables import DataSchemaError, _read, validate_options

    frame = _read("finetune_options.csv")
    row = frame.index[frame["option_id"] == "vertex-gemini-3.5-flash"][0]
    frame.loc[row, "earliest_retirement_source"] = ""
    with pytest.raises(DataSchemaError, match="'earliest_retirement' has no 'earliest_retirement_source'"):
        validate_options(frame)


def test_a_model_retired_on_vertex_but_kept_on_the_gemini_api_is_not_called_shut_down():
    """genai-prices' google provider prices the Gemini API and Vertex together; their lifecycles differ."""
    status = resolve_prompt_model("google:gemini-2.5-flash-lite", DAY).status(DAY)
    assert status.usable_by_new_customer and status.headline == "may retire at any time"
    assert "retired on Vertex AI 2026-10-20" in status.sentence


def test_price_check_notes_each_providers_models_without_lifecycle_data():
    from calc.catalogue.price_check import check_prices

    notes = [f for f in check_prices(DAY) if "no lifecycle row" in f.message]
    assert {f.row for f in notes} == set(lifecycle_gaps()) and set(lifecycle_gaps()) <= set(LIFECYCLE_PROVIDERS)
    assert not any(f.hard for f in notes)
    assert any("anthropic:claude-fable-5-1" in f.message for f in notes)


# --- issue 29, item 4: shut-down models with no row were priced as open ---------------------------------------------
ISSUE_DAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("ref", "shutdown"),
    [
        ("openai:gpt-4-32k", "2025-06-06"),
        ("openai:codex-mini", "2026-01-16"),
        ("openai:gpt-4o-search-preview", "2026-07-23"),
        ("openai:gpt-4o-audio-preview", "2026-07-23"),
        ("openai:gpt-4o-mini-audio-preview", "2026-07-23"),
        ("openai:gpt-4o-mini-realtime-preview", "2026-07-23"),
        ("openai:gpt-4o-mini-tts", "2026-07-23"),
        ("openai:computer-use", "2026-07-23"),
        ("openai:text-davinci-003", "2024-01-04"),
        ("openai:davinci", "2024-01-04"),
        ("openai:ada", "2024-01-04"),
        ("google:gemini-1.5-pro", "2025-09-24"),
        ("google:gemini-1.5-flash", "2025-09-24"),
        ("google:gemini-pro", "2025-04-09"),
    ],
)
def test_published_shutdowns_make_the_model_unusable_with_its_source(ref, shutdown):
    status = resolve_prompt_model(ref, ISSUE_DAY).status()
    assert status.state == "shut_down" and not status.usable_by_new_customer
    assert status.headline == f"shut down {shutdown}" and "source:" in status.sentence


def test_compare_withholds_a_shut_down_model_it_used_to_price_as_open():
    from calc.api import compare
    from calc.scenario import Scenario

    result = compare(Scenario(prompt_model="openai:gpt-4-32k"), on=ISSUE_DAY)
    assert result.prompt_status.state == "shut_down" and result.withheld and "gpt-4o" in result.withheld


@pytest.mark.parametrize(
    "ref", ["azure:o1-mini", "aws:regional.anthropic.claude-3-sonnet-20240229-v1:0", "openai:babbage-002"]
)
def test_a_model_with_no_row_from_a_family_two_generations_back_is_warned_about_and_not_usable(ref):
    model = resolve_prompt_model(ref, ISSUE_DAY)
    status = model.status()
    assert model.lifecycle is None and status.state == "superseded" and not status.usable_by_new_customer
    assert status.severity == "warning" and "whose newest is generation" in status.sentence


def test_a_model_one_generation_back_or_with_a_row_is_not_superseded():
    assert resolve_prompt_model("openai:gpt-5.4", ISSUE_DAY).status().state == "open"  # GPT 5: one generation back
    assert resolve_prompt_model("anthropic:claude-opus-5", ISSUE_DAY).superseded is None
    assert resolve_prompt_model("openai:gpt-4o", ISSUE_DAY).superseded is None  # a row: its own dates decide


def test_the_ranking_leaves_superseded_and_shut_down_models_out_unless_they_are_the_pairs():
    from calc.costs.ranking import price_routes
    from calc.scenario import Scenario

    ranking = price_routes(Scenario(prompt_model="azure:o1-mini"), ISSUE_DAY).at(1_000)
    pair = ranking.pair_row("prompting")
    assert not pair.priced.usable and pair in ranking.visible()  # the pair's own row is always shown, marked
    assert ranking.cheapest(kind="prompt").route.id != pair.route.id


def test_prices_check_reports_superseded_models_apart_from_the_other_gaps():
    from calc.catalogue.price_check import check_prices

    notes = [f.message for f in check_prices(ISSUE_DAY) if f.row == "azure"]
    superseded = next(n for n in notes if "superseded two generations ago" in n)
    assert "azure:o1-mini" in superseded
    assert all("azure:o1-mini" not in n for n in notes if n is not superseded)
    assert all("openai:gpt-4-32k" not in f.message for f in check_prices(ISSUE_DAY))  # it has a row now


def test_genai_prices_0_2_5_prices_the_new_models_with_their_dated_change_and_a_named_lifecycle_source():
    sol = resolve_prompt_model("openai:gpt-6.2-sol", ISSUE_DAY)
    assert (sol.input_per_mtok, sol.output_per_mtok) == (2.0, 10.0) and sol.request_usd(1_000_000, 0) > 0
    assert resolve_prompt_model("google:gemini-4-carbon", ISSUE_DAY).input_per_mtok == 4.0  # doubled from 2026-12-01
    assert resolve_prompt_model("google:gemini-4-carbon", dt.date(2026, 11, 30)).input_per_mtok == 2.0
    facts = prompt_model_facts()
    for ref in ("openai:gpt-6.2-sol", "openai:gpt-6.2-astra", "google:gemini-4-carbon", "google:gemini-4-neon",
                "google:gemini-4-hydrogen"):  # fmt: skip
        assert "genai-prices 0.2.5" in facts.loc[ref, "source"] and facts.loc[ref, "as_of"] == ISSUE_DAY
        assert resolve_prompt_model(ref, ISSUE_DAY).status().headline == "available, no shutdown announced"
