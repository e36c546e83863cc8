"""A volunteer logs the month that just ended, confirms suggested figures, is warned about a copy,
reads Dutch numbers, and meets an explanation (not a bare 404) on an old link."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.webapp.browser_form import untouched_form_data
from tests.webapp.factories import make_areas, make_initiative
from tests.webapp.test_initiative_activity import GOOD, PASSWORD
from webapp.extensions import db
from webapp.models import ActivityReport, Initiative
from webapp.services import activity, initiative_links
from webapp.services.staff_accounts import create_staff_user

THIS_MONTH = dt.date.today().replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
TWO_MONTHS_AGO = (LAST_MONTH - dt.timedelta(days=1)).replace(day=1)
FIGURES = {k: int(v) for k, v in GOOD.items() if v and k != "toelichting"}


@pytest.fixture
def linked(app):
    areas = make_areas()
    initiative = make_initiative("Taalcafé Tarwewijk", area=areas["testdam/noord/vogelbuurt"])
    token = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
    return initiative, token


def saved_months() -> list[dt.date]:
    return list(db.session.scalars(select(ActivityReport.month).order_by(ActivityReport.month)))


def test_the_form_asks_for_last_month_and_the_current_month_only_on_purpose(client, linked):
    _initiative, token = linked

    default = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    chosen = client.get(f"/doorgeven/{token}?maand={THIS_MONTH:%Y-%m}").get_data(as_text=True)

    assert f'value="{LAST_MONTH:%Y-%m}" selected' in default
    assert "nog niet voorbij" in default  # the current month's option says so
    assert "is nog niet voorbij. Cijfers voor een hele maand" in chosen
    client.post(f"/doorgeven/{token}?maand={THIS_MONTH:%Y-%m}", data=GOOD)
    client.post(f"/doorgeven/{token}", data=GOOD)
    assert saved_months() == [LAST_MONTH, THIS_MONTH]


def test_suggested_figures_must_be_confirmed_and_are_kept_until_then(client, linked):
    initiative, token = linked
    definition = activity.load_activity_definition()
    activity.save_monthly_report(db.session, initiative, TWO_MONTHS_AGO, FIGURES, definition)
    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    assert "Als voorstel hebben we de cijfers van vorige maand ingevuld" in page

    data = {**GOOD, "bezoeken": "135", "voorstel": "1"}
    unconfirmed = client.post(f"/doorgeven/{token}", data=data)
    confirmed = client.post(f"/doorgeven/{token}", data={**data, "bevestigd": "1"})

    assert unconfirmed.status_code == 422
    assert "Bevestig dat u de voorgestelde cijfers" in unconfirmed.get_data(as_text=True)
    assert 'value="135"' in unconfirmed.get_data(as_text=True)
    assert confirmed.status_code == 303
    assert saved_months() == [TWO_MONTHS_AGO, LAST_MONTH]


def test_every_figure_equal_to_last_month_needs_a_second_look(client, linked):
    initiative, token = linked
    definition = activity.load_activity_definition()
    activity.save_monthly_report(db.session, initiative, TWO_MONTHS_AGO, FIGURES, definition)

    copy = client.post(f"/doorgeven/{token}", data={**GOOD, "voorstel": "1", "bevestigd": "1"})
    sure = client.post(
        f"/doorgeven/{token}",
        data={**GOOD, "voorstel": "1", "bevestigd": "1", "zelfde_bevestigd": "1"},
    )

    assert copy.status_code == 422
    assert "precies hetzelfde als vorige maand" in copy.get_data(as_text=True)
    assert sure.status_code == 303 and saved_months() == [TWO_MONTHS_AGO, LAST_MONTH]


def test_dutch_numbers_are_accepted_and_shown_the_dutch_way(client, linked):
    initiative, token = linked
    data = {
        **GOOD,
        "bezoeken": "18.000",
        "unieke_deelnemers": "1.200",
        "vrijwilligersuren": "1.234,5",
    }

    assert client.post(f"/doorgeven/{token}", data=data).status_code == 303
    [report] = db.session.scalars(select(ActivityReport))
    assert report.values["bezoeken"] == 18000 and report.values["vrijwilligersuren"] == 1234.5
    page = client.get(f"/doorgeven/{token}?maand={LAST_MONTH:%Y-%m}").get_data(as_text=True)
    assert 'value="18.000"' in page and 'value="1.234,5"' in page
    too_many = client.post(f"/doorgeven/{token}", data={**GOOD, "bezoeken": "60.000"})
    assert "tussen 0 en 50.000" in too_many.get_data(as_text=True)


def test_a_replaced_link_explains_what_happened_and_whom_to_ask(make_app):
    app = make_app(CONTACT="Team Sociale Basis, 14 010")
    with app.app_context():
        initiative = make_initiative("Buurttuin De Hof")
        old = initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
        initiative_links.issue_link_token(db.session, initiative, app.config["SECRET_KEY"])
        client = app.test_client()

        replaced = client.get(f"/doorgeven/{old}")
        unknown = client.get("/doorgeven/nooit-uitgegeven")
        initiative.active = False
        db.session.commit()
        current = initiative_links.current_link_token(initiative, app.config["SECRET_KEY"])
        inactive = client.get(f"/doorgeven/{current}")

    text = replaced.get_data(as_text=True)
    assert replaced.status_code == 410
    assert "Buurttuin De Hof heeft op" in text and "een nieuwe persoonlijke link" in text
    assert "Vraag Team Sociale Basis, 14 010 om uw huidige link" in text
    assert unknown.status_code == 404 and "Team Sociale Basis" in unknown.get_data(as_text=True)
    assert inactive.status_code == 410 and "niet meer" in inactive.get_data(as_text=True)


def test_the_initiative_code_and_csv_template_are_on_the_link_page(client, linked):
    initiative, token = linked

    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    template = client.get(f"/doorgeven/{token}/sjabloon.csv")

    assert initiative.slug in page and f"/doorgeven/{token}/sjabloon.csv" in page
    lines = template.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("initiatief,maand,activiteiten")
    assert lines[1].startswith(f"{initiative.slug},{LAST_MONTH:%Y-%m},")


def test_staff_page_shows_the_code_and_reads_and_writes_dutch_amounts(client, linked):
    initiative, _token = linked
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})

    response = client.post(
        f"/beheer/initiatieven/{initiative.id}",
        data={"name": initiative.name, "wijk": "", "subsidy_eur_per_year": "18.000,00"},
    )
    page = client.get(f"/beheer/initiatieven/{initiative.id}").get_data(as_text=True)
    template = client.get(f"/beheer/initiatieven/import/sjabloon.csv?initiatief={initiative.slug}")

    assert response.status_code == 303
    assert float(db.session.get(Initiative, initiative.id).subsidy_eur_per_year) == 18000
    assert 'value="18.000,00"' in page
    assert f"<code>{initiative.slug}</code>" in page
    assert template.get_data(as_text=True).splitlines()[1].startswith(initiative.slug + ",")
    # A made-up code (or one with a line break, which no download name may hold) has no template.
    for code in ("no-such-initiative", "evil\r\nSet-Cookie: x=1"):
        response = client.get(
            "/beheer/initiatieven/import/sjabloon.csv", query_string={"initiatief": code}
        )
        assert response.status_code == 404


def test_saving_the_staff_initiative_form_untouched_keeps_every_detail(client, linked):
    """A browser shows a number input it cannot read as empty and sends it empty: the
    subsidy "9.500,00" must be in a field that keeps it, so an untouched save changes nothing."""
    initiative, _token = linked
    initiative.subsidy_eur_per_year = 9500
    initiative.contact_name, initiative.contact_email = "Ans", "ans@example.org"
    db.session.commit()
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    before = (initiative.name, initiative.area_id, "Ans", "ans@example.org")

    page = client.get(f"/beheer/initiatieven/{initiative.id}").get_data(as_text=True)
    sent = untouched_form_data(page, "subsidy_eur_per_year")
    response = client.post(f"/beheer/initiatieven/{initiative.id}", data=sent)

    db.session.expire_all()
    saved = db.session.get(Initiative, initiative.id)
    assert sent["subsidy_eur_per_year"] == "9.500,00"
    assert response.status_code == 303
    assert float(saved.subsidy_eur_per_year) == 9500
    assert (saved.name, saved.area_id, saved.contact_name, saved.contact_email) == before
