"""What a pasted prompt costs: its token split (instructions vs few-shot examples) and its price.

Examples are the part fine-tuning removes; instructions stay in every request either way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from calc.costs.caching import cache_hit_pct
from calc.costs.latency import RouteLatency, latency_sentence, route_latency
from calc.costs.pair import Pair
from calc.costs.workload import OWN_TOKENS, Workload
from calc.inputs.tokens import DEFAULT_DELIMITER, check_countable, split_examples
from calc.scenario import Scenario
from calc.tokenizers import TokenCount, count
from calc.tokenizers.chat import count_chat
from calc.tokenizers.content import content_kind
from calc.tokenizers.convert import in_family_tokens
from calc.tokenizers.ratios import REFERENCE_ENCODING, Ratio

MAX_PROMPT_CHARS = 2_000_000
ROLES = ("system", "user", "assistant", "tool")


class PromptTooLargeError(ValueError):
    """The pasted text is over the app's stated limit."""


@dataclass(frozen=True)
class PromptCount:
    """Tokens of one prompt in one model's tokens, split into what fine-tuning keeps and what it removes.

    An estimate (no vocabulary for the model) carries its central figures and the range of the total.
    """

    instruction_tokens: int
    example_tokens: int
    examples: int
    exact: bool
    tokenizer: str
    low: int | None = None
    high: int | None = None
    noun: str = "OpenAI"
    family: str = "o200k_base"
    ratio: Ratio | None = None
    #: Tokens of the request's own input inside the counted text (None: the text holds none; the scenario's is added).
    own_input_tokens: int | None = None
    #: True for the scenario's own counts (o200k_base, converted by each route), False for a model's own tokens.
    reference: bool = False

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> PromptCount:
        """The scenario's prompt (its static instructions and examples) in its reference encoding, o200k_base."""
        return cls(
            scenario.static_instruction_tokens,
            scenario.example_tokens,
            scenario.examples,
            True,
            REFERENCE_ENCODING,
            family=REFERENCE_ENCODING,
            reference=True,
        )

    @classmethod
    def of(cls, instructions: TokenCount, examples_part: TokenCount, examples: int) -> PromptCount:
        """A prompt from the counts of its two parts (same model)."""
        total = instructions + examples_part
        return cls(
            instructions.tokens,
            examples_part.tokens,
            examples,
            total.exact,
            total.tokenizer,
            total.low,
            total.high,
            total.noun,
            total.family,
            total.ratio,
        )

    @property
    def total_tokens(self) -> int:
        return self.instruction_tokens + self.example_tokens

    def describe(self) -> str:
        """'1,234 Llama 3 tokens (exact)' or 'estimate: 1,160-1,300 Claude tokens': never a bare number for an estimate."""
        if self.exact or self.low is None or self.high is None:
            return f"{self.total_tokens:,} {self.noun} tokens" + (" (exact)" if self.exact else "")
        return f"estimate: {self.low:,}-{self.high:,} {self.noun} tokens"

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


def count_text_prompt(
    instructions: str, examples_text: str, model: str, delimiter: str = DEFAULT_DELIMITER, kind: str | None = None
) -> PromptCount:
    """Count a plain-text prompt in `model`'s tokens: instructions as written, examples as the whole examples area.

    An estimate uses one content kind for both parts (`kind`, or detected from the whole text)."""
    check_size(instructions, examples_text)
    check_countable(examples_text)  # checked even when it holds no example: the token view shows it
    examples = split_examples(examples_text, delimiter) if examples_text.strip() else []
    whole = instructions + "\n" + examples_text
    chosen = kind or (content_kind(whole) if whole.strip() else None)
    return PromptCount.of(
        count(instructions, model, chosen), count(examples_text if examples else "", model, chosen), len(examples)
    )


def _message(row: Mapping[str, object]) -> dict[str, str]:
    role = str(row.get("role") or "user")
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    content = row.get("content")
    message = {
        "role": role,
        "content": "" if content is None or (isinstance(content, float) and math.isnan(content)) else str(content),
    }
    name = row.get("name")
    if isinstance(name, str) and name:
        message["name"] = name
    return message


