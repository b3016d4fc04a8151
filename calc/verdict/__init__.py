"""The verdict (`verdict.py`: one answer from cost and quality together) and the quality-aware ranking built on it."""
