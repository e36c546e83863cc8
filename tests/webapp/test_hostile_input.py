"""Hostile or absurd input gets a 4xx with a clear message, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from surveys.table_files import MAX_ROWS
from tests.webapp.accounts import log_in_as, make_account
from tests.webapp.factories import make_areas, make_initiative, make_story
from webapp.converters import BoundedIntConverter
from webapp.extensions import db
from webapp.models import ActivityReport
from webapp.services import initiative_links

HEADER = (
    "initiatief,maand,activiteiten,bezoeken,unieke_deelnemers,nieuwe_deelnemers,vrijwilligers,"
    "vrijwilligersuren,maaltijden,verwijzingen,toelichting"
)


@pytest.fixture
def coordinator_client(client, app):
    make_account("co@example.org", "coordinator")
    log_in_as(client, "co@example.org")
    return client


def test_year_zero_period_is_a_clear_422_on_the_report_page(client, app):
    areas = make_areas()
    make_account("raad@example.org", "councillor")
    log_in_as(client, "raad@example.org")
    response = client.get(f"/raad/?periode=0000&gebied={areas['testdam'].code}")
    assert response.status_code == 422
    assert "We kunnen deze periode niet lezen" in response.get_data(as_text=True)
    assert client.get("/raad/rapport.pdf?periode=0000&gebied=testdam").status_code == 400


def test_twenty_digit_ids_are_404_in_every_int_route(coordinator_client, app):
    huge = "9" * 20
    int_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, BoundedIntConverter) for c in rule._converters.values())
    ]
    assert int_rules, "expected routes with <int:...> parameters"
    for rule in int_rules:
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", huge).replace(f"<{name}>", "2026-01")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = coordinator_client.open(url, method=method)
            assert response.status_code == 404, (rule.rule, method, response.status_code)


def test_five_thousand_digit_count_on_an_initiative_link_is_a_422(client, app):
    areas = make_areas()
    initiative = make_initiative(area=areas["testdam/noord/vogelbuurt"])
    token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    page = client.get(f"/doorgeven/{token}")
    assert page.status_code == 200
    response = client.post(
        f"/doorgeven/{token}", data={"activiteiten": "9" * 5000, "bezoeken": "10"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "9" * 5000 in page  # kept, marked, explained
    assert db.session.scalar(select(func.count()).select_from(ActivityReport)) == 0


def _upload(client, body: bytes, name: str):
    return client.post("/beheer/initiatieven/import", data={"table": (io.BytesIO(body), name)})


def test_five_thousand_digit_count_in_a_csv_import_is_a_problem_not_a_crash(
    coordinator_client, app
):
    areas = make_areas()
    initiative = make_initiative(area=areas["testdam/noord/vogelbuurt"])
    body = f"{HEADER}\n{initiative.slug},2026-01,{'9' * 5000},50,20,3,4,30,0,1,\n".encode()
    response = _upload(coordinator_client, body, "maanden.csv")
    assert response.status_code == 422
    assert "regel 2, kolom activiteiten" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ActivityReport)) == 0


def _xlsx(workbook_xml: str | None = None, rows: int = 3) -> bytes:
    """A minimal XLSX: one sheet with a header and `rows` data rows."""
    buffer = io.BytesIO()
    sheet_rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(1, rows + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": workbook_xml
        or (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_rows}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_xlsx_with_a_doctype_in_workbook_xml_is_refused(coordinator_client, app):
    evil = (
        '<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="&b;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    response = _upload(coordinator_client, _xlsx(evil), "maanden.xlsx")
    assert response.status_code == 422
    assert "xl/workbook.xml" in response.get_data(as_text=True)


def test_small_xlsx_that_unpacks_to_many_rows_stops_at_the_row_cap(coordinator_client, app):
    body = _xlsx(rows=MAX_ROWS + 10)
    assert len(body) < 200_000  # compresses very well
    response = _upload(coordinator_client, body, "maanden.xlsx")
    assert response.status_code == 422
    assert f"meer dan {MAX_ROWS} regels" in response.get_data(as_text=True).replace(".", "")


def test_import_stops_after_fifty_problems(coordinator_client, app):
    rows = "".join(f"onbekend-{n},2026-01,1,1,1,1,1,1,1,1,\n" for n in range(200))
    response = _upload(coordinator_client, f"{HEADER}\n{rows}".encode(), "maanden.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Gestopt na 50 problemen" in page
    assert page.count("onbekend-") <= 52


def test_nul_character_in_a_story_or_login_is_a_clear_400(client, app):
    make_areas()
    story = client.post(
        "/verhaal", data={"story": "Een verhaal met een \x00 erin, lang genoeg om te tellen."}
    )
    assert story.status_code == 400
    assert "onzichtbaar" in story.get_data(as_text=True)
    login = client.post("/beheer/inloggen", data={"email": "a\x00@b.nl", "password": "x" * 12})
    assert login.status_code == 400


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "path": "/verhaal?gemeente=a%00b"},
        {"method": "GET", "path": "/verhaal?gemeente=a\x00b"},
        {"method": "POST", "path": "/verhaal", "data": {"story": "raw \x00 byte " * 3}},
        {
            "method": "POST",
            "path": "/verhaal",
            "data": "story=encoded+%00+nul+lang+genoeg+om+te+tellen",
            "content_type": "application/x-www-form-urlencoded",
        },
        {
            "method": "POST",
            "path": "/verhaal",
            "data": {
                "story": "multipart \x00 veld, lang genoeg",
                "bijlage": (io.BytesIO(b"x"), "a.txt"),
            },
            "content_type": "multipart/form-data",
        },
    ],
    ids=["query-encoded", "query-raw", "form-raw", "form-encoded", "multipart-field"],
)
def test_a_nul_character_is_refused_wherever_it_is_sent(client, app, request_kwargs):
    make_areas()
    response = client.open(**request_kwargs)
    assert response.status_code == 400
    assert "onzichtbaar" in response.get_data(as_text=True)


def test_a_percent_sign_followed_by_zeros_elsewhere_is_no_nul(client, app):
    make_areas()
    response = client.post("/verhaal", data={"story": "Wij kregen 100% korting, 0,00 euro!"})
    assert "onzichtbaar" not in response.get_data(as_text=True)


def test_story_id_in_scope_but_absurd_status_stays_400(coordinator_client, app):
    story = make_story()
    response = coordinator_client.post(
        f"/beheer/verhalen/{story.id}/status", data={"status": "x" * 10_000}
    )
    assert response.status_code == 400
