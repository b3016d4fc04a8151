"""Check the curated prices: differences from the installed genai-prices, stale rows, dead successors.

Usage: .venv/bin/python scripts/check_prices.py [--on YYYY-MM-DD]   (exit 1 on a hard problem)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calc.catalogue.price_check import check_prices


def main(argv: list[str] | None = None) -> int:
    """Print every finding, hard ones first; return 1 when any is hard."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=dt.date.fromisoformat, default=dt.date.today(), help="the date to check for")
    args = parser.parse_args(argv)
    findings = sorted(check_prices(args.on), key=lambda f: (not f.hard, f.row))
    for finding in findings:
        print(f"{'HARD' if finding.hard else 'note'}  {finding.row}: {finding.message}")
    hard = sum(f.hard for f in findings)
    print(f"{len(findings)} findings, {hard} hard, on {args.on.isoformat()}")
    return 1 if hard else 0


if __name__ == "__main__":
    sys.exit(main())
