"""Home page: what prompting and fine-tuning cost at your volume, and when fine-tuning pays back."""

import datetime as dt
from dataclasses import replace

import streamlit as st

from calc.brief import brief_html, brief_markdown
from calc.decision import EVAL_RESULTS
from calc.pair import Pair
from calc.prompt_models import CATALOGUE
from calc.safe_text import plain_markdown
from calc.scenario import Scenario
from ui.analysis import VolumeAnalysis, article_view, volume_analysis
from ui.assumptions import edited_options
from ui.chart_specs import CHART_HEIGHT
from ui.export import build_brief, chart_downloads, chart_image
from ui.format import breakeven_text, count, per_day, training_text, usd, usd_per_month, usd_per_month_short
from ui.home_charts import cumulative_spec, page_spec, volume_spec
from ui.pair_view import page_pair, show_pair
from ui.present import presenting, share_link
from ui.sidebar import remember_volume, scenario_sidebar, volume_slider

st.set_page_config(page_title="Prompt or fine-tune?", page_icon="⚖️", layout="wide")


def show_metrics(scenario: Scenario, result: VolumeAnalysis) -> None:
    """The five headline numbers, each with its arithmetic and source on hover."""
    summary, training, pair = result.summary, result.summary.training, result.pair
    option, prompt = pair.option, pair.prompt
    prompting, tuned = summary.prompting_request, summary.fine_tuned_request
    money = usd_per_month_short if presenting() else usd_per_month
    row = st.container(horizontal=True, gap="small")
    row.metric(
        "Prompting per month",
        money(summary.monthly_prompting_usd),
        help=plain_markdown(
            f"{prompt.label}: {usd(prompting.usd)} per request ({count(prompting.input_tokens)} input tokens, "
            f"{count(prompting.cached_tokens)} of them cached, + {count(prompting.output_tokens)} output) "
            f"x {per_day(scenario.requests_per_day)} x {scenario.days_per_month} days. Priced by {CATALOGUE} "
            f"on {pair.on.isoformat()} ({prompt.source})."
        ),
    )
    fixed = summary.hosting_monthly_usd
    hosting = f" + {usd_per_month(fixed)} fixed ({option.hosting_text()})" if fixed else ""
    if summary.serving_gpus is not None:
        hosting = (
            f" + {usd_per_month(fixed)} fixed ({summary.serving_gpus} x {option.serving_gpu} at "
            f"{usd(option.hosting_usd_per_hour or 0)}/hour, always on: sized for the peak, {scenario.peak_factor:g}x "
            f"the average traffic, from measured throughput; see the Self-hosted page)"
        )
    source = f"{option.source} (as of {option.as_of}, {option.confidence})"
    row.metric(
        "Fine-tuned per month",
        money(summary.monthly_fine_tuned_usd),
        help=plain_markdown(
            f"{option.label}: {usd(tuned.usd)} per request ({count(tuned.input_tokens)} input, "
            f"{count(tuned.cached_tokens)} cached, + {count(tuned.output_tokens)} output){hosting}. Prices: {source}."
        ),
    )
    other = "article convention" if scenario.pricing == "full" else "full pricing"
    row.metric(
        "Monthly savings" + (" (article)" if scenario.pricing == "article" else ""),
        money(summary.monthly_savings_usd),
        help="Prompting minus fine-tuned per month at real prices; negative when the fine-tuned model costs more to run."
        if scenario.pricing == "full"
        else "The article's convention: the removed example tokens at the fine-tuned input price. Prompting minus "
        f"fine-tuned at real prices is {usd_per_month(summary.real_savings_usd)}.",
    )
    if not training.price_known:
        basis = f"{option.label} publishes no training price: enter one under Training in the sidebar"
    elif training.gpu_hours is not None:
        basis = f"{training.gpu_hours:,.2f} GPU-hours x {usd(training.price_usd)}/GPU-hour"
    else:
        basis = f"{count(training.billed_tokens)} billed tokens x {usd(training.price_usd)} per 1M"
    spread = ""
    if training.minimum_applied:
        spread = f" The provider's minimum charge per job ({usd(option.min_job_usd or 0)}) applies."
    if training.cost_low_usd is not None and training.cost_high_usd is not None:
        spread += f" Source range: {usd(training.cost_low_usd)} to {usd(training.cost_high_usd)}."
    row.metric(
        "Training cost (one run)",
        training_text(training),
        help=plain_markdown(f"{basis}; {training.epochs} epochs ({training.epochs_rule}).{spread} {source}"),
    )
    row.metric(
        "Breakeven",
        breakeven_text(summary),
        help="Training cost / monthly savings. 'never' when fine-tuning saves nothing per month.",
    )
    st.caption(
        f"Monthly savings under the {other}: **{usd_per_month(result.other_mode.monthly_savings_usd)}**."
        + ("" if presenting() else " Switch with *Pricing* in the sidebar.")
    )
    show_option_warnings(scenario, result)


def show_option_warnings(scenario: Scenario, result: VolumeAnalysis) -> None:
    """What the numbers leave out or cannot promise for this option."""
    training, option = result.summary.training, result.pair.option
    if not training.meets_minimum:
        st.warning(
            plain_markdown(
                f"{option.label} needs at least {training.min_examples} training examples; "
                f"the scenario has {count(scenario.training_examples)}."
            )
        )
    if option.hourly_rate_missing:
        st.warning(
            plain_markdown(
                f"{option.label} bills its serving hardware by the hour ({option.hosting_text()}): the fine-tuned cost "
                "shown leaves it out and is a lower bound."
            )
        )
    if option.confidence == "unverified":
        st.warning(plain_markdown(f"{option.label}: prices are unverified. {option.notes or ''}"))
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
    text += batch_sentence(scenario, result)
    st.info(text, icon=":material/explore:")


