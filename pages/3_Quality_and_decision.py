"""Quality & decision: what the quality gap is worth, the article's decision tree walked, the hybrid."""


import pandas as pd
import streamlit as st

from calc.article.decision import decisive_dimensions, mistake_risks, training_size_band
from calc.article.quality import Range, monthly_benefit, quality_table, task_quality
from calc.article.source import ARTICLE_CITATION
from calc.catalogue.options import FineTuneOption
from calc.catalogue.tables import load_article_table
from calc.costs.pair import CostSummary, Pair, hybrid_monthly, summarize
from calc.inputs.querystring import PAGE_PARAMS
from calc.quality.priors import prior_table
from calc.scenario import Scenario
from calc.text.safe_text import plain_markdown
from calc.verdict.quality import report_for, scenario_results
from calc.verdict.verdict import Verdict
from ui.binding import IN_LINK
from ui.charts import quality_range_chart
from ui.clock import app_today
from ui.decision_diagram import decision_dot
from ui.eval_view import eval_file_upload, ingest_eval_upload, show_report, typed_counts_editor
from ui.export import chart_downloads
from ui.format import STATUS_ICONS, count, months, usd, usd_per_month
from ui.pair_view import page_pair, show_pair
from ui.present import presenting
from ui.price_status import prices_for_run, show_prices_in_force
from ui.sidebar import scenario_sidebar
from ui.verdict_view import eval_file_results, page_verdict, show_verdict

st.set_page_config(page_title="Quality & decision", page_icon="🧭", layout="wide")
RISK_TEXT = {
    "risk": f"{STATUS_ICONS['error']} **At risk**",
    "ok": f"{STATUS_ICONS['ok']} OK",
    "unknown": f"{STATUS_ICONS['unknown']} Can't tell",
}


def show_intro(scenario: Scenario) -> None:
    """The task, the cost of one wrong answer and the volume this page works with."""
    task = task_quality(scenario.task)
    st.markdown(
        f"**{task['task']}** · {usd(scenario.error_cost)} per wrong answer · {scenario.requests_per_day:,.0f} requests/day. "
        "Change the task and the error cost under *Quality* in the sidebar."
    )


