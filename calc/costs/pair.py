"""The pair a scenario compares — prompting one model vs fine-tuning one option, two routes priced on one date —
and what the home page computes from them: monthly costs, savings, breakeven, the crossover volume and the curves.

Two conventions for the saving:
- "full": savings = prompting minus fine-tuned, each at its real price;
- "article": savings = the removed example tokens x the fine-tuned input price, as the article computes them.
  Absolute monthly costs stay at real prices under both conventions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from calc.catalogue.options import FineTuneOption, get_option
from calc.catalogue.prompt_models import PromptModel, base_prompt_ref, resolve_prompt_model
from calc.catalogue.status import Status
from calc.costs.requests import RequestCost, article_saving_per_request
from calc.costs.routes import FineTuneRoute, PromptRoute, RouteCosts
from calc.costs.training import TrainingCost
from calc.costs.upfront import NO_WORK, Payback, UpfrontWork, one_off_label, payback
from calc.costs.workload import Workload, scenario_workload, with_dynamic_examples
from calc.scenario import Scenario

APPROACHES = ("Prompting", "Fine-tuned")
#: Statuses in which a route cannot be put into service at all: no live savings, breakeven or crossover for it.
NOT_LIVE = ("shut_down", "no_new_jobs")


@dataclass(frozen=True)
class Pair:
    """Prompting route vs fine-tuning route, with prices and statuses as of `on`."""

    prompting: PromptRoute
    fine_tuning: FineTuneRoute
    on: dt.date
    teacher_model: PromptModel | None = None  # labels the training data when the scenario distils (None: `prompt`)

    @property
    def teacher(self) -> PromptModel:
        """The model that answers the training inputs when the scenario distils: the chosen one, else the pair's."""
        return self.teacher_model or self.prompting.model

    @property
    def prompt(self) -> PromptModel:
        """The prompted model."""
        return self.prompting.model

    @property
    def option(self) -> FineTuneOption:
        """The fine-tuning option."""
        return self.fine_tuning.option

    @property
    def title(self) -> str:
        """Which two models are compared, in words."""
        return f"prompting {self.prompt.label} vs fine-tuning {self.option.label}"

    @property
    def same_base_model(self) -> bool:
        """True when the prompted model is the fine-tuned option's own base model."""
        return self.option.base_model_ref is not None and self.prompt.ref == base_prompt_ref(self.option)

    def prompt_status(self) -> Status:
        """The prompting model's status on the pair's date."""
        return self.prompting.status(self.on)

    def option_status(self) -> Status:
        """The fine-tuning option's status on the pair's date."""
        return self.fine_tuning.status(self.on)

    def withheld(self) -> str | None:
        """Why live savings, breakeven and crossover are not shown for this pair on its date (None: they are).

        A side that is shut down (or, for fine-tuning, takes no new jobs) cannot be put into service: its figures
        are history, and the sentence names the successor.
        """
        reasons = []
        for side, route in (("prompting", self.prompting), ("fine-tuning", self.fine_tuning)):
            status = route.status(self.on)
            if status.state in NOT_LIVE:
                successor = f" (successor: {route.successor})" if route.successor else " (no successor named)"
                reasons.append(f"{side} {route.label} is {status.headline}{successor}")
        if not reasons:
            return None
        return "Not usable on " + self.on.isoformat() + ": " + "; ".join(reasons) + "."


def resolve_pair(scenario: Scenario, options: pd.DataFrame | None, on: dt.date, version: str | None = None) -> Pair:
    """The scenario's pair from the session's options table (None: the one in force), priced on `on`; ValueError if
    unknown. `version` pins the prompting price data (calc/catalogue/price_sources.py); None: the data in force now."""
    prompting = PromptRoute(resolve_prompt_model(scenario.prompt_model, on, version))
    teacher = None
    if scenario.teacher_model and scenario.teacher_model != prompting.model.ref:
        teacher = resolve_prompt_model(scenario.teacher_model, on, version)
    return Pair(prompting=prompting, fine_tuning=FineTuneRoute(get_option(scenario.option, options)), on=on,
                teacher_model=teacher)  # fmt: skip


def breakeven_months(one_off_usd: float, monthly_savings_usd: float) -> float | None:
    """Months for savings to repay a one-off cost; None ("never") when savings are zero or negative."""
    if monthly_savings_usd <= 0:
        return None
    return max(one_off_usd, 0.0) / monthly_savings_usd


