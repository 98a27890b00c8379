#!/usr/bin/env bash
# The project's test command (README): every test suite, from a fresh clone.
# It installs what it needs itself (miri, a Python venv); run it from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test --workspace (unit, integration, differential property tests)"
cargo test --workspace

echo "== schedule checkers: shuttle, seeded bugs, loom (verification/run.sh)"
bash verification/run.sh --schedules-only

echo "== miri (core and runtime unit tests)"
bash verification/miri.sh --full

echo "== python package: fresh venv, pip install ./python, pytest, stub checks"
bash python/ci.sh
