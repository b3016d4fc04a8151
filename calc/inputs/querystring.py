"""Scenario inputs as they travel in a URL: their ranges, the log-scale volume steps, and parsing.

Streamlit silently drops a bound query parameter it cannot use; parsing here first lets the page
say which parameters were ignored and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from calc.article.quality import quality_table
from calc.catalogue.options import get_option
from calc.catalogue.prompt_models import base_prompt_ref, canonical_ref
from calc.costs.gpu import METHODS, PRESETS, gpu_table
from calc.costs.lifecycle import DECLINE_PRESETS
from calc.costs.ranking import route_providers
from calc.quality.evals import parse_count
from calc.quality.route_quality import route_resolver
from calc.scenario import CONTENT_KINDS, LABELLING_MODES, PRICING_MODES, REASONING_EFFORTS, Scenario
from calc.verdict.ranked import SORTS


@dataclass(frozen=True)
class IntParam:
    """A whole-number input with its accepted range."""

    minimum: int
    maximum: int


INT_PARAMS: dict[str, IntParam] = {
    "requests_per_day": IntParam(10, 1_000_000),
    "examples": IntParam(0, 50),
    "tokens_per_example": IntParam(1, 20_000),
    "instruction_tokens": IntParam(0, 200_000),
    "output_tokens": IntParam(0, 100_000),
    "training_examples": IntParam(0, 1_000_000),
    "tokens_per_training_example": IntParam(1, 200_000),
    "epochs": IntParam(0, 25),
    "horizon_months": IntParam(1, 60),
    "request_input_tokens": IntParam(0, 200_000),
    "cache_hit_pct": IntParam(0, 100),
    "batch_pct": IntParam(0, 100),
    # Hosting that scales (issue 21): fine-tunes sharing one multi-LoRA deployment.
    "finetunes_per_deployment": IntParam(1, 100),
    # --- the work before training, latency target (issue 22) ---
    "eval_examples": IntParam(0, 1_000_000),
    "ttft_target_ms": IntParam(0, 60_000),
}
FLOAT_PARAMS: dict[str, tuple[float, float]] = {
    "error_cost": (0.0, 1_000_000.0),
    "training_price": (0.0, 1_000_000.0),
    # hours of one training run where the provider bills training by the hour (issue 29: Azure's reinforcement tuning)
    "training_hours": (0.0, 10_000.0),
    "peak_factor": (1.0, 20.0),
    # Hosting that scales (issue 21): hours a day a scale-to-zero deployment runs.
    "active_hours": (1.0, 24.0),
    # --- the work before training (issue 22); the first three keep Cost over time's old link keys ---
    "data_cost_per_example": (0.0, 10_000.0),
    "label_hours_per_100": (0.0, 10_000.0),
    "engineering_hours": (0.0, 100_000.0),
    "hourly_rate": (0.0, 10_000.0),
    "maintenance_usd_per_month": (0.0, 10_000_000.0),
    # --- quality (issue 28): the accuracy a route must reach, % (0 = none) ---
    "target_accuracy": (0.0, 100.0),
}
CHOICE_PARAMS: dict[str, tuple[str, ...]] = {
    "pricing": PRICING_MODES,
    "caching": ("true", "false"),
    "labelling": LABELLING_MODES,  # issue 22: who labels the training set
    "reasoning_effort": REASONING_EFFORTS,  # issue 29: a reasoning prompting model's effort ("default": its own)
    "content_kind": CONTENT_KINDS,  # issue 30: what the prompt text is, for each route's own tokens
}
#: Prompting-model references besides the pair's own (issue 22: the distillation teacher; empty = the pair's).
MODEL_PARAMS = ("teacher_model",)
#: Eval results typed per route (issue 28): `route=right/n` entries joined by commas, e.g.
#: `eval_counts=prompt:openai:gpt-6-luna=180/200,fine_tune:bedrock-nova-micro=186/200`.
EVAL_COUNTS = "eval_counts"
SCENARIO_PARAMS = (*INT_PARAMS, *FLOAT_PARAMS, "option", "prompt_model", "task", *CHOICE_PARAMS, *MODEL_PARAMS, EVAL_COUNTS)
#: Options that existed when links named only `option`: such a link means "prompt the option's own base model".
LEGACY_OPTION_IDS = frozenset(
    {
        "openai-gpt-4o-mini",
        "openai-gpt-4o",
        "openai-gpt-4.1",
        "openai-gpt-4.1-mini",
        "openai-gpt-4.1-nano",
        "vertex-gemini-2.5-flash",
        "vertex-gemini-2.5-pro",
        "vertex-gemini-2.5-flash-lite",
        "vertex-gemini-2.0-flash",
        "bedrock-claude-3-haiku",
        "fireworks-up-to-16b",
        "fireworks-16-80b",
        "selfhosted-llama-3.1-8b",
        "selfhosted-llama-3.1-70b",
    }
)


@dataclass(frozen=True)
class NumberParam:
    """A number a page binds to the link: the widget's range, default and step (whole numbers when all four are ints)."""

    minimum: float
    maximum: float
    default: float
    step: float

    @property
    def whole(self) -> bool:
        """True for a whole-number widget (Streamlit makes it one when every bound is an int)."""
        return all(isinstance(v, int) for v in (self.minimum, self.maximum, self.default, self.step))

    @property
    def widget_args(self) -> tuple[float, float, float, float]:
        """min_value, max_value, value and step, in the order st.slider and st.number_input take them."""
        return self.minimum, self.maximum, self.default, self.step


