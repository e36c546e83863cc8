"""No two published reports can be subtracted to reveal a hidden story count.

Every number a published report prints is a sum of grid leaves (leaf area × month × theme).
A hidden cell is revealed exactly when its sum lies in the span of the published sums; we
check that with linear algebra over every month, quarter and year report of every area, with
and without a theme filter, and show that the old per-report suppression failed the same check.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest

from reports import Period, build_report, render_json
from tests.webapp.factories import make_areas
from tests.webapp.test_council_reports import PASSWORD, add_story
from webapp.extensions import db
from webapp.services.council_reports import ReportParameters, make_report
from webapp.services.report_data import build_report_input
from webapp.services.staff_accounts import create_staff_user

THEMES = ("eenzaamheid", "armoede", "gezondheid")
LEAVES = ("vogelbuurt", "noord/?", "rivierenwijk", "zuid/?", "testdam/?")
AREAS = {
    "testdam": LEAVES,
    "testdam/noord": ("vogelbuurt", "noord/?"),
    "testdam/zuid": ("rivierenwijk", "zuid/?"),
    "testdam/noord/vogelbuurt": ("vogelbuurt",),
    "testdam/zuid/rivierenwijk": ("rivierenwijk",),
}
SUBAREAS = {  # (report area, name in its breakdown) -> leaves
    ("testdam", "Noord"): AREAS["testdam/noord"],
    ("testdam", "Zuid"): AREAS["testdam/zuid"],
    ("testdam", "?"): ("testdam/?",),
    ("testdam/noord", "Vogelbuurt"): ("vogelbuurt",),
    ("testdam/noord", "?"): ("noord/?",),
    ("testdam/zuid", "Rivierenwijk"): ("rivierenwijk",),
    ("testdam/zuid", "?"): ("zuid/?",),
}
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
# Reports built for real: the year, its quarters and every month with stories. The other
# months' reports print only zeros (checked on one of them), added as published zeros.
PERIODS = ["2025"] + [f"2025-Q{q}" for q in range(1, 5)] + ["2025-03", "2025-10", "2025-11"]
PERIODS += ["2025-12"]
EMPTY_MONTHS = [month for month in MONTHS if month not in PERIODS]


@pytest.fixture
def quarter_with_a_lonely_december(app):
    """The issue's case: December 2025 holds 1 story in Vogelbuurt, Oct and Nov hold many."""
    areas = make_areas()
    vogel, rivier = areas["testdam/noord/vogelbuurt"], areas["testdam/zuid/rivierenwijk"]
    plan = [
        (vogel, 10, 20, "eenzaamheid"),
        (vogel, 11, 18, "eenzaamheid"),
        (vogel, 12, 1, "eenzaamheid"),
        (rivier, 10, 7, "armoede"),
        (rivier, 11, 6, "armoede"),
        (rivier, 12, 8, "armoede"),
        (areas["testdam/noord"], 12, 2, "eenzaamheid"),
        (vogel, 3, 9, "gezondheid"),
    ]
    for area, month, n, theme in plan:
        for _ in range(n):
            add_story(area, dt.date(2025, month, 1), [theme])
    for _ in range(3):  # no area given: counts for Testdam as "stadsdeel onbekend"
        story = add_story(vogel, dt.date(2025, 11, 1), ["armoede"])
        story.area_id = None
    db.session.commit()
    return areas


def published_sums(data: dict, area: str) -> list[tuple[str, str, str, int | None]]:
    """Every count a report JSON prints: (area key, period, column, value or None)."""
    period = data["query"]["period"]["label"]
    previous = _previous_label(period)
    found = [(area, period, "", data["stories"]["total"]["value"])]
    for theme in data["themes"]:
        found.append((area, period, theme["key"], theme["count"]["value"]))
        if theme["previous_count"] is not None:
            found.append((area, previous, theme["key"], theme["previous_count"]["value"]))
    for row in data["by_month"]:
        found.append((area, row["month"], "", row["total"]["value"]))
        for key, cell in row["themes"].items():
            found.append((area, row["month"], key, cell["value"]))
    for row in data["by_subarea"]:
        for key, cell in row["themes"].items():
            found.append((f"{area}|{row['subarea']}", period, key, cell["value"]))
    return found


def _previous_label(label: str) -> str:
    period = Period.parse(label)
    from webapp.services.report_data import previous_period

    return previous_period(period).label


