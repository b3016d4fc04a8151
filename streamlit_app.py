"""Home page: what prompting and fine-tuning cost at your volume, and when fine-tuning pays back."""

import datetime as dt
from dataclasses import replace

import streamlit as st

from calc.article.source import ARTICLE_CITATION
from calc.costs.pair import Pair
from calc.scenario import Scenario
from calc.text.brief import brief_html, brief_markdown
from calc.text.safe_text import plain_markdown
from ui.analysis import VolumeAnalysis, article_view, volume_analysis
from ui.assumptions import edited_options
from ui.chart_layout import CHART_HEIGHT
from ui.clock import app_today
from ui.export import build_brief, chart_downloads, chart_image
from ui.home_charts import cumulative_page_spec, cumulative_spec, volume_page_spec, volume_spec
from ui.pair_view import page_pair, show_pair
from ui.present import presenting, share_link
from ui.price_status import prices_for_run, show_prices_in_force
from ui.sidebar import remember_volume, scenario_sidebar, volume_slider
from ui.verdict_view import page_verdict, show_verdict
from ui.volume_texts import VolumeTexts, volume_texts

st.set_page_config(page_title="Prompt or fine-tune?", page_icon="⚖️", layout="wide")


def show_numbers(texts: VolumeTexts) -> None:
    """The five headline numbers (arithmetic and source on hover), the scenario line, and what they leave out."""
    row = st.container(horizontal=True, gap="small")
    for card in texts.cards:
        row.metric(card.label, card.value, help=card.help)
    st.caption(texts.summary)
    for warning in texts.warnings:
        st.warning(warning)
    for note in texts.notes:
        st.info(note)


def show_charts(scenario: Scenario, result: VolumeAnalysis, texts: VolumeTexts, present: bool) -> None:
    """The volume chart and, unless presenting, the cumulative chart."""
    st.vega_lite_chart(volume_page_spec(scenario, result), width="stretch", height=CHART_HEIGHT + 140, key="volume_chart")
    if present:
        return
    st.vega_lite_chart(cumulative_page_spec(scenario, result), width="stretch", key="cumulative_chart")
    if texts.cumulative_note:
        st.caption(texts.cumulative_note)


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
            f"Prompting prices: {pair.prompt.label} ({pair.prompt.ref}) from {pair.prompt.catalogue}, in force on "
            f"{pair.on.isoformat()} ({pair.prompt.source}). Fine-tuning: {option.label}: {option.source} · as of "
            f"{option.as_of} · confidence: {option.confidence}. {option.notes or ''} Volume bands, typical training runs "
            f"and the inference table: {ARTICLE_CITATION}. Months are 30 days."
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


def show_downloads(scenario: Scenario, result: VolumeAnalysis) -> None:
    """The brief as HTML and Markdown, and both charts with the numbers behind them."""
    link = share_link(st.context.url, st.query_params.to_dict())
    edited = edited_options() is not None
    verdict = page_verdict(scenario, result.pair, result.summary)

    def brief():
        charts = [
            ("Monthly cost by daily volume", chart_image(volume_spec(scenario, result))),
            ("Cumulative cost", chart_image(cumulative_spec(scenario, result))),
        ]
        return build_brief(scenario, result, charts, verdict, link, edited)

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
def volume_view(base: Scenario, today: dt.date, version: str) -> None:
    """The volume slider and everything that moves with it: a move reruns only this, not the sidebar.

    `version` is the price data the whole page was drawn with: a refresh shows on the next full run, never half-way.
    """
    requests_per_day = volume_slider(base.requests_per_day)
    remember_volume(requests_per_day)
    scenario = replace(base, requests_per_day=requests_per_day)
    result = volume_analysis(scenario, today, edited_options(), version)
    present = presenting()
    texts = volume_texts(scenario, result, present)
    show_verdict(page_verdict(scenario, result.pair, result.summary), texts.details)
    show_numbers(texts)
    show_charts(scenario, result, texts, present)
    if not present:
        show_exports(scenario, result)


today = app_today()
prices = prices_for_run()
scenario, pair = page_pair(scenario_sidebar("home", today, volume=False), today, prices.version)

st.title("Prompt engineering or fine-tuning?")
show_pair(pair)
show_prices_in_force(prices)
volume_view(scenario, today, prices.version)
if not presenting():
    show_article_table()
    show_sources(pair)
