#!/usr/bin/env bash
# Checks what CI can check of the TLA+ spec without TLC: every module parses
# (tree-sitter's TLA+ grammar, from PyPI), and every variable, action and
# core transition named in HiLok.tla exists in the model and the core.
# Usage: bash TLA/check.sh   (from anywhere; installs into a cached venv)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${HILOK_TLA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/hilok-tla-venv}"
if ! "$venv/bin/python" -c 'import tree_sitter, tree_sitter_tlaplus' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        'tree-sitter>=0.23,<1' 'tree-sitter-tlaplus>=1.5,<2'
fi
exec "$venv/bin/python" -W ignore "$root/TLA/check_names.py" "$root"
