"""Self-hosted: price fine-tuning an open model on rented GPUs from measured throughput."""

import datetime as dt

import streamlit as st

from calc.costs import summarize
from calc.gpu import METHODS, PRESETS, gpu_table, memory_gib, serving_gpus, training_estimate
from calc.training import default_epochs
from ui.format import count, usd, usd_per_month
from ui.pair_view import page_pair, show_pair
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Self-hosted", page_icon="🖥️", layout="wide")
URL = {"bind": "query-params", "persist_state": "session"}
METHOD_LABELS = {
    "full": "Full fine-tune (mixed-precision AdamW)",
    "lora": "LoRA (r=16, bf16 base)",
    "qlora": "QLoRA (4-bit base)",
}

today = dt.date.today()
scenario, pair = page_pair(scenario_sidebar("self_hosted", today), today)
gpus = gpu_table()
st.title("Self-hosted fine-tuning")
show_pair(pair)
st.markdown(
    "Training time and cost from throughput **measured on one H100** (Llama 1B and 8B, full and LoRA), scaled to other "
    "sizes and GPUs. These are estimates and say what they rest on."
)

cols = st.columns(4)
preset = cols[0].selectbox("Model", [*PRESETS, "Custom size"], index=1, key="sh_model", **URL)
if preset == "Custom size":
    params_b = cols[0].slider("Parameters (billions)", 1.0, 70.0, 13.0, 0.5, key="sh_params", **URL)
else:
    params_b = PRESETS[preset][0]
method = cols[1].radio(
    "Method", METHODS, index=1, captions=[METHOD_LABELS[m] for m in METHODS], key="sh_method", horizontal=True, **URL
)
gpu = cols[2].selectbox("GPU", list(gpus.index), key="sh_gpu", **URL)
n_gpus = cols[3].number_input("Number of GPUs", 1, 64, 1, key="sh_gpus", **URL)

epochs = scenario.epochs or default_epochs(scenario.training_examples)
tokens = scenario.training_examples * scenario.tokens_per_training_example * epochs
estimate = training_estimate(params_b, method, gpu, int(n_gpus), tokens)
row = gpus.loc[gpu]
st.caption(
    f"Training data from the scenario: {count(scenario.training_examples)} examples x "
    f"{count(scenario.tokens_per_training_example)} "
    f"tokens x {epochs} epochs = **{count(tokens)} tokens**."
)

st.subheader("Does it fit?")
if estimate.fits:
    st.success(f"Fits: about {estimate.memory_gib:,.1f} GiB per GPU of {row['memory_gib']:.0f} GiB.")
else:
    smallest = estimate.min_gpus
    st.error(
        f"Does not fit: about {estimate.memory_gib:,.1f} GiB per GPU is needed and the {gpu} has {row['memory_gib']:.0f} GiB. "
        + (f"The smallest count that fits is {smallest} x {gpu} (sharded)." if smallest else f"Even 64 x {gpu} do not hold it.")
    )
st.caption(
    "Memory = weights, gradients and optimizer states (16 bytes/parameter for full mixed-precision AdamW, 2 for a bf16 "
    "LoRA base, ~0.55 for 4-bit QLoRA), sharded across GPUs, plus activations of a 4 x 2,048-token micro-batch with "
    "gradient checkpointing, calibrated to the measured 31 GiB of 8B LoRA."
)

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

article_memory = memory_gib(8.03, "full", 1)
article = training_estimate(8.03, "full", "A10G 24GB", 1, 3e6)
st.info(
    f"**The article vs the measurement.** The article prices a Llama 3.1 8B *full* fine-tune on an A10G at 4-20 GPU-hours "
    f"($8-40). A full fine-tune of 8B parameters with mixed-precision AdamW needs about {article_memory:,.0f} GiB: it "
    f"cannot fit in the A10G's 24 GB (nor on one 80 GB GPU). On the throughput measured here, 3M training tokens would take "
    f"{article.gpu_hours:,.1f} A10G-hours if memory allowed — LoRA or QLoRA on one GPU is the realistic version of that row.",
    icon=":material/fact_check:",
)

st.subheader("Serving the fine-tuned model")
serving_gpu = st.selectbox("Serving GPU", list(gpus.index), index=list(gpus.index).index("L4 24GB"), key="sh_serving_gpu", **URL)
needed = serving_gpus(params_b, serving_gpu)
hosting = needed * gpus.loc[serving_gpu, "price_per_gpu_hour"] * 24 * scenario.days_per_month
managed = summarize(scenario, pair)
cols = st.columns(2)
cols[0].metric(
    f"Self-hosted: {needed} x {serving_gpu}, always on",
    usd_per_month(hosting),
    help="Enough GPUs to hold bf16 weights plus 20% for the KV cache; throughput capacity is not modelled.",
)
cols[1].metric(
    f"Managed fine-tuned ({pair.option.label}) at {scenario.requests_per_day:,.0f}/day",
    usd_per_month(managed.monthly_fine_tuned_usd),
)
cheaper = "self-hosting" if hosting < managed.monthly_fine_tuned_usd else f"the managed option ({pair.option.label})"
st.caption(
    f"At this volume {cheaper} costs less. Self-hosting is a fixed cost: "
    "it wins only at volumes high enough to keep the GPUs busy."
)
