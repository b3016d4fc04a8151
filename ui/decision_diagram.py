"""The decision tree as Graphviz DOT, with the path the scenario takes highlighted."""

from __future__ import annotations

import textwrap

import pandas as pd

from calc.article.decision import Decision

PATH = "#e4572e"
MUTED = "#9e9e9e"


def _label(text: str, width: int = 28) -> str:
    """A DOT-safe, wrapped label (our own text; quotes and backslashes escaped)."""
    wrapped = "\\n".join(textwrap.wrap(text.replace("\\", "\\\\").replace('"', '\\"'), width))
    return f'"{wrapped}"'


def decision_dot(decision: Decision, tree: pd.DataFrame) -> str:
    """DOT for the five questions, their yes/no outcomes, and the path `decision` took in colour."""
    answered = {step.number: step.answer for step in decision.steps}
    last = decision.steps[-1].number
    lines = [
        "digraph decision {",
        '  rankdir=LR; node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, fillcolor="#f5f5f5"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for _, row in tree.sort_values("step").iterrows():
        number = int(row["step"])
        on_path = number in answered
        fill = "#fde2d8" if on_path else "#f5f5f5"
        lines.append(f'  q{number} [label={_label(f"{number}. " + row["question"])}, fillcolor="{fill}"];')
        for answer, outcome in ((True, row["if_yes"]), (False, row["if_no"])):
            taken = on_path and answered[number] is answer
            colour, width = (PATH, 3) if taken else (MUTED, 1)
            word = "yes" if answer else "no"
            if outcome.startswith("Continue"):
                target = f"q{number + 1}"
            else:
                target = f"{'y' if answer else 'n'}{number}"
                end_fill = "#c8e6c9" if taken else "#ffffff"
                lines.append(f'  {target} [label={_label(outcome, 24)}, fillcolor="{end_fill}"];')
            lines.append(f'  q{number} -> {target} [label="{word}", color="{colour}", fontcolor="{colour}", penwidth={width}];')
    if answered[last] is None:
        lines.append(f'  m{last} [label={_label("Not measured yet: " + decision.reason, 26)}, fillcolor="#fff3cd"];')
        lines.append(f'  q{last} -> m{last} [label="?", color="{PATH}", penwidth=3, style=dashed];')
    lines.append("}")
    return "\n".join(lines)
