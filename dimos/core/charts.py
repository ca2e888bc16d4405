"""One way to draw a chart: server-rendered SVG bars, accessible, always with its table.

ADR 0013 says why this is a small builder of our own and not a charting library.
Every chart:

* is an ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>``
  that reads the data out (``aria-labelledby`` points at both);
* writes numbers on its axis and labels in the active language's format
  (Greek: «6,22», «1.250»), through Django's ``number_format``;
* carries its data as rows (``Chart.rows``) that the template shows as a table
  (``includes/chart.html``) and that a view can serve as CSV (``chart_csv``).

No colour carries meaning alone: each bar has its value written above it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dimos.core.csv_export import Column, csv_lines

_ids = count(1)


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """A number as people of the active language write it (el: «1.250», «6,22»); «—» for none."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Chart:
    """The data of one chart: a title, labelled values, and how to write them."""

    title: str
    labels: Sequence[str]
    values: Sequence[float | int | None]
    unit: str = ""
    decimals: int = 0
    label_heading: str = ""
    value_heading: str = ""

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(label, formatted value) pairs: the table alternative and the CSV."""
        return [(label, self.text(value)) for label, value in zip(self.labels, self.values, strict=True)]

    def text(self, value: float | int | None) -> str:
        written = format_number(value, self.decimals)
        return f"{written} {self.unit}".strip() if value is not None and self.unit else written


def axis_ticks(high: float) -> list[float]:
    """Round ticks from 0 to at or above ``high``: a step of 1, 2 or 5 × 10ⁿ, at most five intervals."""
    if high <= 0:
        return [0.0, 1.0]
    rough = high / 4
    exponent = math.floor(math.log10(rough))
    step = next(m * 10**exponent for m in (1, 2, 5, 10) if m * 10**exponent >= rough)
    intervals = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(intervals + 1)]


def bar_chart(chart: Chart, *, width: int = 640, height: int = 240) -> SafeString:
    """The chart as inline SVG (bars with values written on them, a labelled value axis)."""
    if not chart.labels:
        return mark_safe("")
    uid = f"chart-{next(_ids)}"
    pad_l, pad_r, pad_t, pad_b = 56, 12, 24, 44
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    known = [v for v in chart.values if v is not None]
    ticks = axis_ticks(max(known, default=0))
    top = ticks[-1]
    tick_decimals = 0 if all(float(t).is_integer() for t in ticks) else max(chart.decimals, 1)
    slot = plot_w / len(chart.labels)
    bar_w = max(4.0, slot * 0.6)
    summary = "; ".join(f"{label}: {value}" for label, value in chart.rows)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{uid}-t">{escape(chart.title)}</title>',
        f'<desc id="{uid}-d">{escape(summary)}</desc>',
    ]
    for value in ticks:
        y = pad_t + plot_h - plot_h * value / top
        parts.append(
            f'<line class="grid" x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" aria-hidden="true"/>'
            f'<text class="axis" x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end" aria-hidden="true">'
            f"{escape(format_number(value, tick_decimals))}</text>"
        )
    for i, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        x = pad_l + slot * i + (slot - bar_w) / 2
        centre = x + bar_w / 2
        if value is not None:
            h = plot_h * (value / top) if top else 0
            y = pad_t + plot_h - h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" aria-hidden="true"/>'
            )
        label_y = pad_t + plot_h - (plot_h * (value or 0) / top) - 4
        parts.append(
            f'<text class="value" x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle" aria-hidden="true">'
            f"{escape(format_number(value, chart.decimals))}</text>"
            f'<text class="axis" x="{centre:.1f}" y="{height - pad_b + 16}" text-anchor="middle" '
            f'aria-hidden="true">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def chart_csv(chart: Chart) -> str:
    """The chart's data as CSV through the one CSV helper (BOM, the language's separator, labels)."""
    columns = [
        Column("label", chart.label_heading or _("Κατηγορία")),
        Column("value", chart.value_heading or _("Τιμή")),
    ]
    return "".join(csv_lines(columns, zip(chart.labels, chart.values, strict=True)))
