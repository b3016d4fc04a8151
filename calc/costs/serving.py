"""Serving capacity from measured throughput: how many GPUs a volume needs, and what they cost.

Throughput at a latency target rests on the measurements in data/serving_throughput.csv (an 8B-class
model on one H100 with vLLM at four prompt lengths; a 70B-class model on two H100s at one; one 8B point
each on an A100 and an A10G, and the H100's own 16-bit run beside the A100's for a like-for-like ratio). A replica
of `t` GPUs (a valid tensor-parallel size: 1, 2, 4 or 8) serves requests at the rate both phases allow:

    requests/s per replica = t x min(prefill tokens/s per GPU / input tokens, decode tokens/s per GPU / output tokens)

Decode: the nearest measured size class's output tokens/s per GPU at the prompt length, interpolated on
log(prompt length) (geometric between points, flat below the shortest, the last slope beyond); a class
measured at one prompt length borrows the shape of the best-measured class, scaled through its point.
Prefill: the most input tokens/s any of the class's runs sustained at the target, or the best-measured
class's figure scaled by parameters (prefill FLOPs grow with them), whichever is larger. Every measured
point is reproduced exactly (its decode bound binds). Other GPUs take the ratio their own measurement shows
against the H100 curve, like for like where the H100 was measured at the same precision, prompt and concurrency
(`gpu_ratio`: the GPU's point over the H100's at the same users, grown to capacity as the H100's own run grows; the
range runs from the GPU's point over the H100 curve, a floor); a GPU with no measurement says so.

Replicas = max(minimum, ceil(peak requests/s / requests/s per replica)); peak = the daily requests over the
active seconds (86,400 unless the deployment scales to zero outside `active_hours`) x the peak factor.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from calc.catalogue.options import FineTuneOption
from calc.catalogue.tables import DATA_DIR, NOTES, PROVENANCE, Column, validate_table
from calc.costs.gpu import gpu_table, serving_gpus

SECONDS_PER_DAY = 86_400
#: The GPU the throughput curves are measured on; other GPUs take their measured ratio to it.
REFERENCE_GPU = "H100 SXM 80GB"
THROUGHPUT_COLUMNS = (
    Column("model_size_b", "float"),
    Column("gpus", "int", min_value=1),
    Column("gpu", "str"),
    Column("prompt_tokens", "int", min_value=1),
    Column("output_tokens", "int", min_value=1),
    Column("output_tokens_per_s", "float"),
    Column("precision", "choice", choices=("fp8", "bf16", "fp16")),
    Column("concurrency", "int", required=False, min_value=1),  # concurrent users (empty: offline, maximum batch)
    # curve: the H100's capacity at a latency target, which sizes every model; gpu: another GPU's measurement, which
    # sets its ratio; baseline: the H100 at that measurement's precision and prompt, at several concurrencies
    Column("use", "choice", choices=("curve", "gpu", "baseline")),
    Column("latency_target", "str"),
    Column("engine", "str"),
    *PROVENANCE,
    NOTES,
)
_ROUNDING = 1e-9  # ceil(2.0000000001) must stay 2


@lru_cache(maxsize=1)
def _throughput() -> pd.DataFrame:
    table = pd.read_csv(DATA_DIR / "serving_throughput.csv", dtype=str, keep_default_na=False)
    return validate_table(table, THROUGHPUT_COLUMNS, "serving_throughput.csv")


def throughput_table() -> pd.DataFrame:
    """The serving throughput measurements, schema-checked (a copy)."""
    return _throughput().copy()


def _curve_rows() -> pd.DataFrame:
    """The reference GPU's capacity at a latency target: the rows that size every model."""
    table = _throughput()
    return table[(table["gpu"] == REFERENCE_GPU) & (table["use"] == "curve")]


