"""Every route for a scenario on a date, ranked by monthly cost, and the cheapest route at each daily volume.

Routes are priced once per workload shape (`price_routes`: per-request cost, fee, training are independent of the
volume); ranking at a volume and the envelope over a volume grid are then arithmetic, fast enough for every move of
a volume slider.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from calc.catalogue.options import records_for
from calc.catalogue.prompt_models import base_prompt_ref, provider_names, recommended_refs, resolve_prompt_model
from calc.catalogue.status import Status
from calc.costs.latency import RouteLatency, latency_sentence, route_latency
from calc.costs.pair import breakeven_months, check_volumes, resolve_pair
from calc.costs.routes import OFFERED_KINDS, SERVICE_LABELS, FineTuneRoute, PromptRoute, Route, RouteCosts, cost_caveats
from calc.costs.upfront import NO_WORK, UpfrontWork, one_off_label, upfront_work
from calc.costs.workload import scenario_workload
from calc.scenario import Scenario
from calc.text.formatting import months, usd, usd_per_month
from calc.tokenizers.convert import ratio_text

ONE_OFF_COLUMN = "one-off (training + work)"
#: The ratio a route converts the scenario's o200k_base token counts by (its own tokens per o200k_base token).
TOKENS_COLUMN = "tokens per o200k token"
TTFT_COLUMN = "added to first token"
KIND_LABELS = {"prompt": "prompting", "fine_tune": "fine-tuning", "self_hosted": "fine-tune on own GPUs"}
DIFFERENT_MODEL_NOTE = "A different model is not the same quality: measure it on your eval set before switching."


@dataclass(frozen=True)
class PricedRoute:
    """A route, its costs for the scenario's workload, its status on the date, and what its figures leave out."""

    route: Route
    costs: RouteCosts
    status: Status
    caveats: tuple[str, ...]
    role: str | None  # "prompting" or "fine-tuning" when the route is half of the scenario's pair
    latency: RouteLatency | None = None  # what the request's tokens add to the first token (calc/costs/latency.py)
    token_conversion: str = ""  # the ratio the route converts the scenario's o200k_base counts by ("" for own GPUs)

    @property
    def usable(self) -> bool:
        """True when a team starting on the date can use the route."""
        return self.status.usable_by_new_customer

    @property
    def offered(self) -> bool:
        """True when the route serves production traffic (a production endpoint or your own GPUs), not a preview or a
        training-only service: what a ranking shows by default."""
        return self.route.service_kind in OFFERED_KINDS

    def shown(self, show_unusable: bool = False, show_previews: bool = False) -> bool:
        """Whether a ranking shows the route: usable and offered unless asked otherwise; the pair's own always."""
        if self.role:
            return True
        return (show_unusable or self.usable) and (show_previews or self.offered)


@dataclass(frozen=True)
class PricedRoutes:
    """Every route of a scenario priced once, volume-independent; `at` ranks them at a daily volume."""

    scenario: Scenario
    on: dt.date
    routes: tuple[PricedRoute, ...]
    prompting_id: str
    fine_tuning_id: str
    same_base_ref: str | None  # the pair's prompting model, for "same base model" marks on fine-tuning routes

    def route(self, route_id: str) -> PricedRoute:
        """The priced route `route_id`; KeyError if the scenario has none by that id."""
        return next(r for r in self.routes if r.route.id == route_id)

    def at(self, requests_per_day: float) -> Ranking:
        """The routes ranked by monthly cost at `requests_per_day` (cheapest first)."""
        return rank_at(self, requests_per_day)


ALL_PROVIDERS = "All providers"


def route_providers() -> tuple[str, ...]:
    """The providers a ranking's routes come from (the provider filter's options, first "All providers"): every
    fine-tuning option's provider in the table in force and each recommended prompting model's."""
    names = provider_names()
    providers = {option.provider for option in records_for(None).values()}
    providers |= {names.get(ref.partition(":")[0], ref.partition(":")[0]) for ref in recommended_refs()}
    return (ALL_PROVIDERS, *sorted(providers, key=str.lower))


