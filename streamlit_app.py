"""Home page: what prompting and fine-tuning cost at your volume, and when fine-tuning pays back."""

import datetime as dt

import pandas as pd
import streamlit as st

from calc.brief import brief_html, brief_markdown
from calc.costs import get_option
from calc.scenario import Scenario
from calc.tables import Option
from ui.analysis import VolumeAnalysis, article_view, volume_analysis
from ui.assumptions import edited_options
from ui.chart_specs import CHART_HEIGHT
from ui.export import build_brief, chart_downloads, chart_image
from ui.format import count, months, per_day, usd, usd_per_month
from ui.home_charts import cumulative_spec, volume_spec
from ui.present import presenting, share_link
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="Prompt or fine-tune?", page_icon="⚖️", layout="wide")


def show_metrics(scenario: Scenario, result: VolumeAnalysis, option: Option) -> None:
    """The five headline numbers, each with its arithmetic and source on hover."""
    summary, training = result.summary, result.summary.training
    source = f"Prices: {option['source']} (as of {option['as_of']}, {option['confidence']})."
    prompting, tuned = summary.prompting_request, summary.fine_tuned_request
    cols = st.columns(5)
    cols[0].metric(
        "Prompting per month",
        usd_per_month(summary.monthly_prompting_usd),
        help=f"{usd(prompting.usd)} per request ({count(prompting.input_tokens)} input tokens, "
        f"{count(prompting.cached_tokens)} of them cached, + {count(prompting.output_tokens)} output) "
        f"x {per_day(scenario.requests_per_day)} x {scenario.days_per_month} days. {source}",
    )
    hosting = f" + {usd_per_month(summary.hosting_monthly_usd)} hosting" if summary.hosting_monthly_usd else ""
    cols[1].metric(
        "Fine-tuned per month",
        usd_per_month(summary.monthly_fine_tuned_usd),
        help=f"{usd(tuned.usd)} per request ({count(tuned.input_tokens)} input, {count(tuned.cached_tokens)} cached, "
        f"+ {count(tuned.output_tokens)} output){hosting}. {source}",
    )
    other = "article convention" if scenario.pricing == "full" else "full pricing"
    cols[2].metric(
        "Monthly savings",
        usd_per_month(summary.monthly_savings_usd),
        help=f"Prompting minus fine-tuned per {scenario.days_per_month}-day month; negative when the fine-tuned model "
        f"costs more to run. Under the {other}: {usd_per_month(result.other_mode.monthly_savings_usd)}.",
    )
    if training.gpu_hours is not None:
        basis = f"{training.gpu_hours:,.2f} GPU-hours x {usd(option['training_price_usd'])}/GPU-hour"
    else:
        basis = f"{count(training.billed_tokens)} billed tokens x {usd(option['training_price_usd'])} per 1M"
    rule = " (OpenAI default rule)" if training.epochs_are_default else ""
    spread = ""
    if training.cost_low_usd is not None and training.cost_high_usd is not None:
        spread = f" Source range: {usd(training.cost_low_usd)} to {usd(training.cost_high_usd)}."
    cols[3].metric(
        "Training cost (one run)",
        usd(training.cost_usd),
        help=f"{basis}; {training.epochs} epochs{rule}.{spread} {source}",
    )
    cols[4].metric(
        "Breakeven",
        months(summary.breakeven_months),
        help="Training cost / monthly savings. 'never' when fine-tuning saves nothing per month.",
    )
    st.caption(
        f"Monthly savings under the {other}: **{usd_per_month(result.other_mode.monthly_savings_usd)}**."
        + ("" if presenting() else " Switch with *Pricing* in the sidebar.")
    )
    if not training.meets_minimum:
        st.warning(
            f"{option['label']} needs at least {training.min_examples} training examples; "
            f"the scenario has {count(scenario.training_examples)}."
        )
    if option["hosting_required"] and pd.isna(option["hosting_usd_per_hour"]):
        st.warning(
            "This option needs dedicated hosting whose price is not verified, so the fine-tuned cost shown leaves it out "
            "and is a lower bound."
        )
    if scenario.caching and scenario.pricing == "article":
        st.info("Prompt caching is ignored under the article convention, as the article ignores it.")


def show_band(scenario: Scenario, result: VolumeAnalysis) -> None:
    """The volume band, the article's recommendation there, and where the cost model disagrees."""
    band = result.band
    text = (
        f"At {per_day(scenario.requests_per_day)} you are in the article's **{band['volume_label']} requests/day** band. "
        f"It recommends **{band['recommendation']}**: {band['why']}."
    )
    savings = result.summary.monthly_savings_usd
    if savings <= 0 and band["band"] >= 4:
        text += (
            f" With these prices the fine-tuned model costs {usd_per_month(-savings)} *more* to run than prompting, "
            "so token savings cannot justify fine-tuning here: only a quality gain could."
        )
    st.info(text, icon=":material/explore:")


