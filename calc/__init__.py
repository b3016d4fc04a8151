"""The explorer's model: pure Python + pandas, no Streamlit. Its public API is what this package exports.

Compare prompting with fine-tuning for a scenario (a share link, or a Scenario built in code) on a date:

>>> import datetime as dt
>>> from calc import Scenario, compare, scenario_from_link
>>> result = compare(scenario_from_link("?prompt_model=openai:gpt-6-luna&option=azure-gpt-4.1-mini"),
...                  on=dt.date(2026, 11, 29))
>>> result.metrics()["Prompting per month"], result.metrics()["Fine-tuned per month"], result.breakeven_text
('$31.50/mo', '$1,272/mo', 'never')
>>> compare(Scenario(requests_per_day=50_000), on=dt.date(2026, 11, 29)).band
'10,000-100,000'

Rank every way to serve the workload on a date — prompting a model, or fine-tuning an option — by monthly cost:

>>> from calc import routes
>>> ranking = routes(Scenario(), on=dt.date(2026, 12, 3))
>>> cheapest = ranking.cheapest()
>>> cheapest.route.label, round(cheapest.monthly_usd, 2), cheapest.priced.costs.one_off_usd
('Bedrock Nova Micro', 6.15, 0.5)

Count a prompt's tokens as the API bills them:

>>> from calc import count_chat_tokens, count_tokens
>>> count_tokens("Hello, world!", "gpt-4o-mini")
4
>>> count_chat_tokens([{"role": "user", "content": "Hello, world!"}], "gpt-4o-mini")
11

Bring in an eval: each route's accuracy with its Wilson interval, and two routes on their shared examples with the
exact McNemar test (a file of route, example_id, score rows; or promptfoo's results.json):

>>> from calc import evaluate
>>> rows = "".join(f"openai:gpt-6-luna,{i},{int(i % 10 != 0)}\\nbedrock-nova-micro,{i},{int(i % 20 != 0)}\\n"
...                for i in range(200))
>>> report = evaluate(("route,example_id,score\\n" + rows).encode(), "eval.csv")
>>> report.comparison("fine_tune:bedrock-nova-micro", "prompt:openai:gpt-6-luna").text()
'+5.0 points (95% CI +1.9 to +8.9), exact McNemar p = 0.002 on 200 shared examples'

The verdict weighs cost and quality together; `compare(...).verdict` and `routes(...).verdict` carry it:

>>> compare(Scenario(requests_per_day=20_000, prompt_model="anthropic:claude-sonnet-5", option="bedrock-nova-micro",
...                  examples=8), on=dt.date(2026, 12, 6)).verdict.action
'measure first'

Check a training file before uploading it, and the curated prices against the installed genai-prices:

>>> from calc import analyze_jsonl, check_prices
>>> report = analyze_jsonl(b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "billing"}]}')
>>> report.n_valid, report.billing_tokens_per_epoch
(1, 13)
>>> [finding for finding in check_prices(dt.date(2026, 11, 29)) if finding.hard]
[]

The rest of calc/ serves the pages and may change. The exports are imported on first use, so importing one
module of calc (as the pages do) does not load tiktoken or genai-prices.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from calc.scenario import Scenario

if TYPE_CHECKING:
    from calc.api import Comparison, compare, evaluate, read_eval_results, routes, scenario_from_link
    from calc.catalogue.price_check import check_prices
    from calc.costs.ranking import Ranking
    from calc.inputs.dataset import analyze_jsonl
    from calc.inputs.tokens import count_chat_tokens, count_tokens

__all__ = [
    "Comparison",
    "Ranking",
    "Scenario",
    "analyze_jsonl",
    "check_prices",
    "compare",
    "count_chat_tokens",
    "count_tokens",
    "evaluate",
    "read_eval_results",
    "routes",
    "scenario_from_link",
]

#: Export -> the module that defines it (imported on first use).
_LAZY = {
    "Comparison": "calc.api",
    "compare": "calc.api",
    "scenario_from_link": "calc.api",
    "routes": "calc.api",
    "evaluate": "calc.api",
    "read_eval_results": "calc.api",
    "Ranking": "calc.costs.ranking",
    "analyze_jsonl": "calc.inputs.dataset",
    "check_prices": "calc.catalogue.price_check",
    "count_tokens": "calc.inputs.tokens",
    "count_chat_tokens": "calc.inputs.tokens",
}


def __getattr__(name: str) -> Any:
    """Import an export's module on first use (PEP 562); AttributeError for anything else."""
    if name not in _LAZY:
        raise AttributeError(f"module 'calc' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The exports and the module's own names."""
    return sorted({*globals(), *__all__})
