"""The seed article's tables applied to a scenario: volume bands, quality by task, the decision tree, the data
checklist, and its inference-savings table reproduced."""
