#!/usr/bin/env bash
# Every verification layer of issue 4 except miri (verification/miri.sh):
# differential property tests, shuttle schedules with the refinement replay,
# the seeded bugs each caught, and loom. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

# `--schedules-only` skips the differential tests (`cargo test --workspace`
# already runs them).
if [ "${1:-}" != "--schedules-only" ]; then
    echo "== differential property tests (proptest)"
    cargo test -p hilok-verification --test differential
fi

echo "== shuttle: random and PCT schedules, refinement replay after each"
cargo test --release -p hilok-verification --features shuttle --test shuttle

for bug in lost-wake release-order early-gc; do
    echo "== shuttle must catch seeded bug: $bug"
    cargo test --release -p hilok-verification --features "shuttle,seed-bug-$bug" --test shuttle -- --nocapture 2>&1 \
        | grep -E "caught by|test result" || { echo "seeded bug $bug was not caught"; exit 1; }
done

echo "== loom (LOOM_MAX_PREEMPTIONS=${LOOM_MAX_PREEMPTIONS:=3}), refinement replay after each"
LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
    cargo test --release -p hilok-verification --features events --test loom
