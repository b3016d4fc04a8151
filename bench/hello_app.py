"""Baseline page for bench/startup.py: one line of text."""

import streamlit as st

st.write("Hello")
