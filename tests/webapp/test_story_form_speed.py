"""What keeps the story form fast stays correct: cached choices follow changes to areas and
initiatives, and each visitor's page carries their own CSRF and submission tokens."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.webapp.factories import make_areas, make_initiative
from webapp.extensions import db
from webapp.models import Initiative, Story
from webapp.services.story_choices import StoryChoiceCache

STORY = "Sinds ik naar de buurthuiskamer ga heb ik weer mensen om mee te praten."


def test_a_new_or_renamed_initiative_shows_on_the_next_form(client):
    make_areas()
    make_initiative("Taalcafé De Brug")
    assert "Taalcafé De Brug" in client.get("/verhaal").get_data(as_text=True)
    make_initiative("Buurttuin Het Zaadje")
    page = client.get("/verhaal").get_data(as_text=True)
    assert "Buurttuin Het Zaadje" in page and "Vogelbuurt" in page
    initiative = db.session.scalar(select(Initiative).where(Initiative.name == "Taalcafé De Brug"))
    initiative.active = False
    db.session.commit()
    assert "Taalcafé De Brug" not in client.get("/verhaal").get_data(as_text=True)


def test_another_process_sees_the_change_through_the_stamp_file(app, tmp_path):
    make_areas()
    mine = StoryChoiceCache(tmp_path)
    other = StoryChoiceCache(tmp_path)  # as in another web worker on this machine
    assert mine.get(db.session).initiatives == other.get(db.session).initiatives == []
    make_initiative("Opzoomergroep Lindelaan")
    time.sleep(0.01)  # a stamp written within the same clock tick must still differ
    mine.invalidate()
    assert [name for _id, name in other.get(db.session).initiatives] == ["Opzoomergroep Lindelaan"]


def test_each_visitor_of_the_form_gets_working_tokens_of_their_own(make_app):
    # No app context around the requests: each request gets its own, as in production.
    app = make_app(WTF_CSRF_ENABLED=True)
    first, second = app.test_client(), app.test_client()
    page_one = first.get("/verhaal").get_data(as_text=True)
    page_two = second.get("/verhaal").get_data(as_text=True)
    token_one, token_two = csrf_token_from(page_one), csrf_token_from(page_two)
    assert token_one != token_two
    submission = re.compile(r'name="inzending" type="hidden" value="([^"]+)"')
    # A shared submission token would make a second visitor's story look like a resend.
    assert submission.search(page_one).group(1) != submission.search(page_two).group(1)
    refused = first.post("/verhaal", data={"story": STORY, "csrf_token": token_two})
    assert refused.status_code == 400
    accepted = first.post("/verhaal", data={"story": STORY, "csrf_token": token_one})
    assert accepted.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Story.text)) == STORY


def test_the_cached_form_follows_the_language(client):
    dutch = client.get("/verhaal").get_data(as_text=True)
    client.get("/taal/en?next=/verhaal")
    english = client.get("/verhaal").get_data(as_text=True)
    assert 'lang="nl"' in dutch and 'lang="en"' in english


def _posted_forms(wijk_id: int, initiative_id: int) -> list[dict]:
    base = {"story": STORY, "wijk": "", "initiative": "", "age_band": "", "inzending": "t1"}
    variants = [
        {},
        {"wijk": str(wijk_id), "initiative": str(initiative_id), "age_band": "30-44"},
        {"wijk": f" {wijk_id}", "initiative": "onbekend"},
        {"wijk": "  "},
        {"wijk": "999999"},
        {"wijk": "abc"},
        {"initiative": "0"},
        {"age_band": "31"},
        {"consent_quote": "y", "consent_research": "false", "consent_health": "on"},
        {"consent_quote": ""},
        {"story": ""},
        {"story": "   \r\n  "},
        {"story": "Te kort."},
        {"story": "a\r\n" * 10},
        {"story": "x" * 5000},
        {"story": "x" * 5001},
        {"story": "  " + "y" * 19 + "  "},
    ]
    forms = [{**base, **variant} for variant in variants]
    forms.append({key: value for key, value in base.items() if key != "age_band"})
    return forms


def test_the_quick_check_accepts_only_what_the_form_accepts_with_the_same_values(app):
    from webapp.resident.forms import (
        StoryForm,
        plainly_valid_story,
        posted_story_from,
        story_options,
    )
    from webapp.services.story_choices import StoryChoiceCache

    areas = make_areas()
    wijk_id = areas["testdam/noord/vogelbuurt"].id
    initiative_id = make_initiative("Taalcafé De Brug").id
    choices = StoryChoiceCache(app.instance_path).get(db.session)
    options = story_options(choices.wijken, choices.initiatives)
    accepted = 0
    for health_asked in (True, False):
        for posted in _posted_forms(wijk_id, initiative_id):
            with app.test_request_context("/verhaal", method="POST", data=posted):
                quick = plainly_valid_story(posted, options, health_asked, check_csrf=False)
                form = StoryForm()
                if not health_asked:
                    del form.consent_health
                form.set_choices(choices.wijken, choices.initiatives)
                valid = form.validate()
                if quick is not None:
                    accepted += 1
                    assert valid, (posted, form.errors)
                    assert quick == posted_story_from(form), posted
    assert accepted >= 12  # the ordinary forms do take the quick way


def test_a_form_with_a_wrong_csrf_token_is_never_taken_the_quick_way(csrf_app):
    from webapp.resident.forms import plainly_valid_story, story_options

    options = story_options({}, [])
    posted = {"story": STORY, "csrf_token": "forged"}
    with csrf_app.test_request_context("/verhaal", method="POST", data=posted):
        assert plainly_valid_story(posted, options, True, check_csrf=True) is None
        assert plainly_valid_story(posted, options, True, check_csrf=False) is not None