def route_set(
    scenario: Scenario, on: dt.date, options: pd.DataFrame | None = None, version: str | None = None
) -> tuple[Route, ...]:
    """The routes a ranking covers: the recommended prompting models, the pair's prompting model, and every
    fine-tuning option (managed and on your own GPUs) in the price table in force (prices of `version`)."""
    pair = resolve_pair(scenario, options, on, version)
    refs = list(dict.fromkeys([pair.prompt.ref, *recommended_refs()]))
    prompting: list[Route] = [pair.prompting]
    for ref in refs[1:]:
        try:
            prompting.append(PromptRoute(resolve_prompt_model(ref, on, version)))
        except ValueError:
            continue  # a recommended model the catalogue in force does not price
    tuning: list[Route] = [FineTuneRoute(option) for option in records_for(options).values()]
    return (*prompting, *tuning)


def price_routes(
    scenario: Scenario, on: dt.date, options: pd.DataFrame | None = None, version: str | None = None
) -> PricedRoutes:
    """Every route priced for the scenario's workload on `on` (ValueError when the scenario's pair is unknown)."""
    pair = resolve_pair(scenario, options, on, version)
    workload = scenario_workload(scenario)
    work = upfront_work(scenario, workload, pair.teacher)  # the same work before training for every fine-tuning route
    priced = []
    for route in route_set(scenario, on, options, version):
        role = "prompting" if route.id == pair.prompting.id else "fine-tuning" if route.id == pair.fine_tuning.id else None
        if isinstance(route, FineTuneRoute):
            costs = route.costs(scenario, workload, pair.teacher, work)
        else:
            costs = route.costs(scenario, workload)
        latency = route_latency(route, workload, costs.request)
        caveats = cost_caveats(route, costs, scenario, workload)
        conversion = _token_text(route, scenario.content_kind)
        priced.append(PricedRoute(route, costs, route.status(on), caveats, role, latency, conversion))
    return PricedRoutes(scenario, on, tuple(priced), pair.prompting.id, pair.fine_tuning.id, pair.prompt.ref)


