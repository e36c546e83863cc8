"""For any aggregate rows: no small cell is shown, no total reveals one, and rendering works."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import build_report, render_html, render_json
from reports.data import (
    ActivityMonth,
    Area,
    MonthTotal,
    Period,
    ReportInput,
    ReportQuery,
    SubareaThemeCount,
    ThemeMonthCount,
)
from reports.figures import compute_figures
from reports.suppression import SuppressionRules

from .factories import THEME_NAMES

MONTHS = ["2026-01", "2026-02", "2026-03"]
THEMES = list(THEME_NAMES)
small_or_large = st.one_of(st.integers(0, 6), st.integers(0, 400))


@st.composite
def report_inputs(draw) -> ReportInput:
    cells = {(m, t): draw(small_or_large) for m in MONTHS for t in THEMES}
    totals = {
        m: max((cells[(m, t)] for t in THEMES), default=0) + draw(st.integers(0, 20))
        for m in MONTHS
    }
    subareas = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), unique=True, max_size=4))
    reporting = [draw(st.integers(0, 8)) for _ in MONTHS]
    return ReportInput(
        query=ReportQuery(Period.parse("2026-Q1"), Area("stadsdeel", "x", "Noord", 20_000)),
        theme_names=THEME_NAMES,
        story_counts_by_month_theme=[ThemeMonthCount(m, t, n) for (m, t), n in cells.items()],
        story_totals_by_month=[MonthTotal(m, n) for m, n in totals.items()],
        story_counts_by_subarea_theme=[
            SubareaThemeCount(s, t, draw(small_or_large)) for s in subareas for t in THEMES
        ],
        activity_by_month=[
            ActivityMonth(m, 10 * r, 50 * r, 20 * r, r, r, 4.0 * r, r, initiatives_reporting=r)
            for m, r in zip(MONTHS, reporting, strict=True)
        ],
        initiatives_active=8,
        subsidy_total_eur=draw(st.one_of(st.none(), st.floats(0, 1e6))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_inputs())
def test_no_small_cell_is_shown_and_no_group_has_a_single_hidden_cell(data):
    figures = compute_figures(data, "nl", SuppressionRules())
    raw = {(r.month, r.theme): r.n for r in data.story_counts_by_month_theme}
    for key, metric in figures.by_month.cells.items():
        assert metric.suppressed or raw[key] >= 5
        assert not metric.suppressed or metric.value is None
    table = figures.by_month
    groups = [[(m, t) for t in table.themes] for m in table.rows]
    groups += [[(m, t) for m in table.rows] for t in table.themes]
    for group in groups:
        assert sum(table.cells[key].suppressed for key in group) != 1
    months = figures.activity.by_month
    hidden_months = [m for m in months if months[m]["activities"].suppressed]
    assert len(hidden_months) != 1 or len(months) == 1
    for month, row in zip(MONTHS, data.activity_by_month, strict=True):
        if row.initiatives_reporting < 3:
            assert months[month]["visits"].suppressed


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_inputs())
def test_any_input_renders_to_html_and_json_without_warnings_or_leaks(data):
    report = build_report(data)
    html, raw = io.StringIO(), io.StringIO()
    render_html(report, html)
    render_json(report, raw)
    assert html.getvalue().count('class="chart"') == len(report.charts)
    payload = json.loads(raw.getvalue())
    for row in payload["by_month"]:
        for cell in row["themes"].values():
            assert cell["suppressed"] == (cell["value"] is None)
