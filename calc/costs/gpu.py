"""Self-hosted fine-tuning on GPUs: memory feasibility and training time from measured throughput.

Throughput rests on measurements on one H100 (data/h100_training_throughput.json): the achieved
model TFLOP/s of the nearest measured size and method, scaled to other model sizes by FLOPs per
token and to other GPUs by their bf16 dense TFLOP/s. Everything here is an estimate and says so.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from calc.catalogue.tables import CONFIDENCE, DATA_DIR, NOTES, Column, validate_table

METHODS = ("full", "lora", "qlora")
GPU_COLUMNS = (
    Column("gpu", "str"),
    Column("bf16_dense_tflops", "float"),
    Column("memory_gib", "float"),
    Column("price_per_gpu_hour", "float"),
    Column("price_low", "float"),
    Column("price_high", "float"),
    Column("price_source", "str"),
    Column("spec_source", "str"),
    Column("as_of", "date"),
    CONFIDENCE,
    NOTES,
)
#: Published Llama shapes: parameters (billions) -> (hidden size, layers).
PRESETS = {"Llama 3.2 1B": (1.24, 2048, 16), "Llama 3.1 8B": (8.03, 4096, 32), "Llama 3.1 70B": (70.6, 8192, 80)}
VOCAB = 128_256
BYTES_PER_PARAM = {"full": 16.0, "lora": 2.0, "qlora": 0.55}  # mixed-precision AdamW; bf16 frozen; 4-bit + constants
LORA_TRAINABLE_SHARE = 0.0052  # r=16 on all linear layers: 41.9M of 8.03B in the measurement
QLORA_SLOWDOWN = 1.3  # dequantising 4-bit weights each step; not measured here
MICRO_BATCH_TOKENS = 4 * 2_048
ACTIVATION_CALIBRATION = 1.75  # matches the measured 31.4 GiB peak of 8B LoRA with checkpointing
USABLE_MEMORY = 0.95


@lru_cache(maxsize=1)
def _gpus() -> pd.DataFrame:
    table = pd.read_csv(DATA_DIR / "gpus.csv", dtype=str, keep_default_na=False)
    return validate_table(table, GPU_COLUMNS, "gpus.csv").set_index("gpu", drop=False)


def gpu_table() -> pd.DataFrame:
    """GPUs with bf16 TFLOP/s, memory and hourly price, indexed by name."""
    return _gpus().copy()


@lru_cache(maxsize=1)
def throughput_measurements() -> list[dict]:
    """The successful runs of the H100 throughput measurement."""
    data = json.loads(Path(DATA_DIR / "h100_training_throughput.json").read_text())
    return [run for run in data["runs"] if "tokens_per_s" in run]


def shape(params_b: float) -> tuple[int, int]:
    """(hidden size, layers) for a Llama-like model of `params_b` billion parameters."""
    for size, hidden, layers in PRESETS.values():
        if math.isclose(params_b, size, rel_tol=0.02):
            return hidden, layers
    scale = (params_b / 8.03) ** (1 / 3)
    return round(4096 * scale / 128) * 128, max(1, round(32 * scale))


def memory_gib(params_b: float, method: str, n_gpus: int = 1) -> float:
    """Estimated peak memory per GPU: weights, gradients and optimizer states (sharded across GPUs),
    plus activations of one micro-batch (4 x 2,048 tokens, gradient checkpointing) on each GPU."""
    _check(params_b, method, n_gpus)
    params = params_b * 1e9
    states = params * BYTES_PER_PARAM[method]
    if method != "full":
        states += params * LORA_TRAINABLE_SHARE * 16
    hidden, layers = shape(params_b)
    per_token = 2 * hidden * layers * 2 + VOCAB * 4
    activations = MICRO_BATCH_TOKENS * per_token * ACTIVATION_CALIBRATION
    return (states / n_gpus + activations) / 2**30


def _check(params_b: float, method: str, n_gpus: int) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}.")
    if not isinstance(params_b, (int, float)) or not 0.1 <= params_b <= 500:
        raise ValueError(f"params_b must be between 0.1 and 500 (billions), not {params_b!r}.")
    if isinstance(n_gpus, bool) or not isinstance(n_gpus, int) or not 1 <= n_gpus <= 512:
        raise ValueError(f"n_gpus must be a whole number from 1 to 512, not {n_gpus!r}.")


def _h100_tokens_per_s(params_b: float, method: str) -> tuple[float, str]:
    """Tokens/s on one H100: the nearest measured run of the same method (LoRA for QLoRA), scaled by
    parameters (FLOPs per token grow linearly with them)."""
    measured_mode = "full" if method == "full" else "lora"
    runs = [r for r in throughput_measurements() if r["mode"] == measured_mode]
    nearest = min(runs, key=lambda r: abs(math.log(r["params"] / 1e9 / params_b)))
    basis = f"{nearest['shape']} {nearest['mode']}: {nearest['tokens_per_s']:,.0f} tokens/s measured on one H100"
    return nearest["tokens_per_s"] * (nearest["params"] / 1e9) / params_b, basis


@dataclass(frozen=True)
class TrainingEstimate:
    """A self-hosted training run: time, GPU-hours, cost, memory per GPU and whether it fits."""

    hours: float
    gpu_hours: float
    cost_usd: float
    memory_gib: float
    fits: bool
    min_gpus: int | None
    tokens_per_s: float
    basis: str


def min_gpus_to_fit(params_b: float, method: str, gpu: str, limit: int = 64) -> int | None:
    """The smallest number of `gpu` whose memory holds the run, or None if even `limit` do not."""
    capacity = _gpus().loc[gpu, "memory_gib"] * USABLE_MEMORY
    for n in range(1, limit + 1):
        if memory_gib(params_b, method, n) <= capacity:
            return n
    return None


def training_estimate(params_b: float, method: str, gpu: str, n_gpus: int, training_tokens: float) -> TrainingEstimate:
    """Time and cost to train `training_tokens` (all epochs) with `method` on `n_gpus` x `gpu`.

    Linear scaling across GPUs is assumed (optimistic for many GPUs).
    """
    _check(params_b, method, n_gpus)
    gpus = _gpus()
    if gpu not in gpus.index:
        raise ValueError(f"Unknown GPU {gpu!r}; known: {', '.join(gpus.index)}.")
    if training_tokens < 0 or not math.isfinite(training_tokens):
        raise ValueError(f"training_tokens must be a finite number >= 0, not {training_tokens!r}.")
    row = gpus.loc[gpu]
    h100_rate, basis = _h100_tokens_per_s(params_b, method)
    scale = float(row["bf16_dense_tflops"] / gpus.loc["H100 SXM 80GB", "bf16_dense_tflops"])
    per_gpu = h100_rate * scale / (QLORA_SLOWDOWN if method == "qlora" else 1.0)
    gpu_hours = float(training_tokens) / per_gpu / 3600
    memory = memory_gib(params_b, method, n_gpus)
    return TrainingEstimate(
        hours=gpu_hours / n_gpus,
        gpu_hours=gpu_hours,
        cost_usd=gpu_hours * float(row["price_per_gpu_hour"]),
        memory_gib=memory,
        fits=bool(memory <= row["memory_gib"] * USABLE_MEMORY),
        min_gpus=min_gpus_to_fit(params_b, method, gpu),
        tokens_per_s=per_gpu * n_gpus,
        basis=f"Estimate from {basis}, scaled by parameters and by {row['bf16_dense_tflops']:.0f}/989 bf16 TFLOP/s "
        f"for the {gpu}"
        + (f", and {QLORA_SLOWDOWN}x slower for 4-bit dequantisation (assumed)" if method == "qlora" else "")
        + ".",
    )


def serving_gpus(params_b: float, gpu: str) -> int:
    """GPUs needed to hold bf16 weights plus 20% for the KV cache: a floor, not a capacity plan."""
    need = params_b * 1e9 * 2 * 1.2 / 2**30
    return max(1, math.ceil(need / (_gpus().loc[gpu, "memory_gib"] * USABLE_MEMORY)))
