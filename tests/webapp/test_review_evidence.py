"""Review evidence is computed by the classification job and read by the review screen, which
loads no model: what the screen marks is what the model said, or it says plainly it is not
computed yet."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from nlp.classify import ThemeClassifier
from tests.webapp.factories import make_story
from tests.webapp.fresh_process import libraries_loaded_by_fresh_process
from webapp.extensions import db
from webapp.models import OutcomeAssignment, ThemeAssignment
from webapp.services import review_evidence
from webapp.services import themes as theme_service
from webapp.services.staff_accounts import create_staff_user
from webapp.services.story_text import deidentified_text

PASSWORD = "correct horse battery"
LONELY = "Sinds mijn vrouw overleden is, zit ik de hele dag binnen en belt niemand me ooit."
NOT_COMPUTED = "is voor dit verhaal nog niet berekend"


@pytest.fixture(scope="module")
def classifier():
    return ThemeClassifier.load()


@pytest.fixture
def staff_client(make_app, tmp_path):
    """An app with no theme model at all: the review screen must not need one."""
    app = make_app(MODEL_DIR=str(tmp_path / "no-model-here"))
    with app.app_context():
        create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
        client = app.test_client()
        client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
        yield client


def test_stored_evidence_is_what_the_model_explains_for_the_text_staff_see(app, classifier):
    story = make_story(text=f"Mail me op jan.jansen@example.org. {LONELY}")
    theme_service.classify_stories(db.session, [story], classifier)
    shown = deidentified_text(story.text)
    assert shown != story.text  # the address is replaced: offsets belong to the shown text
    rows = theme_service.model_themes(story)
    assert set(rows) == set(classifier.theme_keys)
    for theme, row in rows.items():
        assert row.threshold == classifier.thresholds[theme]
        assert review_evidence.unpack_evidence(row.evidence, shown) == classifier.explain(
            shown, theme
        )
    assert review_evidence.unpack_evidence(rows["eenzaamheid"].evidence, story.text) is None


def test_the_review_screen_marks_stored_evidence_without_a_model(staff_client, classifier):
    story = make_story(text=LONELY)
    theme_service.classify_stories(db.session, [story], classifier)
    page = staff_client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    section = page.split('id="theme-eenzaamheid"')[1].split("</section>")[0]
    assert "<mark>" in section and "drempel" in section
    assert NOT_COMPUTED not in page
    queue = staff_client.get("/beheer/themas/").get_data(as_text=True)
    assert "Er is geen themamodel" in queue  # and it says so, without loading one


def test_stories_classified_before_evidence_was_kept_say_so_until_reclassified(
    staff_client, classifier
):
    story = make_story(text=LONELY)
    theme_service.classify_stories(db.session, [story], classifier)
    db.session.execute(
        update(ThemeAssignment).values(evidence=None, threshold=None)
    )  # as migration 0017 leaves older rows
    db.session.execute(update(OutcomeAssignment).values(evidence=None))
    db.session.commit()
    page = staff_client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert NOT_COMPUTED in page and "<mark>" not in page
    assert theme_service.reclassify(db.session, classifier, only_outdated=True) == 1
    assert theme_service.reclassify(db.session, classifier, only_outdated=True) == 0
    page = staff_client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert NOT_COMPUTED not in page and "<mark>" in page


def test_evidence_for_a_text_that_changed_since_is_not_shown(staff_client, classifier):
    story = make_story(text=LONELY)
    theme_service.classify_stories(db.session, [story], classifier)
    story.text = "Ik woon hier al jaren en ken mijn buren goed."  # e.g. other de-identification
    db.session.commit()
    page = staff_client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert NOT_COMPUTED in page and "<mark>" not in page


def test_the_review_screen_loads_no_scikit_learn_in_the_web_process(
    app, classifier, database_url, tmp_path
):
    """A fresh process serves the queue and a classified story's review screen with its marked
    evidence (issue 13: a web worker stays small when the models stay in the job workers)."""
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    story = make_story(text=LONELY)
    theme_service.classify_stories(db.session, [story], classifier)
    requests = (
        "queue = client.get('/beheer/themas/')\n"
        f"page = client.get('/beheer/themas/verhaal/{story.id}')\n"
        "assert (queue.status_code, page.status_code) == (200, 200)\n"
        "assert '<mark>' in page.get_data(as_text=True)\n"
    )
    loaded = libraries_loaded_by_fresh_process(
        database_url,
        tmp_path / "fresh",
        "co@example.org",
        PASSWORD,
        requests,
        {"sklearn", "scipy", "matplotlib"},
    )
    assert loaded == set()
