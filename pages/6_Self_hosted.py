"""Self-hosted: price fine-tuning an open model on rented GPUs from measured throughput."""


import pandas as pd
import streamlit as st

from calc.costs.gpu import PRESETS, TrainingEstimate, gpu_table, memory_gib, training_estimate
from calc.costs.pair import Pair
from calc.costs.self_hosting import serving_comparison
from calc.costs.training import scenario_training_tokens
from calc.inputs.querystring import CUSTOM_SIZE, PAGE_PARAMS
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from ui.binding import IN_LINK
from ui.charts import serving_cost_chart
from ui.clock import app_today
from ui.export import chart_downloads
from ui.format import count, per_day, usd, usd_per_month
from ui.pair_view import page_pair, show_pair
from ui.price_status import prices_for_run, show_prices_in_force
from ui.serving_view import cheaper_sentence, gpu_rule_text
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Self-hosted", page_icon="🖥️", layout="wide")
METHOD_LABELS = {
    "full": "Full fine-tune (mixed-precision AdamW)",
    "lora": "LoRA (r=16, bf16 base)",
    "qlora": "QLoRA (4-bit base)",
}


def show_intro() -> None:
    """What the estimates rest on."""
    st.markdown(
        "Training time and cost from throughput **measured on one H100** (Llama 1B and 8B, full and LoRA), scaled to other "
        "sizes and GPUs. These are estimates and say what they rest on."
    )


def read_training_setup(gpus: pd.DataFrame) -> tuple[float, str, str, int]:
    """The model size (a preset or custom), the method, the GPU and how many: what the training estimate takes."""
    cols = st.columns(4)
    preset = cols[0].selectbox("Model", PAGE_PARAMS["sh_model"].options(), index=1, key="sh_model", **IN_LINK)
    if preset == CUSTOM_SIZE:
        params_b = cols[0].slider("Parameters (billions)", *PAGE_PARAMS["sh_params"].widget_args, key="sh_params", **IN_LINK)
    else:
        params_b = PRESETS[preset][0]
    methods = PAGE_PARAMS["sh_method"].options()
    method = cols[1].radio(
        "Method", methods, index=1, captions=[METHOD_LABELS[m] for m in methods], key="sh_method", horizontal=True, **IN_LINK
    )
    gpu = cols[2].selectbox("GPU", PAGE_PARAMS["sh_gpu"].options(), key="sh_gpu", **IN_LINK)
    n_gpus = cols[3].number_input("Number of GPUs", *PAGE_PARAMS["sh_gpus"].widget_args, key="sh_gpus", **IN_LINK)
    return params_b, method, gpu, int(n_gpus)


def show_training_data(scenario: Scenario, epochs: int, tokens: int) -> None:
    """The scenario's training data as tokens for one run."""
    st.caption(
        f"Training data from the scenario: {count(scenario.training_examples)} examples x "
        f"{count(scenario.tokens_per_training_example)} "
        f"tokens x {epochs} epochs = **{count(tokens)} tokens**."
    )


def show_fit(estimate: TrainingEstimate, gpu: str, row: pd.Series) -> None:
    """Whether training fits in the GPUs' memory, and the smallest count that would."""
    st.subheader("Does it fit?")
    if estimate.fits:
        st.success(f"Fits: about {estimate.memory_gib:,.1f} GiB per GPU of {row['memory_gib']:.0f} GiB.")
    else:
        smallest = estimate.min_gpus
        st.error(
            f"Does not fit: about {estimate.memory_gib:,.1f} GiB per GPU is needed and the {gpu} has "
            f"{row['memory_gib']:.0f} GiB. "
            + (
                f"The smallest count that fits is {smallest} x {gpu} (sharded)."
                if smallest
                else f"Even 64 x {gpu} do not hold it."
            )
        )
    st.caption(
        "Memory = weights, gradients and optimizer states (16 bytes/parameter for full mixed-precision AdamW, 2 for a bf16 "
        "LoRA base, ~0.55 for 4-bit QLoRA), sharded across GPUs, plus activations of a 4 x 2,048-token micro-batch with "
        "gradient checkpointing, calibrated to the measured 31 GiB of 8B LoRA."
    )


def show_training_cost(estimate: TrainingEstimate, row: pd.Series) -> None:
    """Wall-clock time, GPU-hours, cost and throughput of one run, with the GPU price's source and range."""
    st.subheader("Training time and cost")
    cols = st.columns(4)
    cols[0].metric("Wall-clock time", f"{estimate.hours:,.2f} h")
    cols[1].metric("GPU-hours", f"{estimate.gpu_hours:,.2f}")
    cols[2].metric(
        "Cost",
        usd(estimate.cost_usd),
        help=f"{usd(row['price_per_gpu_hour'])} per GPU-hour ({row['price_source']}, as of {row['as_of']}).",
    )
    cols[3].metric("Throughput", f"{estimate.tokens_per_s:,.0f} tokens/s")
    st.caption(estimate.basis + f" Price range {usd(row['price_low'])}-{usd(row['price_high'])} per GPU-hour.")


