"""Charts draw only shown values, describe themselves in words and format numbers in Dutch."""

from __future__ import annotations

import re

import pytest

from reports import build_report
from reports.charts import SCREEN, inline_svg, render_png, render_svg
from reports.example_input import example_report_input


def chart(report, key):
    return next(spec for spec in report.charts if spec.key == key)


def test_themes_by_month_chart_has_no_value_for_suppressed_cells(noord_report):
    spec = chart(noord_report, "themes-by-month")
    values = {series.name: series.values for series in spec.series}
    assert values == {
        "Eenzaamheid": [None, None, 18],
        "Armoede": [None, None, 10],
        "Gezondheid": [20, 22, 25],
    }
    assert spec.categories == ["jan 2026", "feb 2026", "mrt 2026"]


def test_chart_alt_text_summarises_the_trend_and_the_hidden_cells(noord_report):
    alt = chart(noord_report, "themes-by-month").alt_text
    assert "januari 2026 tot en met maart 2026" in alt
    assert "Gezondheid: van 20 in januari 2026 naar 25 in maart 2026" in alt
    assert "4 waarden zijn niet getoond" in alt


def test_subarea_chart_ranks_subareas_and_hides_small_cells(noord_report):
    spec = chart(noord_report, "themes-by-subarea")
    assert {s.name: s.values for s in spec.series}["Armoede"] == [None, None]
    assert "Gezondheid: de meeste in Nieuwendam (37), de minste in Banne (30)." in spec.alt_text


def test_svg_keeps_text_as_text_with_dutch_labels_and_the_suppression_note(noord_report):
    svg = render_svg(chart(noord_report, "themes-by-month")).decode("utf-8")
    assert "mrt 2026" in svg
    assert "te weinig gegevens" in svg
    assert "#0072b2" in svg.lower()  # Okabe–Ito blue


def test_large_numbers_on_axes_use_dutch_thousands_separators():
    report = build_report(example_report_input(months=6, initiatives=300))
    svg = render_svg(chart(report, "activity-by-month")).decode("utf-8")
    assert re.search(r">\d{1,3}\.\d{3}<", svg), "no 1.234-style tick label"


def test_inline_svgs_are_labelled_and_have_ids_unique_per_chart(noord_report):
    first, second = (inline_svg(spec) for spec in noord_report.charts[:2])
    assert first.startswith("<svg") and 'role="img"' in first and "aria-label=" in first
    ids = set(re.findall(r'id="([^"]+)"', first)) & set(re.findall(r'id="([^"]+)"', second))
    assert ids == set()


@pytest.mark.parametrize("dpi", [72, 150])
def test_png_rendering(noord_report, dpi):
    png = render_png(chart(noord_report, "activity-by-month"), dpi=dpi)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_chart_text_stays_readable_when_shown_360_px_wide():
    report = build_report(example_report_input(months=18))
    for spec in report.charts:
        svg = render_svg(spec).decode("utf-8")
        width_pt = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg)[1])
        sizes = [float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)]
        assert sizes and min(sizes) * 360 / width_pt >= 11, spec.key


def test_long_month_ranges_get_short_horizontal_tick_labels_with_the_year_where_it_changes():
    from reports.charts import _x_ticks

    report = build_report(example_report_input(months=18))
    positions, labels = _x_ticks(chart(report, "themes-by-month"), SCREEN)
    assert positions == list(range(0, 18, 2))
    assert labels[0].split("\n")[1].isdigit() and len(labels[1]) <= 4
    assert sum("\n" in label for label in labels) == 2  # the first tick and the first January


def test_suppressed_cells_are_marked_below_the_axis_never_where_a_zero_is_drawn():
    from reports.charts import ChartSpec, Series, draw
    from reports.tables import Table

    spec = ChartSpec(
        key="zero-and-hidden",
        kind="lines",
        title="Verhalen",
        categories=["jul", "aug", "sep", "okt"],
        series=[Series("Armoede", [0, 0, 0, 5]), Series("Eenzaamheid", [None, 6, None, 7])],
        panel_titles=[],
        alt_text="",
        table=Table("Verhalen", [], [], []),
        locale="nl",
        footnote="te weinig gegevens",
    )
    figure = draw(spec)
    figure.canvas.draw()
    axes = figure.axes[0]
    crosses = [line for line in axes.get_lines() if line.get_marker() == "x"]
    assert len(crosses) == 1 and len(crosses[0].get_xdata()) == 2
    bottom = axes.get_window_extent().y0
    cross_y = crosses[0].get_transform().transform(crosses[0].get_xydata())[:, 1]
    zero_y = axes.transData.transform([(0, 0)])[0, 1]
    assert zero_y == pytest.approx(bottom, abs=0.5)
    assert all(y < bottom - 3 for y in cross_y)  # clear of the 0 line and its markers