def count_chat_prompt(rows: Sequence[Mapping[str, object]], model: str) -> PromptCount:
    """Count chat messages as `model`'s API bills them (its chat template); rows marked `example` are the few-shot part.

    An example is counted per assistant message among the marked rows (one question-answer pair),
    or per marked row when none of them is an assistant message.
    """
    messages = [_message(row) for row in rows]
    check_size(*(m["content"] for m in messages))
    marked = [m for m, row in zip(messages, rows, strict=True) if bool(row.get("example"))]
    total = count_chat(messages, model) if messages else count("", model)
    examples_part = count_chat(marked, model, reply=False, request=False) if marked else count("", model)
    answers = sum(1 for m in marked if m["role"] == "assistant")
    kept = TokenCount(
        total.tokens - examples_part.tokens,
        total.low - examples_part.low,
        total.high - examples_part.high,
        total.exact,
        total.family,
        total.tokenizer,
        total.noun,
        total.content_kind,
        total.ratio,
    )
    return PromptCount.of(kept, examples_part, answers or len(marked))


@dataclass(frozen=True)
class PastedPrompt:
    """What was pasted on the Token cost page: plain text (instructions and an examples area split by a delimiter) or
    chat messages (rows with role, content and an `example` mark), and whether it holds the request's own input."""

    kind: str  # "text" or "chat"
    instructions: str = ""
    examples_text: str = ""
    delimiter: str = DEFAULT_DELIMITER
    rows: tuple[Mapping[str, object], ...] = ()
    holds_input: bool = False

    @property
    def empty(self) -> bool:
        """True when nothing countable was pasted (the page then prices the scenario)."""
        if self.kind == "text":
            return not (self.instructions.strip() or self.examples_text.strip())
        return not any(str(row.get("content") or "").strip() for row in self.rows)


def count_pasted(pasted: PastedPrompt, model: str, scenario: Scenario) -> PromptCount:
    """The pasted prompt in `model`'s own tokens. When it holds the request's own input, that part is the last user
    message (chat) or the scenario's own input in this model's tokens (plain text), inside the count, never added."""
    if pasted.kind == "text":
        counted = count_text_prompt(pasted.instructions, pasted.examples_text, model, pasted.delimiter)
    else:
        counted = count_chat_prompt(list(pasted.rows), model)
    if not pasted.holds_input:
        return counted
    if pasted.kind == "chat":
        users = [row for row in pasted.rows if row.get("role") == "user" and not row.get("example")]
        own = count(str(users[-1].get("content") or ""), model).tokens if users else 0
    else:
        own = in_family_tokens(scenario.request_own_tokens, counted.family, scenario.content_kind)
    return replace(counted, own_input_tokens=min(own, counted.instruction_tokens))


def pasted_messages(pasted: PastedPrompt) -> list[dict[str, object]]:
    """The pasted prompt as the chat messages a vendor's count-tokens endpoint takes (plain text: one user message)."""
    if pasted.kind == "text":
        return [{"role": "user", "content": pasted.instructions + "\n" + pasted.examples_text}]
    return [{"role": str(row.get("role") or "user"), "content": str(row.get("content") or "")} for row in pasted.rows]


def with_vendor_count(counted: PromptCount, tokens: int, source: str) -> PromptCount:
    """The count with a vendor's own total (its count-tokens endpoint) in place of the local one; instructions and
    examples keep the local split's shares."""
    share = counted.example_tokens / counted.total_tokens if counted.total_tokens else 0.0
    examples = round(tokens * share)
    own = None if counted.own_input_tokens is None else min(counted.own_input_tokens, tokens - examples)
    return replace(
        counted, instruction_tokens=tokens - examples, example_tokens=examples, exact=True, tokenizer=source,
        low=None, high=None, ratio=None, own_input_tokens=own,
    )  # fmt: skip


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


