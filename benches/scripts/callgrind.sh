#!/usr/bin/env bash
# Instruction counts per acquire+release (valgrind callgrind: deterministic,
# unaffected by machine load) for hilok, the reference design and the floor;
# atomic read-modify-writes per operation (benches/scripts/atomics.py); and
# a breakdown of where hilok's instructions go.
#
#   bash benches/scripts/callgrind.sh [ops]      (default 20000)
#
# Builds benches/examples/profile.rs with debug info into
# $CARGO_TARGET_DIR/prof (default target/prof), so the bench build is untouched.
set -euo pipefail
cd "$(dirname "$0")/../.."
OPS=${1:-20000}
PROF_DIR=${CARGO_TARGET_DIR:-target}/prof
OUT=$PROF_DIR/callgrind
CARGO_TARGET_DIR=$PROF_DIR CARGO_PROFILE_RELEASE_DEBUG=true \
    cargo build --release -p hilok-benches --example profile
BIN=$PROF_DIR/release/examples/profile
mkdir -p "$OUT"

count() { # subject workload ops -> total instructions
    valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$OUT/$1.$2.$3" "$BIN" "$1" "$2" "$3" 2>&1 |
        awk '/Collected/ { gsub(",", "", $4); print $4 }'
}

echo "| workload | subject | instructions per acquire+release |"
echo "|---|---|---|"
for w in hot-read-d4 hot-write-d4 hot-read-d16 cold-read-d4; do
    for s in ours reference floor; do
        [ "$s" = floor ] && [ "${w%%-*}" = cold ] && continue
        base=$(count "$s" "$w" 0)
        total=$(count "$s" "$w" "$OPS")
        echo "| $w | $s | $(( (total - base) / OPS )) |"
    done
done
for w in hot-read-d4 cold-read-d4; do
    for s in ours reference; do
        echo
        echo "$w, $s:"
        python3 benches/scripts/atomics.py "$BIN" "$OUT/$s.$w.$OPS" "$OUT/$s.$w.0" "$OPS" 4
    done
done
breakdown() { # subject workload
    echo
    echo "Where $1 spends $2 (self cost, instructions per operation):"
    echo
    callgrind_annotate --auto=no --inclusive=no --threshold=100 "$OUT/$1.$2.0" >"$OUT/$1.$2.0.txt"
    callgrind_annotate --auto=no --inclusive=no --threshold=100 "$OUT/$1.$2.$OPS" |
        python3 benches/scripts/breakdown.py "$OPS" "$OUT/$1.$2.0.txt"
}
breakdown ours hot-read-d4
breakdown reference hot-read-d4
breakdown ours cold-read-d4
