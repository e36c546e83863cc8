"""Figures match hand-computed numbers, and small cells are suppressed without leaking."""

from __future__ import annotations

import dataclasses

import pytest

from reports import build_report
from reports.data import ThemeMonthCount
from reports.figures import compute_figures
from reports.i18n import NumberFormat
from reports.suppression import SuppressionRules, secondary_suppression

from .factories import THEME_COUNTS, noord_q1

RULES = SuppressionRules()


@pytest.fixture(scope="module")
def figures():
    return compute_figures(noord_q1(), "nl", RULES)


def test_stories_per_theme_and_share_of_all_stories(figures):
    assert figures.story_total.value == 150
    by_key = {theme.key: theme for theme in figures.themes}
    assert by_key["eenzaamheid"].count.value == 45
    assert by_key["eenzaamheid"].share.value == pytest.approx(0.30)
    assert by_key["armoede"].count.value == 21
    assert by_key["armoede"].share.value == pytest.approx(21 / 150)
    assert by_key["gezondheid"].count.value == 67
    assert by_key["gezondheid"].share.basis.stories == 150


def test_change_against_previous_period_in_count_and_share(figures):
    by_key = {theme.key: theme for theme in figures.themes}
    loneliness = by_key["eenzaamheid"]
    assert loneliness.previous_count.value == 40
    assert loneliness.change_count.value == 5
    assert loneliness.change_share.value == pytest.approx(45 / 150 - 40 / 120)
    assert by_key["gezondheid"].change_share.value == pytest.approx(67 / 150 - 50 / 120)


def test_change_is_suppressed_when_the_previous_count_was_below_five(figures):
    poverty = next(theme for theme in figures.themes if theme.key == "armoede")
    for metric in (poverty.previous_count, poverty.change_count, poverty.change_share):
        assert metric.suppressed and metric.value is None


def test_month_cells_below_five_are_hidden_with_the_cells_that_would_reveal_them(figures):
    table = figures.by_month
    hidden = {key for key, metric in table.cells.items() if metric.suppressed}
    # Feb/armoede (3) is small; Feb/eenzaamheid hides it from the February total, Jan/armoede
    # from the armoede total, and Jan/eenzaamheid then protects Feb/eenzaamheid in its column.
    assert hidden == {
        ("2026-02", "armoede"),
        ("2026-02", "eenzaamheid"),
        ("2026-01", "armoede"),
        ("2026-01", "eenzaamheid"),
    }
    assert all(table.cells[key].value is None for key in hidden)
    assert table.cell("2026-03", "armoede").value == 10
    assert table.row_totals["2026-02"].value == 50


def test_subarea_cells_below_five_are_hidden_with_their_complement(figures):
    table = figures.by_subarea
    assert table.cell("Banne", "armoede").suppressed
    assert table.cell("Nieuwendam", "armoede").suppressed
    assert table.cell("Banne", "gezondheid").value == 30


def test_activity_totals_sum_counts_and_average_people_per_month(figures):
    totals = figures.activity.totals
    assert totals["activities"].value == 90
    assert totals["visits"].value == 900
    assert totals["new_participants"].value == 60
    assert totals["volunteer_hours"].value == pytest.approx(360.5)
    assert totals["meals"].value == 150
    assert totals["unique_participants"].value == pytest.approx(100)
    assert totals["volunteers"].value == pytest.approx(15)
    basis = totals["activities"].basis
    assert (basis.initiatives_reporting, basis.initiatives_active) == (8, 10)
    assert basis.reporting_share == pytest.approx(0.8)


def test_months_with_fewer_than_three_initiatives_are_hidden_with_one_more(figures):
    by_month = figures.activity.by_month
    assert all(metric.suppressed for metric in by_month["2026-02"].values())
    # January is hidden too, or total minus January and March would give February away.
    assert all(metric.suppressed for metric in by_month["2026-01"].values())
    assert by_month["2026-03"]["activities"].value == 40


def test_reach_per_thousand_inhabitants(figures):
    assert figures.reach["participants_per_1000"].value == pytest.approx(1.0)
    assert figures.reach["new_per_1000"].value == pytest.approx(0.6)


def test_subsidy_per_participant_activity_and_inhabitant_against_benchmark(figures):
    cost = figures.cost
    assert cost["per_participant"].value == pytest.approx(450)
    assert cost["per_activity"].value == pytest.approx(500)
    assert cost["per_inhabitant_year"].value == pytest.approx(45_000 / 100_000 * 4)
    assert cost["share_of_benchmark"].value == pytest.approx(1.8 / 25)


def test_top_initiatives_ranked_by_activities_then_visits(figures):
    names = [name for name, _activities, _visits in figures.top_initiatives]
    assert names == ["Buurthuiskamer De Linde", "Taalcafé Noord", "Wandelgroep Banne"]


def test_everything_is_suppressed_when_fewer_than_three_initiatives_reported():
    data = noord_q1(initiatives_reporting=2)
    figures = compute_figures(data, "nl", RULES)
    assert all(metric.suppressed for metric in figures.activity.totals.values())
    assert figures.reach["participants_per_1000"].suppressed
    assert figures.cost["per_participant"].suppressed
    assert figures.cost["per_activity"].suppressed
    assert figures.top_initiatives == []


