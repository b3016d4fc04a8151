"""Compile the home page's chart templates from the Altair builders into ui/chart_templates.json.

Run after changing `volume_chart` or `cumulative_chart` in ui/charts.py:
    .venv/bin/python scripts/build_chart_templates.py
A unit test fails while the file differs from what the builders produce.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.chart_specs import TEMPLATES
from ui.charts import template_file_text

if __name__ == "__main__":
    TEMPLATES.write_text(template_file_text(), encoding="utf-8")
    print(f"wrote {TEMPLATES}")
