#!/usr/bin/env bash
# The checks CI runs before the tests: lint, formatting, types. Each must find nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy vawmap
