"""Routes: the ways to serve a scenario's workload on a date — prompting a model, fine-tuning an option (managed or
on your own GPUs), or self-hosting an open model — each priced from one place.

Every route answers: what one request costs (`RouteCosts.request`), its fixed monthly fee at a volume (stepwise
where GPUs are added: `RouteCosts.fee`), its one-off cost (one training run), its status on a date (usable, why
not, its successor) and its sources. A pair is two routes; the ranking is all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import numpy as np

from calc.catalogue.options import FineTuneOption
from calc.catalogue.prompt_models import CATALOGUE, PromptModel, canonical_ref
from calc.catalogue.status import Status, option_status
from calc.costs.hosting import NO_FEE, HostingFee, hosting_fee, scaled_hosting_note, self_hosted_fee
from calc.costs.requests import RequestCost, caching_raises_cost, fine_tuned_request, prompt_request, reasoning_note
from calc.costs.teachers import distillation_product_note
from calc.costs.training import TrainingCost, training_cost
from calc.costs.upfront import UpfrontWork, upfront_work
from calc.costs.workload import Workload, in_tokens_of, scenario_workload
from calc.scenario import Scenario

#: Model families by a pattern in the model id, first match wins: for "same family" filters, not for pricing.
FAMILIES = (
    (r"gpt-oss", "gpt-oss"),
    (r"gpt|chatgpt|\bo\d|codex", "OpenAI GPT"),
    (r"claude", "Claude"),
    (r"gemini", "Gemini"),
    (r"gemma", "Gemma"),
    (r"nova", "Amazon Nova"),
    (r"llama", "Llama"),
    (r"qwen", "Qwen"),
    (r"deepseek", "DeepSeek"),
    (r"glm", "GLM"),
    (r"mistral|ministral|mixtral", "Mistral"),
)


#: How each kind of service reads in tables and text (data/finetune_options.csv `service_kind`).
SERVICE_LABELS = {"production": "production", "preview": "preview", "training": "training service", "own_gpus": "own GPUs"}
#: The kinds a ranking shows by default: a team serves production traffic on them (previews and training-only services
#: are shown when asked for).
OFFERED_KINDS = ("production", "own_gpus")


def model_family(model_id: str) -> str:
    """The family a model id belongs to (see FAMILIES), or "other"."""
    text = model_id.lower()
    return next((family for pattern, family in FAMILIES if re.search(pattern, text)), "other")


@dataclass(frozen=True)
class RouteCosts:
    """A route priced for one workload: the cost of one request, the fixed monthly fee by volume, one training run
    (None for routes with nothing to train) and the work before it with the monthly upkeep (None: nothing to train)."""

    route_id: str
    request: RequestCost
    fee: HostingFee
    training: TrainingCost | None
    days_per_month: int
    work: UpfrontWork | None = None

    def fixed_usd(self, requests_per_day: float | np.ndarray) -> np.ndarray:
        """The fixed monthly fee at each daily volume."""
        return self.fee.monthly_usd(requests_per_day)

    def monthly_usd(self, requests_per_day: float | np.ndarray) -> np.ndarray:
        """Requests plus the fixed fee and the fine-tune's upkeep, per month, at each daily volume (one-off costs
        left out)."""
        volume = np.asarray(requests_per_day, dtype=float)
        return volume * self.days_per_month * self.request.usd + self.fee.monthly_usd(volume) + self.upkeep_usd

    @property
    def upkeep_usd(self) -> float:
        """The monthly upkeep of a fine-tune (evaluation, maintenance), 0 where there is nothing to train."""
        return 0.0 if self.work is None else self.work.maintenance_usd_per_month

    def monthly_at(self, requests_per_day: float) -> float:
        """The monthly cost at one daily volume."""
        return float(self.monthly_usd(requests_per_day))

    @property
    def training_usd(self) -> float:
        """One training run (0 where there is nothing to train or its price is unknown)."""
        return 0.0 if self.training is None else self.training.cost_usd

    @property
    def work_usd(self) -> float:
        """The work before training (labels, evaluation set, engineering; calc/costs/upfront.py), 0 if none."""
        return 0.0 if self.work is None else self.work.total_usd

    @property
    def one_off_usd(self) -> float:
        """Everything paid before serving: one training run + the work before it (what every breakeven repays)."""
        return self.training_usd + self.work_usd

    @property
    def one_off_known(self) -> bool:
        """False when the route needs training whose price is neither published nor entered, or a teacher's cost
        is unknown."""
        return self.training is None or (self.training.price_known and (self.work is None or self.work.known))

    @property
    def complete(self) -> bool:
        """True when every cost of the route is known (no unpublished training price or hourly rate left out)."""
        return self.one_off_known and not self.fee.rate_missing


@dataclass(frozen=True)
class PromptRoute:
    """Prompting a genai-prices model with the workload's few-shot examples."""

    model: PromptModel
    kind = "prompt"

    @property
    def id(self) -> str:
        return f"prompt:{self.model.ref}"

    @property
    def label(self) -> str:
        return self.model.label

    @property
    def provider(self) -> str:
        return self.model.provider_name

    @property
    def family(self) -> str:
        return model_family(self.model.model_id)

    @property
    def successor(self) -> str | None:
        """The provider's named successor model (provider:model), if any."""
        return self.model.successor_ref

    def status(self, on: dt.date) -> Status:
        return self.model.status(on)

    @property
    def service_kind(self) -> str:
        """"preview" where the provider names the model a preview, else "production" (its public API)."""
        return "preview" if "preview" in self.model.model_id.lower() else "production"

    @property
    def service_kind_source(self) -> str:
        return (
            "the provider names the model a preview" if self.service_kind == "preview" else "the provider's public API"
        ) + f" ({self.model.ref})"

    @property
    def price_confidence(self) -> str:
        """How sure the price is: the curated facts' confidence where the model has a row, else one package's
        (genai-prices: secondary)."""
        return self.model.lifecycle.confidence if self.model.lifecycle is not None else "secondary"

    @property
    def unverified_figures(self) -> str | None:
        return None

    def sources(self) -> tuple[str, ...]:
        return (f"{CATALOGUE}: {self.model.source}, prices in force on {self.model.on.isoformat()}",)

    def costs(self, scenario: Scenario, workload: Workload | None = None) -> RouteCosts:
        """The route priced for the scenario's workload (or `workload`): requests only, no fee, nothing to train."""
        work = in_tokens_of(workload or scenario_workload(scenario), self.model.model_id)
        return RouteCosts(self.id, prompt_request(work, self.model), NO_FEE, None, work.days_per_month)


