"""Initiatives log a month through their link; staff lock months, rotate links and import files."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.webapp.factories import make_areas, make_initiative
from webapp import clock
from webapp.extensions import db
from webapp.models import ActivityReport, Story
from webapp.services import activity, initiative_links
from webapp.services.staff_accounts import create_staff_user
from webapp.templating import format_month

GOOD = {
    "activiteiten": "8",
    "bezoeken": "120",
    "unieke_deelnemers": "40",
    "nieuwe_deelnemers": "5",
    "vrijwilligers": "6",
    "vrijwilligersuren": "64",
    "maaltijden": "0",
    "verwijzingen": "2",
    "toelichting": "",
}
THIS_MONTH = dt.date.today().replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)  # the form's default month
TWO_MONTHS_AGO = (LAST_MONTH - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def linked(app):
    areas = make_areas()
    initiative = make_initiative(area=areas["testdam/noord/vogelbuurt"])
    token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    return initiative, token


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ActivityReport))


def test_link_shows_last_complete_month_form_with_definition_labels(client, linked):
    _initiative, token = linked
    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    assert "Aantal activiteiten" in page and "Unieke deelnemers" in page
    assert 'inputmode="numeric"' in page


def test_sending_a_month_stores_typed_values(client, linked):
    initiative, token = linked
    response = client.post(f"/doorgeven/{token}", data=GOOD)
    assert response.status_code == 303
    report = db.session.scalar(select(ActivityReport))
    assert report.month == LAST_MONTH and report.initiative_id == initiative.id
    assert report.values["bezoeken"] == 120 and report.values["unieke_deelnemers"] == 40
    assert report.definition_id == "maandregistratie"


def test_form_is_prefilled_from_last_month_and_shows_previous_values(client, linked):
    initiative, token = linked
    definition = activity.load_activity_definition()
    values = {**{k: int(v) for k, v in GOOD.items() if v and k != "toelichting"}, "bezoeken": 777}
    activity.save_monthly_report(db.session, initiative, TWO_MONTHS_AGO, values, definition)
    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    assert 'value="777"' in page
    assert "Vorige maand:" in page or "Last month:" in page


def test_cross_field_rule_and_bad_numbers_keep_input_and_explain(client, linked):
    _initiative, token = linked
    data = {
        **GOOD,
        "unieke_deelnemers": "500",
        "activiteiten": "veel",
        "toelichting": "Mooie maand met veel nieuwe gezichten.",
    }
    response = client.post(f"/doorgeven/{token}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Er kunnen niet meer unieke deelnemers zijn dan bezoeken." in page
    assert 'value="veel"' in page and "Mooie maand met veel nieuwe gezichten." in page
    assert 'href="#unieke_deelnemers"' in page
    # The summary continues the field's name after a colon, without a capital.
    assert "Unieke deelnemers: er kunnen niet meer unieke deelnemers zijn" in page
    assert report_count() == 0


def test_initiative_can_correct_a_month_until_staff_lock_it(client, linked):
    initiative, token = linked
    client.post(f"/doorgeven/{token}", data=GOOD)
    client.post(f"/doorgeven/{token}", data={**GOOD, "bezoeken": "130"})
    db.session.expire_all()
    assert (
        report_count() == 1 and db.session.scalar(select(ActivityReport)).values["bezoeken"] == 130
    )
    activity.set_month_locked(db.session, initiative, LAST_MONTH, True)
    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    assert "vergrendeld" in page or "locked" in page
    assert client.post(f"/doorgeven/{token}", data={**GOOD, "bezoeken": "1"}).status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(ActivityReport)).values["bezoeken"] == 130


def test_monthly_free_text_becomes_an_initiative_story(client, linked):
    initiative, token = linked
    text = "Een meneer die sinds de dood van zijn vrouw niemand sprak, komt nu elke week."
    client.post(f"/doorgeven/{token}", data={**GOOD, "toelichting": text})
    story = db.session.scalar(select(Story))
    assert (
        story.channel == "initiative"
        and story.text == text
        and story.initiative_id == initiative.id
    )
    client.post(f"/doorgeven/{token}", data={**GOOD, "toelichting": ""})
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0


def test_wrong_revoked_and_rotated_tokens_open_nothing(client, linked, app):
    initiative, token = linked
    assert client.get("/doorgeven/not-a-token").status_code == 404
    new_token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    assert client.get(f"/doorgeven/{token}").status_code == 410
    assert client.get(f"/doorgeven/{new_token}").status_code == 200
    assert initiative_links.current_link_token(initiative, app.config["SECRET_KEY"]) == new_token
    initiative_links.revoke_link(db.session, initiative)
    assert client.get(f"/doorgeven/{new_token}").status_code == 410
    assert client.post(f"/doorgeven/{new_token}", data=GOOD).status_code == 410
    assert report_count() == 0
    assert initiative.link_token_hash is None or new_token not in initiative.link_token_hash


def test_token_is_not_stored_in_the_database(linked):
    initiative, token = linked
    assert token not in (initiative.link_token_hash or "") and token not in (
        initiative.link_nonce or ""
    )


def test_overview_shows_history_chart_with_text_alternative(client, linked):
    initiative, token = linked
    definition = activity.load_activity_definition()
    for month, visits in ((TWO_MONTHS_AGO, 80), (LAST_MONTH, 95)):
        values = {
            **{k: int(v) for k, v in GOOD.items() if v and k != "toelichting"},
            "bezoeken": visits,
        }
        activity.save_monthly_report(db.session, initiative, month, values, definition)
    page = client.get(f"/doorgeven/{token}/overzicht").get_data(as_text=True)
    # An <img> with a data: URI: the CSP (style-src 'self') would strip inline SVG's styles.
    assert 'src="data:image/svg+xml;base64,' in page and "<svg" not in page
    assert 'alt="De laatste 12 maanden" aria-describedby="chart-caption"' in page
    assert ">95<" in page and ">80<" in page


# --- staff -----------------------------------------------------------------------------------

PASSWORD = "correct horse battery"


@pytest.fixture
def staff_client(client, app):
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    return client


def csv_file(rows: list[str], header: str | None = None) -> bytes:
    header = (
        header
        or "initiatief,maand,activiteiten,bezoeken,unieke_deelnemers,nieuwe_deelnemers,vrijwilligers,vrijwilligersuren,maaltijden,verwijzingen,toelichting"
    )
    return ("\n".join([header, *rows]) + "\n").encode()


def test_staff_create_initiative_and_see_missing_with_link(staff_client, app):
    make_areas()
    response = staff_client.post(
        "/beheer/initiatieven/nieuw",
        data={"name": "Taalcafé Test", "wijk": "", "subsidy_eur_per_year": "1500"},
    )
    assert response.status_code == 303
    page = staff_client.get("/beheer/initiatieven").get_data(as_text=True)
    assert "Taalcafé Test" in page
    link = re.search(r'value="(http://localhost/doorgeven/[^"]+)"', page).group(1)
    assert staff_client.get(link.replace("http://localhost", "")).status_code == 200


def test_csv_import_good_file_then_reimport_changes_nothing(staff_client, linked):
    initiative, _token = linked
    rows = [
        f"{initiative.slug},2026-01,4,50,20,3,4,30,0,1,",
        f"{initiative.slug},2026-02,5,60,25,2,4,35,10,0,Goede maand",
    ]
    body = csv_file(rows)
    first = staff_client.post(
        "/beheer/initiatieven/import", data={"table": (io.BytesIO(body), "maanden.csv")}
    )
    assert first.status_code == 303
    assert report_count() == 2
    staff_client.post(
        "/beheer/initiatieven/import", data={"table": (io.BytesIO(body), "maanden.csv")}
    )
    assert report_count() == 2
    outcome = activity.import_activity_table(
        db.session, io.BytesIO(body), "maanden.csv", activity.load_activity_definition()
    )
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("bad_position", [0, 1, 2])
def test_csv_import_with_a_bad_row_anywhere_imports_nothing(staff_client, linked, bad_position):
    initiative, _token = linked
    rows = [f"{initiative.slug},2026-0{m},4,50,20,3,4,30,0,1," for m in (1, 2, 3)]
    rows[bad_position] = (
        f"{initiative.slug},2026-0{bad_position + 1},4,50,90,3,4,30,0,1,"  # unique > visits
    )
    response = staff_client.post(
        "/beheer/initiatieven/import", data={"table": (io.BytesIO(csv_file(rows)), "maanden.csv")}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"regel {bad_position + 2}" in page and "unieke_deelnemers" in page
    assert report_count() == 0


def test_import_refuses_changes_to_locked_months(app, linked):
    initiative, _token = linked
    definition = activity.load_activity_definition()
    body = csv_file([f"{initiative.slug},2026-01,4,50,20,3,4,30,0,1,"])
    activity.import_activity_table(db.session, io.BytesIO(body), "a.csv", definition)
    activity.set_month_locked(db.session, initiative, dt.date(2026, 1, 1), True)
    changed = csv_file([f"{initiative.slug},2026-01,9,50,20,3,4,30,0,1,"])
    outcome = activity.import_activity_table(db.session, io.BytesIO(changed), "a.csv", definition)
    assert not outcome.ok and outcome.problems[0].row == 2
    assert db.session.scalar(select(ActivityReport)).values["activiteiten"] == 4


def test_cli_template_import_and_survey_check(app, linked, tmp_path):
    initiative, _token = linked
    runner = app.test_cli_runner()
    header = runner.invoke(args=["activity", "template"]).output.strip()
    assert header.startswith("initiatief,maand,activiteiten")
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file([f"{initiative.slug},2026-01,4,50,20,3,4,30,0,1,"], header=header))
    result = runner.invoke(args=["activity", "import", str(good)])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([f"{initiative.slug},2026-13,4,50,20,3,4,30,0,1,"], header=header))
    result = runner.invoke(args=["activity", "import", str(bad)])
    assert (
        result.exit_code == 1
        and "regel 2" in result.output
        and "Er is niets geïmporteerd" in result.output
    )
    shipped = Path(activity.DEFAULT_DEFINITION)
    assert runner.invoke(args=["survey", "check", str(shipped)]).exit_code == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(shipped.read_text().replace("type: integer", "type: geopoint", 1))
    result = runner.invoke(args=["survey", "check", str(broken)])
    assert result.exit_code == 1 and "broken.yaml" in result.output


def test_a_new_field_in_the_definition_reaches_form_database_and_import(make_app, tmp_path):
    shipped = Path(activity.DEFAULT_DEFINITION).read_text()
    extra = """
  - name: buurtbewoners_geholpen
    type: integer
    min: 0
    max: 1000
    label:
      nl: Buurtbewoners geholpen met een klus
      en: Neighbours helped with a chore