@dataclass(frozen=True)
class RankedRoute:
    """One row of the ranking: a priced route's monthly cost at the volume and how it compares with the pair's
    prompting route."""

    priced: PricedRoute
    monthly_usd: float
    fixed_usd: float
    saving_vs_prompting_usd: float
    breakeven_months: float | None
    breakeven_text: str
    same_base_model: bool
    ttft_mark: str = ""  # "misses" or "may miss" the scenario's latency target ("" otherwise or without one)

    @property
    def route(self) -> Route:
        return self.priced.route

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values, caveats and sources included."""
        route, costs, status = self.priced.route, self.priced.costs, self.priced.status
        training = costs.training
        return {
            "id": route.id,
            "kind": route.kind,
            "label": route.label,
            "provider": route.provider,
            "service_kind": route.service_kind,
            "service_kind_source": route.service_kind_source,
            "price_confidence": route.price_confidence,
            "unverified_figures": route.unverified_figures,
            "family": route.family,
            "role": self.priced.role,
            "monthly_usd": self.monthly_usd,
            "per_request_usd": costs.request.usd,
            "cache_hit_pct": costs.request.cache_hit_pct if costs.request.cached_tokens else None,
            "token_conversion": self.priced.token_conversion or None,
            "fixed_monthly_usd": self.fixed_usd,
            "one_off_usd": None if training is None or not costs.one_off_known else costs.one_off_usd,
            "training_usd": None if training is None or not training.price_known else training.cost_usd,
            "work_before_training_usd": None if costs.work is None else costs.work.total_usd,
            "one_off_known": costs.one_off_known,
            "saving_vs_prompting_usd": self.saving_vs_prompting_usd,
            "breakeven_months": self.breakeven_months,
            "breakeven_text": self.breakeven_text,
            "same_base_model": self.same_base_model,
            "usable": self.priced.usable,
            "status": {"state": status.state, "headline": status.headline, "sentence": status.sentence},
            "successor": route.successor,
            "added_ttft_ms": _latency_dict(self.priced.latency),
            "ttft_target": self.ttft_mark,
            "caveats": list(self.priced.caveats),
            "sources": list(route.sources()),
        }


@dataclass(frozen=True)
class Ranking:
    """The ranked routes at one volume (cheapest first), with the scenario, date and the pair's two route ids."""

    scenario: Scenario
    on: dt.date
    requests_per_day: float
    rows: tuple[RankedRoute, ...]
    prompting_id: str
    fine_tuning_id: str

    def visible(self, show_unusable: bool = False, show_previews: bool = False) -> tuple[RankedRoute, ...]:
        """The rows to show: usable routes serving production traffic unless `show_unusable` (closed and shut-down
        routes too) or `show_previews` (previews and training-only services too); the pair's own two always."""
        return tuple(r for r in self.rows if r.priced.shown(show_unusable, show_previews))

    def cheapest(self, kind: str | None = None, include_previews: bool = False) -> RankedRoute | None:
        """The cheapest usable route with complete costs (of one kind, if given), among production ones unless
        `include_previews`."""
        return next(
            (
                r
                for r in self.rows
                if r.priced.usable and r.priced.costs.complete and kind in (None, r.route.kind)
                and (include_previews or r.priced.offered)
            ),
            None,
        )

    def pair_row(self, role: str) -> RankedRoute:
        """The pair's "prompting" or "fine-tuning" row."""
        route_id = self.prompting_id if role == "prompting" else self.fine_tuning_id
        return next(r for r in self.rows if r.route.id == route_id)

    def work(self) -> UpfrontWork:
        """The work before training every fine-tuning route's one-off counts (priced with the pair's teacher)."""
        return self.pair_row("fine-tuning").priced.costs.work or NO_WORK

    def latency_text(self) -> str:
        """The pair's latency in words (calc/costs/latency.py latency_sentence)."""
        prompting, tuned = self.pair_row("prompting").priced.latency, self.pair_row("fine-tuning").priced.latency
        assert prompting is not None
        return latency_sentence(prompting, tuned, self.scenario.ttft_target_ms)

    def to_dict(self, show_unusable: bool = False, show_previews: bool = False) -> dict[str, Any]:
        """The ranking as JSON-ready values (routes as `visible` shows them)."""
        cheapest = self.cheapest(include_previews=show_previews)
        return {
            "on": self.on.isoformat(),
            "requests_per_day": self.requests_per_day,
            "prompting_route": self.prompting_id,
            "fine_tuning_route": self.fine_tuning_id,
            "cheapest_route": None if cheapest is None else cheapest.route.id,
            "note": DIFFERENT_MODEL_NOTE,
            "breakeven_counts": one_off_label(self.work()),
            "latency": self.latency_text(),
            "content_kind": self.scenario.content_kind,
            "previews_shown": show_previews,
            "routes": [row.to_dict() for row in self.visible(show_unusable, show_previews)],
        }


def rank_at(priced: PricedRoutes, requests_per_day: float) -> Ranking:
    """Rank priced routes at one daily volume: monthly cost (requests + fee at that volume), cheapest first; ties and
    keep a stable order; a route whose hourly fee is not published (its cost a lower bound) goes last."""
    volume = float(check_volumes(np.array([requests_per_day]))[0])
    prompting = priced.route(priced.prompting_id)
    baseline = prompting.costs.monthly_at(volume)
    rows = []
    for entry in priced.routes:
        monthly = entry.costs.monthly_at(volume)
        saving = baseline - monthly
        breakeven, text = _breakeven(entry, saving, priced.scenario.pricing)
        same = isinstance(entry.route, FineTuneRoute) and base_prompt_ref(entry.route.option) == priced.same_base_ref
        mark = "" if entry.latency is None else entry.latency.target_mark(priced.scenario.ttft_target_ms)
        rows.append(RankedRoute(entry, monthly, entry.costs.fee.at(volume), saving, breakeven, text, same, mark))
    rows.sort(key=lambda r: (r.priced.costs.fee.rate_missing, r.monthly_usd))
    return Ranking(priced.scenario, priced.on, volume, tuple(rows), priced.prompting_id, priced.fine_tuning_id)


def _breakeven(entry: PricedRoute, saving: float, pricing: str) -> tuple[float | None, str]:
    """Breakeven of a fine-tuning route against the pair's prompting route at full prices, in months and words."""
    costs = entry.costs
    if costs.training is None:
        return None, "—"
    if entry.status.state in ("shut_down", "no_new_jobs"):
        return None, f"not usable ({entry.status.headline})"
    if costs.training.not_possible:
        return None, costs.training.not_possible
    if not costs.one_off_known:
        return None, "unknown: no training hours" if costs.training.hours_missing else "unknown: no training price"
    value = breakeven_months(costs.one_off_usd, saving)
    if value is None:
        return None, "never"
    return value, "immediately" if value == 0 else months(value)


