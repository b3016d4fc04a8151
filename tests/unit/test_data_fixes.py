"""Data errors found at the edges (issue 21), each with the check that would have caught it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from calc.catalogue.options import shipped_records
from calc.catalogue.price_sources import current_version
from calc.catalogue.prompt_models import _snapshot, base_prompt_ref, catalogue_refs, resolve_prompt_model
from calc.catalogue.provider_rules import rule_for, rule_table

#: Curated provider name -> genai-prices provider id, where the catalogue has the provider itself.
CATALOGUE_PROVIDER = {
    "AWS Bedrock": "aws",
    "Azure (Microsoft Foundry)": "azure",
    "Fireworks": "fireworks",
    "Google Vertex AI": "google",
    "OpenAI": "openai",
    "Together AI": "together",
}


def _catalogue_model_ids(provider_id: str) -> list[str]:
    provider = next(p for p in _snapshot(current_version()).providers if p.id == provider_id)
    return [model.id.lower() for model in provider.models]


@pytest.mark.parametrize(
    ("provider_id", "model_match"), rule_table().dropna(subset=["model_match"])[["provider_id", "model_match"]].values.tolist()
)
def test_every_caching_rule_matches_a_catalogue_model(provider_id, model_match):
    """A per-model rule that matches no model id silently falls back to the provider's default minimum."""
    matched = [model_id for model_id in _catalogue_model_ids(provider_id) if model_match in model_id]
    assert matched, f"{provider_id} rule '{model_match}' matches no model in the catalogue"


@pytest.mark.parametrize("ref", ["anthropic:claude-3-haiku", "anthropic:claude-3-5-haiku-latest"])
def test_a_prefix_below_claude_haikus_2048_token_minimum_is_not_cached(ref):
    model = resolve_prompt_model(ref, dt.date(2026, 1, 15))
    rule = rule_for(model.provider_id, model.model_id)
    assert rule.min_cache_prefix_tokens == 2_048
    assert rule.cached_tokens(1_500) == 0 and rule.cached_tokens(2_100) == 2_100


def _catalogue_base(option) -> list[str]:
    """Catalogue refs of the option's own provider whose model id is the option's model (Bedrock adds endpoint prefixes)."""
    provider_id = CATALOGUE_PROVIDER.get(option.provider)
    model_id = option.model_id.split(" ")[0].lower()
    if provider_id is None or " " in option.model_id.strip():
        return []
    return [
        f"{provider_id}:{candidate}"
        for candidate in _catalogue_model_ids(provider_id)
        if candidate == model_id or candidate.endswith("." + model_id) or candidate == model_id.rsplit("-20", 1)[0]
    ]


def test_same_base_model_is_offered_for_every_option_whose_base_is_in_the_catalogue():
    missing = {
        option.option_id: found
        for option in shipped_records().values()
        if (found := _catalogue_base(option)) and base_prompt_ref(option) is None
    }
    assert not missing, f"options whose base model genai-prices has but 'same base model' does not offer: {missing}"
    nova = shipped_records()["bedrock-nova-2-lite"]
    base = resolve_prompt_model(base_prompt_ref(nova), dt.date(2026, 12, 3))
    assert (base.input_per_mtok, base.cached_input_per_mtok, base.output_per_mtok) == (
        nova.base_input_per_mtok,
        nova.base_cached_input_per_mtok,
        nova.base_output_per_mtok,
    )


def test_a_row_whose_notes_report_a_later_price_cut_says_its_price_is_unverified():
    """A price that predates a cut the row's own notes mention is no longer the price in force."""
    stale = []
    for option in shipped_records().values():
        for sentence in re.split(r"(?<=[.;])\s", option.notes or ""):
            if not re.search(r"\bcut", sentence):
                continue
            dates = [dt.date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", sentence)]
            if any(day > option.as_of for day in dates) and option.confidence != "unverified":
                stale.append(option.option_id)
    assert not stale, f"prices older than a cut their notes report, not marked unverified: {stale}"


def test_catalogue_refs_still_group_every_provider():
    assert "aws:global.amazon.nova-2-lite-v1:0" in catalogue_refs()["AWS Bedrock"]