def test_a_suppressed_metric_keeps_no_small_story_count_in_its_basis():
    data = noord_q1(story_totals_by_month=[], story_counts_by_month_theme=[])
    figures = compute_figures(data, "nl", RULES)
    assert figures.story_total.suppressed
    assert figures.story_total.basis.stories is None
    for theme in figures.themes:
        for field in dataclasses.fields(theme):
            metric = getattr(theme, field.name)
            if hasattr(metric, "suppressed") and metric.suppressed:
                assert metric.value is None
                assert metric.basis.stories is None or metric.basis.stories >= 5


def test_secondary_suppression_leaves_no_group_with_a_single_hidden_cell():
    values = {
        (r, c): v
        for r, row in enumerate([[1, 9, 9], [9, 9, 9], [9, 9, 2]])
        for c, v in enumerate(row)
    }
    small = {key for key, value in values.items() if value < 5}
    rows = [[(r, c) for c in range(3)] for r in range(3)]
    cols = [[(r, c) for r in range(3)] for c in range(3)]
    hidden = secondary_suppression(values, small, rows + cols)
    for group in rows + cols:
        assert sum(key in hidden for key in group) != 1
    assert small <= hidden


def test_a_small_month_total_is_hidden_with_another_so_the_period_total_cannot_reveal_it():
    from reports.data import MonthTotal

    totals = [MonthTotal("2026-01", 40), MonthTotal("2026-02", 4), MonthTotal("2026-03", 60)]
    figures = compute_figures(noord_q1(story_totals_by_month=totals), "nl", RULES)
    row_totals = figures.by_month.row_totals
    assert figures.story_total.value == 104
    assert row_totals["2026-02"].suppressed and row_totals["2026-01"].suppressed
    assert row_totals["2026-03"].value == 60


def test_a_non_zero_share_never_reads_as_zero_percent():
    numbers = NumberFormat("nl")
    assert numbers.percent(0.0004) == "< 0,1%"
    assert numbers.percent(0.004, 0) == "< 1%"
    assert numbers.percent(0.0) == "0,0%"
    assert numbers.percent(0.006, 0) == "1%"


def test_a_chart_with_every_value_hidden_becomes_one_sentence_without_a_wall_of_cells():
    tiny = {key: 1 for key in THEME_COUNTS}
    data = noord_q1(
        story_counts_by_month_theme=[ThemeMonthCount(m, t, n) for (m, t), n in tiny.items()],
        story_counts_by_subarea_theme=[],
    )
    report = build_report(data)
    themes = report.section("themes")
    assert not any(chart.key == "themes-by-month" for chart in themes.charts)
    assert any(p.startswith("Hier staat geen grafiek en geen tabel") for p in themes.paragraphs)
    assert not any(table.caption == "Verhalen per thema per maand" for table in themes.tables)
    assert any(table.caption == "Verhalen per thema" for table in themes.tables)  # the totals


def test_activity_of_too_few_initiatives_is_one_sentence_not_a_table_of_hidden_cells():
    from reports.data import ActivityMonth

    months = ("2026-01", "2026-02", "2026-03")
    data = noord_q1(
        activity_by_month=[ActivityMonth(m, 3, 30, 10, 2, 2, 8.0, 5, 1) for m in months],
        initiatives_active=1,
        initiatives_reporting=1,
    )
    report = build_report(data)
    sentence = (
        "1 van 1 initiatief gaf cijfers door. We tonen activiteiten alleen als minstens 3 "
        "initiatieven cijfers doorgaven. Zo is geen getal terug te leiden naar één initiatief."
    )
    summary = report.section("summary")
    assert sentence in summary.paragraphs
    assert [figure.key for figure in summary.key_figures] == ["stories"]
    activity = report.section("activity")
    assert sentence in activity.paragraphs
    assert not activity.charts and not activity.tables
    assert all(not figure.suppressed for figure in activity.key_figures)
    json_text = render_json_text(report)
    assert '"visits"' in json_text and '"value": 90' not in json_text  # still suppressed


def test_incomplete_months_are_not_described_as_a_decline():
    data = noord_q1(incomplete_months=["2026-03"])
    report = build_report(data)
    chart = next(c for c in report.charts if c.key == "themes-by-month")
    assert chart.incomplete == [False, False, True]
    assert "maart 2026" in chart.alt_text.split("Nog niet volledig")[1]
    described = chart.alt_text.split("Nog niet volledig")[0]
    assert "22 in februari 2026" in described and "25" not in described  # gezondheid


@pytest.mark.parametrize(
    ("reporting", "active", "text"),
    [
        (1, 1, "1 van 1 initiatief gaf cijfers door"),
        (0, 1, "0 van 1 initiatief gaf cijfers door"),
        (1, 7, "1 van 7 initiatieven gaf cijfers door"),
        (3, 7, "3 van 7 initiatieven gaven cijfers door"),
        (1, None, "1 initiatief gaf cijfers door"),
        (4, None, "4 initiatieven gaven cijfers door"),
    ],
)
def test_initiative_coverage_agrees_in_number(reporting, active, text):
    from reports.i18n import NumberFormat, translator
    from reports.tables import Formatter

    fmt = Formatter(NumberFormat("nl"), translator("nl"))
    assert fmt.coverage(reporting, active) == text


def render_json_text(report) -> str:
    import io

    from reports import render_json

    buffer = io.BytesIO()
    render_json(report, buffer)
    return buffer.getvalue().decode("utf-8")
