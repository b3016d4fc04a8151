import datetime as dt

import pandas as pd

from calc.scenario import Scenario
from calc.text.brief import Brief, brief_html, brief_markdown
from ui.analysis import volume_analysis
from ui.chart_specs import cumulative_chart_spec
from ui.export import build_brief, chart_image

TODAY = dt.date(2026, 11, 29)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _brief(**overrides) -> Brief:
    values = {
        "title": "Brief <b>x</b>",
        "generated": dt.date(2026, 11, 28),
        "scenario": [("Option", "<script>alert(1)</script>")],
        "recommendation": "Fine-tune",
        "reasons": ["Because | pipes"],
        "numbers": [("Monthly savings", "$9.00/mo")],
        "assumptions": pd.DataFrame(
            [{"item": "a", "value": "b", "source": "s", "as_of": "2026-01-01", "confidence": "confirmed"}]
        ),
        "caveats": ["English only"],
        "charts": [("Chart", PNG_MAGIC + b"data")],
    }
    return Brief(**{**values, **overrides})


def test_html_brief_is_self_contained_and_escaped():
    page = brief_html(_brief(edited=True, link="http://x/?a=1&b=<2>"))
    assert page.startswith("<!doctype html>") and "data:image/png;base64," in page
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>x</b>" not in page
    assert "http" not in page.replace("http://x/?a=1&amp;b=&lt;2&gt;", "")  # no external resource anywhere
    assert "Edited assumptions" in page


def test_markdown_brief_has_every_section():
    text = brief_markdown(_brief())
    for heading in ("## Recommendation", "## Scenario", "## Key numbers", "## Chart", "## Assumptions and sources", "## Caveats"):
        assert heading in text
    assert "![Chart](data:image/png;base64," in text


def test_brief_for_the_article_pair():
    scenario = Scenario(option="openai-gpt-4o-mini", prompt_model="openai:gpt-4o-mini")
    result = volume_analysis(scenario, TODAY)
    brief = build_brief(scenario, result, [])
    numbers = dict(brief.numbers)
    assert numbers["Monthly savings"] == "$9.00/mo" and numbers["Monthly savings, article convention"] == "$54.00/mo"
    assert brief.recommendation.startswith("Prompt: fine-tuning OpenAI gpt-4o-mini is closed to new customers since")
    assert any("closed to new customers since 2026-05-07" in c for c in brief.caveats)
    assert dict(brief.scenario)["Prices as of"] == "2026-11-29"
    assert any("English-language" in c for c in brief.caveats)
    assert set(brief.assumptions.columns) == {"item", "value", "source", "as_of", "confidence"}


def test_charts_render_offline_to_png_and_svg():
    scenario = Scenario()
    result = volume_analysis(scenario, TODAY)
    spec = cumulative_chart_spec(result.cumulative, 0.25, "Cumulative")
    png = chart_image(spec, "png")
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    svg = chart_image(spec, "svg").decode()
    assert svg.lstrip().startswith("<svg") and "Cumulative" in svg


def test_altair_charts_export_as_svg():
    from calc.article.quality import quality_table
    from ui.charts import quality_range_chart

    svg = chart_image(quality_range_chart(quality_table(), "style").to_dict(), "svg").decode()
    assert "<svg" in svg and "Style transfer" in svg


def test_the_brief_says_what_the_home_page_says():
    """Its key numbers are the home page's cards, its caveats the route's (as the CLI prints them), and it names the
    cheapest route over every route."""
    import datetime as dt

    from calc.costs.routes import cost_caveats
    from calc.scenario import Scenario
    from ui.analysis import volume_analysis
    from ui.export import build_brief
    from ui.volume_texts import metric_cards

    scenario = Scenario(option="bedrock-claude-3-haiku", caching=True, pricing="article")
    result = volume_analysis(scenario, dt.date(2026, 12, 3))
    brief = build_brief(scenario, result, [])
    cards = {card.label: card.value for card in metric_cards(scenario, result, presenting=False)}
    assert cards.items() <= dict(brief.numbers).items()
    breakeven = next(label for label in cards if label.startswith("Breakeven"))
    assert "(article" in breakeven and cards[breakeven] == "not usable: see status"  # shut down 2026-09-10
    assert set(cost_caveats(result.pair.fine_tuning, result.summary.fine_tuned_costs, scenario)) <= set(brief.caveats)
    assert any("Prompt caching is ignored under the article convention" in c for c in brief.caveats)
    assert any(r.startswith("Not usable on 2026-12-03") for r in brief.reasons)
    assert any("Cheapest route at 10,000/day today, over every route: fine-tuning Bedrock Nova Micro" in r for r in brief.reasons)
