"""Groups a callgrind_annotate self-cost listing (stdin) into categories.

    callgrind_annotate --auto=no --inclusive=no --threshold=100 FILE |
        python3 benches/scripts/breakdown.py OPS BASELINE

OPS is the number of operations the profiled run did; BASELINE the same
kind of listing (a file) for the same run with 0 operations (start-up),
which is taken off category by category before dividing. (A number instead
is taken off the driver-code category only.)
"""

import collections
import re
import sys

RULES = [
    ("allocator (malloc, free, Rust alloc wrappers, Vec growth)",
     r"malloc\.c|__rdl_|__rust_(alloc|dealloc)|/alloc/src/alloc\.rs|raw_vec|finish_grow|grow_one"),
    ("hash tables (hashbrown probe/insert/remove/rehash, foldhash, key compare)",
     r"hashbrown|foldhash|Hash>::hash|memcmp|bcmp|slice/cmp\.rs"),
    ("path splitting (str::split)", r"str/iter\.rs|str/pattern\.rs|memchr|core/src/path\.rs"),
    ("core decision (hilok-core)", r"^(\S*/)?core/src/(node|counts|recursion|mode|access|flags|transfer|rename)\.rs"),
    ("mutexes, atomics, Arc counts", r"parking_lot|lock_api|sync\.rs|atomic"),
    ("memcpy", r"memmove|memcpy"),
]
OTHER = "driver code (acquire, table, guard, node, bench loop) and inlined std"


def categories(lines):
    """Self cost per category of a callgrind_annotate listing."""
    cats = collections.Counter()
    for line in lines:
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        n, where = int(m.group(1).replace(",", "")), m.group(2)
        cat = next((c for c, r in RULES if re.search(r, where)), OTHER)
        cats[cat] += n
    return cats


def main():
    ops = int(sys.argv[1])
    cats = categories(sys.stdin)
    if sys.argv[2].isdigit():
        cats[OTHER] -= int(sys.argv[2])
    else:
        with open(sys.argv[2]) as f:
            cats.subtract(categories(f))
    total = sum(cats.values())
    print("| category | instructions/op | share |")
    print("|---|---|---|")
    for c, n in cats.most_common():
        print(f"| {c} | {n / ops:.0f} | {100 * n / total:.1f}% |")
    print(f"| total | {total / ops:.0f} | |")


if __name__ == "__main__":
    main()
