"""Inline SVG charts for the editorial report: no library, no script, no external resource.

Every chart is an ``<svg role="img">`` with an ``aria-labelledby`` title and description (text
alternative), and each data point has an SVG ``<title>`` child, which browsers show on hover.
All text is escaped here (the result is Markup, inserted as is by the autoescaping template).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from contentkit.i18n import catalog

__all__ = ["scatter", "interval_chart", "bar_chart", "link_graph", "number"]

W, H = 640, 340
ML, MR, MT, MB = 64, 16, 16, 52
INK, GRID, ACCENT, MUTED, HI = "#1f2933", "#d9dee3", "#1f5fa8", "#6b7785", "#b3261e"
_uid = [0]



def _t(fr: bool, key: str, **kwargs) -> str:
    """A chart wording (catalog section analysis.charts) in the report's language."""
    return catalog("fr" if fr else "en").t(f"analysis.charts.{key}", **kwargs)

def _id(prefix: str) -> str:
    _uid[0] += 1
    return f"{prefix}{_uid[0]}"


def number(x: float | None, fr: bool, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if abs(x) >= 1000:
        s = f"{x:,.0f}"
        return s.replace(",", "\u202f") if fr else s
    s = f"{x:.{digits}f}"
    return s.replace(".", ",") if fr else s


def _ticks(lo: float, hi: float, log: bool) -> list[float]:
    if log:
        out = []
        e = math.floor(math.log10(max(lo, 1e-9)))
        while 10 ** e <= hi * 1.0001:
            for m in (1, 2, 5):
                v = m * 10 ** e
                if lo <= v <= hi:
                    out.append(v)
            e += 1
        return out or [lo, hi]
    span = hi - lo or 1.0
    step = 10 ** math.floor(math.log10(span / 5))
    for m in (1, 2, 5, 10):
        if span / (step * m) <= 6:
            step *= m
            break
    start = math.ceil(lo / step) * step
    out, v = [], start
    while v <= hi + 1e-9:
        out.append(round(v, 10))
        v += step
    return out


def _scale(lo, hi, a, b, log):
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
    span = (hi - lo) or 1.0

    def f(v):
        v = math.log10(v) if log else v
        return a + (v - lo) / span * (b - a)
    return f


def _frame(title: str, desc: str, body: list[str], width=W, height=H, cls="chart") -> Markup:
    tid, did = _id("t"), _id("d")
    head = (f'<svg class="{cls}" role="img" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" aria-labelledby="{tid} {did}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _axes(xs_t, ys_t, fx, fy, xlabel, ylabel, fr, width=W, height=H) -> list[str]:
    out = []
    for v in ys_t:
        y = fy(v)
        out.append(f'<line x1="{ML}" x2="{width - MR}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{ML - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="{INK}">{escape(number(v, fr, 2 if abs(v) < 10 else 0))}</text>')
    for v in xs_t:
        x = fx(v)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MT}" y2="{height - MB}" stroke="{GRID}"/>'
                   f'<text x="{x:.1f}" y="{height - MB + 16}" text-anchor="middle" font-size="11" '
                   f'fill="{INK}">{escape(number(v, fr, 0))}</text>')
    out.append(f'<line x1="{ML}" x2="{width - MR}" y1="{height - MB}" y2="{height - MB}" stroke="{INK}"/>'
               f'<line x1="{ML}" x2="{ML}" y1="{MT}" y2="{height - MB}" stroke="{INK}"/>')
    out.append(f'<text x="{(ML + width - MR) / 2:.0f}" y="{height - 10}" text-anchor="middle" '
               f'font-size="12" fill="{INK}">{escape(xlabel)}</text>')
    out.append(f'<text transform="translate(14 {(MT + height - MB) / 2:.0f}) rotate(-90)" '
               f'text-anchor="middle" font-size="12" fill="{INK}">{escape(ylabel)}</text>')
    return out


