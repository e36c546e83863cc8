"""`weefsel demo load` fills a database once and adds nothing the second time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Area, Initiative, Story
from webapp.services.demo_data import load_demo_data, months_back


def test_demo_load_is_idempotent_and_spreads_stories_over_18_months(app):
    today = dt.date(2026, 11, 24)
    first = load_demo_data(db.session, today=today)
    second = load_demo_data(db.session, today=today)
    assert first["stories added"] > 0 and second["stories added"] == 0
    assert first["stories total"] == second["stories total"]
    assert (
        db.session.scalar(select(func.count()).select_from(Area).where(Area.level == "city")) == 2
    )
    assert db.session.scalar(select(func.count()).select_from(Initiative)) >= 10
    months = set(db.session.scalars(select(Story.submitted_month)))
    assert min(months) >= dt.date(2025, 6, 1) and max(months) <= dt.date(2026, 11, 1)


def test_months_back_crosses_year_boundaries():
    assert months_back(dt.date(2026, 2, 15), 3) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_demo_cli_command_loads_data(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "gebieden: 113" in result.output  # command-line output is Dutch by default
