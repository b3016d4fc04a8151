"""The route and cost model: what one request costs on each route, its fixed monthly fee (stepwise where GPUs are
added), one-off training, and the analyses built from routes (pair summary, curves, ranking, cost over time)."""
