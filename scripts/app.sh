#!/usr/bin/env bash
# Install what the app needs (first run only takes a while) and start it on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python -m streamlit run server.py --server.port "${PORT:-8501}" "$@"
