import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME_MODULES = "ui.sidebar, ui.analysis, ui.charts, ui.export, ui.present, ui.assumptions, calc.brief"


def test_home_page_does_not_import_page_only_packages():
    """genai-prices, vl-convert and the dataset analyser load only on the pages that use them."""
    page_only = "('genai_prices', 'vl_convert', 'calc.dataset', 'calc.prompt')"
    code = f"import sys; import {HOME_MODULES}; print(sorted(m for m in {page_only} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
