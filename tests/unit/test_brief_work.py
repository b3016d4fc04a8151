"""The brief counts the work before training in its breakeven, gives ROI and the latency with its sources (issue 22)."""

import datetime as dt

from calc.api import compare
from calc.scenario import Scenario
from calc.text.brief import brief_markdown
from ui.analysis import volume_analysis
from ui.export import build_brief

ON = dt.date(2026, 12, 3)


def test_the_brief_gives_the_same_breakeven_with_what_it_counts_roi_and_latency():
    scenario = Scenario(option="bedrock-nova-micro", data_cost_per_example=2.0)
    brief = build_brief(scenario, volume_analysis(scenario, ON), [])
    numbers = dict(brief.numbers)
    assert numbers["Work before training"] == "$2,000"
    counts = "training + $2,000 work before it (labels by hand $2,000 (1,000 x $2.00))"
    assert numbers["Breakeven"] == compare(scenario, on=ON).breakeven_text  # the home page's card, as the page shows it
    assert numbers["Breakeven counts"] == counts
    # GPT-6 Luna's 76 default reasoning tokens add $11.40/mo to prompting (issue 29): Nova Micro saves $36.75/mo, so
    # 12 x 36.75 - 2,000.50 = -$1,559.50 (-78%) and breakeven 2,000.50 / 36.75 = 54.4 months (78.9 without reasoning)
    assert numbers["ROI over 12 months"] == "ROI -78% over 12 months (net -$1,560)"
    assert any(r.startswith("Latency: Your 600 example tokens add about 30-144 ms") for r in brief.reasons)
    assert sum(c.startswith("Latency measurement:") for c in brief.caveats) == 5
    assert "54.4 months" in brief_markdown(brief)
    reasoning = next(c for c in brief.caveats if "reasons before it answers" in c)
    assert "76 reasoning tokens billed as output (its default effort, medium" in reasoning
    assert reasoning.endswith("it adds $0.000038 a request, $11.40/mo at 10,000 requests/day.")


def test_the_brief_says_when_the_work_is_left_at_zero_and_cites_a_teachers_terms():
    plain = build_brief(Scenario(), volume_analysis(Scenario(), ON), [])
    assert dict(plain.numbers)["Work before training"] == "$0 (none entered)"
    assert "the work before training is left at zero" in dict(plain.numbers)["Breakeven counts"]
    taught = Scenario(option="bedrock-nova-micro", labelling="teacher", data_cost_per_example=2.0)
    reasons = build_brief(taught, volume_analysis(taught, ON), []).reasons
    assert any("by hand $2,000; by OpenAI GPT-6 Luna $0.07" in r for r in reasons)  # its reasoning tokens included
    assert any("OpenAI Terms of Use" in r for r in reasons)
