#!/usr/bin/env bash
# Runs the core's and the runtime's unit tests under miri (undefined
# behaviour, invalid memory access, data races, leaks), on the nightly
# toolchain. With --full it also runs the runtime's integration tests under
# miri, except the 64-thread stress test (too slow there).
#
#   bash verification/miri.sh          # about 2 min (about 25 s more the first time: miri's sysroot)
#   bash verification/miri.sh --full   # about 2.5 min more
set -euo pipefail
cd "$(dirname "$0")/.."

# Adds the components; a no-op when they are there already.
rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1 ||
    rustup component add --toolchain nightly miri rust-src

# parking_lot_core turns integers into pointers (its word lock's queue
# head); permissive provenance accepts that instead of warning on every run.
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-permissive-provenance}"

echo "== miri: hilok-core"
cargo +nightly miri test -p hilok-core

echo "== miri: hilok --lib"
cargo +nightly miri test -p hilok --lib

if [[ "${1:-}" == "--full" ]]; then
    echo "== miri: hilok integration tests (all but stress)"
    cargo +nightly miri test -p hilok \
        --test bad_input --test conflicts --test loose \
        --test recursion --test rename --test timeouts
    echo "== miri: hilok idle cache and remembered paths (but the two bulk tests)"
    cargo +nightly miri test -p hilok --test cache -- \
        --skip the_cache_is_bounded --skip default_bound_holds_with_many_threads
fi