def batch_sentence(scenario: Scenario, result: VolumeAnalysis) -> str:
    """Batch as the other lever: whether sending the traffic that can wait through a batch API beats fine-tuning."""
    now, before, batched = result.summary, result.unbatched, result.all_batched
    tuned = now.monthly_fine_tuned_usd
    if scenario.batch_pct and before.monthly_prompting_usd > tuned >= now.monthly_prompting_usd:
        return (
            f" **Batch wins here:** sending {scenario.batch_pct}% of the traffic through a batch API brings prompting to "
            f"{usd_per_month(now.monthly_prompting_usd)}, below the fine-tuned {usd_per_month(tuned)}: for "
            "latency-tolerant work it is the cheaper lever."
        )
    all_waiting = batched.monthly_prompting_usd
    if now.monthly_prompting_usd > tuned > all_waiting:
        return (
            f" If the traffic can wait, a batch API would bring prompting to {usd_per_month(all_waiting)}, below the "
            f"fine-tuned {usd_per_month(tuned)}: a cheaper lever than fine-tuning (set the share in the sidebar)."
        )
    return ""


def show_volume_chart(scenario: Scenario, result: VolumeAnalysis) -> None:
    """Chart 1 and the crossover sentence."""
    spec = page_spec(volume_spec(scenario, result))
    st.vega_lite_chart(spec, width="stretch", height=CHART_HEIGHT + 140, key="volume_chart")
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
    spec = page_spec(cumulative_spec(scenario, result))
    st.vega_lite_chart(spec, width="stretch", key="cumulative_chart")
    breakeven = result.summary.breakeven_months
    if breakeven is not None and breakeven > scenario.horizon_months:
        st.caption(f"Breakeven ({breakeven_text(result.summary)}) falls beyond the {scenario.horizon_months}-month horizon.")


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


def show_sources(pair: Pair) -> None:
    """Where the pair's numbers come from."""
    option = pair.option
    st.caption(
        plain_markdown(
            f"Prompting prices: {pair.prompt.label} ({pair.prompt.ref}) from {CATALOGUE}, in force on "
            f"{pair.on.isoformat()} ({pair.prompt.source}). Fine-tuning: {option.label}: {option.source} · as of "
            f"{option.as_of} · confidence: {option.confidence}. {option.notes or ''} Volume bands, typical training runs "
            "and the inference table: the seed article (undated, read 2026-11-28). Months are 30 days."
        )
    )


def show_exports(scenario: Scenario, result: VolumeAnalysis) -> None:
    """Downloads for slides and the meeting notes, behind one expander whose buttons exist only while it is open.

    Eight download buttons re-sent on every slider move cost about a third of a move's server time, so they are
    drawn only when asked for; each file is built only when its button is clicked. What the brief needs from the
    session (edited prices, the eval answer, the link) is read here, while the page runs: the download callback
    runs where session state reads as empty.
    """
    box = st.expander(
        "Downloads: decision brief, charts (PNG, SVG) and their data (CSV)",
        icon=":material/download:",
        key="downloads_open",
        on_change="rerun",
    )
    if not box.open:
        return
    with box:
        show_downloads(scenario, result)


def current_eval_result() -> str:
    """The eval answer the Quality page shows: this session's choice there, else the link's, else not yet measured."""
    for value in (st.session_state.get("eval_result"), st.query_params.get("eval_result")):
        if value in EVAL_RESULTS:
            return str(value)
    return EVAL_RESULTS[0]


def show_downloads(scenario: Scenario, result: VolumeAnalysis) -> None:
    """The brief as HTML and Markdown, and both charts with the numbers behind them."""
    link = share_link(st.context.url, st.query_params.to_dict())
    edited = edited_options() is not None
    eval_result = current_eval_result()

    def brief():
        charts = [
            ("Monthly cost by daily volume", chart_image(volume_spec(scenario, result))),
            ("Cumulative cost", chart_image(cumulative_spec(scenario, result))),
        ]
        return build_brief(scenario, result, charts, link, edited, eval_result)

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
    st.caption("Monthly cost by daily volume")
    chart_downloads(volume_spec(scenario, result), lambda: result.curves, "volume-chart", "volume_chart")
    st.caption("Cumulative cost")
    chart_downloads(cumulative_spec(scenario, result), lambda: result.cumulative, "cumulative-chart", "cumulative_chart")


@st.fragment
def volume_view(base: Scenario, today: dt.date) -> None:
    """The volume slider and everything that moves with it: a move reruns only this, not the sidebar."""
    requests_per_day = volume_slider(base.requests_per_day)
    remember_volume(requests_per_day)
    scenario = replace(base, requests_per_day=requests_per_day)
    result = volume_analysis(scenario, today, edited_options())
    st.caption(
        f"{per_day(scenario.requests_per_day)} · {scenario.examples} few-shot examples x "
        f"{count(scenario.tokens_per_example)} tokens · {scenario.pricing} pricing"
        + (" · prompt caching on" if scenario.caching else "")
        + (f" · {scenario.batch_pct}% batched" if scenario.batch_pct else "")
    )
    show_metrics(scenario, result)
    show_band(scenario, result)
    show_volume_chart(scenario, result)
    if not presenting():
        show_cumulative(scenario, result)
        show_exports(scenario, result)


today = dt.date.today()
scenario, pair = page_pair(scenario_sidebar("home", today, volume=False), today)

st.title("Prompt engineering or fine-tuning?")
show_pair(pair)
volume_view(scenario, today)
if not presenting():
    show_article_table()
    show_sources(pair)
