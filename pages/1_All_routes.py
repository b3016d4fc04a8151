"""All routes: every way to serve this workload today — prompting which model, or fine-tuning where — ranked by
monthly cost, and the cheapest route at each daily volume."""

import streamlit as st

from calc.costs.pair import summarize, volume_grid
from calc.costs.ranking import Envelope, PricedRoutes, cheapest_by_volume
from calc.costs.upfront import one_off_label
from calc.quality.route_quality import RouteQuality
from calc.scenario import Scenario
from calc.text.safe_text import plain_cells, plain_markdown
from calc.verdict.quality import report_for, route_qualities, scenario_results
from calc.verdict.ranked import SORTS, QualityRanking, error_cost_per_request, with_quality
from ui.analysis import VOLUME_HIGH, VOLUME_LOW, chart_bands, scenario_routes
from ui.assumptions import edited_options
from ui.binding import IN_LINK
from ui.charts import envelope_chart
from ui.clock import app_today
from ui.export import chart_downloads
from ui.format import count, per_day, usd, usd_per_month
from ui.object_memo import ObjectMemo
from ui.pair_view import page_pair, show_pair
from ui.present import presenting
from ui.price_status import prices_for_run, show_prices_in_force
from ui.routes_view import TABLE_COLUMNS, ranked_table, read_filters, segments_table, show_picked, show_table
from ui.sidebar import scenario_sidebar
from ui.verdict_view import eval_file_results, page_verdict, show_verdict

st.set_page_config(page_title="All routes", page_icon="🧭", layout="wide")
TOP_IN_CHART = 6
TOP_PRESENTING = 6


def show_answer(ranking: QualityRanking) -> None:
    """The cheapest way to serve the workload today, the cheapest prompting and fine-tuning routes, and the caveat."""
    cheapest, prompting = ranking.cheapest(), ranking.cheapest("prompt")
    tuning = ranking.cheapest("fine_tune") or ranking.cheapest("self_hosted")
    row = st.container(horizontal=True, gap="small")
    for label, entry in (("Cheapest route", cheapest), ("Cheapest prompting", prompting), ("Cheapest fine-tuning", tuning)):
        if entry is None:
            row.metric(label, "none usable")
            continue
        one_off = entry.priced.costs.one_off_usd
        row.metric(
            f"{label}: {plain_markdown(entry.route.label)}",
            usd_per_month(entry.monthly_usd),
            help=plain_markdown(
                f"{entry.route.label}: {usd(entry.priced.costs.request.usd)} per request x {per_day(ranking.requests_per_day)}"
                + (f" + {usd_per_month(entry.fixed_usd)} fixed" if entry.fixed_usd else "")
                + (f"; {usd(one_off)} one-off (training + the work before it)" if one_off else "")
                + "."
            ),
        )
    st.caption(
        "Cheapest by monthly cost. A different model is not the same quality: each route's quality below is measured "
        "(your eval), a cited prior, or unknown, and says which. Routes with an unpublished price are ranked by what "
        "is known and say so."
    )


def show_ranking(ranking: QualityRanking, scenario: Scenario, show_all: bool, chosen: list[str], same_family: bool,
                 meets: bool) -> None:  # fmt: skip
    """The ranked table, filtered (one click on a row's box makes that route half of the pair)."""
    family = next(row.route.family for row in ranking.rows if row.route.id == ranking.prompting_id) if same_family else None
    table = ranked_table(ranking, show_all, chosen, family, meets)
    hidden = len(ranking.rows) - len(table)
    st.markdown(
        f"**{len(table)} routes** at {per_day(scenario.requests_per_day)}, by {SORTS[ranking.sort]}"
        + (f" ({hidden} hidden by the filters)" if hidden else "")
        + ". Select a row's box to make that route half of the pair: prompting routes replace *Prompt with*, "
        "fine-tuning routes replace *Fine-tune*. Breakeven is one training run plus the work before it over the monthly "
        "saving against the pair's prompting model, at full prices: "
        + one_off_label(ranking.work())
        + ". *Added to first token*: the time the route's uncached input tokens add before the first token (prefill "
        "only, from dated measurements: see the sources below the table)."
    )
    show_table(table)
    show_picked()
    st.caption("**Latency.** " + plain_markdown(ranking.latency_text()))


