"""Council reports from the database: numbers against hand-computed fixtures, suppression, access."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from tests.webapp.factories import make_areas, make_initiative, make_story
from tests.webapp.fresh_process import libraries_loaded_by_fresh_process
from webapp.extensions import db
from webapp.models import ActivityReport, ThemeAssignment
from webapp.services.staff_accounts import create_staff_user

PASSWORD = "correct horse battery"


def add_story(
    area, month: dt.date, themes: list[str], *, quote: bool = False, text: str | None = None
):
    story = make_story(
        text=text or f"Verhaal over {', '.join(themes) or 'de buurt'} in {area.name}.",
        area_id=area.id,
        submitted_month=month,
        status="approved",
        consent_quote=quote,
    )
    for theme in ("eenzaamheid", "armoede", "gezondheid"):
        db.session.add(
            ThemeAssignment(
                story_id=story.id,
                theme=theme,
                score=0.9 if theme in themes else 0.1,
                assigned=theme in themes,
                source="model",
                model_version="test",
            )
        )
    db.session.commit()
    return story


@pytest.fixture
def city(app):
    """Testdam, 2026-Q1: 12 loneliness + 6 poverty + 2 health stories; 3 initiatives report."""
    areas = make_areas()
    north, south = areas["testdam/noord/vogelbuurt"], areas["testdam/zuid/rivierenwijk"]
    quotable = [
        "Sinds de huiskamer open is ben ik minder alleen. Bel me gerust op 06-12345678.",
        "Mijn kinderen wonen ver weg. Op dinsdag drink ik nu koffie met de buren van hiernaast.",
        "Na de dood van mijn man sprak ik soms dagen niemand. De wandelgroep heeft dat veranderd.",
        "Als nieuwkomer kende ik hier geen mens; in het taalcafé heb ik vriendinnen gevonden.",
    ]
    for i in range(12):
        text = quotable[i] if i < 4 else f"Ik voel me minder eenzaam sinds ik meedoe, verhaal {i}."
        add_story(
            north if i % 2 else south,
            dt.date(2026, 1 + i % 3, 1),
            ["eenzaamheid"],
            quote=i < 4,
            text=text,
        )
    for _ in range(6):
        add_story(north, dt.date(2026, 2, 1), ["armoede"])
    for _ in range(2):
        add_story(south, dt.date(2026, 3, 1), ["gezondheid"])
    add_story(south, dt.date(2025, 12, 1), ["eenzaamheid"])  # previous quarter
    initiatives = [
        make_initiative(
            f"Initiatief {n}", area=north if n % 2 else south, subsidy_eur_per_year=12_000
        )
        for n in range(3)
    ]
    for initiative in initiatives:
        for month in (1, 2, 3):
            db.session.add(
                ActivityReport(
                    initiative=initiative,
                    month=dt.date(2026, month, 1),
                    definition_id="maandregistratie",
                    values={
                        "activiteiten": 4,
                        "bezoeken": 50,
                        "unieke_deelnemers": 20,
                        "nieuwe_deelnemers": 2,
                        "vrijwilligers": 5,
                        "vrijwilligersuren": 30.5,
                        "maaltijden": 10,
                        "verwijzingen": 1,
                    },
                )
            )
    db.session.commit()
    return areas


@pytest.fixture
def councillor_client(client, app):
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    client.post("/beheer/inloggen", data={"email": "raad@example.org", "password": PASSWORD})
    return client


def report_json(client, query: str) -> dict:
    response = client.get(f"/raad/rapport.json?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return json.loads(response.data)


def test_report_numbers_match_hand_computed_fixture(councillor_client, city):
    data = report_json(councillor_client, "periode=2026-Q1&gebied=testdam")
    assert data["stories"]["total"]["value"] == 20
    themes = {t["key"]: t for t in data["themes"]}
    assert themes["eenzaamheid"]["count"]["value"] == 12
    assert themes["armoede"]["count"]["value"] == 6
    assert themes["eenzaamheid"]["share"]["value"] == pytest.approx(12 / 20)
    totals = data["activity"]["totals"]
    assert totals["activities"]["value"] == 3 * 3 * 4
    assert totals["visits"]["value"] == 3 * 3 * 50
    assert totals["volunteer_hours"]["value"] == pytest.approx(9 * 30.5)
    assert totals["unique_participants"]["value"] == pytest.approx(
        60
    )  # monthly average over 3 initiatives
    assert data["activity"]["basis"]["initiatives_reporting"] == 3
    assert data["cost"]["subsidy_total"]["value"] == pytest.approx(3 * 12_000 / 4)
    assert data["cost"]["subsidy_total"]["basis"]["initiatives_funded"] == 3
    assert data["reach"]["participants_per_1000"]["value"] == pytest.approx(60 / 100)


def test_small_cells_are_suppressed_everywhere(councillor_client, city):
    data = report_json(councillor_client, "periode=2026-Q1&gebied=testdam")
    health = next(t for t in data["themes"] if t["key"] == "gezondheid")
    assert health["count"]["suppressed"] is True and health["count"]["value"] is None
    page = councillor_client.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert "te weinig gegevens" in page


def test_quotes_are_consented_and_anonymised(councillor_client, city):
    data = report_json(councillor_client, "periode=2026-Q1&gebied=testdam")
    quotes = data["quotes"].get("eenzaamheid", [])
    assert 2 <= len(quotes) <= 4
    for quote in quotes:
        assert "06-12345678" not in json.dumps(quote, ensure_ascii=False)


def test_report_page_has_charts_with_alt_text_and_pdf_contains_figures(councillor_client, city):
    page = councillor_client.get("/raad/?periode=2026-Q1&gebied=testdam").get_data(as_text=True)
    assert '<img class="chart"' in page and 'alt=""' not in page
    pdf = councillor_client.get("/raad/rapport.pdf?periode=2026-Q1&gebied=testdam")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Testdam" in text and "450" in text  # visits


def test_the_report_pdf_is_rendered_outside_the_web_process(app, city, database_url, tmp_path):
    """A fresh process serves the city report page and its PDF: the PDF comes, and fpdf2 (with
    the PNG charts it draws) was loaded only by the short-lived child that rendered it, never
    by the web process (issue 13: memory per web worker)."""
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    requests = (
        "query = 'periode=2026-Q1&gebied=testdam'\n"
        "page = client.get(f'/raad/?{query}')\n"
        "pdf = client.get(f'/raad/rapport.pdf?{query}')\n"
        "assert page.status_code == 200 and '<img class=\"chart\"' in page.get_data(as_text=True)\n"
        "assert pdf.status_code == 200 and pdf.data.startswith(b'%PDF'), pdf.status_code\n"
    )
    loaded = libraries_loaded_by_fresh_process(
        database_url,
        tmp_path / "fresh",
        "raad@example.org",
        PASSWORD,
        requests,
        {"fpdf", "sklearn"},
    )
    assert loaded == set()


def test_area_without_data_says_so(councillor_client, city):
    data = report_json(councillor_client, "periode=2024-Q1&gebied=testdam")
    assert data["has_data"] is False
    page = councillor_client.get("/raad/?periode=2024-Q1&gebied=testdam").get_data(as_text=True)
    assert "Geen gegevens voor deze periode en dit gebied" in page


def test_bad_period_is_explained_not_a_500(councillor_client, city):
    response = councillor_client.get("/raad/?periode=volgend+jaar&gebied=testdam")
    assert response.status_code == 422
    assert "2026-Q1" in response.get_data(as_text=True)


def test_reports_need_a_login_and_share_links_can_be_revoked(client, app, city):
    assert client.get("/raad/?periode=2026-Q1&gebied=testdam").status_code == 302
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    client.post("/raad/delen?periode=2026-Q1&gebied=testdam")
    page = client.get("/raad/deellinks").get_data(as_text=True)
    from webapp.models import ReportShareLink

    link = db.session.query(ReportShareLink).one()
    flashed = page.split("/raad/gedeeld/")[1].split('"')[0].split("<")[0].strip()
    anonymous = app.test_client()
    assert anonymous.get(f"/raad/gedeeld/{flashed}").status_code == 200
    client.post(f"/raad/deellinks/{link.id}/intrekken")
    closed = anonymous.get(f"/raad/gedeeld/{flashed}")
    assert closed.status_code == 410 and "uitgezet" in closed.get_data(as_text=True)


def test_report_command_writes_pdf_html_and_json(app, city, tmp_path):
    runner = app.test_cli_runner()
    for output_format in ("pdf", "html", "json"):
        target = tmp_path / f"report.{output_format}"
        result = runner.invoke(
            args=[
                "report",
                "--period",
                "2026-Q1",
                "--area",
                "testdam",
                "--format",
                output_format,
                "--out",
                str(target),
            ]
        )
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 500
    assert json.loads((tmp_path / "report.json").read_text())["stories"]["total"]["value"] == 20
    bad = runner.invoke(
        args=[
            "report",
            "--period",
            "2026-Q9",
            "--area",
            "testdam",
            "--out",
            str(tmp_path / "x.pdf"),
        ]
    )
    assert bad.exit_code != 0 and "period" in bad.output.lower()


def test_activity_is_compared_with_the_previous_period(councillor_client, city):
    page = councillor_client.get("/raad/?periode=2026-03&gebied=testdam").get_data(as_text=True)
    assert "Activiteit vergeleken met de vorige periode" in page
    data = report_json(councillor_client, "periode=2026-03&gebied=testdam")
    assert data["activity"]["totals"]["visits"]["value"] == 150


def test_quotes_leave_out_contact_details_and_prefer_a_reported_change(councillor_client, city):
    """Equal confidence, so without the rule the first story (the worried neighbour) leads."""
    from webapp.models import OutcomeAssignment

    def told(month: int, text: str):
        wijk = city["testdam/noord/vogelbuurt"]
        return add_story(wijk, dt.date(2026, month, 1), ["gezondheid"], quote=True, text=text)

    told(2, "Mijn buurman Jan de Vries van de Kerkstraat 12 is ziek. Mijn nummer is 06-12345678.")
    unchanged = told(1, "Ik zou graag een beweegclub voor ouderen in de wijk zien.")
    changed = told(3, "Sinds ik meedoe aan de wandelgroep slaap ik veel beter.")
    for story, outcome in ((changed, "beter"), (unchanged, "geen")):
        db.session.add(
            OutcomeAssignment(story_id=story.id, outcome=outcome, source="model", model_version="t")
        )
    db.session.commit()
    quotes = report_json(councillor_client, "periode=2026-Q1&gebied=testdam")["quotes"]
    assert "buurman" not in json.dumps(quotes, ensure_ascii=False)
    assert [q["text"][:20] for q in quotes["gezondheid"]] == [
        "Sinds ik meedoe aan ",
        "Ik zou graag een bew",
    ]
