"""`weefsel demo load` fills a database once and adds nothing the second time."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.webapp.factories import make_story
from webapp.extensions import db
from webapp.models import ActivityReport, Area, Initiative, StaffUser, Story
from webapp.services.areas import load_areas
from webapp.services.demo_data import (
    DEMO_ACCOUNTS,
    DemoRefused,
    load_demo_accounts,
    load_demo_data,
    months_back,
)
from webapp.services.staff_accounts import authenticate, create_staff_user


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
    assert "verhalen met eigen antwoorden toegevoegd:" in result.output
    assert "self-signification" not in result.output and "added" not in result.output
    link = re.search(r"zonder account: (http://localhost/doorgeven/(\S+))", result.output)
    assert link is not None, result.output
    assert app.test_client().get(f"/doorgeven/{link.group(2)}").status_code == 200


def test_demo_accounts_log_in_with_the_readme_passwords_and_hold_their_scopes(app):
    load_areas(db.session)
    load_demo_accounts(db.session)
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for account in DEMO_ACCOUNTS:
        assert f"`{account.email}`" in readme and f"`{account.password}`" in readme
        user = authenticate(db.session, account.email, account.password)
        assert user is not None and user.roles() == {account.role}
        assert [g.area.code if g.area else None for g in user.grants] == [account.area_code]


def test_demo_load_refuses_a_database_with_real_data_unless_forced(app):
    create_staff_user(db.session, "echt@gemeente.nl", "Echt", "een echt lang wachtwoord")
    make_story(withdrawal_code_hash="0" * 64)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code != 0
    assert "1 accounts, 1 stories" in refused.output and "--force" in refused.output
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 1
    with pytest.raises(DemoRefused):
        load_demo_data(db.session, today=dt.date(2026, 11, 24))
    forced = runner.invoke(args=["demo", "load", "--force"])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 1 + len(DEMO_ACCOUNTS)


def test_demo_figures_stop_at_the_last_complete_month(app):
    load_demo_data(db.session, today=dt.date(2026, 12, 3))

    months = set(db.session.scalars(select(ActivityReport.month)))
    november = db.session.scalar(
        select(func.count())
        .select_from(ActivityReport)
        .where(ActivityReport.month == dt.date(2026, 11, 1))
    )
    initiatives = db.session.scalar(select(func.count()).select_from(Initiative))

    assert max(months) == dt.date(2026, 11, 1) and len(months) == 18
    assert 0 < november < initiatives  # a few still appear on the "not yet reported" list
