"""Five languages for residents: chosen from the browser, switchable, remembered, right-to-left."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import format_date
from flask_babel import force_locale

from tests.public_pages import PUBLIC_PAGES
from tests.webapp.factories import make_initiative
from webapp import clock
from webapp.extensions import db
from webapp.i18n_check import RESIDENT_SOURCES, catalog_problems
from webapp.services import activity, initiative_links
from webapp.services.activity import last_complete_month
from webapp.templating import format_month

PUBLIC_PATHS = [path for _name, path in PUBLIC_PAGES]
TELL_YOUR_STORY = {
    "nl": "Vertel uw verhaal",
    "en": "Tell your story",
    "tr": "Hikâyenizi anlatın",
    "ar": "احكِ قصتك",
    "pl": "Opowiedz swoją historię",
}


@pytest.fixture
def site(make_app):
    """An app without a pushed app context: each request gets its own, as in production
    (a shared context would keep the first request's language)."""
    return make_app()


@pytest.fixture
def client(site):
    return site.test_client()


def monthly_link(site, reports: dict[dt.date, dict] | None = None) -> str:
    with site.app_context():
        initiative = make_initiative()
        definition = activity.load_activity_definition()
        for month, values in (reports or {}).items():
            activity.save_monthly_report(db.session, initiative, month, values, definition)
        return initiative_links.issue_link_token(db.session, initiative, site.config["SECRET_KEY"])


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


@pytest.mark.parametrize(
    "accept, lang",
    [("tr-TR,tr;q=0.9,en;q=0.5", "tr"), ("ar-MA", "ar"), ("pl", "pl"), ("de-DE", "nl"), ("", "nl")],
)
def test_first_visit_takes_the_language_from_the_browser(client, accept, lang):
    page = client.get("/verhaal", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'lang="{lang}"' in html_tag(page)
    assert TELL_YOUR_STORY[lang] in page


def test_arabic_pages_read_right_to_left_and_others_left_to_right(client):
    for path in PUBLIC_PATHS:
        arabic = client.get(path, headers={"Accept-Language": "ar"}).get_data(as_text=True)
        assert html_tag(arabic) == '<html lang="ar" dir="rtl">', path
        polish = client.get(path, headers={"Accept-Language": "pl"}).get_data(as_text=True)
        assert html_tag(polish) == '<html lang="pl" dir="ltr">', path


def test_language_menu_names_every_language_in_itself_on_every_public_page(client):
    for path in PUBLIC_PATHS:
        page = client.get(path).get_data(as_text=True)
        menu = page[page.index('class="lang-switch"') : page.index("</nav>")]
        assert '<span aria-current="true" lang="nl" dir="ltr">Nederlands</span>' in menu
        for code, name, direction in (
            ("en", "English", "ltr"),
            ("tr", "Türkçe", "ltr"),
            ("ar", "العربية", "rtl"),
            ("pl", "Polski", "ltr"),
        ):
            assert f'lang="{code}" hreflang="{code}" dir="{direction}">{name}</a>' in menu, path


def test_chosen_language_is_remembered_over_the_browser_language(client):
    client.get("/taal/ar?next=/verhaal")
    page = client.get("/verhaal", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert TELL_YOUR_STORY["ar"] in page
    client.get("/taal/xx")  # an unknown language changes nothing
    assert TELL_YOUR_STORY["ar"] in client.get("/").get_data(as_text=True)


def test_staff_pages_fall_back_to_dutch_for_resident_only_languages(client):
    client.get("/taal/tr")
    page = client.get("/beheer/inloggen").get_data(as_text=True)
    assert html_tag(page) == '<html lang="nl" dir="ltr">'
    menu = page[page.index('class="lang-switch"') : page.index("</nav>")]
    assert "Türkçe" not in menu and "English" in menu
    client.get("/taal/en")
    assert 'lang="en"' in html_tag(client.get("/beheer/inloggen").get_data(as_text=True))


def test_story_form_errors_come_in_the_residents_language(client):
    client.get("/taal/pl")
    page = client.post("/verhaal", data={"story": "za krótko"}).get_data(as_text=True)
    assert "Liczba znaków w Twojej historii: 9. Napisz co najmniej 20 znaków." in page
    assert 'href="#story"' in page


def test_monthly_form_labels_and_month_names_follow_the_language(site, client):
    token = monthly_link(site)
    month = dt.date.today().replace(day=1)
    client.get("/taal/tr")
    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    assert "Toplam ziyaret sayısı" in page  # the field label from the survey definition
    assert format_date(month, "LLLL yyyy", locale="tr") in page
    client.get("/taal/ar")
    page = client.post(f"/doorgeven/{token}", data={"bezoeken": "veel"}).get_data(as_text=True)
    assert "يجب أن يكون عددًا صحيحًا" in page  # "must be a whole number", in Arabic
    assert format_date(month, "LLLL yyyy", locale="ar") in page


def test_month_labels_use_the_stand_alone_month_name(site, client):
    token = monthly_link(site)
    client.get("/taal/pl")
    page = client.get(f"/doorgeven/{token}").get_data(as_text=True)
    with site.test_request_context():
        with force_locale("pl"):
            assert format_month(dt.date(2026, 12, 1)) == "grudzień 2026"  # not "grudnia"
    month = last_complete_month(clock.today())  # the form asks for the last complete month
    assert f"Wyślij dane za {format_date(month, 'LLLL yyyy', locale='pl')}" in page


def test_numbers_follow_the_language_in_the_monthly_overview(site, client):
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    token = monthly_link(site, {month: {"activiteiten": 8, "bezoeken": 1200}})
    client.get("/taal/en")
    assert "1,200" in client.get(f"/doorgeven/{token}/overzicht").get_data(as_text=True)
    client.get("/taal/nl")
    assert "1.200" in client.get(f"/doorgeven/{token}/overzicht").get_data(as_text=True)


def test_accessibility_statement_has_status_scope_findings_contact_and_date(client):
    client.get("/taal/nl")
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    for heading in ("Status", "Over welke pagina's", "Wat nog niet goed werkt", "Contact"):
        assert f"<h2>{heading}</h2>" in page
    assert "voldoet gedeeltelijk aan de eisen" in page
    assert "2 december 2026" in page
    assert 'href="mailto:' in page
    client.get("/taal/pl")
    assert "2 grudnia 2026" in client.get("/toegankelijkheid").get_data(as_text=True)


def test_every_page_links_to_the_accessibility_statement(client):
    for path in (*PUBLIC_PATHS, "/beheer/inloggen", "/bestaat-niet"):
        assert 'href="/toegankelijkheid"' in client.get(path).get_data(as_text=True), path


def test_catalogs_are_complete_for_residents_in_every_language():
    assert catalog_problems() == []


def test_resident_sources_cover_the_public_templates_but_not_staff_screens():
    assert "webapp/resident/" in RESIDENT_SOURCES
    assert "webapp/initiative/" in RESIDENT_SOURCES
    assert not any(source.startswith("webapp/staff") for source in RESIDENT_SOURCES)


def test_free_text_fields_take_the_direction_of_what_is_typed(site, client):
    story_field = re.search(r"<textarea[^>]*>", client.get("/verhaal").get_data(as_text=True))
    assert 'id="story"' in story_field.group(0) and 'dir="auto"' in story_field.group(0)
    token = monthly_link(site)
    note = re.search(r'<textarea id="toelichting"[^>]*>', client.get(f"/doorgeven/{token}").text)
    assert 'dir="auto"' in note.group(0)


@pytest.mark.parametrize(
    ("lang", "initiative_question", "under_18"),
    [
        ("nl", "Bij welk initiatief was dit?", "tot 18"),
        ("en", "At which initiative was this?", "under 18"),
        ("tr", "Bu hangi girişimdeydi?", "18 yaş altı"),
        ("ar", "في أي مبادرة كان هذا؟", "أقل من 18"),
        ("pl", "Przy której inicjatywie to było?", "poniżej 18"),
    ],
)
def test_story_form_asks_for_the_initiative_and_names_the_youngest_age_band_in_each_language(
    site, client, lang, initiative_question, under_18
):
    with site.app_context():
        make_initiative()
    client.get(f"/taal/{lang}")

    page = client.get("/verhaal").get_data(as_text=True)

    label = re.search(r'<label for="initiative">([^<]*)', page).group(1)
    assert label.startswith(initiative_question)
    assert f'<option value="tot 18">{under_18}</option>' in page


def test_accessibility_contact_is_the_configured_municipality_contact(make_app):
    dedicated = make_app(
        ACCESSIBILITY_CONTACT="digitaal@gemeente.example", PRIVACY_CONTACT="p@x.example"
    )
    privacy_only = make_app(PRIVACY_CONTACT="privacy@demogemeente.example, 14 020")

    first = dedicated.test_client().get("/toegankelijkheid").get_data(as_text=True)
    second = privacy_only.test_client().get("/toegankelijkheid").get_data(as_text=True)

    assert '<a href="mailto:digitaal@gemeente.example">digitaal@gemeente.example</a>' in first
    assert "p@x.example" not in first
    assert (
        '<a href="mailto:privacy@demogemeente.example">privacy@demogemeente.example</a>, 14 020'
        in second
    )
    assert "weefsel.nl" not in first + second
    assert "2 december 2026" in second and "December 2, 2026" not in second


def test_volunteer_hours_read_the_same_in_the_overview_and_in_the_form(site, client):
    month = (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    token = monthly_link(site, {month: {"activiteiten": 8, "vrijwilligersuren": 76}})
    client.get("/taal/nl")

    overview = client.get(f"/doorgeven/{token}/overzicht").get_data(as_text=True)
    form = client.get(f"/doorgeven/{token}?maand={month:%Y-%m}").get_data(as_text=True)

    assert '<td class="num">76,0</td>' in overview
    assert 'value="76,0"' in form
