"""The article's data-quality checklist, computed for an analysed training file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calc.catalogue.tables import load_article_table
from calc.inputs.dataset import DatasetReport

DUPLICATE_LIMIT = 0.05
HOLDOUT_SHARE = 0.2


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def size_band(n_examples: int) -> dict | None:
    """The article's training-set size band for `n_examples`, or None below its smallest band."""
    sizes = load_article_table("training_sizes")
    band = sizes[sizes["min_examples"] <= n_examples].tail(1)
    return None if band.empty else band.iloc[0].to_dict()


def length_outlier_share(tokens: np.ndarray) -> float:
    """Share of examples outside 1.5 IQR of the token-length quartiles: a proxy for edge cases."""
    if tokens.size < 4:
        return 0.0
    q1, q3 = np.percentile(tokens, [25, 75])
    spread = q3 - q1
    return float(((tokens < q1 - 1.5 * spread) | (tokens > q3 + 1.5 * spread)).mean())


def class_balance(report: DatasetReport) -> pd.DataFrame | None:
    """Counts and shares of each label when the assistant outputs look like labels."""
    if not report.labels:
        return None
    total = sum(report.labels.values())
    rows = [{"label": label, "examples": n, "share": n / total} for label, n in report.labels.most_common()]
    return pd.DataFrame(rows)


def checklist(report: DatasetReport) -> pd.DataFrame:
    """One row per checklist criterion: status (ok / check / risk / unknown), the finding, the article's rule."""
    n = report.n_examples
    near = _share(report.n_near_duplicates, n)
    exact = _share(report.n_exact_duplicates, n)
    top_pattern, top_count = report.role_patterns.most_common(1)[0] if report.role_patterns else ((), 0)
    pattern_share = _share(top_count, sum(report.role_patterns.values()) + report.n_other_role_patterns)
    outliers = length_outlier_share(report.total_tokens)
    balance = class_balance(report)
    holdout = round(n * HOLDOUT_SHARE)
    findings = {
        "Diverse examples": (
            "risk" if near > DUPLICATE_LIMIT else "ok",
            f"{exact:.1%} exact and {near:.1%} near duplicates (same text once case, spacing and digits are ignored).",
        ),
        "Consistent format": (
            "ok" if pattern_share >= 0.95 and len(report.key_sets) <= 1 and report.n_system_prompts <= 1 else "check",
            f"{pattern_share:.0%} of examples follow the role pattern {' > '.join(top_pattern) or '—'}; "
            f"{report.n_key_sets_text} distinct key set(s); {report.n_system_prompts} distinct system prompt(s).",
        ),
        "Edge case coverage": (
            "check" if outliers < 0.10 else "ok",
            f"{outliers:.1%} of examples are length outliers (beyond 1.5 IQR): a rough proxy only, the article asks for "
            "10-20% edge cases.",
        ),
        "No data leakage": (
            "risk" if n < 100 else "ok",
            f"Hold out 20% for evaluation: {holdout:,} of {n:,} examples"
            + (" — too few to measure a difference reliably." if n < 100 else "; the split download keeps them apart."),
        ),
        "Label accuracy": ("unknown", "Cannot be read from the file: check a sample by hand."),
        "Distribution match": ("unknown", "Compare with production traffic; the file alone cannot show it."),
    }
    if balance is not None:
        smallest = float(balance["share"].min())
        findings["Label balance (outputs look like labels)"] = (
            "check" if smallest < 0.05 else "ok",
            f"{len(balance)} labels; the rarest is {smallest:.1%} of examples.",
        )
    band = size_band(report.n_valid)
    findings["Training set size"] = (
        "risk" if band is None else "ok",
        f"{report.n_valid:,} valid examples: "
        + ("below the article's smallest band (50)." if band is None else f"{band['size_label']} — {band['expected_quality']}."),
    )
    article = load_article_table("checklist").set_index("criterion")
    rows = []
    for criterion, (status, finding) in findings.items():
        rule = article.loc[criterion, "what_it_means"] if criterion in article.index else ""
        rows.append({"criterion": criterion, "status": status, "finding": finding, "article": rule})
    return pd.DataFrame(rows)