def show_quality(scenario: Scenario, pair: Pair) -> None:
    """The article's quality ranges by task, the scenario's task highlighted."""
    st.subheader("Expected quality")
    quality_chart = quality_range_chart(quality_table(), scenario.task)
    st.altair_chart(quality_chart, width="stretch")
    chart_downloads(quality_chart, quality_table, "quality-by-task", "quality_chart")
    st.caption(
        "Prompting = optimised few-shot prompt (5-10 examples); fine-tuned = 500-2,000 task examples; quality = % agreement "
        "with human judgment on English-language production workloads (the article's figures, not measured here)."
    )
    if not pair.same_base_model:
        st.info(
            plain_markdown(
                f"The article's ranges compare prompting and fine-tuning the same model. This pair prompts "
                f"{pair.prompt.label} and fine-tunes {pair.option.label}: two different models, whose quality gap only "
                "your own eval set can tell. Until you measure it, the verdict uses the literature priors below."
            ),
            icon=":material/compare_arrows:",
        )
    with st.expander("Literature priors: a fine-tuned small model against a prompted large one", key="priors_open"):
        priors = prior_table()
        shown = pd.DataFrame(
            {
                "tasks": priors["tasks"].str.replace(" ", ", "),
                "training labels": [
                    f"{int(low):,}+" if pd.isna(high) else f"{int(low):,}-{int(high) - 1:,}"
                    for low, high in zip(priors["min_labels"], priors["max_labels"], strict=True)
                ],
                "gap (points)": [f"{a:+g} to {b:+g}" for a, b in zip(priors["gap_low"], priors["gap_high"], strict=True)],
                "finding": priors["finding"],
                "source": priors["source"],
                "confidence": priors["confidence"],
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        st.caption(
            "Literature priors, not your task: most of these studies compare against zero-shot or GPT-4-era prompting, "
            "not few-shot 2026 frontier models. Your own eval replaces them (data/quality_priors.csv)."
        )
    if scenario.task == "reasoning":
        st.warning(
            "On reasoning and analysis the article finds fine-tuning *lowers* quality by 2-5 points: the model overfits to "
            "the training distribution at the expense of general reasoning; it advises prompting (chain of thought) for "
            "such tasks. The verdict above weighs that with your costs and your eval.",
            icon=":material/warning:",
        )


def show_benefit(scenario: Scenario, summary: CostSummary, verdict: Verdict) -> None:
    """What fewer errors are worth per month at the verdict's quality gap (measured, prior or unknown), added to the
    token savings, and the breakeven with them."""
    gap = verdict.gap
    if not gap.known:
        st.subheader("What the quality gap is worth")
        st.info(plain_markdown(f"The quality gap is {gap.label}: measure it to put a value on fewer errors."))
        return
    assert gap.low is not None and gap.mid is not None and gap.high is not None
    gain = Range(gap.low, gap.mid, gap.high)
    benefit = monthly_benefit(scenario, summary, gain)
    st.subheader("What the quality gap is worth")
    if scenario.error_cost == 0:
        st.info("Set the cost of one wrong answer (sidebar, *Quality*) to turn the quality gap into dollars.")
    cols = st.columns(4)
    cols[0].metric(
        "Error value per month",
        usd_per_month(benefit.error_value.mid),
        help=plain_markdown(
            f"{scenario.requests_per_month:,.0f} requests x {gain.mid:+.1f} points fewer errors x "
            f"{usd(scenario.error_cost)}. Range {usd(benefit.error_value.low)} to {usd(benefit.error_value.high)} from "
            f"the gap {gap.label}."
        ),
    )
    cols[1].metric(
        "Token savings per month", usd_per_month(benefit.token_savings), help=f"{scenario.pricing} pricing, from the home page."
    )
    cols[2].metric(
        "Total monthly benefit",
        usd_per_month(benefit.total.mid),
        help=f"Token savings + error value; range {usd(benefit.total.low)} to {usd(benefit.total.high)}.",
    )
    low, mid, high = benefit.breakeven_months
    cols[3].metric(
        "Breakeven incl. quality",
        months(mid),
        help=f"Training {usd(summary.training.cost_usd)} / total benefit; range {months(high)} to {months(low)}.",
    )
    st.caption(
        f"Cost-only breakeven: **{months(summary.breakeven_months)}** · with the value of fewer errors: **{months(mid)}** "
        f"(range {months(high)} to {months(low)})."
    )


def show_eval(scenario: Scenario, pair: Pair, verdict: Verdict) -> None:
    """The user's eval: counts typed for the pair, a results file, and what they say."""
    st.subheader("Your eval")
    st.markdown(
        "Score both routes on the same held-out examples. Type each route's right answers out of n, or bring a results "
        "file with one row per route and example (paired tests need the example ids)."
    )
    typed_counts_editor(scenario, pair)
    eval_file_upload()
    labels = {pair.prompting.id: pair.prompt.label, pair.fine_tuning.id: pair.option.label}
    show_report(report_for(scenario_results(scenario, eval_file_results())), verdict, labels, scenario)


def show_decision(scenario: Scenario, verdict: Verdict) -> None:
    """The article's decision tree walked for the scenario with the pair's quality (question 3 from the measured gap
    or the target, question 5 from the eval), drawn and explained: one of the verdict's reasons."""
    st.subheader("The decision tree, walked for your scenario")
    decision = verdict.tree
    tree = load_article_table("decision_tree")
    st.graphviz_chart(decision_dot(decision, tree), width="stretch")
    says = {"Fine-tune": "fine-tuning", "Use prompting": "prompting", "Measure first": "measuring first"}[decision.recommendation]
    st.caption(
        plain_markdown(
            f"The tree alone says {says}: {decision.reason} The verdict at the top of the page weighs it with cost and "
            "quality."
        )
    )
    for step in decision.steps:
        answer = {True: "yes", False: "no", None: "not yet known"}[step.answer]
        st.markdown(f"**{step.number}. {step.question}** — {answer}. {plain_markdown(step.why)}")
    band = training_size_band(scenario.training_examples)
    if band is not None:
        st.caption(
            f"With {count(scenario.training_examples)} examples ({band['size_label']}) "
            f"the article expects: {band['expected_quality']}."
        )


def show_hybrid(scenario: Scenario, summary: CostSummary, option: FineTuneOption) -> None:
    """The fine-tuned model with a few dynamic examples per request, against both pure paths, and the article's layers."""
    st.subheader("Hybrid: fine-tuned model plus dynamic examples")
    k = st.slider(
        "Dynamic few-shot examples per request", *PAGE_PARAMS["hybrid_examples"].widget_args, key="hybrid_examples", **IN_LINK
    )
    hybrid = hybrid_monthly(scenario, k, option)
    cols = st.columns(3)
    cols[0].metric(
        "Pure prompting", usd_per_month(summary.monthly_prompting_usd), help=f"{scenario.examples} examples per request."
    )
    cols[1].metric("Pure fine-tuned", usd_per_month(summary.monthly_fine_tuned_usd), help="No examples.")
    cols[2].metric(
        f"Hybrid ({k} examples)", usd_per_month(hybrid), help="Fine-tuned prices; the dynamic examples cannot be cached."
    )
    layers = load_article_table("hybrid")
    st.table(
        layers[["layer", "technique", "what_it_handles"]].rename(
            columns={"layer": "Layer", "technique": "Technique", "what_it_handles": "What it handles"}
        ),
        hide_index=True,
    )


def show_mistakes(scenario: Scenario, pair: Pair) -> None:
    """The article's common mistakes, each marked at risk, OK or unknown for this scenario."""
    st.subheader("Common mistakes this scenario risks")
    risks = mistake_risks(scenario, pair)
    for _, row in risks.iterrows():
        st.markdown(f"{RISK_TEXT[row['status']]} — **{row['mistake']}**: {plain_markdown(row['why'])} *{row['how_to_avoid']}.*")


def show_tradeoffs(scenario: Scenario, summary: CostSummary, pair: Pair) -> None:
    """The article's tradeoff table, the dimensions decisive here highlighted."""
    st.subheader("Tradeoffs")
    decisive = decisive_dimensions(scenario, summary, pair)
    tradeoffs = load_article_table("tradeoffs")
    shown = pd.DataFrame(
        {
            "Dimension": tradeoffs["dimension"],
            "Prompt engineering": tradeoffs["prompt_engineering"],
            "Fine-tuning": tradeoffs["fine_tuning"],
            "Decisive here?": [plain_markdown(decisive.get(d, "")) for d in tradeoffs["dimension"]],  # may name an option
        }
    )
    st.table(
        shown.style.apply(
            lambda row: ["font-weight: bold; background-color: #fff3cd" if row["Decisive here?"] else "" for _ in row],
            axis=1,
        ),
        hide_index=True,
    )
    st.caption(plain_markdown(f"Source for every table on this page: {ARTICLE_CITATION}."))


today = app_today()
scenario, pair = page_pair(scenario_sidebar("quality", today), today)
summary = summarize(scenario, pair)

ingest_eval_upload()
verdict = page_verdict(scenario, pair, summary)

st.title("Quality & decision")
show_prices_in_force(prices_for_run())
show_pair(pair)
show_verdict(verdict, key="quality_verdict")
show_intro(scenario)
show_eval(scenario, pair, verdict)
show_quality(scenario, pair)
show_benefit(scenario, summary, verdict)
show_decision(scenario, verdict)
if presenting():
    st.stop()
show_hybrid(scenario, summary, pair.option)
show_mistakes(scenario, pair)
show_tradeoffs(scenario, summary, pair)
