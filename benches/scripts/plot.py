"""Draws docs/performance.svg from one bench run, with no dependency.

    python3 benches/scripts/plot.py [output.svg]

Left: single-thread ns per acquire+release (log scale) for every workload
and lock manager. Middle: two-thread aggregate throughput divided by
one-thread throughput, from the interleaved pairs of benches/scaling.rs
(the dashed line is the 1.6x target; `cpu` is the machine's own capacity). Right: writer
wait under a reader stream, median and p99 (log scale).
"""

import math
import sys
from pathlib import Path

from results import ROOT, criterion, records
from table import MULTI, SINGLE, SUBJECTS, TWO

COLORS = {
    "ours-strict": "#1f77b4",
    "ours-recursive": "#6baed6",
    "ours": "#6baed6",
    "floor": "#2ca02c",
    "reference": "#d62728",
    "keyed": "#ff7f0e",
    "ours-separate": "#9467bd",
    "cpu": "#7f7f7f",
}
W, H = 1200, 420
TOP, BOTTOM = 50, 110


class Svg:
    def __init__(self):
        self.parts = []

    def add(self, s):
        self.parts.append(s)

    def text(self, x, y, s, size=11, anchor="middle", rotate=None, weight="normal"):
        rot = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" font-family="sans-serif"{rot}>{s}</text>'
        )

    def rect(self, x, y, w, h, color):
        self.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}"/>')

    def line(self, x1, y1, x2, y2, color="#999", width=1):
        self.add(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{color}" stroke-width="{width}"/>'
        )

    def render(self):
        body = "\n".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
            f'viewBox="0 0 {W} {H}">\n<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n'
        )


def panel(svg, x0, width, title, unit, groups, series, log, mark=None):
    """Grouped bars: groups x series, values[group][series] (or None); a
    dashed line at `mark` if given."""
    y0, y1 = TOP, H - BOTTOM
    values = [v for g in groups for v in g[1].values() if v]
    if not values:
        return
    lo, hi = min(values), max(values)
    if log:
        lo, hi = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
        scale = lambda v: y1 - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (y1 - y0)
        ticks = [10**e for e in range(round(math.log10(lo)), round(math.log10(hi)) + 1)]
    else:
        lo, hi = 0, max(hi, mark or 0) * 1.1
        scale = lambda v: y1 - v / hi * (y1 - y0)
        step = 10 ** math.floor(math.log10(hi / 4))
        ticks = [step * k for k in range(0, int(hi / step) + 1, max(1, int(hi / step) // 5))]
    svg.text(x0 + width / 2, 25, title, size=13, weight="bold")
    svg.text(x0 - 40, (y0 + y1) / 2, unit, rotate=-90)
    for t in ticks:
        y = scale(t)
        svg.line(x0, y, x0 + width, y, "#e5e5e5")
        svg.text(x0 - 4, y + 4, f"{t:g}", size=9, anchor="end")
    svg.line(x0, y1, x0 + width, y1, "#333")
    gw = width / len(groups)
    bw = gw * 0.8 / len(series)
    for i, (name, vals) in enumerate(groups):
        gx = x0 + i * gw + gw * 0.1
        for j, s in enumerate(series):
            v = vals.get(s)
            if v:
                y = scale(v)
                svg.rect(gx + j * bw, y, bw * 0.9, y1 - y, COLORS.get(s.split("/")[0], "#888"))
        svg.text(gx + gw * 0.4, y1 + 10, name, size=9, anchor="end", rotate=-45)
    if mark is not None:
        y = scale(mark)
        svg.add(
            f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x0 + width:.1f}" y2="{y:.1f}" '
            'stroke="#000" stroke-dasharray="4 3"/>'
        )


def legend(svg, items, x, y):
    for k, s in enumerate(items):
        svg.rect(x + k * 110, y, 10, 10, COLORS[s])
        svg.text(x + k * 110 + 14, y + 9, s, size=10, anchor="start")


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "performance.svg"
    svg = Svg()
    single = [
        (w, {s: (criterion(w, s) or {}).get("median") for s in SUBJECTS}) for w in SINGLE
    ]
    panel(svg, 60, 480, "One thread: ns per acquire+release", "ns (log)", single, SUBJECTS, True)
    two = {}
    for r in records("scaling"):
        two.setdefault(r["workload"].removeprefix("scale-"), {})[r["subject"]] = r["ratio_median"]
    series = MULTI + ["ours-separate", "cpu"]
    panel(svg, 610, 330, "2 threads ÷ 1 thread (paired trials)", "ratio", list(two.items()), series, False, mark=1.6)
    lat = {r["subject"]: r for r in records("latency")}
    groups = [
        (q, {s: r[f"{q}_us"] for s, r in lat.items()}) for q in ("median", "p99")
    ]
    panel(svg, 1000, 180, "Writer wait, reader stream", "µs (log)", groups, ["ours", "reference", "floor"], True)
    legend(svg, SUBJECTS + ["ours-separate", "cpu"], 60, H - 20)
    svg.text(W - 10, H - 10, "middle and right: ours = RECURSIVE mode; floor = parking_lot RwLock", size=9, anchor="end")
    out.write_text(svg.render())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