@lru_cache(maxsize=1)
def _curves() -> dict[float, tuple[tuple[float, ...], tuple[float, ...]]]:
    """Per size class measured on the reference GPU: (prompt tokens, output tokens/s per GPU), by prompt."""
    measured = _curve_rows()
    curves = {}
    for size, rows in measured.groupby("model_size_b"):
        rows = rows.sort_values("prompt_tokens")
        per_gpu = rows["output_tokens_per_s"] / rows["gpus"]
        curves[float(size)] = (tuple(float(p) for p in rows["prompt_tokens"]), tuple(float(v) for v in per_gpu))
    return curves


@lru_cache(maxsize=1)
def _tflops() -> dict[str, float]:
    """bf16 dense TFLOP/s by GPU name (data/gpus.csv)."""
    return {str(name): float(value) for name, value in gpu_table()["bf16_dense_tflops"].items()}


#: GPUs without a serving measurement of their own that borrow a measured one: (measured GPU, how, factor).
BORROWED = {
    "A100 SXM 80GB": ("A100 40GB", "the same chip measured with 40 GB (more memory serves at least as much)", 1.0),
}
#: Tensor-parallel sizes a Llama-style model splits across (its attention and KV heads divide by them).
TENSOR_PARALLEL_SIZES = (1, 2, 4, 8)


def _interpolate(prompts: tuple[float, ...], rates: tuple[float, ...], prompt_tokens: float) -> float:
    """Rate at `prompt_tokens`: geometric between points on log(prompt), flat below, last slope beyond."""
    x = math.log(max(prompt_tokens, 1.0))
    xs, ys = [math.log(p) for p in prompts], [math.log(r) for r in rates]
    if len(xs) == 1 or x <= xs[0]:
        return rates[0]
    if x >= xs[-1]:
        slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        return math.exp(ys[-1] + slope * (x - xs[-1]))
    return math.exp(float(np.interp(x, xs, ys)))


def size_class(params_b: float) -> float:
    """The measured model size (billions) nearest to `params_b` on a log scale."""
    if isinstance(params_b, bool) or not isinstance(params_b, (int, float)) or not 0.1 <= params_b <= 2_000:
        raise ValueError(f"params_b must be between 0.1 and 2,000 (billions), not {params_b!r}.")
    return min(_curves(), key=lambda size: abs(math.log(size / params_b)))


def _shape_scale(size: float) -> float:
    """1 for a class measured at several prompt lengths; else its point over the best-measured curve there."""
    curves = _curves()
    prompts, rates = curves[size]
    if len(prompts) > 1:
        return 1.0
    shape_prompts, shape_rates = _best_curve()
    return rates[0] / _interpolate(shape_prompts, shape_rates, prompts[0])


def _best_curve() -> tuple[tuple[float, ...], tuple[float, ...]]:
    return max(_curves().values(), key=lambda curve: len(curve[0]))


def _reference_rate(size: float, prompt_tokens: float) -> float:
    """Output tokens/s per reference GPU for the size class `size` at `prompt_tokens`."""
    prompts, rates = _curves()[size]
    if len(prompts) > 1:
        return _interpolate(prompts, rates, prompt_tokens)
    shape_prompts, shape_rates = _best_curve()
    return _shape_scale(size) * _interpolate(shape_prompts, shape_rates, prompt_tokens)


@lru_cache(maxsize=64)
def _reference_prefill(size: float) -> float:
    """Input tokens/s per reference GPU the class sustains: its own best run, or the best-measured class's best
    run scaled by parameters, whichever is larger."""
    rows = _curve_rows()
    input_rate = rows["output_tokens_per_s"] / rows["gpus"] * rows["prompt_tokens"] / rows["output_tokens"]
    best_size = max(_curves(), key=lambda s: len(_curves()[s][0]))
    own = float(input_rate[rows["model_size_b"] == size].max())
    scaled = float(input_rate[rows["model_size_b"] == best_size].max()) * best_size / size
    return max(own, scaled)