def confidence_cell(confidence: str, unverified: str | None) -> str:
    """A route's price confidence, naming the figures no copy confirms: "unverified: training $2.00 per 1M ..."."""
    return f"{confidence}: {unverified}" if unverified else confidence


def _ttft_cell(row: RankedRoute) -> str:
    """The time the route's uncached input tokens add to the first token, marked when it misses the target."""
    latency = row.priced.latency
    if latency is None:
        return "—"
    return latency.added_ttft.text() + (f" ({row.ttft_mark} target)" if row.ttft_mark else "")


def _latency_dict(latency: RouteLatency | None) -> dict[str, float] | None:
    """The added time to first token as JSON-ready numbers."""
    if latency is None:
        return None
    ttft = latency.added_ttft
    return {"low": ttft.low, "high": ttft.high, "uncached_input_tokens": latency.uncached_tokens}


def cheapest_at(
    priced: PricedRoutes, requests_per_day: float, kind: str | None = None, include_previews: bool = False
) -> tuple[PricedRoute, float] | None:
    """The cheapest usable route with complete costs at one daily volume (of one kind, if given; production routes
    unless `include_previews`), and its monthly cost; lighter than a full ranking, for a headline that moves with a
    slider."""
    best: tuple[PricedRoute, float] | None = None
    for entry in priced.routes:
        if entry.usable and entry.costs.complete and kind in (None, entry.route.kind) and (include_previews or entry.offered):
            monthly = entry.costs.monthly_at(requests_per_day)
            if best is None or monthly < best[1]:
                best = (entry, monthly)
    return best


def rankings_table(ranking: Ranking, show_unusable: bool = False, show_previews: bool = False) -> pd.DataFrame:
    """The ranking as the page's table: one row per route, money formatted, the pair's routes marked."""
    return routes_table(ranking.visible(show_unusable, show_previews))


def routes_table(ranked: Sequence[RankedRoute]) -> pd.DataFrame:
    """Ranked routes as a table in the order given (rank = position): money formatted, the pair's routes marked."""
    rows = []
    for rank, row in enumerate(ranked, start=1):
        route, costs, status = row.route, row.priced.costs, row.priced.status
        training = costs.training
        one_off = "—"
        if training is not None:
            one_off = training.not_possible or (usd(costs.one_off_usd) if costs.one_off_known else "not published")
        rows.append(
            {
                "rank": rank,
                "route": route.label,
                "how": KIND_LABELS[route.kind],
                "in pair": {"prompting": "prompting side", "fine-tuning": "fine-tuning side"}.get(row.priced.role or "", ""),
                "per month": usd_per_month(row.monthly_usd) + ("" if costs.complete else " (lower bound)"),
                "fixed per month": usd_per_month(row.fixed_usd) if row.fixed_usd else "—",
                ONE_OFF_COLUMN: one_off,
                "breakeven vs prompting": row.breakeven_text,
                TTFT_COLUMN: _ttft_cell(row),
                "status": status.headline,
                "service": SERVICE_LABELS[route.service_kind],
                "price confidence": confidence_cell(route.price_confidence, route.unverified_figures),
                "same base model": "yes" if row.same_base_model else "",
                "provider": route.provider,
                "family": route.family,
                TOKENS_COLUMN: row.priced.token_conversion or "—",
                "id": route.id,
            }
        )
    return pd.DataFrame(rows)


def _token_model(route: Route) -> str | None:
    """The model whose tokens a route bills (None: self-hosted GPUs, billed by the hour)."""
    if isinstance(route, PromptRoute):
        return route.model.model_id
    return getattr(route, "token_model", None)


def _token_text(route: Route, kind: str) -> str:
    """How the route converts the scenario's o200k_base tokens to its own (calc/tokenizers/convert.py); "" for own GPUs."""
    model = _token_model(route)
    return "" if model is None else ratio_text(model, kind)