@dataclass(frozen=True)
class FineTuneRoute:
    """Fine-tuning a curated option and serving the tuned model without examples (self-hosted options included)."""

    option: FineTuneOption

    @property
    def kind(self) -> str:
        return "self_hosted" if self.option.per_gpu_hour else "fine_tune"

    @property
    def id(self) -> str:
        return f"fine_tune:{self.option.option_id}"

    @property
    def label(self) -> str:
        return self.option.label

    @property
    def provider(self) -> str:
        return self.option.provider

    @property
    def family(self) -> str:
        base = (self.option.base_model_ref or "").partition(":")[2]
        return model_family(base or self.option.model_id)

    @property
    def successor(self) -> str | None:
        """Our assumed live successor option (an option id), if any."""
        return self.option.successor

    @property
    def token_model(self) -> str:
        """The model whose tokens the tuned model bills: its base model."""
        return self.option.base_model_ref or self.option.model_id

    def base_ref(self) -> str | None:
        """The genai-prices reference of the option's own base model, if the catalogue has it."""
        if self.option.base_model_ref is None:
            return None
        try:
            return canonical_ref(self.option.base_model_ref)
        except ValueError:
            return self.option.base_model_ref

    def status(self, on: dt.date) -> Status:
        return option_status(self.option, on)

    @property
    def service_kind(self) -> str:
        """production, preview, training or own_gpus, from the curated row."""
        return self.option.service_kind

    @property
    def service_kind_source(self) -> str:
        return self.option.service_kind_source or "not given in the options table"

    @property
    def price_confidence(self) -> str:
        """The curated row's confidence: confirmed, secondary or unverified."""
        return self.option.confidence

    @property
    def unverified_figures(self) -> str | None:
        """Which of the row's figures no copy confirms (None: none named)."""
        return self.option.unverified_figures

    def sources(self) -> tuple[str, ...]:
        option = self.option
        return (f"{option.source} (as of {option.as_of.isoformat()}, {option.confidence})",)

    def costs(
        self,
        scenario: Scenario,
        workload: Workload | None = None,
        teacher: PromptModel | None = None,
        upfront: UpfrontWork | None = None,
    ) -> RouteCosts:
        """The route priced for the scenario's workload (or `workload`): per-token requests, the hosting fee sized
        for the workload, one run on the scenario's training data (an entered training price applies only to the
        option it was entered for), and the work before it (`teacher`: the model that labels the training set when
        the scenario distils; see calc/costs/upfront.py; `upfront`: that work already priced, the same for every
        fine-tuning route of a scenario)."""
        given = workload or scenario_workload(scenario)
        work = in_tokens_of(given, self.token_model)
        training = training_cost(_training_scenario(scenario, self.option), self.option)
        return RouteCosts(
            self.id,
            fine_tuned_request(work, self.option),
            hosting_fee(self.option, work),
            training,
            work.days_per_month,
            upfront or upfront_work(scenario, given, teacher),
        )


