"""Words for the Self-hosted page's serving comparison (pure functions: no Streamlit)."""

from __future__ import annotations

import math

from calc.costs.self_hosting import ServingComparison
from calc.costs.serving import ServingPlan
from calc.text.safe_text import plain_markdown


def about(volume: float) -> str:
    """A volume rounded to three significant figures, as requests/day."""
    if volume < 1:
        return f"{volume:.2g}/day"
    return f"{float(f'{volume:.3g}'):,.0f}/day"


def gpu_rule_text(plan: ServingPlan) -> str:
    """Why this many GPUs: whole replicas of a tensor-parallel size that holds the weights, enough for the peak."""
    replicas = f"{plan.replicas} replica{'s' if plan.replicas != 1 else ''} of {plan.replica_gpus}"
    if math.isinf(plan.requests_per_s_per_replica):
        serves = "no tokens to serve"
    else:
        serves = f"{plan.requests_per_s_per_replica:,.2f} requests/s per replica, bounded by {plan.bound}"
    return (
        f"{plan.gpus} x {plan.gpu} = {replicas}: a replica is the smallest tensor-parallel size (1, 2, 4 or 8 GPUs) "
        f"that holds the weights (bf16 + 20% KV cache), and {plan.throughput_gpus // plan.replica_gpus} serve the peak "
        f"at {serves} (prefill and decode measured at your prompt and output lengths)."
    )


def cheaper_sentence(comparison: ServingComparison) -> str:
    """Where self-hosting becomes cheaper than the managed option, in words (Markdown; the names shown as plain text)."""
    gpu = plain_markdown(comparison.plan.gpu)
    managed = plain_markdown(comparison.managed_label.split(": ", 1)[-1])
    ranges = comparison.cheaper
    if not ranges:
        return f"Self-hosting on {gpu} is **not cheaper** than {managed} at any volume up to 1,000,000,000/day."
    start, end = ranges[0]
    if start == 0 and end is None:
        text = f"Self-hosting on {gpu} costs **no more than {managed} at every volume**."
    elif start == 0:
        text = f"Self-hosting on {gpu} is **cheaper up to about {about(end)}**; above that {managed} costs less"
    elif end is None:
        text = f"Self-hosting on {gpu} becomes **cheaper from about {about(start)}**."
    else:
        text = f"Self-hosting on {gpu} is **cheaper from about {about(start)} to {about(end)}**"
    if end is not None:
        later = [f"{about(s)}" + ("" if e is None else f" to {about(e)}") for s, e in ranges[1:3]]
        text += " (and again from " + "; from ".join(later) + ")." if later else "."
    now = "self-hosting" if comparison.cheaper_now else managed
    return text + f" At this scenario's volume {now} costs less."