def show_article_check() -> None:
    """The article's 8B full fine-tune on an A10G, checked against memory and the measured throughput."""
    article_memory = memory_gib(8.03, "full", 1)
    article = training_estimate(8.03, "full", "A10G 24GB", 1, 3e6)
    st.info(
        f"**The article vs the measurement.** The article prices a Llama 3.1 8B *full* fine-tune on an A10G at 4-20 "
        f"GPU-hours ($8-40). A full fine-tune of 8B parameters with mixed-precision AdamW needs about {article_memory:,.0f} "
        f"GiB: it cannot fit in the A10G's 24 GB (nor on one 80 GB GPU). On the throughput measured here, 3M training tokens "
        f"would take {article.gpu_hours:,.1f} A10G-hours if memory allowed — LoRA or QLoRA on one GPU is the realistic "
        "version of that row.",
        icon=":material/fact_check:",
    )


def show_serving(scenario: Scenario, pair: Pair, params_b: float, gpus: pd.DataFrame) -> None:
    """Serving the fine-tuned model on rented GPUs, always on, against the managed option, by volume."""
    st.subheader("Serving the fine-tuned model")
    choices = PAGE_PARAMS["sh_serving_gpu"].options()
    serving_gpu = st.selectbox("Serving GPU", choices, index=choices.index("L4 24GB"), key="sh_serving_gpu", **IN_LINK)
    comparison = serving_comparison(scenario, pair, params_b, serving_gpu)
    plan = comparison.plan
    cols = st.columns(4)
    cols[0].metric(f"{serving_gpu} needed, always on", f"{plan.gpus:,}", help=gpu_rule_text(plan))
    cols[1].metric(
        "Self-hosted per month",
        usd_per_month(plan.monthly_usd),
        help=f"{plan.gpus} x {usd(plan.usd_per_gpu_hour)} per GPU-hour x 24 h x {scenario.days_per_month} days.",
    )
    cols[2].metric(
        "Per 1M output tokens",
        "no output" if plan.usd_per_mtok_output is None else usd(plan.usd_per_mtok_output),
        help="Monthly GPU cost / output tokens served in the month, at this scenario's volume.",
    )
    cols[3].metric(
        "Utilisation at average load",
        f"{plan.utilisation:.1%}",
        help="Average requests/s over the replicas' capacity; they are sized for the peak "
        f"({scenario.peak_factor:g}x the average).",
    )
    st.caption(
        f"{gpu_rule_text(plan)} Load: {count(scenario.requests_per_day)} requests/day x {count(scenario.output_tokens)} "
        f"output tokens, {count(scenario.instruction_tokens)}-token prompts (the fine-tuned request), peak "
        f"{scenario.peak_factor:g}x the daily average. {plan.basis}"
    )
    st.metric(
        plain_markdown(f"Managed fine-tuned ({pair.option.label}) at {per_day(scenario.requests_per_day)}"),
        usd_per_month(comparison.managed_monthly_usd),
        help="Per-token cost x volume + the option's fixed fee (dedicated GPUs sized by the same throughput rule).",
    )
    serving_chart = serving_cost_chart(
        comparison.frame,
        comparison.cheaper,
        scenario.requests_per_day,
        f"Monthly serving cost: self-hosted {params_b:g}B on {serving_gpu} vs {pair.option.label}",
    )
    st.altair_chart(serving_chart, width="stretch")
    st.markdown(cheaper_sentence(comparison))
    chart_downloads(serving_chart, lambda: comparison.frame, "serving-cost", "serving_chart")
    st.caption(
        "Serving cost only (training is above). Self-hosted GPUs are billed always on at data/gpus.csv prices; the managed "
        "line is what the home page charges for the fine-tuned model at each volume. Throughput per GPU is an estimate "
        "from data/serving_throughput.csv."
    )


today = app_today()
scenario, pair = page_pair(scenario_sidebar("self_hosted", today), today)
gpus = gpu_table()
st.title("Self-hosted fine-tuning")
show_prices_in_force(prices_for_run())
show_pair(pair)
show_intro()
params_b, method, gpu, n_gpus = read_training_setup(gpus)
epochs, tokens = scenario_training_tokens(scenario)
estimate = training_estimate(params_b, method, gpu, n_gpus, tokens)
show_training_data(scenario, epochs, tokens)
show_fit(estimate, gpu, gpus.loc[gpu])
show_training_cost(estimate, gpus.loc[gpu])
show_article_check()
show_serving(scenario, pair, params_b, gpus)
