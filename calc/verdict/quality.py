"""Quality beside the pair and the ranking: the eval results a scenario carries (typed counts, and a file brought in
with it), their report kept per content, the verdict of the pair from them, and every route's quality."""

from __future__ import annotations

import threading
from collections import OrderedDict

from calc.costs.pair import CostSummary, Pair
from calc.costs.ranking import PricedRoutes
from calc.quality.evals import EvalResults, typed_counts
from calc.quality.report import EvalReport, evaluate
from calc.quality.route_quality import RouteQuality, route_quality
from calc.scenario import Scenario
from calc.verdict.verdict import Verdict, decide

#: Eval reports kept by content digest: one analysis per file or set of typed counts, whoever asks.
_REPORTS: OrderedDict[str, EvalReport] = OrderedDict()
_REPORTS_KEPT = 64
_LOCK = threading.Lock()


def scenario_results(scenario: Scenario, file_results: EvalResults | None = None) -> EvalResults | None:
    """The eval results in force for a scenario: a file's routes, and the scenario's typed counts for the others."""
    typed = typed_counts(scenario.eval_counts) if scenario.eval_counts else None
    if file_results is None or not file_results.routes:
        return typed
    return file_results.merged(typed)


def report_for(results: EvalResults | None) -> EvalReport | None:
    """The statistics of `results` (kept per content: a page rerun or a slider move does not recompute them)."""
    if results is None or not results.routes:
        return None
    with _LOCK:
        found = _REPORTS.get(results.digest)
        if found is not None:
            _REPORTS.move_to_end(results.digest)
            return found
    report = evaluate(results)
    with _LOCK:
        _REPORTS[results.digest] = report
        while len(_REPORTS) > _REPORTS_KEPT:
            _REPORTS.popitem(last=False)
    return report


def pair_verdict(scenario: Scenario, pair: Pair, summary: CostSummary, file_results: EvalResults | None = None) -> Verdict:
    """The verdict for the scenario's pair with the eval results in force (calc/verdict/verdict.py `decide`)."""
    results = scenario_results(scenario, file_results)
    return decide(scenario, pair, summary, report_for(results), results)


def route_qualities(priced: PricedRoutes, report: EvalReport | None) -> dict[str, RouteQuality]:
    """Every priced route's quality: measured where the eval has it, else its prior (or unknown)."""
    scenario = priced.scenario
    ref = priced.same_base_ref or ""
    return {
        entry.route.id: route_quality(entry.route.id, scenario.task, scenario.training_examples, ref, report)
        for entry in priced.routes
    }