def show_volume_chart(scenario: Scenario, result: VolumeAnalysis, option: Option) -> None:
    """Chart 1 and the crossover sentence."""
    spec = volume_spec(scenario, result, option)
    st.vega_lite_chart(spec, width="stretch", height=CHART_HEIGHT + 140, key="volume_chart")
    if not presenting():
        chart_downloads(spec, lambda: result.curves, "volume-chart", "volume_chart")
    cross = result.crossover
    if cross is None:
        st.markdown("**No crossover:** the fine-tuned model costs as much or more per request, so no volume pays back training.")
    else:
        side = "above" if scenario.requests_per_day >= cross.requests_per_day else "below"
        st.markdown(
            f"**Crossover at about {per_day(cross.requests_per_day)}** (training spread over {scenario.horizon_months} months): "
            f"above it fine-tuning costs less per month. You are {side} it."
        )


def show_cumulative(scenario: Scenario, result: VolumeAnalysis) -> None:
    """Chart 2: cumulative spend, training up front, breakeven marked."""
    spec = cumulative_spec(scenario, result)
    st.vega_lite_chart(spec, width="stretch", key="cumulative_chart")
    chart_downloads(spec, lambda: result.cumulative, "cumulative-chart", "cumulative_chart")
    breakeven = result.summary.breakeven_months
    if breakeven is not None and breakeven > scenario.horizon_months:
        st.caption(f"Breakeven ({months(breakeven)}) falls beyond the {scenario.horizon_months}-month horizon.")


def show_article_table() -> None:
    """The article's inference table beside both pricing modes, and its low-volume claim checked."""
    view = article_view()
    st.subheader("The article's inference table, recomputed")
    st.table(view.table, hide_index=True)
    st.markdown(
        "The article's savings are reproduced exactly by pricing only the removed example tokens at the fine-tuned input "
        "price ($0.30 per 1M for gpt-4o-mini) at 10,000 requests/day for 30 days. Full pricing also counts that the "
        "fine-tuned model charges twice the base price for the input it keeps and for every output token, so savings "
        f"shrink, and in {view.full_pricing_never} of the {len(view.table)} scenarios the fine-tuned model costs more each "
        "month. Breakeven uses the article's typical gpt-4o-mini training run of $15-75."
    )
    st.warning(
        f'**Correction.** The article says: "At 100 requests/day, breakeven extends to 6-18 months." By its own figures '
        f"(savings at 100/day are 1% of the 10K/day figures, training $15-75), breakeven at 100/day is "
        f"{view.low_volume_best:.0f} to {view.low_volume_worst:.0f} months, and never under full pricing in "
        f"{view.full_pricing_never} of the {len(view.table)} scenarios.",
        icon=":material/edit_note:",
    )


def show_sources(option: Option) -> None:
    """Where the selected option's numbers come from."""
    st.caption(
        f"Sources for {option['label']}: {option['source']} · as of {option['as_of']} · confidence: {option['confidence']}. "
        f"{option['notes'] or ''} Volume bands, typical training runs and the inference table: the seed article "
        "(undated, read 2026-11-28). Months are 30 days."
    )


scenario = scenario_sidebar("home", dt.date.today())
option = get_option(scenario.option, edited_options())
result = volume_analysis(scenario, edited_options())

st.title("Prompt engineering or fine-tuning?")
st.markdown(
    f"**{option['label']}** · **{per_day(scenario.requests_per_day)}** · {scenario.examples} few-shot examples x "
    f"{count(scenario.tokens_per_example)} tokens · {scenario.pricing} pricing"
    + (" · prompt caching on" if scenario.caching else "")
)


def show_exports(scenario: Scenario, result: VolumeAnalysis, option: Option) -> None:
    """Downloads for slides and the meeting notes; each file is built only when its button is clicked."""
    st.subheader("Decision brief")
    today = dt.date.today()
    link = share_link(st.context.url, st.query_params.to_dict())

    def brief():
        charts = [
            ("Monthly cost by daily volume", chart_image(volume_spec(scenario, result, option))),
            ("Cumulative cost", chart_image(cumulative_spec(scenario, result))),
        ]
        edited = edited_options() is not None
        eval_result = str(st.session_state.get("eval_result", "not yet measured"))
        return build_brief(scenario, result, option, charts, today, link, edited, eval_result)

    cols = st.columns(2)
    cols[0].download_button(
        "Decision brief (HTML)",
        lambda: brief_html(brief()).encode(),
        "decision-brief.html",
        "text/html",
        key="brief_html",
        on_click="ignore",
    )
    cols[1].download_button(
        "Decision brief (Markdown)",
        lambda: brief_markdown(brief()).encode(),
        "decision-brief.md",
        "text/markdown",
        key="brief_md",
        on_click="ignore",
    )


show_metrics(scenario, result, option)
show_band(scenario, result)
show_volume_chart(scenario, result, option)
if not presenting():
    show_cumulative(scenario, result)
    show_exports(scenario, result, option)
    show_article_table()
    show_sources(option)
