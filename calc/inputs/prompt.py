"""What a pasted prompt costs: its token split (instructions vs few-shot examples) and its price.

Examples are the part fine-tuning removes; instructions stay in every request either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from calc.costs.caching import cache_hit_pct
from calc.costs.latency import RouteLatency, latency_sentence, route_latency
from calc.costs.pair import Pair
from calc.costs.workload import Workload
from calc.inputs.tokens import (
    DEFAULT_DELIMITER,
    check_countable,
    count_chat_tokens,
    count_tokens,
    encoding_name_for,
    is_exact,
    split_examples,
)
from calc.scenario import Scenario

MAX_PROMPT_CHARS = 2_000_000
ROLES = ("system", "user", "assistant", "tool")


class PromptTooLargeError(ValueError):
    """The pasted text is over the app's stated limit."""


@dataclass(frozen=True)
class PromptCount:
    """Tokens of one prompt, split into what fine-tuning keeps and what it removes."""

    instruction_tokens: int
    example_tokens: int
    examples: int
    exact: bool
    encoding: str

    @property
    def total_tokens(self) -> int:
        return self.instruction_tokens + self.example_tokens

    @property
    def tokens_per_example(self) -> int:
        """Average tokens of one example, rounded; 0 when there are none."""
        return round(self.example_tokens / self.examples) if self.examples else 0


def check_size(*texts: str) -> None:
    """Raise PromptTooLargeError when the texts together exceed MAX_PROMPT_CHARS."""
    size = sum(len(t) for t in texts)
    if size > MAX_PROMPT_CHARS:
        raise PromptTooLargeError(
            f"The prompt is {size:,} characters; the limit is {MAX_PROMPT_CHARS:,}. Paste a representative part of it."
        )


def count_text_prompt(instructions: str, examples_text: str, model: str, delimiter: str = DEFAULT_DELIMITER) -> PromptCount:
    """Count a plain-text prompt: instructions as written, examples as the whole examples area."""
    check_size(instructions, examples_text)
    check_countable(examples_text)  # checked even when it holds no example: the token view shows it
    examples = split_examples(examples_text, delimiter) if examples_text.strip() else []
    return PromptCount(
        instruction_tokens=count_tokens(instructions, model),
        example_tokens=count_tokens(examples_text, model) if examples else 0,
        examples=len(examples),
        exact=is_exact(model),
        encoding=encoding_name_for(model),
    )


def _message(row: Mapping[str, object]) -> dict[str, str]:
    role = str(row.get("role") or "user")
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    content = row.get("content")
    return {
        "role": role,
        "content": "" if content is None or (isinstance(content, float) and math.isnan(content)) else str(content),
    }


def count_chat_prompt(rows: Sequence[Mapping[str, object]], model: str) -> PromptCount:
    """Count chat messages with the API's rule; rows marked `example` are the few-shot part.

    An example is counted per assistant message among the marked rows (one question-answer pair),
    or per marked row when none of them is an assistant message.
    """
    messages = [_message(row) for row in rows]
    check_size(*(m["content"] for m in messages))
    marked = [m for m, row in zip(messages, rows, strict=True) if bool(row.get("example"))]
    total = count_chat_tokens(messages, model) if messages else 0
    example_tokens = count_chat_tokens(marked, model) - 3 if marked else 0  # no reply priming for a part
    answers = sum(1 for m in marked if m["role"] == "assistant")
    return PromptCount(
        instruction_tokens=total - example_tokens,
        example_tokens=example_tokens,
        examples=answers or len(marked),
        exact=is_exact(model),
        encoding=encoding_name_for(model),
    )


@dataclass(frozen=True)
class Prices:
    """Per-1M-token prices of one model: input, cached input (None: no cache discount) and output."""

    input: float
    cached_input: float | None
    output: float
    source: str

    def request_usd(self, input_tokens: int, output_tokens: int, cached_tokens: int = 0) -> float:
        cached_rate = self.input if self.cached_input is None else self.cached_input
        return ((input_tokens - cached_tokens) * self.input + cached_tokens * cached_rate + output_tokens * self.output) / 1e6