def leaves_of(area_key: str) -> tuple[str, ...]:
    if "|" in area_key:
        return SUBAREAS[tuple(area_key.split("|"))]
    return AREAS[area_key]


def months_of(label: str) -> list[str]:
    return Period.parse(label).months()


def vector(area_key: str, period: str, column: str) -> np.ndarray:
    row = np.zeros(len(LEAVES) * len(MONTHS))
    for leaf in leaves_of(area_key):
        for month in months_of(period):
            row[LEAVES.index(leaf) * len(MONTHS) + MONTHS.index(month)] = 1
    return row


def revealed_hidden_cells(published: list[tuple[str, str, str, int | None]]) -> list[tuple]:
    """Hidden cells whose sum is a linear combination of shown sums, per column."""
    revealed = []
    for column in {c for _a, _p, c, _v in published}:
        shown = [vector(a, p, column) for a, p, c, v in published if c == column and v is not None]
        hidden = {(a, p) for a, p, c, v in published if c == column and v is None}
        basis = np.array(shown)
        rank = np.linalg.matrix_rank(basis)
        for area_key, period in sorted(hidden):
            extended = np.vstack([basis, vector(area_key, period, column)])
            if np.linalg.matrix_rank(extended) == rank:
                revealed.append((area_key, period, column))
    return revealed


def report_data(parameters: ReportParameters) -> dict:
    buffer = io.StringIO()
    render_json(make_report(db.session, parameters, today=dt.date(2026, 2, 1)), buffer)
    return json.loads(buffer.getvalue())


def test_no_difference_of_published_reports_reveals_a_hidden_cell(
    quarter_with_a_lonely_december,
):
    published = []
    for area in AREAS:
        for period in PERIODS:
            published += published_sums(report_data(ReportParameters(period, area)), area)
        for period in ("2025-Q4", "2025-12"):  # the filter variants of the attack
            data = report_data(ReportParameters(period, area, theme="eenzaamheid"))
            published += published_sums(data, area)
    empty = published_sums(report_data(ReportParameters("2025-05", "testdam")), "testdam")
    assert {value for *_key, value in empty if _key[1] == "2025-05"} == {0}
    for area in AREAS:
        for month in EMPTY_MONTHS:
            published += [(area, month, column, 0) for column in ("", *THEMES)]
    for (area, name), _leaves in SUBAREAS.items():
        for month in EMPTY_MONTHS:
            published += [(f"{area}|{name}", month, column, 0) for column in THEMES]
    shown = {(a, p, c): v for a, p, c, v in published if v is not None}
    hidden = {(a, p, c) for a, p, c, v in published if v is None}
    assert ("testdam/noord/vogelbuurt", "2025-12", "eenzaamheid") in hidden
    assert ("testdam", "2025-Q4", "") in shown  # the quarter itself is still published
    assert not hidden & set(shown), "two reports disagree about a cell"
    assert revealed_hidden_cells(published) == []


def test_the_old_per_report_suppression_fails_the_same_attack(quarter_with_a_lonely_december):
    def total(period: str) -> int | None:
        report_input = build_report_input(
            db.session, Period.parse(period), "testdam/noord/vogelbuurt", published=False
        )
        buffer = io.StringIO()
        render_json(build_report(report_input), buffer)
        return json.loads(buffer.getvalue())["stories"]["total"]["value"]

    assert total("2025-12") is None  # hidden in its own report ...
    assert total("2025-Q4") - total("2025-10") - total("2025-11") == 1  # ... but not across


def test_only_published_periods_leave_staff_screens(client, quarter_with_a_lonely_december):
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    client.post("/beheer/inloggen", data={"email": "raad@example.org", "password": PASSWORD})
    custom = "periode=2025-10-01..2025-11-30&gebied=testdam"
    assert client.get(f"/raad/?{custom}").status_code == 422
    assert client.get(f"/raad/rapport.json?{custom}").status_code == 400
    assert client.get(f"/raad/rapport.pdf?{custom}").status_code == 400
    one = "periode=2025-Q4&gebied=testdam&initiatief=huiskamer"
    assert client.get(f"/raad/rapport.json?{one}").status_code == 400
    too_long = "periode=2015-01-01..2025-12-31&gebied=testdam"
    page = client.get(f"/raad/?{too_long}").get_data(as_text=True)
    assert "hoogstens 5 jaar" in page