def scatter(points: Sequence[tuple[float, float, str]], xlabel: str, ylabel: str, title: str,
            fr: bool, logx: bool = True, logy: bool = False,
            highlight: set[int] | None = None, desc: str = "") -> Markup:
    """One dot per article (x, y, hover text). ``highlight``: indexes drawn in red, on top."""
    pts = [(x, y, t, i) for i, (x, y, t) in enumerate(points)
           if x is not None and y is not None and (not logx or x > 0) and (not logy or y > 0)]
    if not pts:
        no_data = _t(fr, "no_data")
        return _frame(title, desc or no_data,
                      [f'<text x="{W / 2}" y="{H / 2}" text-anchor="middle" fill="{MUTED}">'
                       f'{no_data}</text>'])
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    xlo, xhi = min(xs), max(xs)
    ylo, yhi = min(ys), max(ys)
    if logx:
        xlo, xhi = xlo / 1.15, xhi * 1.15
    else:
        pad = (xhi - xlo) * 0.05 or 1
        xlo, xhi = xlo - pad, xhi + pad
    if logy:
        ylo, yhi = ylo / 1.2, yhi * 1.2
    else:
        pad = (yhi - ylo) * 0.08 or 1
        ylo, yhi = min(0, ylo) if ylo >= 0 else ylo - pad, yhi + pad
    fx = _scale(xlo, xhi, ML, W - MR, logx)
    fy = _scale(ylo, yhi, H - MB, MT, logy)
    body = _axes(_ticks(xlo, xhi, logx), _ticks(ylo, yhi, logy), fx, fy, xlabel, ylabel, fr)
    highlight = highlight or set()
    ordered = sorted(pts, key=lambda p: p[3] in highlight)
    for x, y, t, i in ordered:
        hi = i in highlight
        body.append(f'<circle class="dot" cx="{fx(x):.1f}" cy="{fy(y):.1f}" r="{5 if hi else 4}" '
                    f'fill="{HI if hi else ACCENT}" fill-opacity="{0.95 if hi else 0.7}" '
                    f'stroke="#fff" stroke-width="0.8"><title>{escape(t)}</title></circle>')
    if not desc:
        desc = _t(fr, "scatter_desc", n=len(pts), xlabel=xlabel, ylabel=ylabel)
    return _frame(title, desc, body)


def interval_chart(rows: Sequence[tuple[str, float | None, list | None, int]], ylabel: str,
                   title: str, fr: bool, ref_label: str | None = None) -> Markup:
    """Medians with their 95 % intervals per group (label, median, [lo, hi] or None, n)."""
    vals = [v for _, m, ci, _ in rows for v in ([m] + (ci or [])) if v is not None]
    if not vals:
        return _frame(title, _t(fr, "no_data"), [])
    lo, hi = min(0.0, min(vals)), max(vals) * 1.1 or 1.0
    fy = _scale(lo, hi, H - MB, MT, False)
    step = (W - ML - MR) / max(len(rows), 1)
    fx = lambda k: ML + step * (k + 0.5)  # noqa: E731
    body = _axes([], _ticks(lo, hi, False), fx, fy, "", ylabel, fr)
    for k, (label, med, ci, n) in enumerate(rows):
        x = fx(k)
        ref = label == ref_label
        body.append(f'<text x="{x:.1f}" y="{H - MB + 16}" text-anchor="middle" font-size="11" '
                    f'fill="{INK}" font-weight="{700 if ref else 400}">{escape(label)}</text>'
                    f'<text x="{x:.1f}" y="{H - MB + 30}" text-anchor="middle" font-size="10" '
                    f'fill="{MUTED}">n = {n}</text>')
        if med is None:
            continue
        tip = _t(fr, "median_tip", label=label, median=number(med, fr, 2))
        if ci:
            tip += _t(fr, "ci_tip", lo=number(ci[0], fr, 2), hi=number(ci[1], fr, 2))
            body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{fy(ci[0]):.1f}" y2="{fy(ci[1]):.1f}" '
                        f'stroke="{INK}" stroke-width="2"/>'
                        f'<line x1="{x - 8:.1f}" x2="{x + 8:.1f}" y1="{fy(ci[0]):.1f}" y2="{fy(ci[0]):.1f}" stroke="{INK}" stroke-width="2"/>'
                        f'<line x1="{x - 8:.1f}" x2="{x + 8:.1f}" y1="{fy(ci[1]):.1f}" y2="{fy(ci[1]):.1f}" stroke="{INK}" stroke-width="2"/>')
        else:
            tip += _t(fr, "no_interval_tip")
        body.append(f'<rect class="bar" x="{x - 7:.1f}" y="{fy(med) - 7:.1f}" width="14" height="14" '
                    f'fill="{HI if ref else ACCENT}"><title>{escape(tip)}</title></rect>')
    desc = "; ".join(f"{label}: {number(m, fr, 2)} (n={n})" for label, m, _, n in rows)
    return _frame(title, desc, body)