@dataclass(frozen=True)
class GpuRatio:
    """A GPU's throughput relative to the reference GPU's curve: the `factor` that sizes it, the `low`-`high` range the
    measurements allow, and what it rests on."""

    factor: float
    low: float
    high: float
    basis: str


def _log_interpolate(points: list[tuple[float, float]], x: float) -> float:
    """The rate at `x` on a log-log line through (x, rate) points sorted by x (flat beyond the ends)."""
    xs, ys = [math.log(p[0]) for p in points], [math.log(p[1]) for p in points]
    return math.exp(float(np.interp(math.log(x), xs, ys)))


def _sixteen_bit(precision: str) -> str:
    """bf16 and fp16 run at the same rate on these GPUs: one precision class."""
    return "16-bit" if precision in ("bf16", "fp16") else precision


@lru_cache(maxsize=16)
def gpu_ratio(gpu: str) -> GpuRatio:
    """Throughput of `gpu` relative to the reference GPU's curve, like for like where the reference GPU was measured at
    the same precision, prompt and concurrency, with the range the measurements allow and what it rests on."""
    tflops = _tflops()
    if gpu not in tflops:
        raise ValueError(f"Unknown GPU {gpu!r}; known: {', '.join(tflops)}.")
    if gpu == REFERENCE_GPU:
        return GpuRatio(1.0, 1.0, 1.0, "measured")
    measured_as, how, extra = BORROWED.get(gpu, (gpu, "", 1.0))
    rows = _throughput()
    rows = rows[(rows["gpu"] == measured_as) & (rows["use"] == "gpu")]
    if rows.empty:
        factor, basis = _nearest_measured_factor(gpu)
        return GpuRatio(factor, factor, factor, basis)
    row = rows.iloc[0]
    rate, prompt = float(row["output_tokens_per_s"]) / int(row["gpus"]), int(row["prompt_tokens"])
    reference = _reference_rate(size_class(float(row["model_size_b"])), float(prompt))
    floor = rate / reference * extra
    load = f"{int(row['concurrency'])} users" if pd.notna(row["concurrency"]) else "maximum batch"
    text = f"measured on the {measured_as} ({rate:,.0f} output tokens/s at {prompt:,}-token prompts, {load}, {row['engine']})"
    same = _same_concurrency_baseline(row)
    if same is None:
        basis = f"{text}: {floor:.3f}x the {REFERENCE_GPU} curve"
        return GpuRatio(floor, floor, floor, basis + (f"; {how}" if how else ""))
    at_users, capacity = same
    factor = rate / at_users * capacity / reference * extra
    basis = (
        f"{text}: like for like {rate / at_users:.3f} of the {REFERENCE_GPU} at the same precision, prompt and users "
        f"({at_users:,.0f}), grown to capacity as that {REFERENCE_GPU} run grows ({capacity:,.0f} at its latency target): "
        f"{factor:.3f}x the {REFERENCE_GPU} curve (range {min(floor, factor):.3f}, its own point over the curve, to "
        f"{max(floor, factor):.3f})"
    )
    return GpuRatio(factor, min(floor, factor), max(floor, factor), basis + (f"; {how}" if how else ""))


def _same_concurrency_baseline(row: pd.Series) -> tuple[float, float] | None:
    """The reference GPU's rate at a measured row's precision class, prompt, output and users (log-log between its
    measured users), and its capacity at the latency target; None without baseline rows around those users."""
    if pd.isna(row["concurrency"]):
        return None
    table = _throughput()
    base = table[
        (table["use"] == "baseline")
        & (table["gpu"] == REFERENCE_GPU)
        & (table["prompt_tokens"] == row["prompt_tokens"])
        & (table["output_tokens"] == row["output_tokens"])
        & (table["precision"].map(_sixteen_bit) == _sixteen_bit(str(row["precision"])))
        & table["concurrency"].notna()
    ]
    points = sorted(
        (float(users), float(value) / int(gpus))
        for users, value, gpus in zip(base["concurrency"], base["output_tokens_per_s"], base["gpus"], strict=True)
    )
    users = float(row["concurrency"])
    if len(points) < 2 or not points[0][0] <= users <= points[-1][0]:
        return None
    return _log_interpolate(points, users), max(value for _, value in points)


