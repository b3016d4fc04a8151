"""The ranking with quality beside cost: each route's accuracy (measured, prior or unknown), what its wrong answers
cost a month at the scenario's error cost, its total, its cost per right answer, whether it meets the target, and the
pair's verdict — sorted by monthly cost, total cost or cost per right answer.

Qualities are computed once per scenario and eval (`route_qualities`); ranking at a volume is arithmetic, so the
All routes page re-ranks on every slider move (bench/routes.py: quality-aware vs cost-only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from calc.costs.ranking import RankedRoute, Ranking, routes_table
from calc.quality.route_quality import RouteQuality
from calc.text.formatting import usd, usd_per_month
from calc.verdict.verdict import Verdict

#: Sort id (the command line's) -> its name (the page's picker and link).
SORTS = {"monthly": "monthly cost", "total": "total cost", "per_right": "cost per right answer"}


@dataclass(frozen=True)
class QualityRow(RankedRoute):
    """A ranked route with its quality, the monthly cost of its wrong answers (low, mid, high), and its cost per right
    answer (None where its quality is unknown)."""

    quality: RouteQuality | None = None
    errors_usd: tuple[float, float, float] | None = None
    per_right_answer_usd: float | None = None
    meets_target: bool | None = None

    @property
    def ranked(self) -> RankedRoute:
        """The row as the cost ranking has it."""
        return self

    @property
    def total_usd(self) -> float:
        """Monthly cost plus the mid estimate of its wrong answers (monthly cost alone where those are unknown)."""
        return self.monthly_usd + (self.errors_usd[1] if self.errors_usd else 0.0)

    def total_range(self) -> tuple[float, float] | None:
        """Low and high total a month from the accuracy's interval; None where the quality or error cost is unknown."""
        if self.errors_usd is None:
            return None
        return self.monthly_usd + self.errors_usd[0], self.monthly_usd + self.errors_usd[2]

    def to_dict(self) -> dict[str, Any]:
        """The cost ranking's row with the quality columns, as JSON-ready values."""
        q = self.quality
        assert q is not None
        errors = self.errors_usd
        return {
            **super().to_dict(),
            "quality": {"source": q.source, "low": q.low, "accuracy": q.mid, "high": q.high, "label": q.label, "n": q.n},
            "error_cost_usd": None if errors is None else {"low": errors[0], "mid": errors[1], "high": errors[2]},
            "total_monthly_usd": self.total_usd if errors is not None else None,
            "per_right_answer_usd": self.per_right_answer_usd,
            "meets_target": self.meets_target,
        }


@dataclass(frozen=True)
class QualityRanking(Ranking):
    """The cost ranking at a volume with quality per route, in the chosen order, and the pair's verdict."""

    sort: str = "monthly"  # rows (QualityRow each) are in this order
    verdict: Verdict | None = None

    def visible(
        self, show_unusable: bool = False, meets_target_only: bool = False, show_previews: bool = False
    ) -> tuple[QualityRow, ...]:
        """Rows to show: usable production ones unless `show_unusable` or `show_previews` (PricedRoute.shown), those that
        may meet the target if asked (the pair's own two are always shown)."""
        shown = []
        for row in self._quality_rows():
            pair = bool(row.priced.role)
            if not row.priced.shown(show_unusable, show_previews):
                continue
            quality = row.quality
            assert quality is not None
            if meets_target_only and not pair and not (quality.known and row.meets_target is not False):
                continue
            shown.append(row)
        return tuple(shown)

    def cheapest(self, kind: str | None = None, include_previews: bool = False) -> QualityRow | None:
        """The cheapest usable route with complete costs by monthly cost, whatever the sort (of one kind, if given;
        production routes unless `include_previews`)."""
        rows = self._quality_rows()
        usable = [
            r
            for r in rows
            if r.priced.usable and r.priced.costs.complete and kind in (None, r.route.kind)
            and (include_previews or r.priced.offered)
        ]
        return min(usable, key=lambda r: r.monthly_usd, default=None)

    def _quality_rows(self) -> tuple[QualityRow, ...]:
        return tuple(row for row in self.rows if isinstance(row, QualityRow))

    def row(self, route_id: str) -> QualityRow:
        """One route's row; KeyError if the ranking has none by that id."""
        for row in self._quality_rows():
            if row.route.id == route_id:
                return row
        raise KeyError(route_id)

    def to_dict(
        self, show_unusable: bool = False, meets_target_only: bool = False, show_previews: bool = False
    ) -> dict[str, Any]:
        """The cost ranking's JSON with each route's quality columns (in the sort's order), the sort, and the verdict."""
        data = super().to_dict(show_unusable, show_previews)
        data["routes"] = [row.to_dict() for row in self.visible(show_unusable, meets_target_only, show_previews)]
        data["sort"] = self.sort
        data["error_cost_usd"] = self.scenario.error_cost
        data["target_accuracy"] = self.scenario.target_accuracy or None
        assert self.verdict is not None
        data["verdict"] = self.verdict.to_dict()
        return data


