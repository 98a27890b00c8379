#!/usr/bin/env bash
# Builds the `hilok` Python package in a fresh virtual environment and runs
# its tests. Run from anywhere (usually the repository root):
#
#     bash python/ci.sh [extra pytest arguments]
#
# Needs: a Python >= 3.9 (`$PYTHON`, default python3), a Rust toolchain, and
# access to PyPI and crates.io. Installs maturin and pytest from PyPI into a
# temporary venv, runs `pip install ./python` (the same command users run),
# and runs pytest on python/tests from outside the source tree, so that the
# installed package (not the checkout) is what gets imported.
#
# Then checks the type stubs against the runtime (mypy's stubtest) and
# type-checks the tests and benchmark with them (skip: HILOK_CI_SKIP_TYPES=1).
#
# Exit status: 0 if everything passed; pytest's own status if it did not pass
# (1 tests failed, 2 interrupted, 3 internal error, 4 usage error, 5 no tests
# collected -- all failures here); 1 if the environment could not be built or
# the type checks failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"   # .../python
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then
    echo "ci.sh: $python is missing or older than 3.9" >&2
    exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hilok-py-ci.XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

echo "== venv in $work/venv ($("$python" --version))"
"$python" -m venv "$work/venv"
bin="$work/venv/bin"
[ -d "$bin" ] || bin="$work/venv/Scripts"   # Windows layout
vpy="$bin/python"
# The maturin build backend runs the `maturin` executable: put the venv's
# scripts first on PATH (what activating the venv would do).
export PATH="$bin:$PATH" VIRTUAL_ENV="$work/venv"

export PIP_DISABLE_PIP_VERSION_CHECK=1
"$vpy" -m pip install --quiet --upgrade pip
echo "== installing maturin and pytest from the package index"
"$vpy" -m pip install --quiet "maturin>=1.9,<2" "pytest>=7"

echo "== pip install ./python"
# --no-build-isolation: build with the maturin just installed instead of
# fetching a second copy into an isolated build environment.
(cd "$here/.." && "$vpy" -m pip install --no-build-isolation ./python)

echo "== pytest"
# From an empty directory: the checkout's python/hilok (which has no compiled
# extension) must not shadow the installed package. No cache in the tree.
set +e
(cd "$work" && "$vpy" -m pytest -p no:cacheprovider "$here/tests" "$@")
status=$?
set -e

case "$status" in
    0) echo "== python tests passed" ;;
    5) echo "== pytest collected no tests: failing" >&2 ;;
    *) echo "== python tests failed (pytest exit status $status)" >&2 ;;
esac
[ "$status" -eq 0 ] || exit "$status"

if [ "${HILOK_CI_SKIP_TYPES:-0}" != 1 ]; then
    echo "== type stubs: mypy stubtest against the installed package, mypy on tests and bench"
    "$vpy" -m pip install --quiet "mypy>=1.18"
    (cd "$work" && "$vpy" -m mypy.stubtest hilok \
        && "$vpy" -m mypy --no-incremental "$here/tests" "$here/bench")
fi
echo "== all python checks passed"
