"""The work before training — labelling (by hand or by a teacher model), the evaluation set, engineering time — and
the monthly upkeep of a fine-tune: what a fine-tuning route costs besides its training run.

One function (`upfront_work`) prices it for every surface: `RouteCosts.one_off_usd` is training + this work, so the
breakeven on the home page, the All routes page, the brief, `compare`/`routes` and Cost over time's cycles all count it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import pandas as pd

from calc.catalogue.prompt_models import PromptModel
from calc.catalogue.tables import PROVENANCE, Column, _read, validate_table
from calc.costs.requests import RequestCost, prompt_request
from calc.costs.workload import Workload, in_tokens_of, scenario_workload
from calc.scenario import Scenario
from calc.text.formatting import usd


def teacher_request(workload: Workload, teacher: PromptModel) -> RequestCost:
    """One training input answered by the teacher: the prompting request of `workload` (its input, examples and
    output tokens, its caching) in the teacher's own tokens, all of it through the provider's batch API where it has one
    (labelling can wait)."""
    return prompt_request(replace(in_tokens_of(workload, teacher.model_id), batch_pct=100), teacher)


@dataclass(frozen=True)
class UpfrontWork:
    """The work before training and the monthly upkeep, priced; `teacher_usd` is None when a teacher labels the data
    but none was priced (the work is then unknown)."""

    labelling: str  # "hand" or "teacher"
    training_examples: int
    hand_labelling_usd: float  # the training set labelled by hand (shown beside the teacher's cost)
    teacher_usd: float | None  # the training set answered by the teacher (None: no teacher priced)
    teacher_label: str | None
    teacher_request: RequestCost | None
    eval_usd: float
    engineering_usd: float
    maintenance_usd_per_month: float

    @property
    def labelling_usd(self) -> float:
        """The training set's labels as the scenario gets them (0 when a teacher's cost is unknown)."""
        if self.labelling == "teacher":
            return self.teacher_usd or 0.0
        return self.hand_labelling_usd

    @property
    def known(self) -> bool:
        """False when a teacher labels the data but its cost is unknown."""
        return self.labelling == "hand" or self.teacher_usd is not None

    @property
    def total_usd(self) -> float:
        """Everything paid before the first training run: labels, the evaluation set and engineering."""
        return self.labelling_usd + self.eval_usd + self.engineering_usd

    @property
    def per_cycle_usd(self) -> float:
        """What each retraining repeats: new labels and the engineering time (the evaluation set is reused)."""
        return self.labelling_usd + self.engineering_usd

    @property
    def is_zero(self) -> bool:
        """True when no work before training and no upkeep is entered (the breakeven counts training only)."""
        return self.total_usd == 0 and self.maintenance_usd_per_month == 0

    def parts(self) -> str:
        """What the work is made of, in words: "labels by hand $2,000 (1,000 x $2.00) + engineering $600"."""
        items = []
        if self.labelling == "teacher":
            known = "unknown" if self.teacher_usd is None else usd(self.teacher_usd)
            items.append(f"labels by {self.teacher_label or 'the teacher'} {known}")
        elif self.hand_labelling_usd:
            each = self.hand_labelling_usd / self.training_examples if self.training_examples else 0.0
            items.append(f"labels by hand {usd(self.hand_labelling_usd)} ({self.training_examples:,} x {usd(each)})")
        if self.eval_usd:
            items.append(f"evaluation set {usd(self.eval_usd)}")
        if self.engineering_usd:
            items.append(f"engineering {usd(self.engineering_usd)}")
        return " + ".join(items) if items else "none entered"

    def labelling_choice(self) -> str | None:
        """Hand labelling beside the teacher's answers for the same training set, or None when no teacher is priced."""
        if self.teacher_usd is None or self.teacher_request is None:
            return None
        return (
            f"Labelling {self.training_examples:,} training examples: by hand {usd(self.hand_labelling_usd)}; by "
            f"{self.teacher_label} {usd(self.teacher_usd)} ({self.training_examples:,} x {usd(self.teacher_request.usd)} "
            "per request at batch prices where offered)."
        )


NO_WORK = UpfrontWork("hand", 0, 0.0, 0.0, None, None, 0.0, 0.0, 0.0)


