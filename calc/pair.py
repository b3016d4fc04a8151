"""The pair a scenario compares: the prompting model and the fine-tuning option, resolved once per run for a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from calc.options import FineTuneOption, get_option
from calc.prompt_models import PromptModel, resolve_prompt_model
from calc.scenario import Scenario
from calc.status import Status, option_status


@dataclass(frozen=True)
class Pair:
    """Prompting `prompt` vs fine-tuning `option`, with prices and statuses as of `on`."""

    prompt: PromptModel
    option: FineTuneOption
    on: dt.date

    @property
    def title(self) -> str:
        """Which two models are compared, in words."""
        return f"prompting {self.prompt.label} vs fine-tuning {self.option.label}"

    @property
    def same_base_model(self) -> bool:
        """True when the prompted model is the fine-tuned option's own base model."""
        return self.option.base_model_ref is not None and self.prompt.ref == _canonical(self.option.base_model_ref)

    def prompt_status(self) -> Status:
        """The prompting model's status on the pair's date."""
        return self.prompt.status(self.on)

    def option_status(self) -> Status:
        """The fine-tuning option's status on the pair's date."""
        return option_status(self.option, self.on)


def _canonical(ref: str) -> str:
    from calc.prompt_models import canonical_ref

    try:
        return canonical_ref(ref)
    except ValueError:
        return ref


def base_prompt_ref(option: FineTuneOption) -> str | None:
    """The genai-prices reference of the option's own base model ("same base model"), if the catalogue has it."""
    return None if option.base_model_ref is None else _canonical(option.base_model_ref)


def resolve_pair(scenario: Scenario, options: pd.DataFrame | None, on: dt.date, version: str | None = None) -> Pair:
    """The scenario's pair from the session's options table (None: the one in force), priced on `on`; ValueError if unknown.

    `version` pins the prompting price data (calc/price_sources.py); None takes the data in force now.
    """
    prompt = resolve_prompt_model(scenario.prompt_model, on, version)
    return Pair(prompt=prompt, option=get_option(scenario.option, options), on=on)
