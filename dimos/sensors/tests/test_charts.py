"""Chart axes read in the page's language: round ticks, Greek decimal comma."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from dimos.sensors.charts import line_chart, nice_ticks

START = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)


def _axis(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end"[^>]*>([^<]+)</text>', svg)


def test_ticks_are_round_numbers_covering_the_data() -> None:
    assert nice_ticks(0, 16.1) == ([0, 5, 10, 15, 20], 0)
    assert nice_ticks(0, 0.856) == ([0, 0.5, 1.0], 1)
    assert nice_ticks(0, 6.22) == ([0, 2, 4, 6, 8], 0)
    assert nice_ticks(-3, 0.5) == ([-3, -2, -1, 0, 1], 0)
    assert nice_ticks(0, 0.09) == ([0, 0.05, 0.1], 2)


def test_greek_axis_uses_the_decimal_comma() -> None:
    points = [(START + timedelta(hours=i), v) for i, v in enumerate([0.12, 0.856, 0.4])]
    with translation.override("el"):
        svg = str(line_chart(points, title="Πλήρωση"))
    assert _axis(svg) == ["0,0", "0,5", "1,0"]


@pytest.mark.parametrize(("language", "expected"), [("el", "1,5"), ("en", "1.5")])
def test_axis_labels_follow_the_language(language: str, expected: str) -> None:
    points = [(START + timedelta(hours=i), v) for i, v in enumerate([0.3, 1.22, 1.9])]
    with translation.override(language):
        labels = _axis(str(line_chart(points, title="PM2.5")))
    assert expected in labels and not any(re.search(r"\d\.\d\d", x) for x in labels)