def prompt_workload(counted: PromptCount, scenario: Scenario, caching: bool) -> Workload:
    """The pasted prompt as a workload: its instructions and examples are the static prefix, and the request's own
    input (never cached) is the part of the text marked as such, or else the scenario's, added; the scenario's volume,
    output length, batch share and peak apply. The scenario's own input and output (o200k_base) are converted to the
    counted model's tokens; a reference count (`PromptCount.from_scenario`) is left to each route to convert."""
    kind = scenario.content_kind
    family = REFERENCE_ENCODING if counted.reference else counted.family
    own_added = in_family_tokens(scenario.request_own_tokens, family, kind)
    own = own_added if counted.own_input_tokens is None else counted.own_input_tokens
    return Workload(
        kept_input_tokens=counted.instruction_tokens + (own_added if counted.own_input_tokens is None else 0),
        own_input_tokens=own,
        example_tokens=counted.example_tokens,
        output_tokens=in_family_tokens(scenario.output_tokens, family, kind),
        encoding=REFERENCE_ENCODING if counted.reference else OWN_TOKENS,
        content_kind=kind,
        requests_per_day=scenario.requests_per_day,
        days_per_month=scenario.days_per_month,
        peak_factor=scenario.peak_factor,
        caching=caching,
        cache_hit_pct=scenario.cache_hit_pct,
        batch_pct=scenario.batch_pct,
        active_hours=scenario.active_hours,
        finetunes_sharing=scenario.finetunes_per_deployment,
        cache_volume=scenario.cache_volume,
        reasoning_effort=scenario.reasoning_effort,
    )


def prompt_cost_table(
    counted: PromptCount, scenario: Scenario, pair: Pair, tuned: PromptCount | None = None
) -> pd.DataFrame:
    """Cost per request, day and month of the pasted prompt on the pair's prompting route, with prompt caching, and
    on its fine-tuning route (no examples), each priced by its route for the prompt's workload: `counted` in the
    prompting model's tokens, `tuned` in the fine-tuned model's (the same counts when not given).

    Caching reads the part of the static prefix the provider's rule allows (OpenAI: from 1,024 tokens in 128-token
    steps) on the scenario's hit rate and writes it on the rest. The fine-tuned row adds the option's fixed fee,
    with dedicated GPUs sized for this prompt at this volume (the same hosting function as every page).
    """
    volume = scenario.requests_per_day
    plain, cached = prompt_workload(counted, scenario, False), prompt_workload(counted, scenario, True)
    rows = []
    for name, route, work in (
        (f"Prompting {pair.prompt.label} (as pasted)", pair.prompting, plain),
        (f"Prompting with prompt caching ({cache_hit_pct(scenario):.1f}% hits)", pair.prompting, cached),
        (f"Fine-tuned {pair.option.label} (no examples)", pair.fine_tuning, prompt_workload(tuned or counted, scenario, False)),
    ):
        costs = route.costs(scenario, work)
        request = costs.request
        fixed = costs.fee.at(volume) + costs.upkeep_usd
        rows.append(
            (name, request.input_tokens, request.cached_tokens, request.output_tokens, request.usd, fixed / work.days_per_month)
        )
    columns = ["approach", "input_tokens", "cached_tokens", "output_tokens", "usd_per_request", "fixed_usd_per_day"]
    table = pd.DataFrame(rows, columns=columns)
    table["usd_per_day"] = table["usd_per_request"] * volume + table["fixed_usd_per_day"]
    table["usd_per_month"] = table["usd_per_day"] * scenario.days_per_month
    return table.drop(columns="fixed_usd_per_day")


def prompt_latency(counted: PromptCount, scenario: Scenario, pair: Pair) -> RouteLatency:
    """The pasted prompt's latency on the pair's prompting route (caching as the scenario bills it): what its example
    tokens add to the first token and what fine-tuning and caching remove (calc/costs/latency.py)."""
    return route_latency(pair.prompting, prompt_workload(counted, scenario, scenario.caching and scenario.pricing == "full"))


def prompt_latency_text(counted: PromptCount, scenario: Scenario, pair: Pair, tuned: PromptCount | None = None) -> str:
    """The pasted prompt's latency in the words every page uses (the fine-tuned model on the same prompt beside it,
    in its own tokens)."""
    caching = scenario.caching and scenario.pricing == "full"
    work, tuned_work = prompt_workload(counted, scenario, caching), prompt_workload(tuned or counted, scenario, caching)
    return latency_sentence(
        route_latency(pair.prompting, work), route_latency(pair.fine_tuning, tuned_work), scenario.ttft_target_ms
    )


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