def upfront_work(scenario: Scenario, workload: Workload | None = None, teacher: PromptModel | None = None) -> UpfrontWork:
    """The scenario's work before training: the training set labelled by hand (`Scenario.label_usd_per_example`) or answered by
    `teacher` (one batched prompting request per training example), the evaluation set labelled by hand, engineering
    hours x rate, and the monthly upkeep."""
    work = workload or scenario_workload(scenario)
    request = None if teacher is None else teacher_request(work, teacher)
    examples = scenario.training_examples
    return UpfrontWork(
        labelling=scenario.labelling,
        training_examples=examples,
        hand_labelling_usd=examples * scenario.label_usd_per_example,
        teacher_usd=None if request is None else examples * request.usd,
        teacher_label=None if teacher is None else teacher.label,
        teacher_request=request,
        eval_usd=scenario.eval_examples * scenario.label_usd_per_example,
        engineering_usd=scenario.engineering_hours * scenario.hourly_rate,
        maintenance_usd_per_month=scenario.maintenance_usd_per_month,
    )


def one_off_label(work: UpfrontWork) -> str:
    """What a breakeven counts, in words, so every surface labels it the same way."""
    if work.is_zero:
        return "training only: the work before training is left at zero"
    upkeep = f", less {usd(work.maintenance_usd_per_month)}/mo upkeep" if work.maintenance_usd_per_month else ""
    return f"training + {usd(work.total_usd)} work before it ({work.parts()}){upkeep}"


@dataclass(frozen=True)
class Payback:
    """Over the scenario's horizon: the net saving (savings x months - one-off) and ROI % (net / one-off)."""

    horizon_months: int
    net_saving_usd: float
    roi_pct: float | None  # None when nothing is paid up front, or fine-tuning saves nothing each month
    saves_monthly: bool = True  # False: fine-tuning costs as much or more each month, so no outlay is ever returned


def payback(one_off_usd: float, monthly_savings_usd: float, horizon_months: int) -> Payback:
    """Net saving and ROI of fine-tuning over `horizon_months`, the one-off (training + the work before it) paid first."""
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, int) or horizon_months < 1:
        raise ValueError(f"horizon_months must be a whole number >= 1, not {horizon_months!r}.")
    net = monthly_savings_usd * horizon_months - one_off_usd
    saves = monthly_savings_usd > 0
    return Payback(horizon_months, net, net / one_off_usd * 100 if one_off_usd > 0 and saves else None, saves)


def roi_value(result: Payback) -> str:
    """The ROI figure alone: a percentage, or why there is none (no percentage of a tiny outlay that is never
    returned: -397,060% says less than "none")."""
    if not result.saves_monthly:
        return "none (fine-tuning saves nothing each month)"
    return "n/a (nothing paid up front)" if result.roi_pct is None else f"{result.roi_pct:,.0f}%"


def roi_text(result: Payback) -> str:
    """ROI and net saving in words: "ROI -85% over 12 months (net -$1,696)"."""
    return f"ROI {roi_value(result)} over {result.horizon_months} months (net {usd(result.net_saving_usd)})"


RATE_COLUMNS = (
    Column("rate_id", "str"),
    Column("what", "str"),
    Column("usd_low", "float", max_value=1_000_000.0),
    Column("usd_high", "float", max_value=1_000_000.0),
    Column("unit", "str"),
    *PROVENANCE,
)


@cache
def labelling_rates() -> pd.DataFrame:
    """data/labelling_rates.csv, schema-checked: published labelling rates and the article's upfront range, the
    guidance beside the (zero by default) work before training."""
    return validate_table(_read("labelling_rates.csv"), RATE_COLUMNS, "labelling_rates.csv").set_index("rate_id")


def rates_guidance() -> str:
    """The published rates in one sentence, with sources and dates, for the sidebar and the zero-work notice."""
    parts = [
        f"{row.what}: ${row.usd_low:,g}-${row.usd_high:,g} {row.unit} ({row.source}, {row.as_of.isoformat()})"
        for row in labelling_rates().itertuples()
    ]
    return "; ".join(parts) + "."
