"""The All routes page's pieces: the filters, the ranked table whose one click makes a route half of the pair, and
the cheapest route in each volume range beside the article's bands."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from calc.article.bands import band_spans
from calc.costs.ranking import ONE_OFF_COLUMN, TOKENS_COLUMN, TTFT_COLUMN, Envelope
from calc.inputs.querystring import PAGE_PARAMS
from calc.verdict.ranked import SORTS, QualityRanking, quality_table
from ui.binding import IN_LINK
from ui.format import count

#: Route ids of the table's rows as last drawn, so a selected row position names a route.
SHOWN_IDS_KEY = "_routes_shown_ids"
#: How many routes were picked so far: part of the table's key, so a pick starts a table with no selection.
PICKS_KEY = "_routes_picks"
PICKED_KEY = "_routes_picked"
TABLE_COLUMNS = ["rank", "route", "how", "in pair", "per month", "quality", "with wrong answers", "per right answer",
                 "fixed per month", ONE_OFF_COLUMN, "breakeven vs prompting", TTFT_COLUMN, TOKENS_COLUMN, "status",
                 "service", "price confidence", "same base model", "provider"]  # fmt: skip


def pair_update(route_id: str) -> dict[str, str]:
    """The session values that make `route_id` half of the pair: its prompting model or its fine-tuning option."""
    kind, _, ref = route_id.partition(":")
    if kind == "prompt":
        return {"prompt_model": ref}
    if kind == "fine_tune":
        return {"option": ref}
    raise ValueError(f"{route_id!r} is not a route that can be half of the pair")


def selected_row(selection: object, n_rows: int) -> int | None:
    """The one row position a table's selection state names, when it is a whole number below `n_rows`; None for
    anything else. The state comes from the client, which may send any JSON: ["a"], [0.5], [null], [true], [-1]."""
    rows = getattr(getattr(selection, "selection", None), "rows", None)
    if not isinstance(rows, list) or len(rows) != 1:
        return None
    row = rows[0]
    return row if type(row) is int and 0 <= row < n_rows else None


def _pick() -> None:
    """The table's selection callback: the selected row's route becomes half of the pair (and of the URL)."""
    shown = st.session_state.get(SHOWN_IDS_KEY, [])
    row = selected_row(st.session_state.get(table_key()), len(shown))
    if row is None:
        return
    try:
        update = pair_update(shown[row])
    except ValueError:
        return
    route_id = shown[row]
    for name, value in update.items():
        st.session_state[name] = value
    st.session_state[PICKS_KEY] = st.session_state.get(PICKS_KEY, 0) + 1
    st.session_state[PICKED_KEY] = route_id


def table_key() -> str:
    return f"routes_table_{st.session_state.get(PICKS_KEY, 0)}"


@dataclass(frozen=True)
class Filters:
    """What the All routes page shows: closed and shut-down routes, previews and training services, one provider, the
    prompting model's family only, the sort, and only routes that may meet the target (all in the link)."""

    show_all: bool
    providers: list[str]
    same_family: bool
    sort: str
    meets_target: bool
    show_previews: bool = False


def read_filters() -> Filters:
    """The page's filters, each bound to the link."""
    cols = st.columns([2, 2, 3, 2], vertical_alignment="bottom")
    hidden = "Hidden by default: a team starting today cannot use them."
    show_all = cols[0].toggle("Show closed and shut-down routes", key="routes_show_all", help=hidden, **IN_LINK)
    previews = cols[3].toggle(
        "Show previews and training services",
        key="routes_show_previews",
        help="Hidden by default: a preview (Fireworks' serverless LoRA) or a training service whose inference is for "
        "testing (Tinker) is not a production endpoint a team would serve users from. The service column says which "
        "kind each route is, with its source.",
        **IN_LINK,
    )
    providers = PAGE_PARAMS["routes_provider"].options()
    provider = cols[2].selectbox("Provider", providers, key="routes_provider", **IN_LINK)
    chosen = [] if provider == providers[0] else [provider]
    same_family = cols[1].toggle(
        "Same model family only", key="routes_same_family", help="Routes in the prompting model's family.", **IN_LINK
    )
    cols = st.columns([3, 2], vertical_alignment="bottom")
    sort_name = cols[0].selectbox(
        "Sort by",
        list(SORTS.values()),
        key="routes_sort",
        help="Total cost: monthly cost with each route's wrong answers a month (requests x (1 - accuracy) x the cost of "
        "one wrong answer, under Quality in the sidebar); cost per right answer divides the monthly cost by the right answers. "
        "Routes whose quality is unknown go last under both, marked.",
        **IN_LINK,
    )
    meets = cols[1].toggle(
        "Only routes that may meet the target",
        key="routes_meets_target",
        help="Leaves out routes whose accuracy misses the target accuracy (sidebar, Quality) or is unknown.",
        **IN_LINK,
    )
    sort = next(key for key, name in SORTS.items() if name == sort_name)
    return Filters(show_all, chosen, same_family, sort, meets, previews)


def ranked_table(
    ranking: QualityRanking,
    show_all: bool,
    providers: list[str],
    family: str | None,
    meets_target: bool = False,
    show_previews: bool = False,
) -> pd.DataFrame:
    """The ranking as the page's table, in its sort's order, filtered; the pair's two routes always stay."""
    table = quality_table(ranking.visible(show_all, meets_target, show_previews))
    keep = pd.Series(True, index=table.index)
    if providers:
        keep &= table["provider"].isin(providers)
    if family is not None:
        keep &= table["family"] == family
    keep |= table["in pair"] != ""
    return table[keep].reset_index(drop=True)


def show_table(table: pd.DataFrame, height: int | None = None) -> None:
    """The ranked routes; selecting a row's box makes that route half of the pair."""
    st.session_state[SHOWN_IDS_KEY] = table["id"].tolist()
    st.dataframe(
        table[TABLE_COLUMNS],
        hide_index=True,
        width="stretch",
        height=height or "auto",
        key=table_key(),
        on_select=_pick,
        selection_mode="single-row",
        column_config={"rank": st.column_config.NumberColumn("#", width="small")},
    )


def show_picked() -> None:
    """Say which route the last click made half of the pair."""
    picked = st.session_state.pop(PICKED_KEY, None)
    if picked:
        side = "prompting" if picked.startswith("prompt:") else "fine-tuning"
        st.success(f"The pair's {side} side is now {picked.partition(':')[2]} (and so is the link).", icon=":material/check:")


def segments_table(envelope: Envelope, low: float, high: float) -> pd.DataFrame:
    """The cheapest route in each volume range today, beside the article's bands that range falls in."""
    spans = band_spans(low, high)
    rows = []
    for segment in envelope.segments.itertuples(index=False):
        start, end = float(segment.from_requests_per_day), float(segment.to_requests_per_day)
        bands = spans[(spans["end"] > start) & (spans["start"] <= end)]
        article = "; ".join(f"{b.volume_label}: {b.recommendation}" for b in bands.itertuples(index=False))
        volumes = f"{count(start)} to {count(end)}"
        rows.append({"requests/day": volumes, "cheapest route today": segment.label, "the article's bands": article})
    return pd.DataFrame(rows)
