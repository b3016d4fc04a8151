import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


#: An old single-option link: it prompts gpt-4o-mini against fine-tuning it on OpenAI, the article's setting,
#: so the page tests keep the article's figures. Tests of today's default pair pass `query={}` via `run_default`.
ARTICLE_LINK = {"option": "openai-gpt-4o-mini"}


def run_default(script: str, query: dict[str, str] | None = None) -> AppTest:
    """Run a page with no link parameters but `query`: today's default pair."""
    return run_page(script, query, base={})


def run_page(script: str, query: dict[str, str] | None = None, base: dict[str, str] | None = None) -> AppTest:
    """Run a page once under AppTest, with query parameters set before the first run (on top of `base`,
    by default the article's old single-option link).

    Every page is reached through the entry script, as in the browser, so page links resolve.
    """
    query = {**(ARTICLE_LINK if base is None else base), **(query or {})}
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    if script != "streamlit_app.py":
        at.switch_page(script)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_specs(at: AppTest) -> list[dict]:
    """Each chart's Vega-Lite spec with its datasets put back in (Streamlit ships them as Arrow)."""
    specs = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        spec["datasets"] = {
            dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist() for dataset in element.proto.datasets
        }
        specs.append(spec)
    return specs


@pytest.fixture
def home() -> AppTest:
    return run_page("streamlit_app.py")


VERDICT_STARTS = ("**Prompt:**", "**Fine-tune:**", "**Measure first:**")


def verdict_box(at: AppTest) -> str:
    """The verdict box's text (action in bold, then the sentence): one on every page that shows it."""
    boxes = [b.value for b in (*at.info, *at.success, *at.warning) if b.value.startswith(VERDICT_STARTS)]
    assert len(boxes) == 1, boxes
    return boxes[0]


VERDICT_WHY_KEYS = ("verdict_why", "quality_verdict_why", "routes_verdict_why")


def verdict_why(at: AppTest) -> str:
    """Everything under the verdict's "Why" expander (opened first: its content is drawn only when open): its reasons
    and the page's further facts."""
    for key in VERDICT_WHY_KEYS:
        at.session_state[key] = True
    at.run()
    found = [e for e in at.expander if e.label.startswith("Why: the ")]
    assert found, [e.label for e in at.expander]
    return "\n".join(m.value for m in found[0].markdown)
