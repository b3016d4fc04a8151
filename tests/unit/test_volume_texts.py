"""The home page's volume text: right numbers, the presenting variant, the verdict, and built once per analysis."""

import datetime as dt
from dataclasses import replace

from calc.scenario import Scenario
from ui.analysis import volume_analysis
from ui.volume_texts import volume_texts

TODAY = dt.date(2026, 11, 29)


def _texts(presenting: bool = False, **changes):
    scenario = replace(Scenario(), **changes)
    return volume_texts(scenario, volume_analysis(scenario, TODAY), presenting)


def test_the_cards_carry_the_default_pairs_numbers_with_their_sources():
    cards = {card.label: card for card in _texts().cards}
    assert list(cards) == [
        "Prompting per month", "Fine-tuned per month", "Monthly savings", "Training cost (one run)", "Breakeven",
    ]  # fmt: skip
    # GPT-6 Luna reasons at its default effort: 800 input + (50 + 76 reasoning) output tokens x 300,000 = $42.90
    assert cards["Prompting per month"].value == "$42.90/mo" and cards["Fine-tuned per month"].value == "$1,272/mo"
    assert cards["Breakeven"].value == "never"
    prompting = cards["Prompting per month"].help.replace("\\", "").replace("\u2060", "")  # as read: no escapes, joiners
    assert "genai-prices" in prompting and "2026-11-29" in prompting
    assert "+ 126 output, 76 of them reasoning)" in prompting
    assert "76 reasoning tokens billed as output (its default effort, medium" in prompting
    assert "source: data/reasoning_tokens.csv, on the Assumptions page" in prompting  # a tooltip names the table
    assert prompting.endswith("it adds $0.000038 a request, $11.40/mo at 10,000 requests/day.")
    plain = {card.label: card for card in _texts(reasoning_effort="none").cards}["Prompting per month"]
    assert plain.value == "$31.50/mo" and "reasoning" not in plain.help


def test_presenting_shortens_money_and_drops_the_sidebar_hint():
    shown, presented = _texts(), _texts(presenting=True)
    assert {c.label: c.value for c in presented.cards}["Prompting per month"] == "$43/mo"
    assert "sidebar" in shown.summary and "sidebar" not in presented.summary
    assert shown.summary.startswith("10,000/day · 5 few-shot examples x 120 tokens · full pricing.")


def test_the_details_beside_the_verdict_name_the_crossover_side_and_no_band_recommendation():
    below = _texts(prompt_model="openai:gpt-4.1-mini")
    crossover = below.details[0]
    assert "Crossover at about 170,043/day" in crossover and "You are below it." in crossover
    assert not any("recommends" in text or "Fine-tune (usually)" in text for text in below.details)
    above = _texts(prompt_model="openai:gpt-4.1-mini", requests_per_day=500_000)
    assert "You are above it." in above.details[0]
    assert "No crossover" in _texts(output_tokens=2_000).details[0]


def test_text_is_built_once_per_analysis_and_mode():
    scenario = replace(Scenario(), examples=9)
    result = volume_analysis(scenario, TODAY)
    first = volume_texts(scenario, result, False)
    assert volume_texts(scenario, volume_analysis(scenario, TODAY), False) is first
    assert volume_texts(scenario, result, True) is not first


def test_a_caching_note_under_the_article_convention():
    note = "Prompt caching is ignored under the article convention"
    assert any(note in w for w in _texts(caching=True, pricing="article").warnings)
    assert not any(note in w for w in _texts(caching=True).warnings)
