"""Words for the Self-hosted page's serving comparison (pure functions: no Streamlit)."""

from __future__ import annotations

from calc.costs.self_hosting import ServingComparison
from calc.costs.serving import ServingPlan
from calc.text.safe_text import plain_markdown


def about(volume: float) -> str:
    """A volume rounded to three significant figures, as requests/day."""
    if volume < 1:
        return f"{volume:.2g}/day"
    return f"{float(f'{volume:.3g}'):,.0f}/day"


def gpu_rule_text(plan: ServingPlan) -> str:
    """Why this many GPUs: the memory rule and the throughput rule, the larger wins."""
    return (
        f"{plan.gpus} x {plan.gpu} = the larger of {plan.min_gpus} to hold the weights (bf16 + 20% KV cache) and "
        f"{plan.throughput_gpus} to serve the peak at {plan.per_gpu_tokens_per_s:,.0f} output tokens/s per GPU."
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