@dataclass(frozen=True)
class SelfHostedRoute:
    """Serving an open model of `params_b` billion parameters on rented `gpu`s yourself (serving only)."""

    params_b: float
    gpu: str
    kind = "self_hosted"

    @property
    def id(self) -> str:
        return f"self_hosted:{self.params_b:g}b:{self.gpu}"

    @property
    def label(self) -> str:
        return f"Self-hosted {self.params_b:g}B on {self.gpu}"

    def costs(self, scenario: Scenario, workload: Workload | None = None) -> RouteCosts:
        """Always-on GPUs sized by memory and by the workload's peak; tokens cost nothing more."""
        work = workload or scenario_workload(scenario)
        request = RequestCost(work.kept_input_tokens, 0, work.output_tokens, 0.0)
        return RouteCosts(self.id, request, self_hosted_fee(self.params_b, self.gpu, work), None, work.days_per_month)


Route = PromptRoute | FineTuneRoute


def _training_scenario(scenario: Scenario, option: FineTuneOption) -> Scenario:
    """The scenario whose training price and hours apply to `option`: entered ones only for the option they were entered
    for."""
    if (scenario.training_price is None and scenario.training_hours is None) or scenario.option == option.option_id:
        return scenario
    return replace(scenario, training_price=None, training_hours=None)


def cost_caveats(route: Route, costs: RouteCosts, scenario: Scenario, workload: Workload | None = None) -> tuple[str, ...]:
    """What a route's figures leave out or cannot promise, in words (the pages, the brief and the command line
    show the same list); `workload` defaults to the scenario's."""
    notes: list[str] = []
    if isinstance(route, PromptRoute):
        work = workload or scenario_workload(scenario)
        reasoning = reasoning_note(work, route.model)
        if reasoning:
            notes.append(reasoning)
        dearer = caching_raises_cost(work, route.model)
        if dearer:
            notes.append(dearer)
    if isinstance(route, FineTuneRoute):
        option, training = route.option, costs.training
        if training is not None and training.hours_missing:
            notes.append(
                f"{option.label} bills training by the hour (${training.price_usd:,.2f}/hour) and no provider publishes how "
                "long a run takes: training and breakeven are unknown until the hours of one run are entered."
            )
        elif training is not None and not training.price_known:
            notes.append(f"{option.label} publishes no training price: training and breakeven are unknown until one is entered.")
        if training is not None and not training.meets_minimum:
            notes.append(
                f"{option.label} needs at least {training.min_examples:,} training examples; the scenario has "
                f"{scenario.training_examples:,}."
            )
        if costs.work is not None and not costs.work.known:
            notes.append("The teacher model that labels the training data is not priced: the work before training is unknown.")
        if scenario.labelling == "teacher" and (note := distillation_product_note(option.provider)):
            notes.append(note)
        if costs.fee.rate_missing:
            notes.append(
                f"{option.label} bills its serving hardware by the hour ({option.billing_terms()}): the fine-tuned cost "
                "leaves it out and is a lower bound."
            )
        if option.confidence == "unverified" or option.unverified_figures:
            which = f" (no copy confirms {option.unverified_figures})" if option.unverified_figures else ""
            notes.append(f"{option.label}: prices are {option.confidence}{which}. {option.notes or ''}".strip())
        hosting = scaled_hosting_note(option, workload or scenario_workload(scenario))
        if hosting:
            notes.append(hosting)
    if scenario.caching and scenario.pricing == "article":
        notes.append("Prompt caching is ignored under the article convention, as the article ignores it.")
    return tuple(notes)
