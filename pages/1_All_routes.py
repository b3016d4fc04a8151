"""All routes: every way to serve this workload today — prompting which model, or fine-tuning where — ranked by
monthly cost, and the cheapest route at each daily volume."""

import streamlit as st

from calc.costs.pair import volume_grid
from calc.costs.ranking import DIFFERENT_MODEL_NOTE, Envelope, PricedRoutes, Ranking, cheapest_by_volume
from calc.costs.upfront import one_off_label
from calc.scenario import Scenario
from calc.text.safe_text import plain_cells, plain_markdown
from ui.analysis import VOLUME_HIGH, VOLUME_LOW, chart_bands, scenario_routes
from ui.assumptions import edited_options
from ui.charts import envelope_chart
from ui.clock import app_today
from ui.export import chart_downloads
from ui.format import count, per_day, usd, usd_per_month
from ui.pair_view import page_pair, show_pair
from ui.present import presenting
from ui.price_status import prices_for_run, show_prices_in_force
from ui.routes_view import TABLE_COLUMNS, ranked_table, read_filters, segments_table, show_picked, show_table
from ui.sidebar import scenario_sidebar

st.set_page_config(page_title="All routes", page_icon="🧭", layout="wide")
TOP_IN_CHART = 6
TOP_PRESENTING = 6


def show_answer(ranking: Ranking) -> None:
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
    st.caption(DIFFERENT_MODEL_NOTE + " Routes with an unpublished price are ranked by what is known and say so.")


def show_ranking(ranking: Ranking, scenario: Scenario) -> None:
    """The filters and the ranked table (one click on a row's box makes that route half of the pair)."""
    show_all, chosen, same_family = read_filters()
    family = next(row.route.family for row in ranking.rows if row.route.id == ranking.prompting_id) if same_family else None
    table = ranked_table(ranking, show_all, chosen, family)
    hidden = len(ranking.rows) - len(table)
    st.markdown(
        f"**{len(table)} routes** at {per_day(scenario.requests_per_day)}, cheapest first"
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


def show_caveats(ranking: Ranking, show_all: bool) -> None:
    """Each shown route's status, what its figures leave out, and its sources."""
    with st.expander("Status, caveats and sources of every route", icon=":material/fact_check:"):
        for row in ranking.visible(show_all):
            lines = [row.priced.status.sentence, *row.priced.caveats, *(f"Source: {s}" for s in row.route.sources())]
            if row.priced.role and row.priced.latency is not None:
                lines += [f"Latency measurement: {s}" for s in row.priced.latency.sources]
            st.markdown(f"**{plain_markdown(row.route.label)}**\n" + "\n".join(f"- {plain_markdown(line)}" for line in lines))


def show_envelope(priced: PricedRoutes, scenario: Scenario, present: bool) -> Envelope:
    """The cheapest route at each daily volume (chart and ranges beside the article's bands), returned for exports."""
    envelope = cheapest_by_volume(priced, volume_grid(VOLUME_LOW, VOLUME_HIGH), TOP_IN_CHART, scenario.requests_per_day)
    st.subheader("Cheapest route by daily volume")
    if envelope.curves.empty:
        st.info("No usable route has every cost known: enter the missing training prices in the sidebar.")
        return envelope
    chart = envelope_chart(
        envelope.curves,
        chart_bands(),
        scenario.requests_per_day,
        f"Monthly cost by daily volume: the {len(envelope.curves['route'].unique())} routes that matter here",
    )
    st.altair_chart(chart, width="stretch")
    st.table(plain_cells(segments_table(envelope, VOLUME_LOW, VOLUME_HIGH), ["cheapest route today"]), hide_index=True)
    notes = [f"Training is spread over {scenario.horizon_months} months (the sidebar's horizon)."]
    if envelope.left_out:
        notes.append("Left out for an unknown cost: " + ", ".join(envelope.left_out) + ".")
    st.caption(plain_markdown(" ".join(notes)))
    if not present:
        chart_downloads(chart, lambda: envelope.curves, "cheapest-route-by-volume", "envelope_chart")
    return envelope


today = app_today()
prices = prices_for_run()
scenario, pair = page_pair(scenario_sidebar("all_routes", today), today, prices.version)
present = presenting()
st.title("Every route, ranked")
show_prices_in_force(prices)
show_pair(pair)
priced = scenario_routes(scenario, today, edited_options(), prices.version)
ranking = priced.at(scenario.requests_per_day)
show_answer(ranking)
if present:
    table = ranked_table(ranking, False, [], None).head(TOP_PRESENTING)
    st.dataframe(table[TABLE_COLUMNS], hide_index=True, width="stretch")
else:
    show_ranking(ranking, scenario)
    show_caveats(ranking, bool(st.session_state.get("routes_show_all")))
show_envelope(priced, scenario, present)
if not present:
    st.caption(
        plain_markdown(
            f"Prices in force on {today.isoformat()}: prompting from the bundled genai-prices catalogue, fine-tuning from "
            f"the curated options (see Assumptions); {count(len(ranking.rows))} routes in all."
        )
    )
