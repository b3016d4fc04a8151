"""The one Scenario every page computes from, with its defaults and input validation."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

PRICING_MODES = ("full", "article")
DEFAULT_OPTION = "azure-gpt-4.1-mini"
DEFAULT_PROMPT_MODEL = "openai:gpt-6-luna"
DEFAULT_TASK = "sentiment"
#: Who labels the training examples: people (at `data_cost_per_example`) or a teacher model (distillation).
LABELLING_MODES = ("hand", "teacher")
#: What the prompt text mostly is: each model family's tokens per o200k_base token differ most between these.
CONTENT_KINDS = ("english", "code", "json", "german_french", "cjk")

#: Field -> (minimum, maximum) accepted by the model; anything outside raises ValueError.
LIMITS: dict[str, tuple[float, float]] = {
    "requests_per_day": (0, 1_000_000_000),
    "examples": (0, 10_000),
    "tokens_per_example": (0, 2_000_000),
    "instruction_tokens": (0, 2_000_000),
    "output_tokens": (0, 2_000_000),
    "training_examples": (0, 100_000_000),
    "tokens_per_training_example": (0, 2_000_000),
    "epochs": (1, 50),
    "horizon_months": (1, 120),
    "days_per_month": (1, 31),
    "error_cost": (0, 1_000_000),
    "training_price": (0, 1_000_000),
    "training_hours": (0, 10_000),
    "request_input_tokens": (0, 2_000_000),
    "cache_hit_pct": (0, 100),
    "batch_pct": (0, 100),
    "peak_factor": (1, 50),
    # Hosting that scales (issue 21): hours a day a scale-to-zero deployment runs; fine-tunes on one deployment.
    "active_hours": (1, 24),
    "finetunes_per_deployment": (1, 1_000),
    # --- the work before training, latency target (issue 22) ---
    "data_cost_per_example": (0, 10_000),
    "label_hours_per_100": (0, 10_000),
    "eval_examples": (0, 10_000_000),
    "engineering_hours": (0, 100_000),
    "hourly_rate": (0, 10_000),
    "maintenance_usd_per_month": (0, 10_000_000),
    "ttft_target_ms": (0, 600_000),
    # --- quality (issue 28): the accuracy (%) a route must reach; 0 = no target ---
    "target_accuracy": (0, 100),
}
#: Most routes a scenario's typed eval counts may name, and the largest n of one.
MAX_EVAL_COUNTS = 40
MAX_EVAL_N = 100_000_000
#: A reasoning model's effort per request (calc/costs/reasoning.py EFFORT_CHOICES; kept equal by a test).
REASONING_EFFORTS = ("default", "none", "low", "medium", "high")
_INTEGER_FIELDS = {
    "request_input_tokens",
    "cache_hit_pct",
    "batch_pct",
    "examples",
    "tokens_per_example",
    "instruction_tokens",
    "output_tokens",
    "training_examples",
    "tokens_per_training_example",
    "epochs",
    "horizon_months",
    "days_per_month",
    "finetunes_per_deployment",
    "eval_examples",
    "ttft_target_ms",
}


@dataclass(frozen=True)
class Scenario:
    """A pair to compare: prompting one model (`prompt_model`, any genai-prices `provider:model`) vs
    fine-tuning another (`option`, a curated row), and the workload both would serve.

    Token defaults are the article's "simple classification" case: 800 input tokens with 5 examples,
    200 without, 50 output tokens, 10,000 requests a day. The default pair is one a new customer can use
    today (see data/README.md). `training_price` overrides the option's training price (USD per 1M
    tokens or per GPU-hour), for options whose provider publishes none; `training_hours` is how long one run takes where
    the provider bills training by the hour (Azure's reinforcement fine-tuning), which no provider publishes.

    `instruction_tokens` is what every request keeps after fine-tuning (static instructions + the request's
    own input); `request_input_tokens` of them differ per request and are never cached (default 100: a short
    ticket or question). `cache_hit_pct` is the share of requests that find the static prefix cached (None:
    estimated from the request rate and the provider's cache lifetime, calc/costs/caching.py),
    `batch_pct` the share of traffic that can wait for a batch API, `peak_factor` peak over average traffic
    (sizes dedicated GPUs).

    Hosting that scales: `active_hours` a day a deployment runs where the provider bills by the minute or second
    and it can scale to zero (24: always on; the day's traffic arrives within them), `finetunes_per_deployment`
    fine-tunes of this traffic sharing one multi-LoRA deployment where the provider allows it (each pays its share).

    The work before training (zero unless entered): `data_cost_per_example` per labelled example plus
    `label_hours_per_100` / 100 x `hourly_rate` of your own people's time (the training set when `labelling` is
    "hand", and the `eval_examples` evaluation set always), `engineering_hours` x `hourly_rate`, and
    `maintenance_usd_per_month` for keeping the fine-tune evaluated and running. With `labelling` "teacher" a prompting
    model answers the training inputs instead (`teacher_model`, provider:model; empty = the pair's prompting model).
    `ttft_target_ms` (0 = none) marks routes whose prompt tokens alone may take longer than that to the first token.

    Token counts are in o200k_base tokens (GPT-4o's encoding, the reference); each route converts them to its own
    model's tokens by the ratio measured for `content_kind` (calc/tokenizers/convert.py).
    Quality (issue 28): `target_accuracy` is the accuracy (%) a route must reach (0: none); `eval_counts` are eval
    results typed per route, (route id, right, out of n), e.g. ("fine_tune:bedrock-nova-micro", 186, 200).

    `reasoning_effort` is how hard a reasoning prompting model thinks before each answer ("default": the model's own
    default effort, data/reasoning_tokens.csv); its reasoning tokens are billed as output. Fine-tuned models do not reason.

    `cache_volume` is not a link key: the daily volume default cache hit rates are estimated at (None: the scenario's
    own), set by calc/costs/caching.py `with_cache_hit` so that a copy at another volume prices the same requests.
    """

    requests_per_day: float = 10_000
    examples: int = 5
    tokens_per_example: int = 120
    instruction_tokens: int = 200
    output_tokens: int = 50
    option: str = DEFAULT_OPTION
    prompt_model: str = DEFAULT_PROMPT_MODEL
    training_examples: int = 1_000
    tokens_per_training_example: int = 250
    epochs: int | None = None
    pricing: str = "full"
    caching: bool = False
    horizon_months: int = 12
    days_per_month: int = 30
    task: str = DEFAULT_TASK
    error_cost: float = 0.0
    training_price: float | None = None
    request_input_tokens: int = 100
    cache_hit_pct: int | None = None
    batch_pct: int = 0
    peak_factor: float = 3.0
    active_hours: float = 24.0
    finetunes_per_deployment: int = 1
    # --- the work before training (calc/costs/upfront.py), distillation and a latency target (issue 22) ---
    data_cost_per_example: float = 0.0
    label_hours_per_100: float = 0.0
    eval_examples: int = 0
    engineering_hours: float = 0.0
    hourly_rate: float = 0.0
    maintenance_usd_per_month: float = 0.0
    labelling: str = "hand"
    teacher_model: str = ""
    ttft_target_ms: int = 0
    content_kind: str = "english"
    target_accuracy: float = 0.0
    eval_counts: tuple[tuple[str, int, int], ...] = ()
    cache_volume: float | None = None
    reasoning_effort: str = "default"  # a reasoning model's effort: "default" (its own), none, low, medium, high
    training_hours: float | None = None  # hours of one run where training is billed per hour (None: not entered)

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if value is None and name in ("epochs", "training_price", "training_hours", "cache_hit_pct"):
                continue
            _check_number(name, value, low, high, integer=name in _INTEGER_FIELDS)
        if self.pricing not in PRICING_MODES:
            raise ValueError(f"pricing must be one of {', '.join(PRICING_MODES)}, not {self.pricing!r}.")
        if not isinstance(self.option, str) or not self.option:
            raise ValueError("option must be a fine-tuning option id.")
        if not isinstance(self.prompt_model, str) or not self.prompt_model:
            raise ValueError("prompt_model must be a provider:model reference.")
        if not isinstance(self.task, str) or not self.task:
            raise ValueError("task must be a task type id.")
        if self.content_kind not in CONTENT_KINDS:
            raise ValueError(f"content_kind must be one of {', '.join(CONTENT_KINDS)}, not {self.content_kind!r}.")
        if self.labelling not in LABELLING_MODES:
            raise ValueError(f"labelling must be one of {', '.join(LABELLING_MODES)}, not {self.labelling!r}.")
        if not isinstance(self.teacher_model, str):
            raise ValueError("teacher_model must be a provider:model reference, or empty for the pair's prompting model.")
        if not isinstance(self.caching, bool):
            raise ValueError(f"caching must be True or False, not {self.caching!r}.")
        _check_eval_counts(self.eval_counts)
        if self.cache_volume is not None:
            _check_number("cache_volume", self.cache_volume, *LIMITS["requests_per_day"], integer=False)
        if self.reasoning_effort not in REASONING_EFFORTS:
            raise ValueError(f"reasoning_effort must be one of {', '.join(REASONING_EFFORTS)}, not {self.reasoning_effort!r}.")

    @property
    def label_usd_per_example(self) -> float:
        """What one hand-labelled example costs: the per-example price plus your people's time at the hourly rate."""
        return self.data_cost_per_example + self.label_hours_per_100 / 100 * self.hourly_rate

    @property
    def example_tokens(self) -> int:
        """Few-shot tokens in every prompted request: the part fine-tuning removes."""
        return self.examples * self.tokens_per_example

    @property
    def request_own_tokens(self) -> int:
        """Input tokens that differ per request (never cached): at most the instruction + input tokens."""
        return min(self.request_input_tokens, self.instruction_tokens)

    @property
    def static_instruction_tokens(self) -> int:
        """Instruction tokens identical in every request: cacheable, kept after fine-tuning."""
        return self.instruction_tokens - self.request_own_tokens

    @property
    def prompt_input_tokens(self) -> int:
        """Input tokens of one prompted request (instructions + examples)."""
        return self.instruction_tokens + self.example_tokens

    @property
    def requests_per_month(self) -> float:
        return self.requests_per_day * self.days_per_month


def _check_number(name: str, value: object, low: float, high: float, *, integer: bool) -> None:
    """Raise ValueError naming `name` unless `value` is a finite number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, not {value!r}.")
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")
    if integer and not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number, not {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:,g} and {high:,g}, not {value:,g}.")


def _check_eval_counts(counts: object) -> None:
    """Raise ValueError unless `counts` is a tuple of (route id, right, n) with 0 <= right <= n and n >= 1."""
    if not isinstance(counts, tuple) or len(counts) > MAX_EVAL_COUNTS:
        raise ValueError(f"eval_counts must be a tuple of at most {MAX_EVAL_COUNTS} (route, right, n) entries.")
    routes = set()
    for entry in counts:
        if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], str) and entry[0]):
            raise ValueError(f"eval_counts entries must be (route id, right, n), not {entry!r}.")
        route, right, n = entry
        for name, value in (("right", right), ("n", n)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"eval_counts: {route}: {name} must be a whole number, not {value!r}.")
        if not 1 <= n <= MAX_EVAL_N or not 0 <= right <= n:
            raise ValueError(f"eval_counts: {route}: {right} right out of {n} (need 0 <= right <= n, 1 <= n).")
        if route in routes:
            raise ValueError(f"eval_counts: {route} is given twice.")
        routes.add(route)


def field_names() -> tuple[str, ...]:
    """The Scenario's field names, in declaration order."""
    return tuple(f.name for f in fields(Scenario))
