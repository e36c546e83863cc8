"""Council reports tell the truth: every story counted, claims computed from the data."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.webapp.factories import make_areas
from tests.webapp.test_council_reports import PASSWORD, add_story, report_json
from webapp.extensions import db
from webapp.services.staff_accounts import create_staff_user


@pytest.fixture
def councillor(client):
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    client.post("/beheer/inloggen", data={"email": "raad@example.org", "password": PASSWORD})
    return client


@pytest.fixture
def partly_placed(app):
    """Testdam 2026-Q1: 10 stories in Vogelbuurt, 6 naming only Noord, 7 naming no area at all."""
    areas = make_areas()
    for _ in range(10):
        add_story(areas["testdam/noord/vogelbuurt"], dt.date(2026, 1, 1), ["eenzaamheid"])
    for _ in range(6):
        add_story(areas["testdam/noord"], dt.date(2026, 2, 1), ["eenzaamheid"])
    for _ in range(7):
        story = add_story(areas["testdam/noord"], dt.date(2026, 2, 1), ["armoede"])
        story.area_id = None  # "Zeg ik liever niet", the form's default
    db.session.commit()
    return areas


def test_stories_without_wijk_or_area_count_in_every_total_above(councillor, partly_placed):
    city = report_json(councillor, "periode=2026-Q1&gebied=testdam")
    assert city["stories"]["total"]["value"] == 23
    by_stadsdeel = {row["subarea"]: row for row in city["by_subarea"]}
    assert by_stadsdeel["Noord"]["themes"]["eenzaamheid"]["value"] == 16
    assert by_stadsdeel["?"]["themes"]["armoede"]["value"] == 7
    noord = report_json(councillor, "periode=2026-Q1&gebied=testdam/noord")
    assert noord["stories"]["total"]["value"] == 16
    by_wijk = {row["subarea"]: row for row in noord["by_subarea"]}
    assert by_wijk["Vogelbuurt"]["themes"]["eenzaamheid"]["value"] == 10
    assert by_wijk["?"]["themes"]["eenzaamheid"]["value"] == 6


def test_breakdowns_name_the_unknown_rows_and_the_method_says_why(councillor, partly_placed):
    page = councillor.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert "stadsdeel onbekend" in page
    assert "Zeg ik liever niet" not in page  # the report explains it in its own words
    assert "tellen mee voor Testdam als geheel" in page
    page = councillor.get("/raad/?periode=2026-Q1&gebied=testdam/noord").get_data(as_text=True)
    assert "wijk onbekend" in page
