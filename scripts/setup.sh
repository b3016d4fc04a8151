#!/usr/bin/env bash
# Shared set-up for scripts/app.sh and scripts/test.sh: a project virtualenv with the given requirements.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
# The `prompt-or-finetune` command (an editable install of calc/, which reads data/ from this checkout).
if [ ! -x .venv/bin/prompt-or-finetune ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
fi