def prompt_workload(count: PromptCount, scenario: Scenario, caching: bool) -> Workload:
    """The pasted prompt as a workload: its instructions and examples are the static prefix, each request adds the
    scenario's own input (never cached); the scenario's volume, output length, batch share and peak apply."""
    own = scenario.request_own_tokens
    return Workload(
        kept_input_tokens=count.instruction_tokens + own,
        own_input_tokens=own,
        example_tokens=count.example_tokens,
        output_tokens=scenario.output_tokens,
        requests_per_day=scenario.requests_per_day,
        days_per_month=scenario.days_per_month,
        peak_factor=scenario.peak_factor,
        caching=caching,
        cache_hit_pct=scenario.cache_hit_pct,
        batch_pct=scenario.batch_pct,
        active_hours=scenario.active_hours,
        finetunes_sharing=scenario.finetunes_per_deployment,
        cache_volume=scenario.cache_volume,
    )


def prompt_cost_table(count: PromptCount, scenario: Scenario, pair: Pair) -> pd.DataFrame:
    """Cost per request, day and month of the pasted prompt on the pair's prompting route, with prompt caching, and
    on its fine-tuning route (no examples), each priced by its route for the prompt's workload.

    Caching reads the part of the static prefix the provider's rule allows (OpenAI: from 1,024 tokens in 128-token
    steps) on the scenario's hit rate and writes it on the rest. The fine-tuned row adds the option's fixed fee,
    with dedicated GPUs sized for this prompt at this volume (the same hosting function as every page).
    """
    volume = scenario.requests_per_day
    plain, cached = prompt_workload(count, scenario, False), prompt_workload(count, scenario, True)
    rows = []
    for name, route, work in (
        (f"Prompting {pair.prompt.label} (as pasted)", pair.prompting, plain),
        (f"Prompting with prompt caching ({cache_hit_pct(scenario):.1f}% hits)", pair.prompting, cached),
        (f"Fine-tuned {pair.option.label} (no examples)", pair.fine_tuning, plain),
    ):
        costs = route.costs(scenario, work)
        request = costs.request
        fixed = costs.fee.at(volume) + costs.upkeep_usd
        rows.append((name, request.input_tokens, request.cached_tokens, request.usd, fixed / work.days_per_month))
    table = pd.DataFrame(rows, columns=["approach", "input_tokens", "cached_tokens", "usd_per_request", "fixed_usd_per_day"])
    table["output_tokens"] = scenario.output_tokens
    table["usd_per_day"] = table["usd_per_request"] * volume + table["fixed_usd_per_day"]
    table["usd_per_month"] = table["usd_per_day"] * scenario.days_per_month
    return table.drop(columns="fixed_usd_per_day")


def prompt_latency(count: PromptCount, scenario: Scenario, pair: Pair) -> RouteLatency:
    """The pasted prompt's latency on the pair's prompting route (caching as the scenario bills it): what its example
    tokens add to the first token and what fine-tuning and caching remove (calc/costs/latency.py)."""
    return route_latency(pair.prompting, prompt_workload(count, scenario, scenario.caching and scenario.pricing == "full"))


def prompt_latency_text(count: PromptCount, scenario: Scenario, pair: Pair) -> str:
    """The pasted prompt's latency in the words every page uses (the fine-tuned model on the same prompt beside it)."""
    work = prompt_workload(count, scenario, scenario.caching and scenario.pricing == "full")
    return latency_sentence(route_latency(pair.prompting, work), route_latency(pair.fine_tuning, work), scenario.ttft_target_ms)


@dataclass(frozen=True)
class PromptSavings:
    """The pasted prompt's monthly cost three ways (rows of `prompt_cost_table`), and what each alternative saves."""

    as_pasted_usd: float
    with_caching_usd: float
    fine_tuned_usd: float
    cached_prefix_tokens: int

    @property
    def fine_tuning_usd(self) -> float:
        """Prompting as pasted minus the fine-tuned model without examples; negative when fine-tuned costs more."""
        return self.as_pasted_usd - self.fine_tuned_usd

    @property
    def caching_usd(self) -> float:
        """Prompting as pasted minus prompting with prompt caching."""
        return self.as_pasted_usd - self.with_caching_usd


def prompt_savings(table: pd.DataFrame) -> PromptSavings:
    """Read a `prompt_cost_table` by name: its three monthly costs and the prefix tokens caching reads."""
    if len(table) != 3:
        raise ValueError(f"Expected the three rows of prompt_cost_table, not {len(table)}.")
    as_pasted, with_caching, fine_tuned = (float(v) for v in table["usd_per_month"])
    return PromptSavings(
        as_pasted_usd=as_pasted,
        with_caching_usd=with_caching,
        fine_tuned_usd=fine_tuned,
        cached_prefix_tokens=int(table["cached_tokens"].iloc[1]),
    )
