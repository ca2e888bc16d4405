"""The one chart builder: accessible names, Greek numbers, the table and CSV alternatives."""

from __future__ import annotations

from django.utils import translation

from dimos.core.charts import Chart, axis_ticks, bar_chart, chart_csv, format_number


def test_numbers_are_written_the_greek_way() -> None:
    with translation.override("el"):
        assert format_number(6.22, 2) == "6,22"
        assert format_number(1250) == "1.250"
        assert format_number(None) == "—"
    with translation.override("en"):
        assert format_number(6.22, 2) == "6.22"


def test_a_chart_is_an_image_with_a_name_a_description_and_greek_axis() -> None:
    chart = Chart("Μέσος χρόνος", ["Οκτ", "Νοε"], [6.22, None], unit="ημ.", decimals=2)
    with translation.override("el"):
        svg = str(bar_chart(chart))
        rows = chart.rows
    assert 'role="img"' in svg and 'aria-labelledby="' in svg
    assert "<title" in svg and "Μέσος χρόνος" in svg
    assert "<desc" in svg and "Οκτ: 6,22 ημ.; Νοε: —" in svg
    assert ">6,22<" in svg and "6.22" not in svg.split("<desc")[0] + svg.split("</desc>")[1]
    assert rows == [("Οκτ", "6,22 ημ."), ("Νοε", "—")]


def test_text_is_escaped_and_an_empty_chart_draws_nothing() -> None:
    svg = str(bar_chart(Chart("<script>", ["a&b"], [1])))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    assert str(bar_chart(Chart("x", [], []))) == ""


def test_csv_keeps_plain_numbers_and_empty_cells() -> None:
    text = chart_csv(Chart("x", ["Οκτ", "Νοε"], [1250, None], label_heading="Μήνας", value_heading="Πλήθος"))
    # Through the one CSV helper: BOM and «;» for Greek spreadsheets, an empty cell for no value.
    assert text.splitlines() == ["\ufeffΜήνας;Πλήθος", "Οκτ;1250", "Νοε;"]


def test_axis_ticks_are_round_numbers_that_reach_the_highest_value() -> None:
    assert axis_ticks(3) == [0, 1, 2, 3]
    assert axis_ticks(107) == [0, 50, 100, 150]
    assert axis_ticks(6.22) == [0, 2, 4, 6, 8]
    assert axis_ticks(0.3) == [0, 0.1, 0.2, 0.3]
    assert axis_ticks(0) == [0, 1]