@dataclass(frozen=True)
class CostSummary:
    """The headline numbers of a scenario for its pair, and the two priced routes they come from."""

    pricing: str
    prompting_request: RequestCost
    fine_tuned_request: RequestCost
    monthly_prompting_usd: float
    monthly_fine_tuned_usd: float
    hosting_monthly_usd: float
    monthly_savings_usd: float
    training: TrainingCost
    breakeven_months: float | None
    serving_gpus: int | None = None  # dedicated GPUs sized by throughput for this volume (None: not sized)
    withheld: str | None = None  # why savings, breakeven and crossover are not live figures (see Pair.withheld)
    prompting_costs: RouteCosts | None = None
    fine_tuned_costs: RouteCosts | None = None
    article_misfit: str | None = None  # why the article's convention does not describe this pair (None: it does)
    work: UpfrontWork = NO_WORK  # the work before training, counted in the breakeven with the training run
    payback: Payback | None = None  # net saving and ROI over the horizon (None when breakeven is withheld or unknown)

    @property
    def one_off_usd(self) -> float:
        """Training + the work before it: what the breakeven repays."""
        return self.training.cost_usd + self.work.total_usd

    @property
    def breakeven_basis(self) -> str:
        """What the breakeven counts, in words (calc/costs/upfront.py one_off_label)."""
        return one_off_label(self.work)

    @property
    def real_savings_usd(self) -> float:
        """Prompting minus fine-tuned per month at real prices (equals the savings under full pricing)."""
        return self.monthly_prompting_usd - self.monthly_fine_tuned_usd

    @property
    def real_breakeven_months(self) -> float | None:
        """Breakeven at real prices (None when it is not a live figure or never comes)."""
        if not (self.training.price_known and self.training.meets_minimum) or self.withheld:
            return None
        return breakeven_months(self.one_off_usd, self.real_savings_usd)


def article_misfit(pair: Pair) -> str | None:
    """Why the article's convention (savings = removed example tokens x the fine-tuned input price) does not
    describe this pair, or None where it does: the same base model on both sides, billed per token only."""
    option = pair.option
    if not pair.same_base_model:
        return "the pair prompts a different model than the fine-tune's base"
    if option.hosting_kind != "serverless" or option.storage_usd_per_month or option.per_gpu_hour:
        return f"{option.label} is not billed per token only ({option.billing_terms()})"
    return None


def priced(scenario: Scenario, pair: Pair, workload: Workload | None = None) -> tuple[RouteCosts, RouteCosts]:
    """(prompting, fine-tuned) route costs for the scenario's workload (or `workload`)."""
    work = workload or scenario_workload(scenario)
    return pair.prompting.costs(scenario, work), pair.fine_tuning.costs(scenario, work, pair.teacher)


def summarize(scenario: Scenario, pair: Pair, workload: Workload | None = None) -> CostSummary:
    """Monthly costs, savings (under the scenario's convention), training cost and breakeven for the pair."""
    work = workload or scenario_workload(scenario)
    prompting, tuned = priced(scenario, pair, work)
    volume = work.requests_per_day
    monthly_prompting = prompting.monthly_at(volume)
    monthly_tuned = tuned.monthly_at(volume)
    if scenario.pricing == "article":
        savings = article_saving_per_request(work.example_tokens, pair.option) * work.requests_per_month
    else:
        savings = monthly_prompting - monthly_tuned
    training, upfront = tuned.training, tuned.work
    assert training is not None and upfront is not None
    withheld = pair.withheld()
    live = tuned.one_off_known and training.meets_minimum and withheld is None
    return CostSummary(
        pricing=scenario.pricing,
        prompting_request=prompting.request,
        fine_tuned_request=tuned.request,
        monthly_prompting_usd=monthly_prompting,
        monthly_fine_tuned_usd=monthly_tuned,
        hosting_monthly_usd=tuned.fee.at(volume),
        monthly_savings_usd=savings,
        training=training,
        breakeven_months=breakeven_months(tuned.one_off_usd, savings) if live else None,
        serving_gpus=int(tuned.fee.units(volume)) if tuned.fee.steps else None,
        withheld=withheld,
        article_misfit=article_misfit(pair),
        prompting_costs=prompting,
        fine_tuned_costs=tuned,
        work=upfront,
        payback=payback(tuned.one_off_usd, savings, scenario.horizon_months) if live else None,
    )


