"""One rule for a story's themes: a staff check overrides the model, everywhere themes are read."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from reports import Period
from tests.webapp.factories import make_areas, make_story
from webapp.extensions import db
from webapp.models import ThemeAssignment
from webapp.services import themes as theme_service
from webapp.services.effective_themes import effective_themes_by_story
from webapp.services.report_data import build_report_input
from webapp.services.research_export import ExportFilter, export_research_archive
from webapp.services.staff_accounts import create_staff_user

TEXT = "Ik zit de hele dag alleen thuis en praat met niemand, en de rekeningen stapelen zich op."


def _model_rows(story, assigned: dict[str, bool]) -> None:
    for theme, is_assigned in assigned.items():
        db.session.add(
            ThemeAssignment(
                story_id=story.id,
                theme=theme,
                score=0.9 if is_assigned else 0.1,
                assigned=is_assigned,
                source="model",
                model_version="test",
            )
        )
    db.session.commit()


def _approved_story(app_areas, **fields):
    wijk = app_areas
    return make_story(
        text=TEXT,
        status="approved",
        consent_research=True,
        area_id=wijk.id,
        submitted_month=dt.date(2026, 3, 1),
        **fields,
    )


def _a_wijk():
    return make_areas()["testdam/noord/vogelbuurt"]


def test_staff_check_removing_every_theme_leaves_no_theme_in_reports_exports_and_training(app):
    wijk = _a_wijk()
    reviewer = create_staff_user(db.session, "r@example.org", "R", "correct horse battery")
    stories = [_approved_story(wijk) for _ in range(5)]  # five: the export's k is 5
    for story in stories:
        _model_rows(story, {"eenzaamheid": True, "armoede": True, "gezondheid": False})
        theme_service.record_review(db.session, story, reviewer, chosen_themes=[])

    ids = [story.id for story in stories]
    assert effective_themes_by_story(db.session, ids) == {story_id: {} for story_id in ids}
    assert theme_service.human_labelled_examples(db.session) == [
        {"text": TEXT, "labels": []} for _ in ids
    ]
    report = build_report_input(db.session, Period.parse("2026-03"), "testdam")
    assert report.story_counts_by_month_theme == []
    assert sum(total.n for total in report.story_totals_by_month) == 5

    archive = io.BytesIO()
    export_research_archive(db.session, ExportFilter(), ["jsonl"], archive, actor="test", k=5)
    with zipfile.ZipFile(archive) as zipped:
        name = next(n for n in zipped.namelist() if n.endswith(".jsonl"))
        lines = [json.loads(line) for line in zipped.read(name).decode().splitlines() if line]
    assert len(lines) == 5
    assert all(line["themes"] == [] for line in lines), lines


def test_several_checkers_a_theme_counts_when_at_least_half_chose_it(app):
    wijk = _a_wijk()
    story = _approved_story(wijk)
    _model_rows(story, {"eenzaamheid": False, "armoede": False, "gezondheid": True})
    one = create_staff_user(db.session, "a@example.org", "A", "correct horse battery")
    two = create_staff_user(db.session, "b@example.org", "B", "correct horse battery")
    three = create_staff_user(db.session, "c@example.org", "C", "correct horse battery")
    theme_service.record_review(db.session, story, one, ["eenzaamheid", "armoede"])
    theme_service.record_review(db.session, story, two, ["eenzaamheid"])
    theme_service.record_review(db.session, story, three, [])
    themes = effective_themes_by_story(db.session, [story.id])[story.id]
    assert set(themes) == {"eenzaamheid"}
    assert all(source == "human" for _score, source in themes.values())


def test_unchecked_story_keeps_the_model_themes(app):
    story = _approved_story(_a_wijk())
    _model_rows(story, {"eenzaamheid": True, "armoede": False, "gezondheid": False})
    themes = effective_themes_by_story(db.session, [story.id])[story.id]
    assert themes == {"eenzaamheid": (0.9, "model")}


def test_training_leaves_out_checked_stories_without_research_consent(app):
    story = make_story(text=TEXT, consent_research=False)
    reviewer = create_staff_user(db.session, "r@example.org", "R", "correct horse battery")
    theme_service.record_review(db.session, story, reviewer, ["eenzaamheid"])
    assert theme_service.human_labelled_examples(db.session) == []