@dataclass(frozen=True)
class Envelope:
    """Monthly cost by daily volume for the top routes (`curves`, long form) and which route is cheapest in each
    volume range (`segments`: route, label, from, to), one-off costs spread over the horizon."""

    curves: pd.DataFrame
    segments: pd.DataFrame
    left_out: tuple[str, ...]  # routes left out of the envelope because a cost of theirs is unknown


def cheapest_by_volume(
    priced: PricedRoutes,
    volumes: np.ndarray,
    top: int = 6,
    focus: float | None = None,
    per_request_extra: Mapping[str, float] | None = None,
    include_previews: bool = False,
) -> Envelope:
    """The cheapest usable route at each volume of `volumes` (one-off spread over the scenario's horizon), and the
    curves of the routes that are cheapest somewhere plus the `top` cheapest at `focus` (default: the scenario's
    volume). Routes with an unknown cost are left out of the envelope and named.

    `per_request_extra` (route id -> dollars per request, e.g. its expected wrong answers at the error cost) draws
    total cost instead: a route without an entry is left out as of unknown cost. Previews and training-only services
    are left out unless `include_previews`, as the ranking hides them."""
    volumes = check_volumes(volumes)
    horizon = priced.scenario.horizon_months
    extra = per_request_extra
    offered = [r for r in priced.routes if r.usable and (include_previews or r.offered)]
    known = [r for r in offered if r.costs.complete and (extra is None or r.route.id in extra)]
    candidates = known
    left_out = tuple(r.route.label for r in offered if r not in known)
    if not candidates:
        empty = pd.DataFrame(columns=["requests_per_day", "route", "label", "monthly_cost_usd", "cheapest"])
        return Envelope(empty, pd.DataFrame(columns=["route", "label", "from_requests_per_day", "to_requests_per_day"]),
                        left_out)  # fmt: skip
    days = priced.scenario.days_per_month
    added = np.array([0.0 if extra is None else extra[r.route.id] for r in candidates])
    costs = np.vstack([r.costs.monthly_usd(volumes) + r.costs.one_off_usd / horizon for r in candidates])
    costs = costs + np.outer(added, volumes * days)
    best = np.argmin(costs, axis=0)
    at = priced.scenario.requests_per_day if focus is None else focus
    at_focus = np.array([r.costs.monthly_at(at) + r.costs.one_off_usd / horizon for r in candidates]) + added * at * days
    shown = list(dict.fromkeys([*best.tolist(), *np.argsort(at_focus, kind="stable")[:top].tolist()]))
    curves = pd.DataFrame(
        {
            "requests_per_day": np.tile(volumes, len(shown)),
            "route": np.repeat([candidates[i].route.id for i in shown], volumes.size),
            "label": np.repeat([candidates[i].route.label for i in shown], volumes.size),
            "monthly_cost_usd": np.concatenate([costs[i] for i in shown]),
            "cheapest": np.concatenate([best == i for i in shown]),
        }
    )
    return Envelope(curves, _segments(best, volumes, candidates), left_out)


def _segments(best: np.ndarray, volumes: np.ndarray, candidates: list[PricedRoute]) -> pd.DataFrame:
    """Runs of the same cheapest route along the volume grid: (route id, label, from volume, to volume)."""
    starts = np.flatnonzero(np.r_[True, best[1:] != best[:-1]])
    ends = np.r_[starts[1:] - 1, best.size - 1]
    return pd.DataFrame(
        {
            "route": [candidates[best[s]].route.id for s in starts],
            "label": [candidates[best[s]].route.label for s in starts],
            "from_requests_per_day": volumes[starts],
            "to_requests_per_day": volumes[ends],
        }
    )


def routes(scenario: Scenario, on: dt.date, options: pd.DataFrame | None = None) -> Ranking:
    """Every route for the scenario on `on`, ranked by monthly cost at its volume (cheapest first).

    >>> ranking = routes(Scenario(), dt.date(2026, 12, 3))
    >>> nova = next(r for r in ranking.rows if r.route.id == "fine_tune:bedrock-nova-micro")
    >>> usd_per_month(nova.monthly_usd), nova.priced.usable
    ('$6.15/mo', True)
    >>> ranking.cheapest().route.id
    'fine_tune:bedrock-nova-micro'
    """
    return price_routes(replace(scenario), on, options).at(scenario.requests_per_day)
