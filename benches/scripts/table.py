"""Prints the Markdown tables of docs/performance.md from one bench run.

    python3 benches/scripts/table.py > /tmp/tables.md
"""

from results import criterion, record, records

SINGLE = [f"hot-{op}-d{d}" for d in (1, 4, 16) for op in ("read", "write")] + [
    "cold-read-d4",
    "cold-write-d4",
]
SUBJECTS = ["ours-strict", "ours-recursive", "floor", "reference", "keyed"]
TWO = ["two-disjoint", "two-siblings", "two-same-read", "mix"]
MULTI = ["ours", "floor", "reference", "keyed"]


def ns(e):
    return "–" if e is None else f"{e['median']:.0f} ({e['p25']:.0f}–{e['p75']:.0f})"


def ratio(a, b):
    return None if a is None or b is None else a["median"] / b["median"]


def fmt(x, digits=1):
    return "–" if x is None else f"{x:.{digits}f}×"


def single():
    print("| workload | " + " | ".join(SUBJECTS) + " |")
    print("|---" * (len(SUBJECTS) + 1) + "|")
    for w in SINGLE:
        print(f"| {w} | " + " | ".join(ns(criterion(w, s)) for s in SUBJECTS) + " |")
    print()
    print("| workload | mode | ours ÷ floor | reference ÷ ours | keyed ÷ ours |")
    print("|---|---|---|---|---|")
    for w in SINGLE:
        floor, ref, keyed = (criterion(w, s) for s in ("floor", "reference", "keyed"))
        for mode in ("strict", "recursive"):
            o = criterion(w, f"ours-{mode}")
            print(
                f"| {w} | {mode} | {fmt(ratio(o, floor))} | {fmt(ratio(ref, o))} | {fmt(ratio(keyed, o))} |"
            )


def mops(e):
    if e is None:
        return "–"
    return f"{1e3 / e['median']:.2f} ({1e3 / e['p75']:.2f}–{1e3 / e['p25']:.2f})"


def two():
    print("| workload | subject | 1 thread Mops/s | 2 threads Mops/s | 2 ÷ 1 |")
    print("|---|---|---|---|---|")
    for w in TWO:
        for s in MULTI:
            one, both = criterion(w, f"{s}-1t"), criterion(w, f"{s}-2t")
            if one is None and both is None:
                continue
            print(f"| {w} | {s} | {mops(one)} | {mops(both)} | {fmt(ratio(one, both), 2)} |")


def scaling():
    print(
        "| workload | subject | 1 thread Mops/s | 2 threads Mops/s | 2 ÷ 1: median (p25–p75) "
        "| ÷ machine capacity (cpu) |"
    )
    print("|---|---|---|---|---|---|")
    cap = record("scaling", "scale-disjoint", "cpu").get("ratio_median")
    for r in records("scaling"):
        norm = f"{r['ratio_median'] / cap:.2f}" if cap else "–"
        print(
            f"| {r['workload'].removeprefix('scale-')} | {r['subject']} | {r['one_mops']:.2f} "
            f"| {r['two_mops']:.2f} | {r['ratio_median']:.2f}× ({r['ratio_p25']:.2f}–{r['ratio_p75']:.2f}) "
            f"| {norm} |"
        )