def volume_grid(low: float = 10, high: float = 1_000_000, points: int = 241) -> np.ndarray:
    """Log-spaced requests/day from `low` to `high`."""
    if not 0 < low < high or points < 2:
        raise ValueError("volume grid needs 0 < low < high and at least 2 points.")
    return np.geomspace(low, high, points)


def check_volumes(volumes: np.ndarray) -> np.ndarray:
    """`volumes` as a float array, or ValueError unless a non-empty 1-D array of finite, non-negative requests/day."""
    volumes = np.asarray(volumes, dtype=float)
    if volumes.ndim != 1 or volumes.size == 0 or not np.all(np.isfinite(volumes)) or np.any(volumes < 0):
        raise ValueError("volumes must be a non-empty 1-D array of finite, non-negative requests/day.")
    return volumes


def volume_curves(scenario: Scenario, volumes: np.ndarray, pair: Pair) -> pd.DataFrame:
    """Monthly cost of each approach at each volume (long form), training amortised over the horizon.

    Cost is linear in volume once per-request costs are known, plus the fixed fee, which steps up with volume for
    dedicated GPUs sized by throughput.
    """
    volumes = check_volumes(volumes)
    prompting, tuned = priced(scenario, pair)
    amortised = tuned.one_off_usd / scenario.horizon_months
    return pd.DataFrame(
        {
            "requests_per_day": np.concatenate([volumes, volumes]),
            "approach": np.repeat(APPROACHES, volumes.size),
            "monthly_cost_usd": np.concatenate([prompting.monthly_usd(volumes), tuned.monthly_usd(volumes) + amortised]),
        }
    )


@dataclass(frozen=True)
class Crossover:
    """The volume where the two monthly-cost lines meet, and the monthly cost there."""

    requests_per_day: float
    monthly_cost_usd: float


def crossover(scenario: Scenario, pair: Pair) -> Crossover | None:
    """Requests/day above which fine-tuning (training amortised over the horizon) costs less.

    With a fixed fee (hosting, amortised training) it is the volume where per-request savings pay the fee; with
    dedicated GPUs that step up with volume, the smallest such volume (found exactly, step by step). None when the
    fine-tuned model costs as much or more per request, each added GPU costs more than the requests it serves save,
    the training price is unknown, or the pair is not usable on its date (`Pair.withheld`).
    """
    prompting, tuned = priced(scenario, pair)
    if not tuned.one_off_known or pair.withheld() is not None:
        return None
    if tuned.training is not None and not tuned.training.meets_minimum:
        return None  # training is not possible: nothing to pay back
    found = crossover_volume(prompting, tuned, scenario.horizon_months)
    if found is None:
        return None
    return Crossover(found, found * scenario.days_per_month * prompting.request.usd)


def crossover_volume(prompting: RouteCosts, tuned: RouteCosts, horizon_months: int) -> float | None:
    """The smallest daily volume from which `tuned` (one-off spread over the horizon) costs no more than `prompting`."""
    saving = prompting.request.usd - tuned.request.usd
    if saving <= 0:
        return None
    return tuned.fee.first_volume_paying(
        saving * tuned.days_per_month, tuned.one_off_usd / horizon_months + tuned.upkeep_usd - prompting.upkeep_usd
    )


def cumulative_costs(scenario: Scenario, months: int, pair: Pair) -> pd.DataFrame:
    """Cumulative spend at the end of each month 0..months; training and the work before it are paid at month 0."""
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 240:
        raise ValueError(f"months must be a whole number from 1 to 240, not {months!r}.")
    summary = summarize(scenario, pair)
    month = np.arange(months + 1)
    return pd.DataFrame(
        {
            "month": np.concatenate([month, month]),
            "approach": np.repeat(APPROACHES, month.size),
            "cumulative_usd": np.concatenate(
                [
                    month * summary.monthly_prompting_usd,
                    summary.one_off_usd + month * summary.monthly_fine_tuned_usd,
                ]
            ),
        }
    )


def hybrid_monthly(scenario: Scenario, dynamic_examples: int, option: FineTuneOption) -> float:
    """Monthly cost of the hybrid: the fine-tuned model + `dynamic_examples` examples chosen per request (+ its fee,
    GPUs sized for the longer requests)."""
    work = with_dynamic_examples(scenario_workload(scenario), dynamic_examples, scenario.tokens_per_example)
    return FineTuneRoute(option).costs(scenario, work).monthly_at(work.requests_per_day)
