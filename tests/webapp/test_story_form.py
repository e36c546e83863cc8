"""The resident story form: happy path, every kind of bad input, and withdrawal."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.webapp.factories import make_areas, make_initiative
from webapp.extensions import db
from webapp.models import Story, ThemeAssignment

STORY = "Sinds mijn man overleden is kom ik elke week in de buurthuiskamer, daar praat ik weer met mensen."
CODE_PATTERN = re.compile(r'id="withdrawal-code">([A-Z0-9-]+)<')


def story_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Story))


def send_story(client, **fields):
    data = {"story": STORY, "wijk": "", "initiative": "", "age_band": ""}
    data.update(fields)
    return client.post("/verhaal", data=data)


def test_form_page_is_dutch_and_has_labelled_fields(client):
    page = client.get("/verhaal").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page
    assert "Vertel uw verhaal" in page
    for field_id in (
        "story",
        "wijk",
        "initiative",
        "age_band",
        "consent_quote",
        "consent_research",
    ):
        assert f'<label for="{field_id}"' in page
    assert "http://" not in page and "https://" not in page  # no external assets


def test_happy_path_stores_story_and_shows_withdrawal_code(client):
    areas = make_areas()
    initiative = make_initiative(area=areas["testdam/noord/vogelbuurt"])
    response = send_story(
        client,
        wijk=str(areas["testdam/noord/vogelbuurt"].id),
        initiative=str(initiative.id),
        age_band="65-79",
        consent_quote="y",
    )
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    code = CODE_PATTERN.search(thanks).group(1)
    assert len(code.replace("-", "")) == 12
    story = db.session.scalar(select(Story))
    assert story.text == STORY
    assert story.area_id == areas["testdam/noord/vogelbuurt"].id
    assert story.initiative_id == initiative.id
    assert story.age_band == "65-79"
    assert (story.consent_quote, story.consent_research) == (True, False)
    assert story.status == "pending" and story.channel == "form"
    assert code not in (story.withdrawal_code_hash or "")
    # Refreshing the thank-you page shows no code a second time.
    assert CODE_PATTERN.search(client.get("/verhaal/bedankt").get_data(as_text=True)) is None


def test_no_ip_address_or_user_agent_is_stored(client):
    client.post(
        "/verhaal",
        data={"story": STORY},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
        headers={"User-Agent": "SpecialAgent/9.9"},
    )
    story = db.session.scalar(select(Story))
    stored = " ".join(str(getattr(story, c.key)) for c in Story.__table__.columns)
    assert "203.0.113.77" not in stored and "SpecialAgent" not in stored
    assert not {"ip", "ip_address", "user_agent"} & set(Story.__table__.columns.keys())


def test_story_without_initiative_knowledge_is_accepted(client):
    assert send_story(client, initiative="onbekend").status_code == 303
    assert db.session.scalar(select(Story.initiative_id)) is None


def test_too_short_story_keeps_text_and_explains_in_dutch(client):
    response = send_story(client, story="Te kort verhaal")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Uw verhaal is 15 tekens lang; schrijf er minstens 20." in page
    assert "Te kort verhaal</textarea>" in page
    assert 'href="#story"' in page  # the error summary links to the field
    assert 'aria-invalid="true"' in page
    assert story_count() == 0


def test_whitespace_padding_does_not_count_towards_the_minimum(client):
    response = send_story(client, story="kort" + " " * 40)
    assert response.status_code == 422
    assert story_count() == 0


def test_empty_story_asks_for_text(client):
    response = send_story(client, story="")
    assert response.status_code == 422
    assert "Schrijf hier uw verhaal." in response.get_data(as_text=True)


def test_too_long_story_is_refused_and_kept(client):
    long_story = "Dit is een lang verhaal. " * 250
    response = send_story(client, story=long_story)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Uw verhaal is 6.249 tekens lang; het mogen er maximaal 5.000 zijn." in page
    assert "Maak het 1.249 tekens korter." in page
    assert "Dit is een lang verhaal. Dit is een lang verhaal." in page
    assert story_count() == 0


def test_invalid_choices_are_named_and_text_kept(client):
    make_areas()
    response = send_story(client, wijk="999999", age_band="150+", initiative="abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("Kies een van de mogelijkheden uit de lijst.") >= 3
    assert STORY in page
    assert story_count() == 0


def test_missing_csrf_token_keeps_text_and_says_so(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/verhaal", data={"story": STORY})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Het formulier was verlopen" in page
    assert STORY in page
    assert story_count() == 0


def test_wrong_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    client.get("/verhaal")
    response = client.post("/verhaal", data={"story": STORY, "csrf_token": "forged"})
    assert response.status_code == 400
    assert story_count() == 0


def test_valid_csrf_token_is_accepted(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/verhaal").get_data(as_text=True))
    assert client.post("/verhaal", data={"story": STORY, "csrf_token": token}).status_code == 303
    assert story_count() == 1


def test_filled_honeypot_is_refused_without_storing(client):
    response = send_story(client, website="http://spam.example")
    assert response.status_code == 400
    assert "automatisch" in response.get_data(as_text=True)
    assert story_count() == 0


def test_oversized_request_gets_a_413_page(client):
    response = client.post("/verhaal", data={"story": "x" * (1100 * 1024)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Uw verhaal is veel te lang" in page and "klik op Terug" in page
    assert client.post("/verhaal/intrekken", data={"code": "x" * 70 * 1024}).status_code == 413


def test_non_utf8_body_gets_a_400_page(client):
    body = b"story=" + "Caf\u00e9 met veel gezelligheid en warmte".encode("latin-1")
    response = client.post("/verhaal", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "We konden uw bericht niet lezen" in response.get_data(as_text=True)
    assert story_count() == 0


def test_rate_limit_answers_with_friendly_429(make_app):
    app = make_app(RATELIMIT="2/minute")
    client = app.test_client()
    with app.app_context():
        assert send_story(client).status_code == 303
        assert send_story(client).status_code == 303
        response = send_story(client)
        assert response.status_code == 429
        assert "Wacht even" in response.get_data(as_text=True)
        assert story_count() == 2
        # Only sending is limited: the resident can still open the form and the other pages.
        assert client.get("/verhaal").status_code == 200
        assert client.get("/verhaal/intrekken").status_code == 200
        # Each sending page has a budget of its own.
        searches = [client.post("/verhaal/wijken", data={"q": "1071"}) for _ in range(3)]
        assert [r.status_code for r in searches] == [200, 200, 429]
        tries = [client.post("/verhaal/intrekken", data={"code": "AAAA"}) for _ in range(3)]
        assert tries[-1].status_code == 429 and tries[0].status_code != 429


def test_withdrawal_deletes_story_and_theme_assignments(client):
    response = send_story(client)
    code = CODE_PATTERN.search(
        client.get(response.headers["Location"]).get_data(as_text=True)
    ).group(1)
    story = db.session.scalar(select(Story))
    db.session.add(
        ThemeAssignment(story_id=story.id, theme="eenzaamheid", score=0.9, source="human")
    )
    db.session.commit()
    result = client.post("/verhaal/intrekken", data={"code": code.lower().replace("-", " ")})
    assert result.status_code == 200
    assert "Uw verhaal is verwijderd" in result.get_data(as_text=True)
    db.session.expire_all()
    assert story_count() == 0
    assert db.session.scalar(select(func.count()).select_from(ThemeAssignment)) == 0


def test_wrong_withdrawal_code_is_explained(client):
    send_story(client)
    response = client.post("/verhaal/intrekken", data={"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404
    assert "We vonden geen verhaal met deze code" in response.get_data(as_text=True)
    assert story_count() == 1


def test_language_switch_is_remembered_in_the_session(make_app):
    # No app context pushed around the requests: each request gets its own, as in production.
    client = make_app().test_client()
    client.get("/taal/en?next=/verhaal")
    page = client.get("/verhaal").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "Tell your story" in page
    client.get("/taal/nl")
    assert "Vertel uw verhaal" in client.get("/verhaal").get_data(as_text=True)


def test_language_switch_refuses_offsite_redirects(client):
    response = client.get("/taal/en?next=https://evil.example/")
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
