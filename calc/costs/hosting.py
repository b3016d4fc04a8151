"""The one hosting function: what keeping a fine-tuned (or self-hosted) model servable costs each month besides
tokens — deployment or GPU hours, provisioned units, storage — stepping up with volume in whole replicas where
dedicated GPUs are sized by measured prefill and decode throughput (calc/costs/serving.py).

Where the provider bills by the minute or second and its deployment scales to zero (data/hosting_billing.csv),
only the workload's active hours are billed (and its traffic arrives within them), plus the idle window the provider
waits after the day's last request before scaling to zero (Fireworks: 1 hour by default); where one deployment serves
many LoRA adapters, `finetunes_sharing` fine-tunes of this traffic share it (up to the provider's maximum) and
this one pays its share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calc.catalogue.hosting_billing import DeploymentBilling, deployment_billing
from calc.catalogue.options import HOURS_PER_DAY, FineTuneOption
from calc.costs.gpu import gpu_table
from calc.costs.serving import (
    ServingPlan,
    peak_requests_per_s,
    replica_requests_per_s,
    serving_plan,
    sized_by_throughput,
    tensor_parallel_size,
    whole_replica,
)
from calc.costs.workload import Workload

_ROUNDING = 1e-9  # ceil(2.0000000001) must stay 2
UNIT_NAMES = {"deployment_hourly": "deployment", "dedicated_gpu": "GPU", "provisioned": "unit"}


@dataclass(frozen=True)
class HostingFee:
    """A fixed monthly fee: `base_usd` (storage) + `usd_per_unit_month` x units / `shared_by`, where
    units = `replica_units` x max(ceil(`min_units` / `replica_units`), ceil(daily volume x `units_per_request_per_day`)):
    whole replicas of `replica_units` each (`units_per_request_per_day` counts replicas); the second term is flat
    when nothing is sized by volume. `shared_by` fine-tunes share the deployment (and it carries all their traffic:
    the volume given is this fine-tune's, multiplied in `units_per_request_per_day`).

    `rate_missing` marks an hourly fee whose rate is not published (left out: the cost is a lower bound).
    """

    base_usd: float = 0.0
    usd_per_unit_month: float = 0.0
    min_units: int = 0
    units_per_request_per_day: float = 0.0
    unit: str = "unit"
    rate_missing: bool = False
    replica_units: int = 1
    shared_by: int = 1

    @property
    def steps(self) -> bool:
        """True when units are added with volume (dedicated GPUs sized by throughput)."""
        return self.units_per_request_per_day > 0

    @property
    def _min_replicas(self) -> int:
        return math.ceil(self.min_units / self.replica_units - _ROUNDING)

    @property
    def _usd_per_replica(self) -> float:
        """What one more replica adds to this fine-tune's monthly fee."""
        return self.usd_per_unit_month * self.replica_units / self.shared_by

    def units(self, requests_per_day: float | np.ndarray) -> np.ndarray:
        """Units billed at each daily volume (the whole deployment's, in whole replicas)."""
        need = np.ceil(np.asarray(requests_per_day, dtype=float) * self.units_per_request_per_day - _ROUNDING)
        return (np.maximum(self._min_replicas, need) * self.replica_units).astype(int)

    def monthly_usd(self, requests_per_day: float | np.ndarray) -> np.ndarray:
        """The fee at each daily volume."""
        if not self.steps:
            flat = self.base_usd + self.usd_per_unit_month * self.min_units / self.shared_by
            return np.full(np.shape(requests_per_day), flat)
        return self.base_usd + self.usd_per_unit_month * self.units(requests_per_day) / self.shared_by

    def at(self, requests_per_day: float) -> float:
        """The fee at one daily volume."""
        return float(self.monthly_usd(requests_per_day))

    def boundaries(self, low: float, high: float) -> np.ndarray:
        """The daily volumes in [low, high] where one more replica is added (the last volume one count serves)."""
        k = self.units_per_request_per_day
        if k <= 0:
            return np.array([])
        first = max(self._min_replicas, math.ceil(low * k - _ROUNDING))
        last = math.floor(high * k + _ROUNDING)
        counts = np.arange(first, min(last, first + 10_000) + 1)
        return counts / k

    def first_volume_paying(self, saving_per_request_month: float, other_fixed_usd: float) -> float | None:
        """Smallest daily volume v with v x `saving_per_request_month` >= fee(v) + `other_fixed_usd`, or None."""
        if saving_per_request_month <= 0:
            return None
        s, c, k = saving_per_request_month, self._usd_per_replica, self.units_per_request_per_day
        fixed = self.base_usd + other_fixed_usd
        low = self._min_replicas
        if k <= 0:
            return (self.usd_per_unit_month * self.min_units / self.shared_by + fixed) / s
        # In the region served by g replicas, volumes ((g-1)/k, g/k], the saving pays at v >= (g c + fixed) / s;
        # it does somewhere in the region when (g c + fixed) / s <= g / k, i.e. g (1/k - c/s) >= fixed / s.
        gain = 1 / k - c / s
        if gain < 0 or (gain == 0 and fixed > 0):
            return None  # each added replica costs more than the requests it serves save
        g = low if gain == 0 else max(low, math.ceil(fixed / s / gain - _ROUNDING))
        lower = 0.0 if g == low else (g - 1) / k
        return max((g * c + fixed) / s, lower)


NO_FEE = HostingFee()


def _per_month(usd_per_hour: float, hours_per_day: float, days_per_month: int) -> float:
    return usd_per_hour * hours_per_day * days_per_month


@dataclass(frozen=True)
class HostingTerms:
    """How the workload's deployment is billed: the hours a day its traffic arrives in (24 unless it scales to zero),
    the hours billed (those plus the provider's idle window before it scales to zero, at most 24), fine-tunes sharing
    it (capped at the provider's maximum), and why any differs from what the scenario asked."""

    active_hours: float
    shared_by: int
    billing: DeploymentBilling
    notes: tuple[str, ...]
    billed_hours: float = 24.0

    @property
    def window_hours(self) -> float:
        """The idle hours billed each day after the last request, before the deployment scales to zero."""
        return self.billed_hours - self.active_hours


def hosting_terms(option: FineTuneOption, workload: Workload) -> HostingTerms:
    """The active hours and sharing the provider's billing allows for this workload (data/hosting_billing.csv)."""
    billing = deployment_billing(option.provider)
    notes: list[str] = []
    hours, shared = 24.0, 1
    billed = hours
    hourly = option.hosting_kind in UNIT_NAMES
    if workload.active_hours < 24 and hourly:
        if billing.scales_to_zero and billing.billing_increment != "hour":
            hours = float(workload.active_hours)
            billed = min(24.0, hours + billing.window_minutes / 60)
        else:
            notes.append(f"{option.provider or option.label} bills its deployment for every hour: always on, 24 h/day")
    if workload.finetunes_sharing > 1 and hourly:
        shared = min(workload.finetunes_sharing, billing.max_adapters)
        if shared < workload.finetunes_sharing:
            notes.append(
                f"one {option.provider} deployment serves at most {billing.max_adapters} fine-tune"
                f"{'s' if billing.max_adapters != 1 else ''}"
            )
    return HostingTerms(hours, shared, billing, tuple(notes), billed)


def _replica_gpus(option: FineTuneOption) -> int:
    """GPUs in one replica of a dedicated option: the provider's own unit rounded to a valid tensor-parallel size;
    self-hosted: also enough to hold the bf16 weights."""
    if option.per_gpu_hour:
        return tensor_parallel_size(float(option.model_size_b), str(option.serving_gpu), option.hosting_units)
    return whole_replica(option.hosting_units)


def hosting_fee(option: FineTuneOption, workload: Workload) -> HostingFee:
    """The option's fixed monthly fee for this workload: storage, deployment or provisioned hours (the active hours
    where the provider scales to zero; a share where fine-tunes share the deployment), or dedicated GPUs in whole
    replicas sized for the peak from measured prefill and decode throughput (at least the option's own count)."""
    storage = option.storage_usd_per_month or 0.0
    if option.hosting_kind not in UNIT_NAMES:
        return HostingFee(base_usd=storage)
    terms = hosting_terms(option, workload)
    rate = option.hosting_usd_per_hour
    unit_month = _per_month(rate or 0.0, terms.billed_hours, workload.days_per_month)
    per_request, replica = 0.0, 1
    min_units = option.hosting_units
    if sized_by_throughput(option):
        replica = _replica_gpus(option)
        per_request = _replicas_per_request_per_day(
            float(option.model_size_b), str(option.serving_gpu), replica, workload, terms.active_hours
        ) * terms.shared_by
        min_units = max(min_units, replica)
    return HostingFee(
        storage, unit_month, min_units, per_request, UNIT_NAMES[option.hosting_kind], rate is None, replica,
        terms.shared_by,
    )  # fmt: skip


def _replicas_per_request_per_day(params_b: float, gpu: str, replica: int, workload: Workload, hours: float) -> float:
    """Replicas one request a day needs at the peak: peak requests/s over what one replica serves (0: no tokens)."""
    per_replica, _ = replica_requests_per_s(params_b, gpu, replica, workload.kept_input_tokens, workload.output_tokens)
    if math.isinf(per_replica):
        return 0.0
    return peak_requests_per_s(1.0, workload.peak_factor, hours) / per_replica


def self_hosted_fee(params_b: float, gpu: str, workload: Workload) -> HostingFee:
    """Renting `gpu`s to serve a `params_b` model yourself, always on: whole replicas of a valid tensor-parallel
    size that holds the weights, more for the peak."""
    price = float(gpu_table().loc[gpu, "price_per_gpu_hour"])
    replica = tensor_parallel_size(params_b, gpu)
    per_request = _replicas_per_request_per_day(params_b, gpu, replica, workload, 24.0)
    return HostingFee(0.0, _per_month(price, HOURS_PER_DAY, workload.days_per_month), replica, per_request, "GPU",
                      replica_units=replica)  # fmt: skip


def option_serving_plan(option: FineTuneOption, workload: Workload) -> ServingPlan | None:
    """The option's dedicated GPUs at the workload's volume, with utilisation and basis (None unless sized)."""
    if not sized_by_throughput(option):
        return None
    terms = hosting_terms(option, workload)
    return _plan(float(option.model_size_b), str(option.serving_gpu), option.hosting_usd_per_hour or 0.0,
                 option.hosting_units, workload, _replica_gpus(option), terms)  # fmt: skip


def self_hosted_plan(params_b: float, gpu: str, workload: Workload) -> ServingPlan:
    """Self-hosting `params_b` on `gpu` at the workload's volume, always on: whole replicas for memory and peak."""
    price = float(gpu_table().loc[gpu, "price_per_gpu_hour"])
    replica = tensor_parallel_size(params_b, gpu)
    return _plan(params_b, gpu, price, replica, workload, replica, None)


def _plan(params_b: float, gpu: str, usd_per_hour: float, min_gpus: int, workload: Workload, replica: int,
          terms: HostingTerms | None) -> ServingPlan:  # fmt: skip
    return serving_plan(
        workload.requests_per_day,
        workload.kept_input_tokens,
        workload.output_tokens,
        workload.peak_factor,
        params_b,
        gpu,
        usd_per_hour,
        workload.days_per_month,
        min_gpus,
        replica_gpus=replica,
        active_hours=terms.active_hours if terms else 24.0,
        shared_by=terms.shared_by if terms else 1,
        billed_hours=terms.billed_hours if terms else None,
    )


def hosting_text(option: FineTuneOption, workload: Workload) -> str:
    """How the option's hosting is billed for this workload's request shape, in words (independent of the daily
    volume, so priced routes can carry it): the option's terms, the replica and what one serves (the phase that
    bounds it), the active hours and the sharing."""
    text = option.billing_terms()
    if option.hosting_kind not in UNIT_NAMES:
        return text
    terms = hosting_terms(option, workload)
    if terms.active_hours < 24:
        text = text.replace(", always on", "")
    parts = []
    if sized_by_throughput(option):
        replica = _replica_gpus(option)
        per_s, bound = replica_requests_per_s(float(option.model_size_b), str(option.serving_gpu), replica,
                                              workload.kept_input_tokens, workload.output_tokens)  # fmt: skip
        fee = hosting_fee(option, workload)
        shape = f"{workload.kept_input_tokens:,} input + {workload.output_tokens:,} output tokens"
        if math.isinf(per_s) or not fee.steps:
            parts.append(f"whole replicas of {replica} x {option.serving_gpu}")
        else:
            parts.append(
                f"whole replicas of {replica} x {option.serving_gpu}, each serving {per_s:,.2f} requests/s of "
                f"{shape} (bounded by {bound}): one more replica per {1 / fee.units_per_request_per_day:,.0f} "
                f"requests/day at {workload.peak_factor:g}x peak"
            )
    if terms.active_hours < 24:
        parts.append(scale_to_zero_text(terms))
    if terms.shared_by > 1:
        parts.append(f"one deployment shared by {terms.shared_by} fine-tunes (multi-LoRA): this one pays 1/{terms.shared_by}")
    parts.extend(terms.notes)
    return "; ".join([text, *parts])


def scale_to_zero_text(terms: HostingTerms) -> str:
    """What a deployment that scales to zero bills a day and why, and what its cold start costs, in words."""
    billing = terms.billing
    window = terms.window_hours
    if window > 0:
        billed = (
            f"billed {terms.billed_hours:g} h/day: {terms.active_hours:g} active + the {billing.window_minutes:,}-minute idle "
            f"window {billing.provider} bills before scaling to zero (per-{billing.billing_increment} billing; the day's "
            "traffic arrives within the active hours)"
        )
    else:
        billed = (
            f"billed {terms.billed_hours:g} h/day (per-{billing.billing_increment} billing, stopped outside those hours; "
            "the day's traffic arrives within them)"
        )
    return billed + (f"; cold start: {billing.cold_start}" if billing.cold_start else "")


def scaled_hosting_note(option: FineTuneOption, workload: Workload) -> str | None:
    """The hosting text as a caveat where the fee depends on the workload (GPUs sized by volume, active hours,
    sharing, or a request the provider's billing cannot honour); None for a plain fixed fee."""
    if option.hosting_kind not in UNIT_NAMES:
        return None
    terms = hosting_terms(option, workload)
    if not (sized_by_throughput(option) or terms.active_hours < 24 or terms.shared_by > 1 or terms.notes):
        return None
    return f"Hosting for {option.label}: {hosting_text(option, workload)}."


def hosting_at_volume(option: FineTuneOption, workload: Workload) -> str:
    """The hosting fee's units at the workload's daily volume, in words (the home page card, the brief and the
    command line say the same): e.g. "9 x H100 SXM 80GB (9 replicas of 1) at $3.99/hour, 24 h/day"."""
    fee = hosting_fee(option, workload)
    if option.hosting_kind not in UNIT_NAMES:
        return option.billing_terms()
    terms = hosting_terms(option, workload)
    units = int(fee.units(workload.requests_per_day))
    name = str(option.serving_gpu) if sized_by_throughput(option) else fee.unit + ("s" if units != 1 else "")
    replicas = units // fee.replica_units
    shape = f" ({replicas} replica{'s' if replicas != 1 else ''} of {fee.replica_units})" if fee.replica_units > 1 else ""
    rate = "rate not published" if fee.rate_missing else f"${option.hosting_usd_per_hour:,.2f}/hour"
    hours = "always on" if terms.active_hours >= 24 else f"{terms.billed_hours:g} h/day billed, scaled to zero otherwise"
    share = f", shared by {terms.shared_by} fine-tunes (this one pays 1/{terms.shared_by})" if terms.shared_by > 1 else ""
    sized = f", sized for {workload.peak_factor:g}x peak traffic" if fee.steps else ""
    return f"{units} x {name}{shape} at {rate}, {hours}{share}{sized}"
