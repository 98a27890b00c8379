"""Loads one bench run: criterion's estimates and the custom harnesses' JSONL.

Used by table.py and plot.py. The target directory is $CARGO_TARGET_DIR, or
`target` at the workspace root.
"""

import json
import os
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def target_dir():
    """The cargo target directory the benches wrote to."""
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def criterion(group, bench):
    """Median, 25th and 75th percentile ns per iteration of one benchmark,
    or None if it did not run. The median is criterion's estimate; the
    quartiles are over its samples (each sample's time / its iterations)."""
    d = target_dir() / "criterion" / group / bench / "new"
    try:
        est = json.loads((d / "estimates.json").read_text())
        sample = json.loads((d / "sample.json").read_text())
    except FileNotFoundError:
        return None
    per = sorted(t / i for t, i in zip(sample["times"], sample["iters"]))
    q = statistics.quantiles(per, n=4)
    return {"median": est["median"]["point_estimate"], "p25": q[0], "p75": q[2]}


def records(name):
    """The records a custom harness wrote to hilok-bench/<name>.jsonl."""
    f = target_dir() / "hilok-bench" / f"{name}.jsonl"
    if not f.exists():
        return []
    return [json.loads(line) for line in f.read_text().splitlines() if line]


def record(name, workload, subject):
    """One record, or an empty dict."""
    for r in records(name):
        if r["workload"] == workload and r["subject"] == subject:
            return r
    return {}