def latency():
    print(
        "| subject | write attempts | timed out (cap) | median wait µs | p99 wait µs | max µs "
        "| reads meanwhile | mean reader cycle µs | p99 ÷ cycle |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in records("latency"):
        cap = f"{r['timeouts']:.0f} ({r['cap_us'] / 1e3:.0f} ms)"
        print(
            f"| {r['subject']} | {r['attempts']:.0f} | {cap} | {r['median_us']:.0f} "
            f"| {r['p99_us']:.0f} | {r['max_us']:.0f} | {r['reads']:.0f} "
            f"| {r['read_cycle_us']:.0f} | {r['p99_us'] / r['read_cycle_us']:.1f} |"
        )


def memory():
    print(
        "| subject | nodes held | heap B/node | RSS B/node | nodes after release "
        "| heap after release MiB | RSS before / held / after MiB |"
    )
    print("|---|---|---|---|---|---|---|")
    for s in ("ours", "reference"):
        r = record(f"memory-{s}", "memory", s)
        if r:
            print(
                f"| {s} | {r['nodes_held']:.0f} | {r['heap_bytes_per_node']:.0f} "
                f"| {r['rss_bytes_per_node']:.0f} | {r['nodes_after_release']:.0f} "
                f"| {r['heap_after_release_mib']:.2f} | {r['rss_before_mib']:.0f} / "
                f"{r['rss_held_mib']:.0f} / {r['rss_after_release_mib']:.0f} |"
            )


def leftover():
    rows = records("leftover")
    subjects = sorted({r["subject"] for r in rows}, key=["ours", "reference", "keyed"].index)
    print("| workload | " + " | ".join(subjects) + " |")
    print("|---" * (len(subjects) + 1) + "|")
    for w in ("left-disjoint", "left-siblings", "left-same-read", "left-mix"):
        cells = []
        for s in subjects:
            r = record("leftover", w, s)
            nodes, resident = r.get("nodes", float("nan")), r.get("resident", float("nan"))
            cached = f" ({resident:.0f} cached before `trim`)" if resident != nodes else ""
            cells.append(f"{nodes:.0f}{cached}")
        print(f"| {w} | " + " | ".join(cells) + " |")


def verdict(ok):
    return "**met**" if ok else "**missed**"


def targets():
    print("| target | figure | verdict |")
    print("|---|---|---|")
    for d in (4, 16):
        for op in ("read", "write"):
            w = f"hot-{op}-d{d}"
            floor, ref = criterion(w, "floor"), criterion(w, "reference")
            for mode in ("strict", "recursive"):
                o = criterion(w, f"ours-{mode}")
                a, b = ratio(o, floor), ratio(ref, o)
                if a is None or b is None:
                    continue
                print(f"| {w} {mode}: ≤ 3× floor | {a:.1f}× | {verdict(a <= 3)} |")
                print(f"| {w} {mode}: ≥ 5× faster than reference | {b:.1f}× | {verdict(b >= 5)} |")
    for op in ("read", "write"):
        w = f"cold-{op}-d4"
        ref = criterion(w, "reference")
        for mode in ("strict", "recursive"):
            b = ratio(ref, criterion(w, f"ours-{mode}"))
            if b is not None:
                print(f"| {w} {mode}: ≥ 3× faster than reference | {b:.1f}× | {verdict(b >= 3)} |")
    for op in ("read", "write"):
        f4, f16 = criterion(f"hot-{op}-d4", "floor"), criterion(f"hot-{op}-d16", "floor")
        for mode in ("strict", "recursive"):
            o4 = criterion(f"hot-{op}-d4", f"ours-{mode}")
            o16 = criterion(f"hot-{op}-d16", f"ours-{mode}")
            if None in (f4, f16, o4, o16):
                continue
            slope = (o16["median"] - o4["median"]) / 12
            fslope = (f16["median"] - f4["median"]) / 12
            print(
                f"| hot-{op} {mode}: per-level cost d4→d16 at the floor's slope | "
                f"{slope:.1f} ns/level vs floor {fslope:.1f} ns/level ({slope / fslope:.1f}×) "
                f"| {verdict(slope / fslope <= 3)} |"
            )
    ours = record("scaling", "scale-disjoint", "ours")
    cpu = record("scaling", "scale-disjoint", "cpu")
    if ours:
        s = ours["ratio_median"]
        capacity = (
            f"; the machine's own capacity in the same trials (pure arithmetic) was "
            f"{cpu['ratio_median']:.2f}×"
            if cpu
            else ""
        )
        ok = s >= 1.6
        note = "" if ok or not cpu or cpu["ratio_median"] >= 1.6 else " (not measurable here: capacity < 1.6×)"
        print(
            f"| disjoint subtrees: 2 threads ≥ 1.6× one | {s:.2f}×{capacity} | {verdict(ok)}{note} |"
        )
    lat = {r["subject"]: r for r in records("latency")}
    if "ours" in lat:
        r, ref = lat["ours"], lat.get("reference", {})
        k = r["p99_us"] / r["read_cycle_us"]
        contrast = (
            f"; reference: {ref['timeouts']:.0f} of {ref['attempts']:.0f} attempts hit the "
            f"{ref['cap_us'] / 1e3:.0f} ms cap"
            if ref
            else ""
        )
        fl = lat.get("floor")
        control = (
            f"; a fair `parking_lot::RwLock` in the same rounds: {fl['p99_us'] / fl['read_cycle_us']:.1f} ×"
            if fl
            else ""
        )
        print(
            f"| writer p99 under a reader stream ≤ a few (5) reader hold times | "
            f"{r['p99_us']:.0f} µs = {k:.1f} × the {r['read_cycle_us']:.0f} µs reader cycle, "
            f"{r['timeouts']:.0f} timeouts{control}{contrast} | {verdict(k <= 5 and r['timeouts'] == 0)} |"
        )
    m = record("memory-ours", "memory", "ours")
    if m:
        b = m["heap_bytes_per_node"]
        print(f"| ≤ 150 bytes per held node | {b:.0f} B heap ({m['rss_bytes_per_node']:.0f} B RSS) | {verdict(b <= 150)} |")
        n = m["nodes_after_release"]
        print(f"| nothing left after release (1 M guards) | {n:.0f} nodes | {verdict(n == 0)} |")
    left = [r for r in records("leftover") if r["subject"] == "ours"]
    if left:
        total = sum(r["nodes"] for r in left)
        print(f"| nothing left after two-thread and mixed workloads | {total:.0f} nodes | {verdict(total == 0)} |")


SECTIONS = [
    ("Single thread, ns per acquire+release: median (p25–p75)", single),
    ("Two threads, interleaved pairs (scaling harness)", scaling),
    ("Two threads, criterion (each configuration timed separately)", two),
    ("Writer wait under a reader stream", latency),
    ("Memory", memory),
    ("Nodes left after the multi-thread workloads", leftover),
    ("Targets", targets),
]

if __name__ == "__main__":
    for title, section in SECTIONS:
        print(f"### {title}\n")
        section()
        print()
