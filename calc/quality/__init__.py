"""Quality beside cost: eval results brought in (`evals.py`), their statistics (`stats.py`, `report.py`), cited priors
(`priors.py`) and each route's quality from the three, always labelled with which (`route_quality.py`)."""