def show_caveats(ranking: QualityRanking, show_all: bool) -> None:
    """Each shown route's status, quality, what its figures leave out, and its sources."""
    with st.expander("Status, quality, caveats and sources of every route", icon=":material/fact_check:"):
        for row in ranking.visible(show_all):
            quality = f"Quality: {row.quality.label}" if row.quality else "Quality: unknown"
            lines = [row.priced.status.sentence, quality, *row.priced.caveats, *(f"Source: {s}" for s in row.route.sources())]
            if row.priced.role and row.priced.latency is not None:
                lines += [f"Latency measurement: {s}" for s in row.priced.latency.sources]
            st.markdown(f"**{plain_markdown(row.route.label)}**\n" + "\n".join(f"- {plain_markdown(line)}" for line in lines))


def show_envelope(
    priced: PricedRoutes, scenario: Scenario, present: bool, qualities: dict[str, RouteQuality]
) -> Envelope:
    """The cheapest route at each daily volume (chart and ranges beside the article's bands), by monthly cost or, with
    an error cost set and asked for, by total cost with each route's wrong answers; returned for exports."""
    st.subheader("Cheapest route by daily volume")
    total = False
    if scenario.error_cost > 0 and not present:
        total = st.toggle(
            f"Add each route's wrong answers at {usd(scenario.error_cost)} each",
            key="routes_chart_total",
            help="Total cost: each route's monthly cost plus requests x (1 - its accuracy) x the cost of one wrong answer "
            "(its quality measured, or a cited prior). Routes of unknown quality are left out and named.",
            **IN_LINK,
        )
    extra = error_cost_per_request(qualities, scenario.error_cost) if total else None
    envelope = cheapest_by_volume(
        priced, volume_grid(VOLUME_LOW, VOLUME_HIGH), TOP_IN_CHART, scenario.requests_per_day, extra
    )
    if envelope.curves.empty:
        st.info("No usable route has every cost known: enter the missing training prices in the sidebar.")
        return envelope
    chart = envelope_chart(
        envelope.curves,
        chart_bands(),
        scenario.requests_per_day,
        f"{'Total' if total else 'Monthly'} cost by daily volume: the {len(envelope.curves['route'].unique())} routes "
        "that matter here",
    )
    st.altair_chart(chart, width="stretch")
    st.table(plain_cells(segments_table(envelope, VOLUME_LOW, VOLUME_HIGH), ["cheapest route today"]), hide_index=True)
    notes = [f"Training is spread over {scenario.horizon_months} months (the sidebar's horizon)."]
    if total:
        notes.append(f"Each route's wrong answers are added at {usd(scenario.error_cost)} each, at its mid accuracy.")
    if envelope.left_out:
        notes.append("Left out for an unknown cost: " + ", ".join(envelope.left_out) + ".")
    st.caption(plain_markdown(" ".join(notes)))
    if not present:
        chart_downloads(chart, lambda: envelope.curves, "cheapest-route-by-volume", "envelope_chart")
    return envelope


def _qualities(priced: PricedRoutes, digest: str) -> dict[str, RouteQuality]:
    report = report_for(scenario_results(priced.scenario, eval_file_results()))
    return route_qualities(priced, report)


#: Every route's quality, once per priced routes and eval (a slider move re-ranks; it does not re-derive them).
QUALITIES = ObjectMemo(_qualities)


today = app_today()
prices = prices_for_run()
scenario, pair = page_pair(scenario_sidebar("all_routes", today), today, prices.version)
present = presenting()
st.title("Every route, ranked")
show_prices_in_force(prices)
show_pair(pair)
verdict = page_verdict(scenario, pair, summarize(scenario, pair))
show_verdict(verdict, key="routes_verdict")
priced = scenario_routes(scenario, today, edited_options(), prices.version)
results = scenario_results(scenario, eval_file_results())
qualities = QUALITIES(priced, "none" if results is None else results.digest)
if present:
    ranking = with_quality(priced.at(scenario.requests_per_day), qualities, verdict)
    show_answer(ranking)
    table = ranked_table(ranking, False, [], None).head(TOP_PRESENTING)
    st.dataframe(table[TABLE_COLUMNS], hide_index=True, width="stretch")
else:
    show_all, chosen, same_family, sort, meets = read_filters()
    ranking = with_quality(priced.at(scenario.requests_per_day), qualities, verdict, sort)
    show_answer(ranking)
    show_ranking(ranking, scenario, show_all, chosen, same_family, meets)
    show_caveats(ranking, show_all)
show_envelope(priced, scenario, present, qualities)
if not present:
    st.caption(
        plain_markdown(
            f"Prices in force on {today.isoformat()}: prompting from the bundled genai-prices catalogue, fine-tuning from "
            f"the curated options (see Assumptions); {count(len(ranking.rows))} routes in all."
        )
    )