def _errors(quality: RouteQuality, error_cost: float, requests_per_month: float) -> tuple[float, float, float] | None:
    """What a month of wrong answers costs (low, mid, high from the accuracy's high, mid and low)."""
    if error_cost <= 0 or quality.mid is None or quality.low is None or quality.high is None:
        return None
    per_point = requests_per_month * error_cost / 100
    return (100 - quality.high) * per_point, (100 - quality.mid) * per_point, (100 - quality.low) * per_point


def with_quality(
    ranking: Ranking, qualities: dict[str, RouteQuality], verdict: Verdict, sort: str = "monthly"
) -> QualityRanking:
    """The ranking with each route's quality columns, sorted by `sort` (see SORTS); under the quality sorts routes
    whose quality is unknown go after the known ones (they are marked, never treated as equal)."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}.")
    scenario = ranking.scenario
    per_month = ranking.requests_per_day * scenario.days_per_month
    rows = []
    for ranked in ranking.rows:
        quality = qualities[ranked.route.id]
        mid = quality.mid
        right = per_month * mid / 100 if mid else 0.0
        row = QualityRow.__new__(QualityRow)  # the ranked row's fields as they are, plus the quality columns
        row.__dict__.update(
            ranked.__dict__,
            quality=quality,
            errors_usd=_errors(quality, scenario.error_cost, per_month),
            per_right_answer_usd=ranked.monthly_usd / right if right > 0 else None,
            meets_target=quality.meets(scenario.target_accuracy),
        )
        rows.append(row)
    if sort != "monthly":
        quality_matters = sort == "per_right" or scenario.error_cost > 0

        def key(row: QualityRow) -> tuple[bool, bool, float]:
            value = row.total_usd if sort == "total" else (row.per_right_answer_usd or math.inf)
            unknown = row.quality is None or not row.quality.known
            return row.priced.costs.fee.rate_missing, quality_matters and unknown, value

        rows.sort(key=key)
    return QualityRanking(ranking.scenario, ranking.on, ranking.requests_per_day, tuple(rows), ranking.prompting_id,
                          ranking.fine_tuning_id, sort, verdict)  # fmt: skip


def quality_table(rows: Sequence[QualityRow]) -> pd.DataFrame:
    """Ranked routes as the page's and the command line's table, in the order given: the cost ranking's columns with
    each route's quality, its monthly cost with wrong answers (at the error cost) and its cost per right answer."""
    table = routes_table(rows)
    if not rows:
        return table.assign(**{column: [] for column in QUALITY_COLUMNS})
    table["quality"] = [_quality_cell(row) for row in rows]
    table["with wrong answers"] = [_total_cell(row) for row in rows]
    table["per right answer"] = ["—" if row.per_right_answer_usd is None else usd(row.per_right_answer_usd) for row in rows]
    return table


QUALITY_COLUMNS = ("quality", "with wrong answers", "per right answer")


def _quality_cell(row: QualityRow) -> str:
    """'89.0% measured', '88-92% prior', 'unknown', with the target's mark where one is set."""
    mark = {True: " · meets target", False: " · misses target", None: ""}[row.meets_target]
    return ("unknown" if row.quality is None else row.quality.short()) + mark


def _total_cell(row: QualityRow) -> str:
    """The monthly cost with wrong answers, as a range from the accuracy's interval ('—' without an error cost)."""
    span = row.total_range()
    if span is None:
        return "unknown quality" if row.quality is None or not row.quality.known else "—"
    low, high = span
    return usd_per_month(row.total_usd) + (f" ({usd(low)}-{usd(high)})" if high - low >= 0.005 else "")


def error_cost_per_request(qualities: Mapping[str, RouteQuality], error_cost: float) -> dict[str, float]:
    """Route id -> its expected wrong answers' cost per request at `error_cost` (mid accuracy), for the routes whose
    quality is known: what the cheapest-by-volume chart adds to draw total cost."""
    return {route: (1 - quality.mid / 100) * error_cost for route, quality in qualities.items() if quality.mid is not None}