def gpu_factor(gpu: str) -> tuple[float, str]:
    """Throughput of `gpu` relative to the reference GPU, and what it rests on (a measurement where one exists)."""
    ratio = gpu_ratio(gpu)
    return ratio.factor, ratio.basis


def _nearest_measured_factor(gpu: str) -> tuple[float, str]:
    """No measurement for `gpu`: the measured GPU nearest in bf16 TFLOP/s, scaled by TFLOP/s (an estimate)."""
    tflops = _tflops()
    table = _throughput()
    measured = [g for g in tflops if g != gpu and g != REFERENCE_GPU and g not in BORROWED and not
                table[(table["gpu"] == g) & (table["use"] == "gpu")].empty]  # fmt: skip
    nearest = min(measured, key=lambda g: abs(math.log(tflops[g] / tflops[gpu])))
    factor, _ = gpu_factor(nearest)
    factor *= tflops[gpu] / tflops[nearest]
    return factor, (
        f"no serving measurement for the {gpu}: ESTIMATE from the measured {nearest} scaled by "
        f"{tflops[gpu]:.0f}/{tflops[nearest]:.0f} bf16 TFLOP/s ({factor:.3f}x the {REFERENCE_GPU} curve)"
    )


def _check_prompt(prompt_tokens: float) -> None:
    if not isinstance(prompt_tokens, (int, float)) or not math.isfinite(prompt_tokens) or prompt_tokens < 0:
        raise ValueError(f"prompt_tokens must be a finite number >= 0, not {prompt_tokens!r}.")


@lru_cache(maxsize=4_096)
def tokens_per_gpu_second(params_b: float, gpu: str, prompt_tokens: float) -> float:
    """Output (decode) tokens/s one `gpu` serves at the latency target for a model of `params_b` billion."""
    factor, _ = gpu_factor(gpu)
    _check_prompt(prompt_tokens)
    return _reference_rate(size_class(params_b), prompt_tokens) * factor


@lru_cache(maxsize=256)
def prefill_tokens_per_gpu_second(params_b: float, gpu: str) -> float:
    """Input (prefill) tokens/s one `gpu` sustains at the latency target for a model of `params_b` billion."""
    factor, _ = gpu_factor(gpu)
    return _reference_prefill(size_class(params_b)) * factor


def whole_replica(gpus: int) -> int:
    """The smallest valid tensor-parallel size (1, 2, 4, 8, then multiples of 8) of at least `gpus`."""
    if isinstance(gpus, bool) or not isinstance(gpus, int) or gpus < 1:
        raise ValueError(f"gpus must be a whole number >= 1, not {gpus!r}.")
    for size in TENSOR_PARALLEL_SIZES:
        if size >= gpus:
            return size
    return math.ceil(gpus / 8) * 8


def tensor_parallel_size(params_b: float, gpu: str, at_least: int = 1) -> int:
    """GPUs in one self-served replica: the smallest valid tensor-parallel size that holds the bf16 weights plus
    20% (calc/costs/gpu.py) and is at least `at_least`."""
    return whole_replica(max(serving_gpus(params_b, gpu), at_least))


@lru_cache(maxsize=4_096)
def replica_requests_per_s(params_b: float, gpu: str, replica_gpus: int, input_tokens: float, output_tokens: float
                           ) -> tuple[float, str]:  # fmt: skip
    """Requests/s one replica of `replica_gpus` serves at the latency target, and the phase that binds it
    ("prefill" or "decode"; inf when a request has no tokens)."""
    _check_prompt(input_tokens)
    if not isinstance(output_tokens, (int, float)) or not math.isfinite(output_tokens) or output_tokens < 0:
        raise ValueError(f"output_tokens must be a finite number >= 0, not {output_tokens!r}.")
    prefill = prefill_tokens_per_gpu_second(params_b, gpu) / input_tokens if input_tokens > 0 else math.inf
    decode = tokens_per_gpu_second(params_b, gpu, input_tokens) / output_tokens if output_tokens > 0 else math.inf
    bound = "prefill" if prefill < decode else "decode"
    return replica_gpus * min(prefill, decode), bound