def bar_chart(rows: Sequence[tuple[str, float | None, int]], ylabel: str, title: str,
              fr: bool) -> Markup:
    vals = [v for _, v, _ in rows if v is not None]
    if not vals:
        return _frame(title, _t(fr, "no_data"), [])
    hi = max(vals) * 1.15 or 1.0
    fy = _scale(0, hi, H - MB, MT, False)
    step = (W - ML - MR) / max(len(rows), 1)
    body = _axes([], _ticks(0, hi, False), lambda v: v, fy, "", ylabel, fr)
    for k, (label, v, n) in enumerate(rows):
        x = ML + step * k + step * 0.15
        body.append(f'<text x="{x + step * 0.35:.1f}" y="{H - MB + 16}" text-anchor="middle" '
                    f'font-size="11" fill="{INK}">{escape(label)}</text>'
                    f'<text x="{x + step * 0.35:.1f}" y="{H - MB + 30}" text-anchor="middle" '
                    f'font-size="10" fill="{MUTED}">n = {n}</text>')
        if v is None:
            continue
        body.append(f'<rect class="bar" x="{x:.1f}" y="{fy(v):.1f}" width="{step * 0.7:.1f}" '
                    f'height="{fy(0) - fy(v):.1f}" fill="{ACCENT}"><title>{escape(label)}: '
                    f'{escape(number(v, fr, 2))} (n = {n})</title></rect>')
    desc = "; ".join(f"{label}: {number(v, fr, 2)} (n={n})" for label, v, n in rows)
    return _frame(title, desc, body)


_PALETTE = ["#1f5fa8", "#b3261e", "#2e7d32", "#8a4baf", "#b35c00", "#00707a", "#5d4037",
            "#c2185b", "#455a64", "#6b8e23"]


def link_graph(nodes: Sequence[tuple[str, str, int]], edges: Sequence[tuple[int, int]],
               title: str, fr: bool) -> Markup:
    """Articles on a circle grouped by cluster (colour), internal links as chords.
    nodes = (hover text, cluster, in-degree)."""
    size = 640
    cx = cy = size / 2
    radius = size / 2 - 110
    order = sorted(range(len(nodes)), key=lambda i: (nodes[i][1], nodes[i][0]))
    clusters = sorted({n[1] for n in nodes})
    colour = {c: _PALETTE[k % len(_PALETTE)] for k, c in enumerate(clusters)}
    pos = {}
    gap = 0.04 * 2 * math.pi / max(len(clusters), 1)
    total = 2 * math.pi - gap * len(clusters)
    angle, prev = -math.pi / 2, None
    per = total / max(len(nodes), 1)
    for i in order:
        if prev is not None and nodes[i][1] != prev:
            angle += gap
        prev = nodes[i][1]
        pos[i] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
        angle += per
    body = []
    for i, j in edges:
        (x1, y1, _), (x2, y2, _) = pos[i], pos[j]
        same = nodes[i][1] == nodes[j][1]
        body.append(f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" fill="none" '
                    f'stroke="{colour[nodes[i][1]] if same else MUTED}" stroke-opacity="0.45" '
                    f'stroke-width="1"/>')
    for i in order:
        x, y, _ = pos[i]
        text, cl, deg = nodes[i]
        r = 3 + min(9, 2 * math.sqrt(deg))
        body.append(f'<circle class="node" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour[cl]}" '
                    f'stroke="{"#000" if deg == 0 else "#fff"}" stroke-width="{1.5 if deg == 0 else 1}">'
                    f'<title>{escape(text)}</title></circle>')
    # legend
    for k, c in enumerate(clusters):
        body.append(f'<rect x="8" y="{8 + 16 * k}" width="10" height="10" fill="{colour[c]}"/>'
                    f'<text x="24" y="{17 + 16 * k}" font-size="11" fill="{INK}">'
                    f'{escape(c or _t(fr, "no_category"))}</text>')
    desc = _t(fr, "graph_desc", n=len(nodes), edges=len(edges), clusters=len(clusters))
    return _frame(title, desc, body, width=size, height=size, cls="chart graph")
