"""Shared Streamlit pieces: the scenario sidebar, chart builders and number formatting."""
