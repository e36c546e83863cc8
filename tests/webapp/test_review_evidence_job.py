"""New stories get their themes within seconds and their review evidence a little later, from a
job that waits while residents are sending many stories (issue 13: residents first): what it
stores is what the models explain, only for rows of the models in force, and the review screen
says truthfully when it will come."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, update

from nlp.classify import ThemeClassifier
from nlp.outcome import OutcomeModel
from tests.webapp.factories import make_story
from webapp import job_kinds, task_queue
from webapp.extensions import db
from webapp.models import OutcomeAssignment, ThemeAssignment
from webapp.services import review_evidence
from webapp.services import themes as theme_service
from webapp.services.jobs import JobContext
from webapp.services.staff_accounts import create_staff_user
from webapp.services.story_text import deidentified_text

PASSWORD = "correct horse battery"
LONELY = "Sinds mijn vrouw overleden is, zit ik de hele dag binnen en belt niemand me ooit."
MONEY = "Na de schuldhulp kan ik mijn huur weer betalen en slaap ik eindelijk beter."
WITH_ADDRESS = "Mail me op jan.jansen@example.org. Ik heb geen geld voor de tandarts."


@pytest.fixture(scope="module")
def models():
    return ThemeClassifier.load(), OutcomeModel.load()


def evidence_of_rows() -> list:
    rows = list(db.session.scalars(select(ThemeAssignment.evidence)))
    rows += list(
        db.session.scalars(
            select(OutcomeAssignment.evidence).where(OutcomeAssignment.theme.is_(None))
        )
    )
    return rows


def test_new_stories_get_themes_first_and_then_the_evidence_the_models_explain(app, models):
    classifier, outcome_model = models
    stories = [make_story(text=text) for text in (LONELY, MONEY, WITH_ADDRESS)]
    assert (
        theme_service.classify_waiting_stories(db.session, classifier, outcome_model=outcome_model)
        == 3
    )
    assert evidence_of_rows() and all(e is None for e in evidence_of_rows())
    waiting = theme_service.stories_waiting_for_evidence(db.session, classifier, outcome_model, 10)
    assert waiting == [story.id for story in stories]

    assert theme_service.add_missing_evidence(db.session, classifier, outcome_model) == 3
    assert all(e is not None for e in evidence_of_rows())
    for story in stories:
        shown = deidentified_text(story.text)
        for theme, row in theme_service.model_themes(story).items():
            assert review_evidence.unpack_evidence(row.evidence, shown) == classifier.explain(
                shown, theme
            )
        [outcome_row] = [
            a for a in story.outcome_assignments if a.source == "model" and a.theme is None
        ]
        assert review_evidence.unpack_evidence(outcome_row.evidence, shown) == (
            outcome_model.explain(shown, outcome_row.outcome)
        )
    # Nothing is left to do, and doing it again changes nothing.
    assert theme_service.add_missing_evidence(db.session, classifier, outcome_model) == 0


def test_evidence_is_never_added_to_the_rows_of_another_model(app, models):
    classifier, outcome_model = models
    make_story(text=LONELY)
    theme_service.classify_waiting_stories(db.session, classifier, outcome_model=outcome_model)
    # As if the story was classified by a model that has since been replaced: those rows wait
    # for `weefsel reclassify`, which computes themes and evidence together.
    db.session.execute(update(ThemeAssignment).values(model_version="themes-older"))
    db.session.execute(update(OutcomeAssignment).values(model_version="outcome-older"))
    db.session.commit()
    assert theme_service.stories_waiting_for_evidence(db.session, *models, 10) == []
    assert theme_service.add_missing_evidence(db.session, classifier, outcome_model) == 0
    assert all(e is None for e in evidence_of_rows())


def test_the_evidence_job_stops_between_batches_when_asked(app, models):
    classifier, outcome_model = models
    for _ in range(5):
        make_story(text=LONELY)
    theme_service.classify_waiting_stories(db.session, classifier, outcome_model=outcome_model)
    added = theme_service.add_missing_evidence(
        db.session, classifier, outcome_model, batch_size=2, keep_going=lambda: False
    )
    assert added == 2
    assert len(theme_service.stories_waiting_for_evidence(db.session, *models, 10)) == 3


@pytest.fixture
def queued_app(make_app, tmp_path, monkeypatch):
    """A real SQLite-backed queue with no consumer: jobs are called directly."""
    monkeypatch.setattr(task_queue, "QUIET_SECONDS", 0.3)
    app = make_app(JOBS_IMMEDIATE=False, INSTANCE_PATH=str(tmp_path / "queued"))
    with app.app_context():
        yield app


def test_the_form_is_busy_while_many_new_stories_come_in(queued_app):
    queue = queued_app.extensions["weefsel_queue"]
    assert not queue.form_is_busy()
    queue.note_new_stories(task_queue.BUSY_STORIES)
    assert not queue.form_is_busy()  # a handful of stories is not a crowd
    queue.note_new_stories(1)
    assert queue.form_is_busy()
    # One evidence run is scheduled however often new stories are noted in a short while.
    queue.note_new_stories(5)
    assert queue.huey.pending_count() == 1  # with its eta: the consumer holds it until due
    time.sleep(task_queue.QUIET_SECONDS + 0.05)
    assert not queue.form_is_busy()


def test_the_evidence_job_waits_while_the_form_is_busy_but_the_sweep_does_a_batch(
    queued_app, models
):
    classifier, outcome_model = models
    for _ in range(3):
        make_story(text=LONELY)
    theme_service.classify_waiting_stories(db.session, classifier, outcome_model=outcome_model)
    queue = queued_app.extensions["weefsel_queue"]
    context = JobContext(db.session, queued_app.config, queued_app.extensions, None)
    queued_app.extensions["weefsel_classifier"].get()  # loaded, as in a running worker
    queued_app.extensions["weefsel_outcome_model"].get()
    queue.note_new_stories(task_queue.BUSY_STORIES + 1)

    assert job_kinds.add_review_evidence(context) == {"added": 0}
    assert len(theme_service.stories_waiting_for_evidence(db.session, *models, 10)) == 3
    # The sweep does at least one batch (all three here) however busy the form is.
    assert job_kinds.add_review_evidence(context, at_least_one_batch=True) == {"added": 3}

    make_story(text=MONEY)
    theme_service.classify_waiting_stories(db.session, classifier, outcome_model=outcome_model)
    time.sleep(task_queue.QUIET_SECONDS + 0.05)  # the form has gone quiet
    assert job_kinds.add_review_evidence(context) == {"added": 1}


def test_the_review_screen_says_when_the_evidence_of_a_new_story_will_come(app, models):
    classifier, outcome_model = models
    create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
    client = app.test_client()
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    story = make_story(text=LONELY)
    theme_service.classify_waiting_stories(db.session, classifier, outcome_model=outcome_model)
    page = client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert "meestal binnen een minuut" in page and "<mark>" not in page
    theme_service.add_missing_evidence(db.session, classifier, outcome_model)
    page = client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert "meestal binnen een minuut" not in page and "<mark>" in page
