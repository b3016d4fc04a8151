"""The model's public API: one scenario in, the home page's figures out (no Streamlit, no browser).

>>> import datetime as dt
>>> from calc.api import compare, scenario_from_link
>>> result = compare(scenario_from_link("?option=openai-gpt-4o-mini&pricing=article"), on=dt.date(2026, 11, 29))
>>> result.metrics()["Monthly savings (article)"]
'$54.00/mo'

Money is USD; a month is the scenario's `days_per_month` (30 by default), as on the pages.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from calc.catalogue.status import Status

if TYPE_CHECKING:
    from calc.costs.pair import CostSummary, Pair
    from calc.quality.evals import EvalResults
    from calc.quality.report import EvalReport
    from calc.verdict.ranked import QualityRanking
    from calc.verdict.verdict import Verdict
from calc.scenario import Scenario
from calc.text.figures import article_suffix, breakeven_text, real_beside, real_breakeven_text
from calc.text.formatting import per_day, usd, usd_per_month

#: How far past the bundled catalogue's snapshot a date may be: the scenario's longest horizon (120 months).
MAX_YEARS_AHEAD = 10
#: Dollar amounts from this size up are shown as "too large" (as ui/format.py does).


# --- dates -----------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def pricing_window() -> tuple[dt.date, dt.date]:
    """The dates the bundled genai-prices data can price: its earliest dated price to 10 years past its snapshot.

    Before the first date the catalogue records no prices (it would silently answer with its oldest ones);
    after the last, any price is a guess beyond the longest horizon the scenario allows.

    >>> first, last = pricing_window()
    >>> first <= dt.date(2026, 11, 29) <= last
    True
    """
    from genai_prices import data_snapshot

    snapshot = data_snapshot.get_snapshot()
    starts = [
        price.constraint.start_date
        for provider in snapshot.providers
        for model in provider.models
        if isinstance(model.prices, list)
        for price in model.prices
        if isinstance(getattr(price.constraint, "start_date", None), dt.date)
    ]
    taken = snapshot.timestamp.date() if snapshot.timestamp else dt.date.today()
    first = min(starts, default=taken)
    last = taken.replace(year=taken.year + MAX_YEARS_AHEAD, day=min(taken.day, 28) if taken.month == 2 else taken.day)
    return first, last


def check_date(on: object) -> dt.date:
    """`on` when it is a date the bundled genai-prices data can price; ValueError saying why not.

    >>> check_date(dt.date(2026, 11, 29))
    datetime.date(2026, 11, 29)
    >>> check_date(dt.date(1999, 1, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: 1999-01-01 is outside the dates the bundled genai-prices ... can price (...)
    """
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise ValueError(f"on must be a datetime.date, not {on!r}")
    first, last = pricing_window()
    if not first <= on <= last:
        from calc.catalogue.prompt_models import CATALOGUE

        raise ValueError(
            f"{on.isoformat()} is outside the dates the bundled {CATALOGUE.removesuffix(' (bundled data)')} can price "
            f"({first.isoformat()} to {last.isoformat()})"
        )
    return on


# --- scenarios from links ------------------------------------------------------------------------------------------


def link_params(url_or_query: str) -> dict[str, str]:
    """The query parameters of a share link (a full URL, a path with a query, `?a=1&b=2` or `a=1&b=2`).

    A repeated key keeps its last value, as Streamlit's `st.query_params` does; ValueError for malformed text.

    >>> link_params("http://localhost:8501/Token_cost?requests_per_day=50000&examples=8")
    {'requests_per_day': '50000', 'examples': '8'}
    >>> link_params("?option=openai-gpt-4o-mini")
    {'option': 'openai-gpt-4o-mini'}
    >>> link_params("requests_per_day")
    Traceback (most recent call last):
    ValueError: malformed link: bad query field: 'requests_per_day' (expected key=value pairs joined by &)
    """
    if not isinstance(url_or_query, str):
        raise ValueError(f"a link must be text, not {type(url_or_query).__name__}")
    text = url_or_query.strip()
    has_scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text) is not None
    if has_scheme or text.startswith("/"):
        try:
            parts = urlsplit(text)
        except ValueError as problem:
            raise ValueError(f"malformed link: {problem}") from None
        if has_scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(f"malformed link: {text[:80]!r} is not an http(s) address")
        query = parts.query
    else:
        query = text.removeprefix("?").split("#", 1)[0]
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query), max_num_fields=200)
    except ValueError as problem:
        raise ValueError(f"malformed link: {problem} (expected key=value pairs joined by &)") from None
    return dict(pairs)


def scenario_from_params(params: Mapping[str, object], old_link_rule: bool = True) -> Scenario:
    """A Scenario from link parameters (URL keys to values), parsed as the pages parse them (`old_link_rule` False:
    the parameters are not an old link, so a pre-2026-11 `option` alone keeps the default prompting model).

    Unrelated keys are ignored, as on the pages; ValueError with the pages' messages, joined by "; ",
    when any scenario parameter is unusable.

    >>> scenario_from_params({"requests_per_day": "50000", "caching": "true"}).requests_per_day
    50000
    >>> scenario_from_params({"examples": "lots"})
    Traceback (most recent call last):
    ValueError: 'examples' is 'lots', not a number
    """
    from calc.catalogue.price_sources import in_force
    from calc.catalogue.tables import load_options
    from calc.inputs.querystring import parse_scenario_params, scenario_from_values

    team = in_force().options.table  # a team's table when one is in force: its options are valid in a link
    values, problems = parse_scenario_params(params, load_options() if team is None else team, None, old_link_rule)
    if problems:
        raise ValueError("; ".join(problems))
    return scenario_from_values(values)


def scenario_from_link(url_or_query: str) -> Scenario:
    """The Scenario a share link (or just its query string) opens, with the pages' parsing and messages.

    >>> scenario = scenario_from_link("https://example.org/?prompt_model=openai:gpt-6-luna&option=azure-gpt-4.1-mini")
    >>> scenario.prompt_model, scenario.option
    ('openai:gpt-6-luna', 'azure-gpt-4.1-mini')
    >>> scenario_from_link("?option=openai-gpt-4o-mini").prompt_model  # an old link prompts the option's base model
    'openai:gpt-4o-mini'
    >>> scenario_from_link("?requests_per_day=5")
    Traceback (most recent call last):
    ValueError: 'requests_per_day' is 5, outside 10-1,000,000
    """
    return scenario_from_params(link_params(url_or_query))


# --- the comparison --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromptingSource:
    """Where the prompting price comes from: the catalogue, the provider's pricing page(s) and the date priced.

    >>> PromptingSource("genai-prices", "https://openai.com/api/pricing/", dt.date(2026, 11, 29)).on
    datetime.date(2026, 11, 29)
    """

    catalogue: str
    pricing_url: str
    on: dt.date


@dataclass(frozen=True)
class FineTuningSource:
    """Where the fine-tuning option's prices come from: the curated row's source, date and confidence.

    >>> FineTuningSource("provider page", dt.date(2026, 11, 1), "confirmed", None).confidence
    'confirmed'
    """

    source: str
    as_of: dt.date
    confidence: str
    notes: str | None


@dataclass(frozen=True)
class Comparison:
    """Prompting vs fine-tuning for one scenario on one date: the home page's figures, statuses and sources.

    `monthly_savings_usd` follows the scenario's pricing convention (full or article); `real_savings_usd`
    is always prompting minus fine-tuned at real prices. `training_usd` and `breakeven_months` are None when
    the option publishes no training price (and breakeven is None too when fine-tuning saves nothing).

    >>> result = compare(scenario_from_link("?prompt_model=openai:gpt-6-luna&option=azure-gpt-4.1-mini"),
    ...                  on=dt.date(2026, 11, 29))
    >>> round(result.monthly_prompting_usd, 2), round(result.monthly_fine_tuned_usd, 2), result.breakeven_text
    (42.9, 1272.0, 'never')
    >>> result.to_dict()["option_status"]["state"]
    'open'
    """

    scenario: Scenario
    prompt_model: str
    prompt_label: str
    option: str
    option_label: str
    on: dt.date
    same_base_model: bool
    prompting_request_usd: float
    fine_tuned_request_usd: float
    monthly_prompting_usd: float
    monthly_fine_tuned_usd: float
    monthly_savings_usd: float
    real_savings_usd: float
    hosting_monthly_usd: float
    training_usd: float | None
    training_price_entered: bool
    training_epochs: int
    breakeven_months: float | None
    breakeven_text: str
    crossover_requests_per_day: float | None
    band: str
    band_recommendation: str  # what the article's volume band says: a reason of the verdict, never the answer
    band_why: str
    verdict: Verdict
    prompt_status: Status
    option_status: Status
    prompting_source: PromptingSource
    fine_tuning_source: FineTuningSource
    withheld: str | None = None
    caveats: tuple[str, ...] = ()
    training_price_known: bool = True
    training_hours_missing: bool = False  # billed per training hour and the hours of one run are not entered
    hosting: str | None = None  # the hosting fee's units at this volume in words (None: no fixed fee)
    training_not_possible: str | None = None  # why training cannot run (too few examples), as every surface says
    article_misfit: str | None = None  # why the article's convention does not describe this pair (None: it does)
    real_breakeven_text: str = ""  # breakeven at real prices, shown beside an article-convention one that misfits
    # --- the work before training, ROI, distillation and latency (issue 22) ---
    work_before_training_usd: float = 0.0
    one_off_usd: float | None = None  # training + the work before it (None when unknown)
    breakeven_counts: str = ""  # what the breakeven counts, in words (calc/costs/upfront.py one_off_label)
    net_saving_usd: float | None = None  # over the scenario's horizon, the one-off paid first
    roi_pct: float | None = None
    labelling_choice: str | None = None  # hand labelling beside the teacher's answers
    teacher_terms: str | None = None  # what the teacher's provider says about training other models on its outputs
    latency: str = ""  # what the example tokens add to the first token, what fine-tuning and caching remove
    latency_sources: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """Which two models are compared, in words.

        >>> compare(Scenario(), on=dt.date(2026, 11, 29)).title
        'prompting OpenAI GPT-6 Luna vs fine-tuning Azure gpt-4.1-mini'
        """
        return f"prompting {self.prompt_label} vs fine-tuning {self.option_label}"

    @property
    def savings_label(self) -> str:
        """The savings metric's label on the home page: "Monthly savings"; "... (article)" under that convention where
        it describes the pair, "... (article's convention only)" where it does not (the real figure is shown beside).

        >>> compare(Scenario(pricing="article"), on=dt.date(2026, 11, 29)).savings_label
        "Monthly savings (article's convention only)"
        """
        return "Monthly savings" + article_suffix(self.scenario.pricing, self.article_misfit)

    @property
    def usable(self) -> bool:
        """False when either side cannot be put into service on the date: savings, breakeven and crossover are then
        withheld (`withheld` says why and names the successors).

        >>> compare(Scenario(option="openai-gpt-4o-mini", prompt_model="openai:gpt-4o-mini"), on=dt.date(2027, 2, 1)).usable
        False
        """
        return self.withheld is None

    @property
    def training_text(self) -> str:
        """One training run's cost as the home page shows it, or that the provider publishes no price.

        >>> compare(Scenario(), on=dt.date(2026, 11, 29)).training_text
        '$3.75'
        """
        if self.training_not_possible:
            return self.training_not_possible
        if self.training_usd is None:
            return "hours of a run not published: enter them" if self.training_hours_missing else "not published: enter it"
        return usd(self.training_usd) + (" (entered price)" if self.training_price_entered else "")

    def metrics(self) -> dict[str, str]:
        """The home page's five headline metrics, label -> value, formatted as the page formats them.

        >>> compare(Scenario(), on=dt.date(2026, 11, 29)).metrics()["Fine-tuned per month"]
        '$1,272/mo'
        """
        not_live = "not usable: see status"
        pricing, misfit = self.scenario.pricing, self.article_misfit
        return {
            "Prompting per month": usd_per_month(self.monthly_prompting_usd),
            "Fine-tuned per month": usd_per_month(self.monthly_fine_tuned_usd),
            self.savings_label: real_beside(
                pricing, misfit, usd_per_month(self.monthly_savings_usd), usd_per_month(self.real_savings_usd)
            )
            if self.usable
            else not_live,
            "Training cost (one run)": self.training_text,
            "Breakeven" + article_suffix(pricing, misfit): real_beside(
                pricing, misfit, self.breakeven_text, self.real_breakeven_text
            ),
        }

    def work_metrics(self) -> dict[str, str]:
        """The work before training and ROI over the horizon, label -> value (the home page says them in its summary).

        >>> compare(Scenario(), on=dt.date(2026, 11, 29)).work_metrics()["Work before training"]
        '$0 (none entered)'
        """
        work = self.work_before_training_usd
        return {
            "Work before training": usd(work) if work else "$0 (none entered)",
            f"ROI over {self.scenario.horizon_months} months": self.roi_text(),
        }

    def roi_text(self) -> str:
        """ROI % and net saving over the horizon, or why there is none.

        >>> compare(Scenario(option="bedrock-nova-micro", data_cost_per_example=2.0), on=dt.date(2026, 12, 3)).roi_text()
        '-78% (net -$1,560)'
        """
        from calc.costs.upfront import Payback, roi_value

        if self.net_saving_usd is None:
            return "not usable: see status" if self.withheld else "unknown"
        months = self.scenario.horizon_months
        saves = self.monthly_savings_usd > 0
        return f"{roi_value(Payback(months, self.net_saving_usd, self.roi_pct, saves))} (net {usd(self.net_saving_usd)})"

    def crossover_text(self) -> str:
        """Where the two monthly-cost lines cross, in the home page's words.

        >>> compare(Scenario(), on=dt.date(2026, 11, 29)).crossover_text()
        'No crossover: the fine-tuned model costs as much or more per request, so no volume pays back training.'
        """
        if self.withheld is not None:
            return f"No crossover: {self.withheld}"
        if self.training_not_possible:
            return f"No crossover: training is {self.training_not_possible} (--training-examples)."
        if self.training_hours_missing:
            return "Crossover unknown: training is billed by the hour; enter the hours of one run (--training-hours) to see it."
        if not self.training_price_known:
            return "Crossover unknown: the provider publishes no training price; enter one to see it."
        if self.crossover_requests_per_day is None:
            return "No crossover: the fine-tuned model costs as much or more per request, so no volume pays back training."
        side = "above" if self.scenario.requests_per_day >= self.crossover_requests_per_day else "below"
        return (
            f"Crossover at about {per_day(self.crossover_requests_per_day)} (training spread over "
            f"{self.scenario.horizon_months} months): above it fine-tuning costs less per month. You are {side} it."
        )

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready values (dates as ISO text), plus the formatted `metrics` and `title`.

        >>> import json
        >>> data = json.loads(json.dumps(compare(Scenario(), on=dt.date(2026, 11, 29)).to_dict()))
        >>> data["on"], data["scenario"]["requests_per_day"], data["metrics"]["Breakeven"]
        ('2026-11-29', 10000, 'never')
        """
        data = _jsonable(asdict(self))
        data["verdict"] = self.verdict.to_dict()
        data["title"] = self.title
        data["metrics"] = self.metrics()
        data["work_metrics"] = self.work_metrics()
        data["crossover_text"] = self.crossover_text()
        return data


def _jsonable(value: Any) -> Any:
    """`value` with dates as ISO text and non-finite floats as None, recursively."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def compare(scenario: Scenario, *, on: dt.date, eval_results: EvalResults | None = None) -> Comparison:
    """Prompting vs fine-tuning the scenario's pair with the prices and statuses in force on `on`, and the verdict
    (calc/verdict/verdict.py) from cost and quality together: the scenario's typed eval counts, and `eval_results`
    (a file read by `read_eval_results`) where given.

    Uses the shipped options table; ValueError for an unknown model or option, or a date outside
    `pricing_window()`.

    >>> compare(Scenario(), on=dt.date(2026, 12, 3)).verdict.action
    'prompt'

    >>> result = compare(scenario_from_link("?option=openai-gpt-4o-mini&pricing=article"), on=dt.date(2026, 11, 29))
    >>> round(result.monthly_prompting_usd, 2), round(result.monthly_savings_usd, 2)
    (45.0, 54.0)
    >>> compare(Scenario(option="openai-gpt-4o-mini"), on=dt.date(2027, 2, 1)).option_status.state
    'shut_down'
    """
    from calc.article.bands import band_for
    from calc.costs.hosting import hosting_at_volume
    from calc.costs.pair import crossover, resolve_pair, summarize
    from calc.costs.routes import cost_caveats
    from calc.costs.workload import scenario_workload
    from calc.verdict.quality import pair_verdict

    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, not {type(scenario).__name__}")
    pair = resolve_pair(scenario, None, check_date(on))
    summary = summarize(scenario, pair)
    training = summary.training
    cross = crossover(scenario, pair)
    band = band_for(scenario.requests_per_day)
    option = pair.option
    breakeven = "not usable: see status" if summary.withheld else breakeven_text(summary)
    assert summary.fine_tuned_costs is not None
    return Comparison(
        scenario=scenario,
        prompt_model=pair.prompt.ref,
        prompt_label=pair.prompt.label,
        option=option.option_id,
        option_label=option.label,
        on=on,
        same_base_model=pair.same_base_model,
        prompting_request_usd=summary.prompting_request.usd,
        fine_tuned_request_usd=summary.fine_tuned_request.usd,
        monthly_prompting_usd=summary.monthly_prompting_usd,
        monthly_fine_tuned_usd=summary.monthly_fine_tuned_usd,
        monthly_savings_usd=summary.monthly_savings_usd,
        real_savings_usd=summary.real_savings_usd,
        hosting_monthly_usd=summary.hosting_monthly_usd,
        training_usd=training.cost_usd if training.price_known else None,
        training_price_entered=training.price_entered,
        training_epochs=training.epochs,
        breakeven_months=summary.breakeven_months if training.price_known else None,
        breakeven_text=breakeven,
        crossover_requests_per_day=None if cross is None else cross.requests_per_day,
        band=str(band["volume_label"]),
        band_recommendation=str(band["recommendation"]),
        band_why=str(band["why"]),
        verdict=pair_verdict(scenario, pair, summary, eval_results),
        prompt_status=pair.prompt_status(),
        option_status=pair.option_status(),
        prompting_source=PromptingSource(pair.prompt.catalogue, pair.prompt.source, on),
        fine_tuning_source=FineTuningSource(option.source, option.as_of, option.confidence, option.notes),
        withheld=summary.withheld,
        caveats=cost_caveats(pair.prompting, summary.prompting_costs, scenario)
        + cost_caveats(pair.fine_tuning, summary.fine_tuned_costs, scenario),
        training_price_known=training.price_known,
        training_hours_missing=training.hours_missing,
        training_not_possible=training.not_possible,
        article_misfit=summary.article_misfit,
        real_breakeven_text=real_breakeven_text(summary),
        hosting=hosting_at_volume(option, scenario_workload(scenario)) if summary.hosting_monthly_usd else None,
        **_work_and_latency_fields(scenario, pair, summary),
    )


def _work_and_latency_fields(scenario: Scenario, pair: Pair, summary: CostSummary) -> dict[str, Any]:
    """The work before training, ROI, distillation and latency of a comparison, from the functions every page uses."""
    from calc.costs.latency import latency_sentence, route_latency
    from calc.costs.teachers import teacher_terms_text
    from calc.costs.workload import scenario_workload

    tuned = summary.fine_tuned_costs
    assert tuned is not None
    workload = scenario_workload(scenario)
    prompting_latency = route_latency(pair.prompting, workload)
    known = tuned.one_off_known
    return {
        "work_before_training_usd": summary.work.total_usd,
        "one_off_usd": tuned.one_off_usd if known else None,
        "breakeven_counts": summary.breakeven_basis,
        "net_saving_usd": None if summary.payback is None else summary.payback.net_saving_usd,
        "roi_pct": None if summary.payback is None else summary.payback.roi_pct,
        "labelling_choice": summary.work.labelling_choice(),
        "teacher_terms": teacher_terms_text(pair.teacher) if scenario.labelling == "teacher" else None,
        "latency": latency_sentence(prompting_latency, route_latency(pair.fine_tuning, workload), scenario.ttft_target_ms),
        "latency_sources": prompting_latency.sources,
    }


def routes(
    scenario: Scenario, *, on: dt.date, eval_results: EvalResults | None = None, sort: str = "monthly"
) -> QualityRanking:
    """Every route for the scenario on `on` (the recommended prompting models, the scenario's own, every fine-tuning
    option), ranked at the scenario's volume by monthly cost (`sort="total"`: with the cost of wrong answers at the
    scenario's error cost; `"per_right"`: cost per right answer), each with its status, quality (measured, prior or
    unknown), breakeven against the scenario's prompting model, caveats and sources, and the pair's verdict. Uses the
    shipped options table; ValueError as `compare`.

    >>> ranking = routes(Scenario(), on=dt.date(2026, 12, 3))
    >>> [row.route.label for row in ranking.visible()[:3]]  # previews and training services hidden by default
    ['Bedrock Nova Micro', 'Bedrock Nova Lite', 'Vertex Gemini 3.1 Flash-Lite']
    >>> [row.route.label for row in ranking.visible(show_previews=True)[2:4]]
    ['Fireworks GLM 5.3 Flash, serverless LoRA (preview)', 'Tinker Qwen3-8B']
    >>> ranking.cheapest(kind="prompt").route.label
    'OpenAI GPT-6 Luna'
    >>> ranking.to_dict()["routes"][0]["quality"]["source"]
    'prior'
    """
    from calc.costs.pair import resolve_pair, summarize
    from calc.costs.ranking import price_routes
    from calc.verdict.quality import pair_verdict, report_for, route_qualities, scenario_results
    from calc.verdict.ranked import with_quality

    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, not {type(scenario).__name__}")
    priced = price_routes(scenario, check_date(on), None)
    pair = resolve_pair(scenario, None, on)
    verdict = pair_verdict(scenario, pair, summarize(scenario, pair), eval_results)
    report = report_for(scenario_results(scenario, eval_results))
    return with_quality(priced.at(scenario.requests_per_day), route_qualities(priced, report), verdict, sort)


def read_eval_results(data: bytes, name: str = "eval results") -> EvalResults:
    """An eval results file (CSV or JSONL with route, example_id, score; or promptfoo's results.json) read against the
    routes in force; ValueError (calc.quality.evals.EvalFileError) listing every unusable row by line.

    >>> results = read_eval_results(b"route,example_id,score\\nopenai:gpt-6-luna,1,1\\nbedrock-nova-micro,1,0\\n")
    >>> sorted(results.routes)
    ['fine_tune:bedrock-nova-micro', 'prompt:openai:gpt-6-luna']
    """
    from calc.quality.evals import read_eval_file
    from calc.quality.route_quality import route_resolver

    return read_eval_file(data, name, route_resolver())


def evaluate(data: bytes, name: str = "eval results") -> EvalReport:
    """What an eval results file says: each route's accuracy with its 95% interval (Wilson; bootstrap for graded
    scores), each pair of routes on their shared examples (difference, interval, exact McNemar p-value), and how many
    shared examples tell a 3- or 5-point gap.

    >>> csv = "route,example_id,score\\n" + "".join(
    ...     f"openai:gpt-6-luna,{i},{int(i % 10 != 0)}\\nbedrock-nova-micro,{i},{int(i % 20 != 0)}\\n" for i in range(200))
    >>> report = evaluate(csv.encode(), "eval.csv")
    >>> report.routes["fine_tune:bedrock-nova-micro"].text()
    '95.0% (95% CI 91.0-97.3%, n = 200)'
    >>> pair = report.comparison("fine_tune:bedrock-nova-micro", "prompt:openai:gpt-6-luna")
    >>> round(pair.p_value, 4), pair.first_only, pair.second_only
    (0.002, 10, 0)
    """
    from calc.quality.report import evaluate as report

    return report(read_eval_results(data, name))