"""
    changed = shipped.replace("\nrules:", extra + "\nrules:", 1)
    definition_file = tmp_path / "maandregistratie.yaml"
    definition_file.write_text(changed)
    app = make_app(ACTIVITY_DEFINITION=str(definition_file))
    with app.app_context():
        initiative = make_initiative()
        token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
        client = app.test_client()
        assert "Buurtbewoners geholpen met een klus" in client.get(f"/doorgeven/{token}").get_data(
            as_text=True
        )
        client.post(f"/doorgeven/{token}", data={**GOOD, "buurtbewoners_geholpen": "7"})
        assert db.session.scalar(select(ActivityReport)).values["buurtbewoners_geholpen"] == 7
        header = app.test_cli_runner().invoke(args=["activity", "template"]).output
        assert "buurtbewoners_geholpen" in header


def test_the_form_says_what_happens_with_the_note_and_staff_see_it_labelled(staff_client, linked):
    initiative, token = linked
    page = staff_client.get(f"/doorgeven/{token}").get_data(as_text=True)
    assert "telt niet als verhaal van een bewoner" in page
    text = "Er kwamen drie nieuwe vrijwilligers bij de maaltijd."
    staff_client.post(f"/doorgeven/{token}", data={**GOOD, "toelichting": text})
    note = db.session.scalar(select(Story))
    listing = staff_client.get("/beheer/verhalen").get_data(as_text=True)
    assert f"Notitie van initiatief {note.id}" in listing
    review = staff_client.get(f"/beheer/themas/verhaal/{note.id}").get_data(as_text=True)
    assert f"Notitie van initiatief {note.id}" in review
    assert "telt het niet mee als verhaal van bewoners" in review


def test_the_month_section_never_says_no_figures_above_every_initiative_has_reported(
    staff_client, app
):
    areas = make_areas()
    initiative = make_initiative("Buurttuin Oost", area=areas["testdam/noord/vogelbuurt"])
    month = activity.last_complete_month(clock.today())
    label = format_month(month)

    missing = staff_client.get("/beheer/initiatieven").get_data(as_text=True)
    activity.save_monthly_report(
        db.session, initiative, month, {"activiteiten": 3}, activity.load_activity_definition()
    )
    complete = staff_client.get("/beheer/initiatieven").get_data(as_text=True)

    for page in (missing, complete):
        assert f"<h2>Cijfers over {label}</h2>" in page
        assert "Nog geen cijfers over" not in page
    assert "1 initiatief heeft voor deze maand nog geen cijfers doorgegeven." in missing
    assert f"Alle initiatieven hebben hun cijfers over {label} doorgegeven." in complete
    assert "nog geen cijfers doorgegeven" not in complete
