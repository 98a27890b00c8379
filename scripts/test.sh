#!/usr/bin/env bash
# The project's test command (README): every test suite, from a fresh clone.
# It installs what it needs itself; run it from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test --workspace"
cargo test --workspace