@dataclass(frozen=True)
class ChoiceParam:
    """A choice a page binds to the link: the widget's options, as the URL writes them (read when needed: some are data)."""

    choices: Callable[[], Sequence[str]]
    ignore_case: bool = False

    def options(self) -> list[str]:
        """The options, in the widget's order."""
        return list(self.choices())


#: The option of the Self-hosted page's model picker that opens the size slider.
CUSTOM_SIZE = "Custom size"
#: The option of the Cost over time page's decline picker that opens its own slider.
CUSTOM_DECLINE = "Custom"
#: Every page's own link-bound inputs (the scenario's are above): the widgets are created from these, and the link
#: check reads them, so an unusable value is reported and taken out of the URL before any widget sees it.
PAGE_PARAMS: dict[str, NumberParam | ChoiceParam] = {
    "present": ChoiceParam(lambda: ("true", "false"), ignore_case=True),
    "hybrid_examples": NumberParam(0, 20, 2, 1),
    "retrains_per_year": NumberParam(0.0, 6.0, 3.0, 0.5),
    "monthly_growth": NumberParam(-10.0, 20.0, 0.0, 0.5),
    "decline_preset": ChoiceParam(lambda: (*DECLINE_PRESETS, CUSTOM_DECLINE)),
    "decline_custom": NumberParam(0, 99, 65, 1),
    "sh_model": ChoiceParam(lambda: (*PRESETS, CUSTOM_SIZE)),
    "sh_params": NumberParam(1.0, 70.0, 13.0, 0.5),
    "sh_method": ChoiceParam(lambda: METHODS),
    "sh_gpu": ChoiceParam(lambda: tuple(gpu_table().index)),
    "sh_gpus": NumberParam(1, 64, 1, 1),
    "sh_serving_gpu": ChoiceParam(lambda: tuple(gpu_table().index)),
    "routes_show_all": ChoiceParam(lambda: ("true", "false"), ignore_case=True),
    "routes_show_previews": ChoiceParam(lambda: ("true", "false"), ignore_case=True),
    "routes_provider": ChoiceParam(route_providers),
    "routes_same_family": ChoiceParam(lambda: ("true", "false"), ignore_case=True),
    "routes_sort": ChoiceParam(lambda: tuple(SORTS.values())),
    "routes_meets_target": ChoiceParam(lambda: ("true", "false"), ignore_case=True),
    "routes_chart_total": ChoiceParam(lambda: ("true", "false"), ignore_case=True),
}
#: What separates an option's label from its status in the picker (and so in the URL).
STATUS_SEPARATOR = " · "
_MAX_PARAM_CHARS = 200
#: Typed eval counts name routes by id: room for a dozen of them.
_MAX_EVAL_COUNTS_CHARS = 2_000


