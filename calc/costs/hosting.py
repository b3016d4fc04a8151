"""The one hosting function: what keeping a fine-tuned (or self-hosted) model servable costs each month besides
tokens — deployment or GPU hours, provisioned units, storage — stepping up with volume where dedicated GPUs are
sized by measured throughput (calc/costs/serving.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calc.catalogue.options import HOURS_PER_DAY, FineTuneOption
from calc.costs.gpu import gpu_table, serving_gpus
from calc.costs.serving import SECONDS_PER_DAY, ServingPlan, serving_plan, sized_by_throughput, tokens_per_gpu_second
from calc.costs.workload import Workload

_ROUNDING = 1e-9  # ceil(2.0000000001) must stay 2
UNIT_NAMES = {"deployment_hourly": "deployment", "dedicated_gpu": "GPU", "provisioned": "unit"}


@dataclass(frozen=True)
class HostingFee:
    """A fixed monthly fee: `base_usd` (storage) + `usd_per_unit_month` x units, where
    units = max(`min_units`, ceil(daily volume x `units_per_request_per_day`)); the second term is 0 for a flat fee.

    `rate_missing` marks an hourly fee whose rate is not published (left out: the cost is a lower bound).
    """

    base_usd: float = 0.0
    usd_per_unit_month: float = 0.0
    min_units: int = 0
    units_per_request_per_day: float = 0.0
    unit: str = "unit"
    rate_missing: bool = False

    @property
    def steps(self) -> bool:
        """True when units are added with volume (dedicated GPUs sized by throughput)."""
        return self.units_per_request_per_day > 0

    def units(self, requests_per_day: float | np.ndarray) -> np.ndarray:
        """Units billed at each daily volume."""
        need = np.ceil(np.asarray(requests_per_day, dtype=float) * self.units_per_request_per_day - _ROUNDING)
        return np.maximum(self.min_units, need).astype(int)

    def monthly_usd(self, requests_per_day: float | np.ndarray) -> np.ndarray:
        """The fee at each daily volume."""
        if not self.steps:
            return np.full(np.shape(requests_per_day), self.base_usd + self.usd_per_unit_month * self.min_units)
        return self.base_usd + self.usd_per_unit_month * self.units(requests_per_day)

    def at(self, requests_per_day: float) -> float:
        """The fee at one daily volume."""
        return float(self.monthly_usd(requests_per_day))

    def boundaries(self, low: float, high: float) -> np.ndarray:
        """The daily volumes in [low, high] where one more unit is added (the last volume one count still serves)."""
        k = self.units_per_request_per_day
        if k <= 0:
            return np.array([])
        first = max(self.min_units, math.ceil(low * k - _ROUNDING))
        last = math.floor(high * k + _ROUNDING)
        counts = np.arange(first, min(last, first + 10_000) + 1)
        return counts / k

    def first_volume_paying(self, saving_per_request_month: float, other_fixed_usd: float) -> float | None:
        """Smallest daily volume v with v x `saving_per_request_month` >= fee(v) + `other_fixed_usd`, or None."""
        if saving_per_request_month <= 0:
            return None
        s, c, k = saving_per_request_month, self.usd_per_unit_month, self.units_per_request_per_day
        fixed = self.base_usd + other_fixed_usd
        if k <= 0:
            return (self.min_units * c + fixed) / s
        # In the region served by g units, volumes ((g-1)/k, g/k], the saving pays at v >= (g c + fixed) / s;
        # it does somewhere in the region when (g c + fixed) / s <= g / k, i.e. g (1/k - c/s) >= fixed / s.
        gain = 1 / k - c / s
        if gain < 0 or (gain == 0 and fixed > 0):
            return None  # each added unit costs more than the requests it serves save
        g = self.min_units if gain == 0 else max(self.min_units, math.ceil(fixed / s / gain - _ROUNDING))
        lower = 0.0 if g == self.min_units else (g - 1) / k
        return max((g * c + fixed) / s, lower)


NO_FEE = HostingFee()


def _per_month(usd_per_hour: float, days_per_month: int) -> float:
    return usd_per_hour * HOURS_PER_DAY * days_per_month


def hosting_fee(option: FineTuneOption, workload: Workload) -> HostingFee:
    """The option's fixed monthly fee for this workload: storage, deployment or provisioned hours, or dedicated
    GPUs sized for the workload's peak from measured throughput at its prompt length (at least the option's own
    count stays on)."""
    storage = option.storage_usd_per_month or 0.0
    if option.hosting_kind not in UNIT_NAMES:
        return HostingFee(base_usd=storage)
    rate = option.hosting_usd_per_hour
    unit_month = _per_month(rate or 0.0, workload.days_per_month)
    per_request = 0.0
    if sized_by_throughput(option):
        per_request = _gpus_per_request_per_day(float(option.model_size_b), str(option.serving_gpu), workload)
    return HostingFee(storage, unit_month, option.hosting_units, per_request, UNIT_NAMES[option.hosting_kind], rate is None)


def _gpus_per_request_per_day(params_b: float, gpu: str, workload: Workload) -> float:
    """GPUs one request a day needs at the peak: its output tokens/s at the peak over what one GPU serves."""
    per_gpu = tokens_per_gpu_second(params_b, gpu, workload.kept_input_tokens)
    return workload.output_tokens / SECONDS_PER_DAY * workload.peak_factor / per_gpu


def self_hosted_fee(params_b: float, gpu: str, workload: Workload) -> HostingFee:
    """Renting `gpu`s to serve a `params_b` model yourself: at least the GPUs its weights need, more for the peak."""
    price = float(gpu_table().loc[gpu, "price_per_gpu_hour"])
    per_request = _gpus_per_request_per_day(params_b, gpu, workload)
    return HostingFee(0.0, _per_month(price, workload.days_per_month), serving_gpus(params_b, gpu), per_request, "GPU")


def option_serving_plan(option: FineTuneOption, workload: Workload) -> ServingPlan | None:
    """The option's dedicated GPUs at the workload's volume, with utilisation and basis (None unless sized)."""
    if not sized_by_throughput(option):
        return None
    return _plan(float(option.model_size_b), str(option.serving_gpu), option.hosting_usd_per_hour or 0.0,
                 option.hosting_units, workload)  # fmt: skip


def self_hosted_plan(params_b: float, gpu: str, workload: Workload) -> ServingPlan:
    """Self-hosting `params_b` on `gpu` at the workload's volume: GPUs = max(memory, throughput)."""
    price = float(gpu_table().loc[gpu, "price_per_gpu_hour"])
    return _plan(params_b, gpu, price, serving_gpus(params_b, gpu), workload)


def _plan(params_b: float, gpu: str, usd_per_hour: float, min_gpus: int, workload: Workload) -> ServingPlan:
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
    )
