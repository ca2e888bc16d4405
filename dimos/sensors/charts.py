"""Server-rendered SVG line charts (no JavaScript), always paired with a data table."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dimos.core.formatting import number

# Up to this many points, each is also drawn as a dot (a single reading is otherwise invisible).
MARKED_POINTS = 30


def nice_ticks(low: float, high: float, *, count: int = 4) -> tuple[list[float], int]:
    """Round axis ticks covering ``low``..``high`` (0, 5, 10… or 0, 0,5, 1,0…) and the
    decimals they need, so an axis reads «6» or «6,5», never «6.22» or «16.1»."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = [round(first, 10)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(first + step * len(ticks), 10))
    decimals = next(d for d in range(7) if abs(round(step, d) - step) < 1e-9 * max(1.0, step))
    return ticks, decimals


def line_chart(
    points: list[tuple[datetime, float]],
    *,
    title: str,
    unit: str = "",
    bands: list[tuple[float, str]] | None = None,
    width: int = 640,
    height: int = 220,
    time_format: str = "%H:%M",
) -> SafeString:
    """An accessible SVG: role=img, a <title>, axis labels; the caller adds a table."""
    pad_l, pad_r, pad_t, pad_b = 52, 28, 22, 28
    if not points:
        return mark_safe("")
    values = [v for _, v in points]
    ticks, decimals = nice_ticks(min(0.0, min(values)), max(values))
    low, high = ticks[0], ticks[-1]
    t0, t1 = points[0][0].timestamp(), points[-1][0].timestamp()
    span = (t1 - t0) or 1

    def x(t: datetime) -> float:
        return pad_l + (t.timestamp() - t0) / span * (width - pad_l - pad_r)

    def y(v: float) -> float:
        return pad_t + (1 - (v - low) / (high - low)) * (height - pad_t - pad_b)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-{id(points)}" '
        f'preserveAspectRatio="none" width="100%">',
        f'<title id="chart-{id(points)}">{escape(title)}</title>',
    ]
    previous = low
    for edge, colour in bands or []:
        top = min(edge, high)
        if top > previous:
            parts.append(
                f'<rect x="{pad_l}" y="{y(top):.1f}" width="{width - pad_l - pad_r}" '
                f'height="{y(previous) - y(top):.1f}" fill="{escape(colour)}" opacity="0.25"/>'
            )
        previous = max(previous, edge)
    for v in ticks:
        parts.append(
            f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#c5ccd3"/>'
            f'<text x="{pad_l - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{number(v, decimals)}</text>'
        )
    local = [(timezone.localtime(t), v) for t, v in points]
    for t, _ in local[:: max(1, len(local) // 6)]:
        parts.append(
            f'<text x="{x(t):.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#333">'
            f"{escape(t.strftime(time_format))}</text>"
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(t):.1f},{y(v):.1f}" for i, (t, v) in enumerate(points))
    parts.append(f'<path d="{path}" fill="none" stroke="#003476" stroke-width="2.5"/>')
    if len(points) <= MARKED_POINTS:  # a few readings (or one) stay visible as dots
        parts.extend(f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="3.5" fill="#003476"/>' for t, v in points)
    if unit:
        parts.append(f'<text x="4" y="12" font-size="11" fill="#333">{escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
