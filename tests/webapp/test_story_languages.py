"""Every story keeps its languages; other languages go to a person; staff see them unmangled."""

from __future__ import annotations

import datetime as dt

from flask_babel import refresh
from sqlalchemy import select

from tests.webapp.factories import make_initiative, make_story
from webapp.extensions import db
from webapp.models import Story
from webapp.services import activity, stories, themes
from webapp.services.scopes import EVERYTHING
from webapp.services.staff_accounts import create_staff_user
from webapp.templating import story_language_names

DUTCH = "Sinds ik naar het taalcafé ga, heb ik nieuwe vrienden gemaakt in de buurt."
ARABIC = "منذ أن بدأت أذهب إلى مقهى اللغة لم أعد أشعر بالوحدة وصار عندي أصدقاء."
EMAIL, PASSWORD = "coordinator@weefsel.test", "correct horse battery"


def send(client, text: str) -> Story:
    response = client.post("/verhaal", data={"story": text, "wijk": "", "initiative": ""})
    assert response.status_code == 303
    return db.session.scalar(select(Story).order_by(Story.id.desc()))


def test_submitted_story_stores_its_primary_language_and_all_languages_found(client):
    story = send(client, f"{DUTCH} {ARABIC} {DUTCH}")
    assert story.language == "nl"
    assert story.languages == ["nl", "ar"]


def test_story_in_another_language_gets_no_model_themes_and_comes_first_for_review(app, client):
    dutch = send(client, f"{DUTCH} Ik voel me minder alleen sinds ik daar kom.")
    arabic = send(client, f"{ARABIC} {ARABIC}")
    assert arabic.language == "ar" and arabic.languages == ["ar"]
    assert arabic.classified_version is not None  # the model looked at it...
    assert not [a for a in arabic.theme_assignments if a.assigned]  # ...and did not guess
    assert dutch.classified_version is not None
    coordinator = create_staff_user(db.session, EMAIL, "C", PASSWORD, "coordinator")
    assert themes.review_queue(db.session, coordinator, EVERYTHING)[0].id == arabic.id


def test_initiative_note_gets_its_languages_like_a_story(app):
    initiative = make_initiative()
    definition = activity.load_activity_definition()
    values = {"activiteiten": 4, "bezoeken": 40, "unieke_deelnemers": 10}
    values |= {
        "toelichting": "Çok güzel bir ay geçirdik, yeni gönüllüler geldi ve herkes mutluydu."
    }
    month = dt.date(2026, 1, 1)
    activity.save_monthly_report(db.session, initiative, month, values, definition)
    note = db.session.scalar(select(Story).where(Story.channel == "initiative"))
    assert (note.language, note.languages) == ("tr", ["tr"])


def test_language_names_are_shown_in_the_staff_members_language(app):
    story = make_story(text=f"{DUTCH} {ARABIC}", language="nl", languages=["nl", "ar"])
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert story_language_names(story) == "Nederlands, Arabisch"
    with app.test_request_context("/beheer/", headers={"Accept-Language": "en"}):
        refresh()  # the test's app context remembers the first request's language
        assert story_language_names(story) == "Dutch, Arabic"


def test_staff_story_list_shows_text_in_its_own_direction_and_language(make_app):
    site = make_app()
    with site.app_context():
        make_story(text=ARABIC, language="ar", languages=["ar"])
        create_staff_user(db.session, EMAIL, "C", PASSWORD, "coordinator")
    client = site.test_client()
    client.post("/beheer/inloggen", data={"email": EMAIL, "password": PASSWORD})
    page = client.get("/beheer/verhalen").get_data(as_text=True)
    assert f'<p class="story-text" lang="ar" dir="auto">{ARABIC}</p>' in page
    assert "taal: Arabisch" in page


def test_a_known_language_is_kept_as_given(app):
    story = Story(text=DUTCH)
    stories.record_story_languages(story, "en")
    assert (story.language, story.languages) == ("en", ["en"])
