"""The councillor's walk from the issue, end to end through the app: every sentence checked
against the database.

login → a stadsdeel → this quarter vs last → wijken side by side → PDF → share link.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import distinct, func, select

from reports.i18n import NumberFormat, translator
from reports.tables import Formatter
from tests.webapp.factories import make_areas, make_initiative
from tests.webapp.test_council_reports import PASSWORD, add_story
from webapp import clock
from webapp.extensions import db
from webapp.models import ActivityReport, Area, Initiative, Story, ThemeAssignment
from webapp.services.staff_accounts import create_staff_user


def quarter_months(day: dt.date) -> list[dt.date]:
    first = 3 * ((day.month - 1) // 3) + 1
    return [dt.date(day.year, first + offset, 1) for offset in range(3)]


def this_and_last_quarter() -> tuple[list[dt.date], list[dt.date]]:
    now = quarter_months(clock.today())
    return now, quarter_months(now[0] - dt.timedelta(days=1))


def label(months: list[dt.date]) -> str:
    return f"{months[0].year}-Q{(months[0].month - 1) // 3 + 1}"


@pytest.fixture
def noord(app):
    return build_noord()


def build_noord() -> dict:
    """Noord with two wijken, stories in both quarters (some naming only Noord), 3 initiatives
    of which 2 report this quarter; one story's themes checked by staff."""
    areas = make_areas()
    north = areas["testdam/noord"]
    zeeheld = Area(code="testdam/noord/zeeheldenbuurt", name="Zeeheldenbuurt", level="wijk")
    zeeheld.parent = north
    db.session.add(zeeheld)
    db.session.commit()
    vogel = areas["testdam/noord/vogelbuurt"]
    now, before = this_and_last_quarter()
    complete_now = [month for month in now if month <= clock.today().replace(day=1)]
    for index, month in enumerate(before):
        for _ in range(6 + index):
            add_story(vogel, month, ["eenzaamheid"])
        for _ in range(5):
            add_story(zeeheld, month, ["armoede"])
    for month in complete_now:
        for _ in range(9):
            add_story(vogel, month, ["eenzaamheid"])
        for _ in range(2):
            add_story(north, month, ["gezondheid"])  # no wijk: "wijk onbekend"
    staff = create_staff_user(db.session, "mw@example.org", "Mw", PASSWORD, role="coordinator")
    checked = db.session.scalars(select(Story).order_by(Story.id.desc()).limit(1)).one()
    db.session.add(
        ThemeAssignment(
            story_id=checked.id,
            theme="gezondheid",
            source="human",
            staff_user_id=staff.id,
            assigned=True,
        )
    )
    initiatives = [make_initiative(f"Huiskamer {n}", area=vogel) for n in range(3)]
    for initiative in initiatives[:2]:
        for month in before + complete_now:
            db.session.add(
                ActivityReport(
                    initiative=initiative,
                    month=month,
                    definition_id="maand",
                    values={"activiteiten": 5, "bezoeken": 40},
                )
            )
    db.session.commit()
    return areas


def db_story_total(area_codes: list[str], months: list[dt.date]) -> int:
    ids = db.session.scalars(select(Area.id).where(Area.code.in_(area_codes))).all()
    return db.session.scalar(
        select(func.count(Story.id)).where(
            Story.area_id.in_(ids), Story.submitted_month.in_(months)
        )
    )


def test_the_councillor_walk_shows_only_true_sentences_and_complete_counts(client, app, noord):
    now, before = this_and_last_quarter()
    noord_codes = ["testdam/noord", "testdam/noord/vogelbuurt", "testdam/noord/zeeheldenbuurt"]
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    assert client.post(
        "/beheer/inloggen", data={"email": "raad@example.org", "password": PASSWORD}
    ).status_code in (302, 303)

    # A stadsdeel, this quarter (the page's default period).
    default = client.get("/raad/").get_data(as_text=True)
    assert f'value="{label(now)}"' in default
    page = client.get(f"/raad/?periode={label(now)}&gebied=testdam/noord").get_data(as_text=True)
    data = json.loads(
        client.get(f"/raad/rapport.json?periode={label(now)}&gebied=testdam/noord").data
    )
    total = db_story_total(noord_codes, now)
    assert data["stories"]["total"]["value"] == total  # stories without a wijk included
    assert f"thema&#39;s van 1 van {total} verhalen gecontroleerd" in page
    running = clock.today().strftime("%Y-%m")
    assert {row["month"]: row["incomplete"] for row in data["by_month"]}[running] is True
    assert "(onvolledig)" in page
    active = db.session.scalar(select(func.count(Initiative.id)))
    reporting = db.session.scalar(
        select(func.count(distinct(ActivityReport.initiative_id))).where(
            ActivityReport.month.in_(now)
        )
    )
    # The numbers come from the database; their wording is tested in tests/reports.
    coverage = Formatter(NumberFormat("nl"), translator("nl")).coverage(reporting, active)
    assert coverage in page
    assert "gecontroleerd door medewerkers" not in page  # the old blanket claim
    for theme in data["themes"]:  # a share printed as 0% only where no story has the theme
        if theme["share"]["value"] == 0:
            assert theme["count"]["value"] == 0

    # This quarter against the last one: the summary and the previous-period link.
    assert "Wat er veranderde sinds" in page
    previous_url = f"periode={label(before)}&amp;gebied=testdam/noord"
    assert previous_url in page
    last = json.loads(
        client.get(f"/raad/rapport.json?periode={label(before)}&gebied=testdam/noord").data
    )
    assert last["stories"]["total"]["value"] == db_story_total(noord_codes, before)
    assert not any(row["incomplete"] for row in last["by_month"])

    # The wijken side by side: both wijken and the stories without one, in one table.
    assert "Wijken naast elkaar" in page
    for name in ("Vogelbuurt", "Zeeheldenbuurt", "wijk onbekend"):
        assert name in page

    # The PDF says the same.
    pdf = client.get(f"/raad/rapport.pdf?periode={label(now)}&gebied=testdam/noord")
    assert pdf.headers["Cache-Control"] == "no-store"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = re.sub(r"\s+", " ", text)
    assert coverage in text and "(onvolledig)" in text
    assert f"1 van {total} verhalen gecontroleerd" in text

    # A share link to the same report shows the same numbers to someone without an account.
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    staff = app.test_client()
    staff.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    staff.post(f"/raad/delen?periode={label(now)}&gebied=testdam/noord")
    listing = staff.get("/raad/deellinks").get_data(as_text=True)
    [url] = re.findall(r'value="http://localhost(/raad/gedeeld/[^"]+)"', listing)
    shared = app.test_client().get(
        url.replace("/raad/gedeeld", "/raad/gedeeld", 1) + "/rapport.json"
    )
    assert json.loads(shared.data)["stories"] == data["stories"]
