"""Acquire+release cost from Python: hilok vs a pure-Python RLock per node.

    python python/bench/bench.py [--n N] [--repeat R]

Scenarios, each on depth-4 paths:

* hot, same path: the same path every time, one thread.
* hot, ancestors held: the same path while this thread holds a read on its
  parent ``a/b/c`` (re-entrant shared holds there), so only the leaf node is
  created and removed; the common "directory locked, files inside" case.
* cold: a different path every time, cycling through 50,000 paths that
  share no prefix, so every node is created and removed, never cached.
* two threads, disjoint: two threads, each on its own subtree.
* two threads, same path: two threads reading the same path.

The baseline is a straightforward pure-Python manager: a dict from path
prefix to ``threading.RLock`` (exclusive, no read/write distinction) under one
``threading.Lock``, nodes created on demand and removed when unused; the
root-to-leaf acquire and leaf-to-root release the original package does.
Both run in this process. Figures are the best of ``--repeat`` runs, in
nanoseconds per acquire+release (for two threads: wall time divided by the
operations of both threads). "ratio" is baseline / hilok: how many times
faster hilok is.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

import hilok


class PyHandle:
    """A handle of the pure-Python baseline."""

    __slots__ = ("_mgr", "_keys", "_nodes")

    def __init__(self, mgr: "PyRLockManager", keys: List[str], nodes: List[list]) -> None:
        self._mgr = mgr
        self._keys = keys
        self._nodes = nodes

    def release(self) -> None:
        """Releases leaf to root; idempotent."""
        if self._nodes:
            nodes, self._nodes = self._nodes, []
            self._mgr._release(self._keys, nodes)

    def __enter__(self) -> "PyHandle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class PyRLockManager:
    """The baseline: one RLock per path prefix, in a dict under one Lock."""

    def __init__(self, sep: str = "/") -> None:
        self._sep = sep
        self._nodes: Dict[str, list] = {}
        self._mutex = threading.Lock()

    def _keys(self, path: str) -> List[str]:
        keys: List[str] = []
        key = ""
        for part in path.split(self._sep):
            if part:
                key = f"{key}{self._sep}{part}" if key else part
                keys.append(key)
        return keys

    def lock(self, path: str) -> PyHandle:
        """Locks every prefix of ``path``, root to leaf."""
        keys = self._keys(path)
        nodes = []
        with self._mutex:
            for k in keys:
                node = self._nodes.get(k)
                if node is None:
                    node = self._nodes[k] = [threading.RLock(), 0]
                node[1] += 1
                nodes.append(node)
        for node in nodes:
            node[0].acquire()
        return PyHandle(self, keys, nodes)

    read = lock
    write = lock

    def _release(self, keys: List[str], nodes: List[list]) -> None:
        for node in reversed(nodes):
            node[0].release()
        with self._mutex:
            for k, node in zip(keys, nodes):
                node[1] -= 1
                if node[1] == 0:
                    del self._nodes[k]

    def node_count(self) -> int:
        """Nodes in the map."""
        return len(self._nodes)


COLD_PATHS = [f"p{i}/q{i}/r{i}/s{i}" for i in range(50_000)]


def one_thread(acquire: Callable[[str], object], paths: List[str], n: int) -> float:
    """ns per acquire+release over ``n`` operations cycling through ``paths``."""
    k = len(paths)
    t0 = time.perf_counter_ns()
    for i in range(n):
        acquire(paths[i % k]).release()  # type: ignore[attr-defined]
    return (time.perf_counter_ns() - t0) / n


def one_thread_same(acquire: Callable[[str], object], path: str, n: int) -> float:
    """ns per acquire+release of one path."""
    t0 = time.perf_counter_ns()
    for _ in range(n):
        acquire(path).release()  # type: ignore[attr-defined]
    return (time.perf_counter_ns() - t0) / n


def two_threads(acquire: Callable[[str], object], paths: Tuple[str, str], n: int) -> float:
    """Wall ns per operation with two threads doing ``n`` each."""
    barrier = threading.Barrier(3)

    def run(path: str) -> None:
        barrier.wait()
        for _ in range(n):
            acquire(path).release()  # type: ignore[attr-defined]

    ts = [threading.Thread(target=run, args=(p,)) for p in paths]
    for t in ts:
        t.start()
    barrier.wait()
    t0 = time.perf_counter_ns()
    for t in ts:
        t.join()
    return (time.perf_counter_ns() - t0) / (2 * n)


def scenarios(n: int) -> List[Tuple[str, Callable[[Any], float]]]:
    """(name, function of a manager returning ns/op)."""
    path = "a/b/c/d"

    def kept(mgr: Any) -> float:
        with mgr.read("a/b/c"):
            return one_thread_same(mgr.read, path, n)

    return [
        ("hot, same path: read", lambda m: one_thread_same(m.read, path, n)),
        ("hot, same path: write", lambda m: one_thread_same(m.write, path, n)),
        ("hot, ancestors held: read", kept),
        ("cold: read", lambda m: one_thread(m.read, COLD_PATHS, n)),
        ("cold: write", lambda m: one_thread(m.write, COLD_PATHS, n)),
        ("two threads, disjoint: write", lambda m: two_threads(m.write, ("x/b/c/d", "y/b/c/d"), n // 2)),
        ("two threads, same path: read", lambda m: two_threads(m.read, (path, path), n // 2)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="operations per run")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (best is kept)")
    args = ap.parse_args()

    print(
        f"hilok {hilok.__version__}, Python {platform.python_version()} "
        f"({sys.implementation.name}), {platform.machine()}, {os.cpu_count()} CPUs, "
        f"n={args.n}, best of {args.repeat}"
    )
    print(f"switch interval {sys.getswitchinterval() * 1e3:.1f} ms")
    header = f"{'scenario':32} {'hilok ns':>10} {'RLock ns':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for name, fn in scenarios(args.n):
        runs: Dict[str, List[float]] = {"hilok": [], "py": []}
        for _ in range(args.repeat):  # interleaved: load changes hit both
            for label, make in (("hilok", hilok.HiLok), ("py", PyRLockManager)):
                mgr = make()
                runs[label].append(fn(mgr))
                assert mgr.node_count() == 0, (label, name)
        best = {label: min(r) for label, r in runs.items()}
        print(f"{name:32} {best['hilok']:10.0f} {best['py']:10.0f} {best['py'] / best['hilok']:6.1f}x")


if __name__ == "__main__":
    main()
