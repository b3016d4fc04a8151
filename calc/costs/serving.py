"""Serving capacity from measured throughput: how many GPUs a volume needs, and what they cost.

Throughput at a latency target rests on the measurements in data/serving_throughput.csv (an 8B-class
model on one H100 with vLLM at four prompt lengths; a 70B-class model on two H100s at one). For a model
size the nearest measured size class is used; its output tokens/s per GPU are interpolated on
log(prompt length) between its measured points (geometric in throughput, flat below the shortest prompt,
the last segment's slope beyond the longest). A class measured at one prompt length borrows the shape of
the best-measured class, scaled through its point. Other GPUs are scaled by their bf16 dense TFLOP/s
(data/gpus.csv): an estimate, and it says so.

GPUs needed = max(minimum, ceil(peak output tokens/s / tokens/s per GPU)), peak = average x peak factor,
the average taken over the 86,400 seconds of a day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from calc.catalogue.options import HOURS_PER_DAY, FineTuneOption
from calc.catalogue.tables import DATA_DIR, Column, validate_table
from calc.costs.gpu import gpu_table

SECONDS_PER_DAY = 86_400
#: The GPU the throughput curves are measured on; other GPUs are scaled from it.
REFERENCE_GPU = "H100 SXM 80GB"
THROUGHPUT_COLUMNS = (
    Column("model_size_b", "float"),
    Column("gpus", "int", min_value=1),
    Column("gpu", "str"),
    Column("prompt_tokens", "int", min_value=1),
    Column("output_tokens", "int", min_value=1),
    Column("output_tokens_per_s", "float"),
    Column("latency_target", "str"),
    Column("engine", "str"),
    Column("source", "str"),
    Column("as_of", "date"),
    Column("confidence", "choice", choices=("confirmed", "secondary", "unverified")),
    Column("notes", "str", required=False),
)
_ROUNDING = 1e-9  # ceil(2.0000000001) must stay 2


@lru_cache(maxsize=1)
def _throughput() -> pd.DataFrame:
    table = pd.read_csv(DATA_DIR / "serving_throughput.csv", dtype=str, keep_default_na=False)
    return validate_table(table, THROUGHPUT_COLUMNS, "serving_throughput.csv")


def throughput_table() -> pd.DataFrame:
    """The serving throughput measurements, schema-checked (a copy)."""
    return _throughput().copy()


@lru_cache(maxsize=1)
def _curves() -> dict[float, tuple[tuple[float, ...], tuple[float, ...]]]:
    """Per size class measured on the reference GPU: (prompt tokens, output tokens/s per GPU), by prompt."""
    table = _throughput()
    measured = table[table["gpu"] == REFERENCE_GPU]
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


def _reference_rate(size: float, prompt_tokens: float) -> float:
    """Output tokens/s per reference GPU for the size class `size` at `prompt_tokens`."""
    curves = _curves()
    prompts, rates = curves[size]
    if len(prompts) > 1:
        return _interpolate(prompts, rates, prompt_tokens)
    shape_prompts, shape_rates = max(curves.values(), key=lambda curve: len(curve[0]))
    scale = rates[0] / _interpolate(shape_prompts, shape_rates, prompts[0])
    return scale * _interpolate(shape_prompts, shape_rates, prompt_tokens)


@lru_cache(maxsize=4_096)
def tokens_per_gpu_second(params_b: float, gpu: str, prompt_tokens: float) -> float:
    """Output tokens/s one `gpu` serves at the latency target for a model of `params_b` billion (an estimate)."""
    tflops = _tflops()
    if gpu not in tflops:
        raise ValueError(f"Unknown GPU {gpu!r}; known: {', '.join(tflops)}.")
    if not math.isfinite(prompt_tokens) or prompt_tokens < 0:
        raise ValueError(f"prompt_tokens must be a finite number >= 0, not {prompt_tokens!r}.")
    scale = tflops[gpu] / tflops[REFERENCE_GPU]
    return _reference_rate(size_class(params_b), prompt_tokens) * scale


@lru_cache(maxsize=64)
def basis_text(params_b: float, gpu: str) -> str:
    """What the throughput estimate for `params_b` on `gpu` rests on, in words."""
    size = size_class(params_b)
    rows = _throughput()
    rows = rows[(rows["gpu"] == REFERENCE_GPU) & (rows["model_size_b"] == size)]
    points = ", ".join(f"{r.output_tokens_per_s / r.gpus:,.0f} at {r.prompt_tokens:,}-token prompts" for r in rows.itertuples())
    per = "per GPU " if int(rows["gpus"].max()) > 1 else ""
    engine = rows["engine"].iloc[0]
    text = f"Estimate from the {size:g}B-class measurement on {REFERENCE_GPU} ({per}output tokens/s: {points}; {engine})"
    if len(rows) == 1:
        text += ", with the 8B curve's prompt-length shape"
    if gpu != REFERENCE_GPU:
        tflops = _tflops()
        text += f", scaled by {tflops[gpu]:.0f}/{tflops[REFERENCE_GPU]:.0f} bf16 TFLOP/s for the {gpu}"
    return text + "."


def peak_output_tokens_per_s(requests_per_day: float, output_tokens: float, peak_factor: float) -> float:
    """Output tokens per second at the peak: the daily average (over 86,400 s) times `peak_factor`."""
    return requests_per_day * output_tokens / SECONDS_PER_DAY * peak_factor


def _check_load(requests_per_day: float, prompt_tokens: float, output_tokens: float, peak_factor: float) -> None:
    for name, value in (
        ("requests_per_day", requests_per_day),
        ("prompt_tokens", prompt_tokens),
        ("output_tokens", output_tokens),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, not {value!r}.")
    if isinstance(peak_factor, bool) or not isinstance(peak_factor, (int, float)) or not 1 <= peak_factor <= 1_000:
        raise ValueError(f"peak_factor must be between 1 and 1,000, not {peak_factor!r}.")


def gpus_needed(
    requests_per_day: float,
    prompt_tokens: float,
    output_tokens: float,
    peak_factor: float,
    per_gpu_tokens_per_s: float,
    min_gpus: int = 1,
) -> int:
    """GPUs to serve the peak: max(min_gpus, ceil(peak output tokens/s / tokens/s per GPU))."""
    _check_load(requests_per_day, prompt_tokens, output_tokens, peak_factor)
    if not math.isfinite(per_gpu_tokens_per_s) or per_gpu_tokens_per_s <= 0:
        raise ValueError(f"per_gpu_tokens_per_s must be a positive number, not {per_gpu_tokens_per_s!r}.")
    if isinstance(min_gpus, bool) or not isinstance(min_gpus, int) or min_gpus < 1:
        raise ValueError(f"min_gpus must be a whole number >= 1, not {min_gpus!r}.")
    ratio = peak_output_tokens_per_s(requests_per_day, output_tokens, peak_factor) / per_gpu_tokens_per_s
    return max(min_gpus, math.ceil(ratio - _ROUNDING))


@dataclass(frozen=True)
class ServingPlan:
    """Always-on GPUs sized for the peak: count (the larger of `min_gpus` and `throughput_gpus`), utilisation at
    average load, cost per month and per 1M output tokens, and what the throughput estimate rests on."""

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
) -> ServingPlan:
    """The plan for serving `params_b` on `gpu` at this load; $/1M output tokens is None when there is no output."""
    if not math.isfinite(usd_per_gpu_hour) or usd_per_gpu_hour < 0:
        raise ValueError(f"usd_per_gpu_hour must be a finite number >= 0, not {usd_per_gpu_hour!r}.")
    per_gpu = tokens_per_gpu_second(params_b, gpu, prompt_tokens)
    gpus = gpus_needed(requests_per_day, prompt_tokens, output_tokens, peak_factor, per_gpu, min_gpus)
    for_throughput = gpus_needed(requests_per_day, prompt_tokens, output_tokens, peak_factor, per_gpu, 1)
    average = requests_per_day * output_tokens / SECONDS_PER_DAY
    monthly = gpus * usd_per_gpu_hour * HOURS_PER_DAY * days_per_month
    output_mtok = requests_per_day * output_tokens * days_per_month / 1e6
    return ServingPlan(
        gpus=gpus,
        gpu=gpu,
        min_gpus=min_gpus,
        throughput_gpus=for_throughput,
        per_gpu_tokens_per_s=per_gpu,
        utilisation=average / (gpus * per_gpu),
        usd_per_gpu_hour=usd_per_gpu_hour,
        monthly_usd=monthly,
        usd_per_mtok_output=monthly / output_mtok if output_mtok > 0 else None,
        basis=basis_text(params_b, gpu),
    )


def sized_by_throughput(option: FineTuneOption) -> bool:
    """True when the option's hosting is dedicated GPUs whose model size and serving GPU are known."""
    return (
        option.hosting_kind == "dedicated_gpu"
        and getattr(option, "model_size_b", None) is not None
        and getattr(option, "serving_gpu", None) in _tflops()
    )
