"""Atomic read-modify-write instructions per operation, from callgrind.

    python3 benches/scripts/atomics.py BINARY RUN.cg BASELINE.cg OPS [TOP]

BINARY is the profiled executable; RUN.cg a `valgrind --tool=callgrind
--dump-instr=yes` profile of OPS operations, BASELINE.cg the same with 0
operations (start-up, taken off). An atomic read-modify-write is an x86
instruction with a `lock` prefix or an `xchg` with memory (implicitly
locked): compare-and-swap, fetch-add, swap. Each one waits for the store
buffer to drain, so on a cold path, where few instructions run per
operation, their count says more about time than the instruction count
does. Prints the total and the TOP (default 12) functions they execute in.
"""

import collections
import re
import subprocess
import sys


def atomic_addresses(binary):
    """Addresses of the locked instructions in BINARY (objdump)."""
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary],
                         capture_output=True, text=True, check=True).stdout
    found = set()
    for line in dis.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\s+(.*)", line)
        if not m:
            continue
        ins = m.group(2)
        if ins.startswith("lock ") or (ins.startswith("xchg") and "(" in ins):
            found.add(int(m.group(1), 16))
    return found


def counts(profile, atomic):
    """Executions of each atomic address, by function id; and the names."""
    per = collections.Counter()
    names = {}
    fn = None
    last = 0
    skip_next = False
    for line in open(profile):
        if line.startswith("fn="):
            m = re.match(r"fn=(\(\d+\))(?: (.*))?", line.strip())
            fn = m.group(1)
            if m.group(2):
                names[fn] = m.group(2)
            continue
        if line.startswith("calls="):
            skip_next = True  # the next line is the call's inclusive cost
            continue
        if re.match(r"c?(fn|fi|fl|fe|ob)=", line):
            m = re.match(r"cfn=(\(\d+\)) (.*)", line.strip())
            if m:
                names[m.group(1)] = m.group(2)
            continue
        m = re.match(r"^(0x[0-9a-f]+|[+-]\d+|\*)\s+\S+\s+(\d+)", line)
        if not m:
            continue
        a = m.group(1)
        if a.startswith("0x"):
            addr = int(a, 16)
        elif a == "*":
            addr = last
        else:
            addr = last + int(a)
        last = addr
        if skip_next:
            skip_next = False
            continue
        if addr in atomic:
            per[fn] += int(m.group(2))
    return per, names


def main():
    binary, run, base, ops = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    top = int(sys.argv[5]) if len(sys.argv) > 5 else 12
    atomic = atomic_addresses(binary)
    a, names = counts(run, atomic)
    b, _ = counts(base, atomic)
    per_fn = collections.Counter()
    for fn, n in a.items():
        d = (n - b.get(fn, 0)) / ops
        if d > 0.005:
            per_fn[names.get(fn, fn)] += d
    print(f"atomic read-modify-writes per operation: {sum(per_fn.values()):.1f}")
    for name, d in per_fn.most_common(top):
        print(f"  {d:5.2f}  {name[:100]}")


if __name__ == "__main__":
    main()