@lru_cache(maxsize=64)
def basis_text(params_b: float, gpu: str) -> str:
    """What the throughput estimate for `params_b` on `gpu` rests on, in words."""
    size = size_class(params_b)
    rows = _curve_rows()
    rows = rows[rows["model_size_b"] == size]
    points = ", ".join(f"{r.output_tokens_per_s / r.gpus:,.0f} at {r.prompt_tokens:,}-token prompts" for r in rows.itertuples())
    per = "per GPU " if int(rows["gpus"].max()) > 1 else ""
    engine = rows["engine"].iloc[0]
    text = f"Estimate from the {size:g}B-class measurement on {REFERENCE_GPU} ({per}output tokens/s: {points}; {engine})"
    if len(rows) == 1:
        text += ", with the 8B curve's prompt-length shape"
    text += f"; prefill {prefill_tokens_per_gpu_second(params_b, REFERENCE_GPU):,.0f} input tokens/s per GPU"
    if gpu != REFERENCE_GPU:
        text += f"; the {gpu} {gpu_factor(gpu)[1]}"
    return text + "."


def peak_requests_per_s(requests_per_day: float, peak_factor: float, active_hours: float = 24.0) -> float:
    """Requests per second at the peak: the day's requests over its active seconds, times `peak_factor`."""
    return requests_per_day / (active_hours * 3_600) * peak_factor


def _check_load(requests_per_day: float, peak_factor: float, active_hours: float) -> None:
    if isinstance(requests_per_day, bool) or not isinstance(requests_per_day, (int, float)) or not math.isfinite(
        requests_per_day) or requests_per_day < 0:  # fmt: skip
        raise ValueError(f"requests_per_day must be a finite number >= 0, not {requests_per_day!r}.")
    if isinstance(peak_factor, bool) or not isinstance(peak_factor, (int, float)) or not 1 <= peak_factor <= 1_000:
        raise ValueError(f"peak_factor must be between 1 and 1,000, not {peak_factor!r}.")
    if isinstance(active_hours, bool) or not isinstance(active_hours, (int, float)) or not 1 <= active_hours <= 24:
        raise ValueError(f"active_hours must be between 1 and 24, not {active_hours!r}.")


def replicas_needed(
    requests_per_day: float, peak_factor: float, replica_per_s: float, min_replicas: int = 1, active_hours: float = 24.0
) -> int:
    """Replicas to serve the peak: max(min_replicas, ceil(peak requests/s / requests/s per replica))."""
    _check_load(requests_per_day, peak_factor, active_hours)
    if not replica_per_s > 0:
        raise ValueError(f"replica_per_s must be a positive number, not {replica_per_s!r}.")
    if isinstance(min_replicas, bool) or not isinstance(min_replicas, int) or min_replicas < 1:
        raise ValueError(f"min_replicas must be a whole number >= 1, not {min_replicas!r}.")
    return max(min_replicas, math.ceil(peak_requests_per_s(requests_per_day, peak_factor, active_hours) / replica_per_s
                                       - _ROUNDING))  # fmt: skip


