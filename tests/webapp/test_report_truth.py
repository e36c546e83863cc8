"""Council reports tell the truth: every story counted, claims computed from the data."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reports import render_html, render_json, render_pdf
from reports.i18n import NumberFormat
from reports.suppression import wilson_interval
from tests.webapp.factories import make_areas, make_initiative
from tests.webapp.test_council_reports import PASSWORD, add_story, report_json
from webapp.extensions import db
from webapp.models import ActivityReport, Story, ThemeAssignment
from webapp.services.council_reports import ReportParameters, cached_report, make_report
from webapp.services.report_cache import cached_entries, clear_report_cache
from webapp.services.report_data import model_quality
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


def check_themes(story, themes: list[str], staff_user) -> None:
    for theme in ("eenzaamheid", "armoede", "gezondheid"):
        db.session.add(
            ThemeAssignment(
                story_id=story.id,
                theme=theme,
                assigned=theme in themes,
                source="human",
                staff_user_id=staff_user.id,
            )
        )
    db.session.commit()


def test_the_report_says_how_many_stories_staff_checked_never_more(councillor, partly_placed):
    page = councillor.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert "thema&#39;s van geen van deze 23 verhalen gecontroleerd" in page
    assert "gecontroleerd door medewerkers" not in page
    staff = create_staff_user(db.session, "mw@example.org", "Mw", PASSWORD, role="coordinator")
    stories = db.session.scalars(select(Story).order_by(Story.id).limit(3)).all()
    for story in stories:
        check_themes(story, ["eenzaamheid"], staff)
    page = councillor.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert "thema&#39;s van 3 van 23 verhalen gecontroleerd" in page


def test_theme_figures_carry_the_model_card_quality_and_a_wilson_interval(
    councillor, partly_placed
):
    version, quality = model_quality()
    assert quality, "the packaged model has a model card with per-theme measurements"
    page = councillor.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert "Hoe betrouwbaar het taalmodel is" in page and version in page
    precision = NumberFormat("nl").percent(quality["eenzaamheid"]["precision"], 0)
    assert precision in page
    data = report_json(councillor, "periode=2026-Q1&gebied=testdam")
    share = next(t for t in data["themes"] if t["key"] == "eenzaamheid")["share"]
    low, high = share["interval_95"]
    assert share["value"] == pytest.approx(16 / 23)
    assert low < share["value"] < high
    assert (low, high) == pytest.approx(wilson_interval(16, 23))


def test_running_month_is_marked_incomplete_in_tables_and_json(app, partly_placed):
    initiative = make_initiative("Huiskamer", area=partly_placed["testdam/noord"])
    for month in (1, 2, 3):
        db.session.add(
            ActivityReport(
                initiative=initiative,
                month=dt.date(2026, month, 1),
                definition_id="maandregistratie",
                values={"activiteiten": 4, "bezoeken": 50},
            )
        )
    db.session.commit()
    parameters = ReportParameters("2026-Q1", "testdam")
    report = make_report(db.session, parameters, today=dt.date(2026, 2, 10))
    data = report_json_of(report)
    flags = {row["month"]: row["incomplete"] for row in data["by_month"]}
    assert flags == {"2026-01": False, "2026-02": True, "2026-03": True}
    # One initiative of one expected: January is complete for activity too.
    activity = {row["month"]: row["incomplete"] for row in data["activity"]["by_month"]}
    assert activity == {"2026-01": False, "2026-02": True, "2026-03": True}
    html = io.StringIO()
    render_html(report, html)
    assert "februari 2026 (onvolledig)" in html.getvalue()
    assert "januari 2026 (onvolledig)" not in html.getvalue()
    assert "1 van 1 initiatief gaf cijfers door" in html.getvalue()


def report_json_of(report) -> dict:
    buffer = io.StringIO()
    render_json(report, buffer)
    return json.loads(buffer.getvalue())


def test_cached_reports_follow_the_data_and_can_be_dropped(app, partly_placed):
    parameters = ReportParameters("2026-Q1", "testdam")
    first = cached_report(db.session, parameters, today=dt.date(2026, 5, 1))
    assert cached_report(db.session, parameters, today=dt.date(2026, 5, 1)) is first
    add_story(partly_placed["testdam/zuid"], dt.date(2026, 3, 1), ["armoede"])
    second = cached_report(db.session, parameters, today=dt.date(2026, 5, 1))
    assert second.figures.story_total.value == first.figures.story_total.value + 1
    assert cached_entries() > 0
    clear_report_cache()
    assert cached_entries() == 0


def test_summary_names_the_largest_changes_with_basis_and_links(councillor, partly_placed):
    # Previous quarter: 5 loneliness stories in Vogelbuurt; this quarter has 16.
    for _ in range(5):
        add_story(partly_placed["testdam/noord/vogelbuurt"], dt.date(2025, 10, 1), ["eenzaamheid"])
    report = make_report(
        db.session, ReportParameters("2026-Q1", "testdam"), today=dt.date(2026, 6, 1)
    )
    changes = report.section("changes")
    assert changes.title.startswith("Wat er veranderde sinds") and "2025" in changes.title
    first = changes.summary_items[0]
    assert "Eenzaamheid" in first.text and "5" in first.text and "16" in first.text
    assert "23 verhalen" in first.text  # its basis
    page = councillor.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert "Vorige periode" in page and "periode=2025-Q4" in page


def test_wijken_side_by_side_in_one_table_with_small_cells_hidden(councillor, partly_placed):
    report = make_report(
        db.session, ReportParameters("2026-Q1", "testdam/noord"), today=dt.date(2026, 6, 1)
    )
    section = report.section("subareas")
    table = next(t for t in section.tables if "naast elkaar" in t.caption)
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}
    assert rows["Vogelbuurt"][0] == "10" and rows["wijk onbekend"][0] == "6"
    assert section.charts  # and one chart


def test_pdf_summary_links_to_the_quotes_behind_a_change(app, partly_placed):
    for _ in range(5):
        add_story(partly_placed["testdam/noord/vogelbuurt"], dt.date(2025, 10, 1), ["eenzaamheid"])
    for index in range(6):
        story = add_story(
            partly_placed["testdam/noord/vogelbuurt"],
            dt.date(2026, 1, 1),
            ["eenzaamheid"],
            quote=True,
            text=f"Ik kom elke week in de huiskamer en ben minder alleen, zegt buur {index}.",
        )
        assert story.consent_quote
    report = make_report(
        db.session, ReportParameters("2026-Q1", "testdam"), today=dt.date(2026, 6, 1)
    )
    assert any(
        item.anchor == "quotes-eenzaamheid" for item in report.section("changes").summary_items
    )
    buffer = io.BytesIO()
    render_pdf(report, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert any("/Dest" in link or "/A" in link for link in links)