def volume_steps(low: int = 10, high: int = 1_000_000) -> list[int]:
    """Requests/day positions for the volume slider: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5 per decade (a new list each call)."""
    return list(_volume_steps(low, high))


@lru_cache(maxsize=8)
def _volume_steps(low: int, high: int) -> tuple[int, ...]:
    mantissas = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5)
    steps = []
    for exponent in range(int(math.log10(low)), int(math.log10(high)) + 1):
        steps.extend(int(m * 10**exponent) for m in mantissas)
    return tuple(s for s in steps if low <= s <= high)


def _single(value: object) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value)


def _parse_int(key: str, text: str) -> int:
    spec = INT_PARAMS[key]
    try:
        number = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise ValueError(f"'{key}' is '{text}', not a number") from None
    if not math.isfinite(number) or not number.is_integer():
        raise ValueError(f"'{key}' is '{text}', not a whole number")
    if not spec.minimum <= number <= spec.maximum:
        raise ValueError(f"'{key}' is {number:,.0f}, outside {spec.minimum:,}-{spec.maximum:,}")
    return int(number)


def _parse_float(key: str, text: str) -> float:
    low, high = FLOAT_PARAMS[key]
    try:
        number = float(text.replace(",", "").replace("_", "").lstrip("$"))
    except ValueError:
        raise ValueError(f"'{key}' is '{text}', not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"'{key}' is '{text}', outside {low:,g}-{high:,g}")
    return number


def _parse_id(key: str, text: str, table: pd.DataFrame, label_column: str, what: str) -> str:
    """An id from `table`'s index, given as the id or as its label (which is what the widget writes)."""
    if text in table.index:
        return text
    text = text.split(STATUS_SEPARATOR)[0].strip()
    matches = table.index[table[label_column] == text]
    if len(matches):
        return str(matches[0])
    raise ValueError(f"'{key}' is '{text}', not a known {what}")


def parse_scenario_params(
    params: Mapping[str, object], options: pd.DataFrame, tasks: pd.DataFrame | None = None, old_link_rule: bool = True
) -> tuple[dict[str, object], list[str]]:
    """Typed values for the scenario parameters present in `params`, and one message per bad one.

    Never raises: a parameter that is not usable is left out and described in the messages.
    Unrelated parameters are ignored. An old link that names a pre-2026-11 `option` but no
    `prompt_model` means "prompt the option's own base model", as such links did (`old_link_rule`: only where
    `params` are a link's; the command line's own flags keep the pair's default prompting model).
    """
    values: dict[str, object] = {}
    problems: list[str] = []
    for key in SCENARIO_PARAMS:
        if key not in params:
            continue
        text = _single(params[key]).strip()
        shown = text if len(text) <= _MAX_PARAM_CHARS else text[:_MAX_PARAM_CHARS] + "…"
        try:
            if len(text) > (_MAX_EVAL_COUNTS_CHARS if key == EVAL_COUNTS else _MAX_PARAM_CHARS):
                raise ValueError(f"'{key}' is too long ({len(text):,} characters)")
            if key == EVAL_COUNTS:
                values[key] = parse_eval_counts(text, options)
            elif key in INT_PARAMS:
                values[key] = _parse_int(key, text)
            elif key in FLOAT_PARAMS:
                values[key] = _parse_float(key, text)
            elif key == "option":
                values[key] = _parse_id(key, text, options, "label", "fine-tuning option")
            elif key == "prompt_model":
                values[key] = _parse_prompt_model(text)
            elif key in MODEL_PARAMS:
                values[key] = "" if not text else _parse_prompt_model(text, key)
            elif key == "task":
                values[key] = _parse_id(key, text, quality_table() if tasks is None else tasks, "task", "task type")
            elif text.lower() in CHOICE_PARAMS[key]:
                values[key] = text.lower() == "true" if key == "caching" else text.lower()
            else:
                raise ValueError(f"'{key}' is '{shown}'; expected one of {', '.join(CHOICE_PARAMS[key])}")
        except ValueError as problem:
            problems.append(str(problem))
    if old_link_rule and old_link_option(values, params):
        base = base_prompt_ref(get_option(str(values["option"]), options))
        if base is not None:
            values["prompt_model"] = base
    return values, problems


def parse_eval_counts(text: str, options: pd.DataFrame | None = None) -> tuple[tuple[str, int, int], ...]:
    """Typed eval counts from the link (`route=right/n` joined by commas; a route as its id, a prompting model or a
    fine-tuning option id) as (route id, right, n) tuples; ValueError naming the first unusable entry."""
    resolve = route_resolver(options)
    counts: dict[str, tuple[int, int]] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        name, sep, count_text = entry.rpartition("=")
        if not sep or not name.strip():
            raise ValueError(f"'{EVAL_COUNTS}': {entry[:60]!r} is not route=right/n")
        route = resolve(name.strip())
        if route is None:
            raise ValueError(f"'{EVAL_COUNTS}': {name.strip()[:60]!r} is not a known route")
        try:
            counts[route] = parse_count(count_text)
        except ValueError as problem:
            raise ValueError(f"'{EVAL_COUNTS}': {route}: {problem}") from None
    return tuple((route, right, n) for route, (right, n) in counts.items())


def eval_counts_text(counts: tuple[tuple[str, int, int], ...]) -> str:
    """Typed eval counts as the link writes them (the inverse of `parse_eval_counts`)."""
    return ",".join(f"{route}={right}/{n}" for route, right, n in counts)


def old_link_option(values: Mapping[str, object], params: Mapping[str, object]) -> bool:
    """True when `params` name a pre-2026-11 `option` (parsed into `values`) and no `prompt_model`: an old link."""
    return "option" in values and "prompt_model" not in params and values["option"] in LEGACY_OPTION_IDS


def parse_page_params(params: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """The pages' own link values present in `params` (PAGE_PARAMS), as the URL should write them, and one message per
    bad one.

    Never raises. A number is parsed as Streamlit's widget would (Python's float, no separators) and must be finite, in
    its widget's range and whole where the widget is; a choice must be one of the widget's options.
    """
    values: dict[str, object] = {}
    problems: list[str] = []
    for key, spec in PAGE_PARAMS.items():
        if key not in params:
            continue
        text = _single(params[key]).strip()
        try:
            if len(text) > _MAX_PARAM_CHARS:
                raise ValueError(f"'{key}' is too long ({len(text):,} characters)")
            values[key] = _parse_number(key, text, spec) if isinstance(spec, NumberParam) else _parse_choice(key, text, spec)
        except ValueError as problem:
            problems.append(str(problem))
    return values, problems


def _parse_number(key: str, text: str, spec: NumberParam) -> int | float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{key}' is '{text}', not a number") from None
    if not math.isfinite(number) or not spec.minimum <= number <= spec.maximum:
        raise ValueError(f"'{key}' is '{text}', outside {spec.minimum:,g}-{spec.maximum:,g}")
    if spec.whole:
        if not number.is_integer():
            raise ValueError(f"'{key}' is '{text}', not a whole number")
        return int(number)
    return number


def _parse_choice(key: str, text: str, spec: ChoiceParam) -> str:
    options = spec.options()
    found = next((o for o in options if o == text or (spec.ignore_case and o.lower() == text.lower())), None)
    if found is None:
        raise ValueError(f"'{key}' is '{text}'; expected one of {', '.join(options)}")
    return found


def page_param_text(value: object) -> str:
    """How a page's bound widget writes `value` into the URL (whole floats without ".0", as Streamlit does)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_prompt_model(text: str, key: str = "prompt_model") -> str:
    """A prompting model given as provider:model or an unambiguous bare id, as its canonical reference.

    The picker's own text (the ref, then " · shut down <date>" for a shut-down model) is accepted too.
    """
    try:
        return canonical_ref(text.split(STATUS_SEPARATOR)[0])
    except ValueError as problem:
        raise ValueError(f"'{key}': {problem}") from None


def scenario_from_values(values: Mapping[str, object]) -> Scenario:
    """A Scenario from widget/URL values; epochs 0 means OpenAI's default rule."""
    fields = dict(values)
    if fields.get("epochs") == 0:
        fields["epochs"] = None
    if fields.get("prompt_model") is None:
        fields.pop("prompt_model", None)
    return Scenario(**fields)
