#!/usr/bin/env bash
# Set up, then open the app on the bundled sample country at http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
exec .venv/bin/python -m streamlit run app.py --server.address 127.0.0.1 --server.port "${PORT:-8501}" "$@"