@dataclass(frozen=True)
class ServingPlan:
    """GPUs sized for the peak in whole replicas: count (replicas x `replica_gpus`, at least `min_gpus`), the phase
    that bounds a replica, utilisation at average load over the active hours, cost per month (the active hours
    billed; a share when `shared_by` fine-tunes share the deployment) and per 1M output tokens, and the basis."""

    gpus: int
    gpu: str
    min_gpus: int
    throughput_gpus: int
    per_gpu_tokens_per_s: float
    utilisation: float
    usd_per_gpu_hour: float
    monthly_usd: float
    usd_per_mtok_output: float | None
    basis: str
    replica_gpus: int = 1
    replicas: int = 1
    requests_per_s_per_replica: float = math.inf
    bound: str = "decode"
    active_hours: float = 24.0
    shared_by: int = 1
    billed_hours: float = 24.0


def serving_plan(
    requests_per_day: float,
    prompt_tokens: float,
    output_tokens: float,
    peak_factor: float,
    params_b: float,
    gpu: str,
    usd_per_gpu_hour: float,
    days_per_month: int = 30,
    min_gpus: int = 1,
    *,
    replica_gpus: int | None = None,
    active_hours: float = 24.0,
    shared_by: int = 1,
    billed_hours: float | None = None,
) -> ServingPlan:
    """The plan for serving `params_b` on `gpu` at this load (`shared_by` fine-tunes of this load on one
    deployment, this one paying its share); traffic arrives within `active_hours` a day and `billed_hours` are paid
    (default: the active hours; more where the provider bills an idle window before scaling to zero); $/1M output
    tokens is None when there is no output."""
    if not math.isfinite(usd_per_gpu_hour) or usd_per_gpu_hour < 0:
        raise ValueError(f"usd_per_gpu_hour must be a finite number >= 0, not {usd_per_gpu_hour!r}.")
    if isinstance(shared_by, bool) or not isinstance(shared_by, int) or shared_by < 1:
        raise ValueError(f"shared_by must be a whole number >= 1, not {shared_by!r}.")
    size = whole_replica(replica_gpus) if replica_gpus else tensor_parallel_size(params_b, gpu, min_gpus)
    per_replica, bound = replica_requests_per_s(params_b, gpu, size, prompt_tokens, output_tokens)
    deployment_volume = requests_per_day * shared_by
    min_replicas = max(1, math.ceil(min_gpus / size - _ROUNDING))
    if math.isinf(per_replica):
        replicas = for_throughput = min_replicas
    else:
        replicas = replicas_needed(deployment_volume, peak_factor, per_replica, min_replicas, active_hours)
        for_throughput = replicas_needed(deployment_volume, peak_factor, per_replica, 1, active_hours)
    gpus = replicas * size
    average = deployment_volume / (active_hours * 3_600)
    billed = active_hours if billed_hours is None else billed_hours
    if not active_hours <= billed <= 24:
        raise ValueError(f"billed_hours must be between the active hours and 24, not {billed_hours!r}.")
    monthly = gpus * usd_per_gpu_hour * billed * days_per_month / shared_by
    output_mtok = requests_per_day * output_tokens * days_per_month / 1e6
    return ServingPlan(
        gpus=gpus,
        gpu=gpu,
        min_gpus=min_replicas * size,
        throughput_gpus=for_throughput * size,
        per_gpu_tokens_per_s=tokens_per_gpu_second(params_b, gpu, prompt_tokens),
        utilisation=0.0 if math.isinf(per_replica) else average / (replicas * per_replica),
        usd_per_gpu_hour=usd_per_gpu_hour,
        monthly_usd=monthly,
        usd_per_mtok_output=monthly / output_mtok if output_mtok > 0 else None,
        basis=basis_text(params_b, gpu),
        replica_gpus=size,
        replicas=replicas,
        requests_per_s_per_replica=per_replica,
        bound=bound,
        active_hours=active_hours,
        shared_by=shared_by,
        billed_hours=billed,
    )


def sized_by_throughput(option: FineTuneOption) -> bool:
    """True when the option's hosting is dedicated GPUs whose model size and serving GPU are known."""
    return (
        option.hosting_kind == "dedicated_gpu"
        and getattr(option, "model_size_b", None) is not None
        and getattr(option, "serving_gpu", None) in _tflops()
    )
