"""Outcomes in the app: read on submission, shown and corrected on the review screen, and the
one rule that a staff reading overrides the model."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from nlp.outcome import OUTCOMES
from tests.webapp.factories import make_story
from webapp.extensions import db
from webapp.models import OutcomeAssignment, Story
from webapp.services import outcomes as outcome_service
from webapp.services import themes as theme_service
from webapp.services.staff_accounts import create_staff_user

PASSWORD = "correct horse battery"
BETTER = "Sinds ik naar de huiskamer ga voel ik me niet meer alleen. Ik heb er vriendinnen."
MIXED = "Ik voel me niet meer alleen sinds de inloop. Maar de schulden worden steeds hoger."


@pytest.fixture
def models(app):
    classifier = app.extensions["weefsel_classifier"].get()
    outcome_model = app.extensions["weefsel_outcome_model"].get()
    assert classifier is not None and outcome_model is not None, "shipped models must load"
    return classifier, outcome_model


@pytest.fixture
def coordinator(app):
    return create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")


def test_a_submitted_story_gets_an_outcome_with_scores_and_model_version(client, models):
    client.post("/verhaal", data={"story": BETTER})
    story = db.session.scalar(select(Story))
    row = outcome_service.model_outcome(story)
    assert row.outcome == "beter" and row.model_version == models[1].version
    assert set(row.scores) == set(OUTCOMES)
    themes = {a.theme: a.outcome for a in story.outcome_assignments if a.theme}
    assert themes.get("eenzaamheid") == "beter"


def test_each_theme_of_a_mixed_story_gets_its_own_outcome(app, models):
    story = make_story(text=MIXED)
    theme_service.classify_stories(db.session, [story], *models)
    counted = outcome_service.effective_outcomes(db.session, [story.id])[story.id]
    assert counted["eenzaamheid"] == "beter"
    assert counted["armoede"] == "slechter"


def test_reclassifying_replaces_model_outcomes_and_keeps_staff_readings(app, models, coordinator):
    story = make_story(text=BETTER)
    theme_service.classify_stories(db.session, [story], *models)
    outcome_service.record_outcome_review(db.session, story, coordinator, "gemengd")
    theme_service.classify_stories(db.session, [story], *models)
    rows = db.session.scalars(select(OutcomeAssignment).where(OutcomeAssignment.theme.is_(None)))
    assert sorted(r.source for r in rows) == ["human", "model"]
    assert outcome_service.effective_outcomes(db.session, [story.id])[story.id][None] == "gemengd"


def test_staff_reading_of_the_story_overrides_the_model_also_per_theme(app, models, coordinator):
    story = make_story(text=MIXED, consent_research=True)  # training needs research consent
    theme_service.classify_stories(db.session, [story], *models)
    outcome_service.record_outcome_review(db.session, story, coordinator, "geen")
    counted = outcome_service.effective_outcomes(db.session, [story.id])[story.id]
    assert outcome_service.outcome_of(counted) == "geen"
    assert outcome_service.outcome_of(counted, "armoede") == "geen"
    assert outcome_service.human_outcome_examples(db.session) == [
        {"text": MIXED, "outcome": "geen"}
    ]


def test_an_unknown_outcome_is_refused(app, coordinator):
    story = make_story(text=BETTER)
    with pytest.raises(ValueError):
        outcome_service.record_outcome_review(db.session, story, coordinator, "prima")


def test_review_screen_shows_the_reading_and_saves_a_correction(client, models, coordinator):
    story = make_story(text=BETTER)
    theme_service.classify_stories(db.session, [story], *models)
    client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
    page = client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert "Wat is er veranderd voor de mensen in dit verhaal?" in page
    assert "<strong>Beter</strong>" in page and "<mark>niet meer</mark>" in page
    assert "Toegekend" in page and "drempel" in page  # what "assigned" means, and thresholds
    assert models[0].version not in page and models[1].version not in page
    response = client.post(
        f"/beheer/themas/verhaal/{story.id}/uitkomst", data={"outcome": "slechter"}
    )
    assert response.status_code == 303
    assert outcome_service.effective_outcomes(db.session, [story.id])[story.id][None] == "slechter"
    page = client.get(f"/beheer/themas/verhaal/{story.id}").get_data(as_text=True)
    assert 'value="slechter" id="outcome-slechter" checked' in page
    bad = client.post(f"/beheer/themas/verhaal/{story.id}/uitkomst", data={"outcome": "x"})
    assert bad.status_code == 303
    assert outcome_service.effective_outcomes(db.session, [story.id])[story.id][None] == "slechter"


def test_a_story_in_another_language_gets_no_outcome(app, models):
    story = make_story(text="Merhaba, bugün çok güzel bir gün, teşekkür ederim arkadaşlar.")
    theme_service.classify_stories(db.session, [story], *models)
    assert story.language == "tr" and story.outcome_assignments == []


def test_research_export_carries_the_outcome_that_counts(app, models, coordinator):
    from webapp.services.research_export import ExportFilter, select_stories

    story = make_story(text=MIXED, consent_research=True, status="approved")
    theme_service.classify_stories(db.session, [story], *models)
    exported = select_stories(db.session, ExportFilter())[0]
    assert exported.outcome == "gemengd"
    assert exported.theme_outcomes.get("eenzaamheid") == "beter"
    outcome_service.record_outcome_review(db.session, story, coordinator, "slechter")
    exported = select_stories(db.session, ExportFilter())[0]
    assert exported.outcome == "slechter"
    assert set(exported.theme_outcomes.values()) == {"slechter"}


def test_council_report_counts_the_outcome_that_counts_per_theme(app, models, coordinator):
    from reports import Period, build_report
    from tests.webapp.factories import make_areas
    from webapp.services.report_data import build_report_input

    areas = make_areas()
    wijk = areas["testdam/noord/vogelbuurt"]
    stories = [
        make_story(text=BETTER, area=wijk, status="approved", submitted_month=dt.date(2026, 2, 1))
        for _ in range(6)
    ]
    theme_service.classify_stories(db.session, stories, *models)
    outcome_service.record_outcome_review(db.session, stories[0], coordinator, "slechter")
    data = build_report_input(db.session, Period.parse("2026-Q1"), "testdam")
    cells = {(c.theme, c.outcome): c.n for c in data.outcome_counts}
    assert cells[(None, "beter")] == 5 and cells[(None, "slechter")] == 1
    assert cells[("eenzaamheid", "beter")] == 5 and cells[("eenzaamheid", "slechter")] == 1
    text = " ".join(build_report(data, "nl").section("outcomes").paragraphs)
    assert "Van de verhalen over eenzaamheid meldt 83% een verbetering" in text
