"""The explorer's model: pure Python + pandas, no Streamlit."""
