#!/usr/bin/env bash
# The project's test command (README): every test suite, from a fresh clone.
# It installs what it needs itself (miri, Python venvs); run it from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test --workspace (unit, integration, differential property tests, model unit tests)"
cargo test --workspace

echo "== model check: every CI configuration, every property, pinned state counts, seeded bugs"
cargo test --features model-check --test model_check

echo "== TLA+ spec: parses, and its names exist in the model and the core"
bash TLA/check.sh

echo "== schedule checkers: shuttle, seeded bugs, loom (verification/run.sh)"
bash verification/run.sh --schedules-only

echo "== miri (core and runtime tests)"
bash verification/miri.sh --full

echo "== benches: smoke run (criterion test mode, each bench once, no timing)"
cargo test -p hilok-benches --lib --benches

echo "== python package: fresh venv, pip install ./python, pytest, stub checks"
bash python/ci.sh
