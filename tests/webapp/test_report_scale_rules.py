"""The report's quote candidates are chosen by a bounded query or an index walk; here they are
held to one `ORDER BY confidence DESC, story.id LIMIT 24` over the whole scope, on random data
(score ties, staff checks, missing scores), for small scopes and, with the thresholds lowered,
for the walk.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import and_, func, insert, select

from reports import Period
from tests.webapp.factories import make_areas
from webapp.extensions import db
from webapp.models import OutcomeAssignment, Story, ThemeAssignment
from webapp.services import consent, report_quotes
from webapp.services.effective_themes import effective_themes, effective_themes_by_story
from webapp.services.report_data import build_report_input

THEMES = ("eenzaamheid", "armoede", "gezondheid")
OUTCOMES = ("beter", "slechter", "gemengd", "geen")


def _random_city(seed: int, n_stories: int = 400, checked_share: float = 0.2) -> dict:
    """Stories with model and staff themes (ties in score, scores missing, superseded rows)
    and model and staff outcome readings whose times do not follow their ids."""
    rng = random.Random(seed)
    areas = make_areas()
    places = [None, *(area.id for area in areas.values())]
    stories = [
        {
            "text": f"Verhaal {n} over de buurt.",
            "channel": "form",
            "submitted_month": dt.date(2026, rng.randint(1, 6), 1),
            "area_id": rng.choice(places),
            "status": rng.choice(("approved", "approved", "approved", "pending", "rejected")),
            "consent_quote": rng.random() < 0.7,
            "consent_health": rng.choice((None, None, True, False)),
        }
        for n in range(n_stories)
    ]
    db.session.execute(insert(Story), stories)
    ids = db.session.scalars(select(Story.id).order_by(Story.id)).all()
    themes, readings = [], []
    base = dt.datetime(2026, 7, 1)
    for story_id in ids:
        checked = rng.random() < checked_share
        for theme in THEMES:
            # many ties, a few scores missing (they count as 1.0, like staff themes)
            score = rng.choice((1.0, 0.9, 0.8, round(rng.random(), 1), rng.random()))
            score = None if rng.random() < 0.03 else score
            themes.append(
                {
                    "story_id": story_id,
                    "theme": theme,
                    "score": score,
                    "assigned": rng.random() < 0.6,
                    "superseded": checked,
                    "source": "model",
                    "created_at": base,
                }
            )
            for _ in range(rng.randint(1, 3) if checked else 0):
                themes.append(
                    {
                        "story_id": story_id,
                        "theme": theme,
                        "score": None,
                        "assigned": rng.random() < 0.5,
                        "superseded": False,
                        "source": "human",
                        "created_at": base,
                    }
                )
        for _ in range(rng.randint(0, 6)):
            readings.append(
                {
                    "story_id": story_id,
                    "theme": rng.choice((None, None, *THEMES)),
                    "outcome": rng.choice(OUTCOMES),
                    "source": rng.choice(("model", "model", "human")),
                    "created_at": base + dt.timedelta(hours=rng.randint(0, 5)),
                }
            )
    db.session.execute(insert(ThemeAssignment), themes)
    db.session.execute(insert(OutcomeAssignment), readings)
    db.session.commit()
    return areas


def _quotes_by_one_sorted_query(condition, theme: str) -> list[tuple[int, float]]:
    rows = effective_themes()
    confidence = func.coalesce(rows.c.score, 1.0)
    return [
        (story_id, float(score))
        for story_id, score in db.session.execute(
            select(Story.id, confidence)
            .join(rows, rows.c.story_id == Story.id)
            .where(condition, rows.c.theme == theme)
            .order_by(confidence.desc(), Story.id)
            .limit(report_quotes.QUOTE_CANDIDATES_PER_THEME)
        )
    ]


@pytest.mark.parametrize("small_scope", [10_000, 3])
def test_quote_candidates_are_the_most_confident_of_the_scope(app, monkeypatch, small_scope):
    """With a high threshold every scope is ranked directly; with 3, every scope is walked
    in batches of 7 rows (so a walk spans many batches and score ties cross them)."""
    monkeypatch.setattr(report_quotes, "SMALL_SCOPE", small_scope)
    monkeypatch.setattr(report_quotes, "FIRST_BATCH", 7)
    with app.app_context():
        areas = _random_city(4, n_stories=600, checked_share=0.02)
        scopes = [
            Story.status.in_(("approved", "pending")),
            Story.area_id == areas["testdam/zuid"].id,
            and_(
                Story.area_id == areas["testdam/noord/vogelbuurt"].id,
                Story.submitted_month == dt.date(2026, 3, 1),
            ),
        ]
        for scope in scopes:
            condition = and_(scope, Story.status == "approved", consent.quotable())
            for theme in THEMES:
                chosen = report_quotes.ranked_quote_stories(
                    db.session, condition, lambda rows: rows.c.theme == rows.c.theme, theme
                )
                expected = _quotes_by_one_sorted_query(condition, theme)
                assert [(story_id, score) for story_id, score, _ in chosen] == expected
                assert all(text.startswith("Verhaal") for _, _, (text, _, _) in chosen)


def test_the_city_report_quotes_stories_of_its_scope_only(app):
    with app.app_context():
        areas = _random_city(5, n_stories=200)
        data = build_report_input(db.session, Period.parse("2026"), "testdam/noord")
        north = {areas[code].id for code in ("testdam/noord", "testdam/noord/vogelbuurt")}
        quoted = [candidate.story_id for candidate in data.quote_candidates]
        assert quoted
        stories = db.session.scalars(select(Story).where(Story.id.in_(quoted))).all()
        assert all(story.area_id in north and story.consent_quote for story in stories)
        assert all(story.status == "approved" for story in stories)
        themes = effective_themes_by_story(db.session, quoted)
        assert all(c.theme in themes[c.story_id] for c in data.quote_candidates)
