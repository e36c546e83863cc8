"""The report cells give the same report as the stories themselves: with every cell pending,
after a refresh, and after writes made since the refresh. The triggers log every kind of write
that can change a cell."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import delete, func, insert, select, update

from reports import Period
from tests.webapp.factories import make_areas, make_initiative
from webapp.extensions import db
from webapp.models import (
    OutcomeAssignment,
    ReportCell,
    ReportCellChange,
    Story,
    ThemeAssignment,
)
from webapp.report_cell_triggers import CELL_SLICES
from webapp.services import themes as theme_service
from webapp.services.outcomes import record_outcome_review
from webapp.services.report_cells import mark_every_cell_pending, refresh_report_cells
from webapp.services.report_data import build_report_input
from webapp.services.staff_accounts import create_staff_user

THEMES = ("eenzaamheid", "armoede", "gezondheid")
OUTCOMES = ("beter", "slechter", "gemengd", "geen")
MONTHS = [dt.date(2025, 10, 1), dt.date(2025, 12, 1), *(dt.date(2026, m, 1) for m in (1, 3, 4, 7))]
REPORTS = [
    ("2026", "testdam", None),
    ("2026-Q1", "testdam", "armoede"),
    ("2026-03", "testdam/noord", None),
    ("2026", "testdam/zuid", "eenzaamheid"),
    ("2026-Q1", "testdam/noord/vogelbuurt", None),
    ("2026-01-01..2026-04-30", "testdam", "gezondheid"),
]


def _random_city(rng: random.Random, n_stories: int = 250) -> dict:
    """Stories on every area and none, in several months, with model themes, staff checks
    (their model rows superseded), model and staff outcome readings, rejected stories."""
    areas = make_areas()
    initiative = make_initiative(area=areas["testdam/noord/vogelbuurt"])
    places = [None, *(area.id for area in areas.values())]
    db.session.execute(
        insert(Story),
        [
            {
                "text": f"Verhaal {n}.",
                # an initiative's monthly note is read for themes but not counted
                "channel": "initiative" if rng.random() < 0.15 else "form",
                "submitted_month": rng.choice(MONTHS),
                "area_id": rng.choice(places),
                "initiative_id": initiative.id if rng.random() < 0.2 else None,
                "status": rng.choice(("approved", "approved", "pending", "rejected")),
            }
            for n in range(n_stories)
        ],
    )
    themes, readings, base = [], [], dt.datetime(2026, 8, 1)
    for story_id in db.session.scalars(select(Story.id)).all():
        checked = rng.random() < 0.2
        for theme in THEMES:
            themes.append(_theme_row(story_id, theme, "model", rng.random() < 0.5, checked))
            for _ in range(rng.randint(1, 3) if checked else 0):
                themes.append(_theme_row(story_id, theme, "human", rng.random() < 0.5, False))
        for _ in range(rng.randint(0, 5)):
            readings.append(
                {
                    "story_id": story_id,
                    "theme": rng.choice((None, None, *THEMES)),
                    "outcome": rng.choice(OUTCOMES),
                    "source": rng.choice(("model", "model", "human")),
                    "created_at": base + dt.timedelta(hours=rng.randint(0, 9)),
                }
            )
    db.session.execute(insert(ThemeAssignment), themes)
    db.session.execute(insert(OutcomeAssignment), readings)
    db.session.commit()
    return areas


def _theme_row(story_id: int, theme: str, source: str, assigned: bool, superseded: bool):
    return {
        "story_id": story_id,
        "theme": theme,
        "score": 0.7 if source == "model" else None,
        "assigned": assigned,
        "superseded": superseded,
        "source": source,
    }


def _assert_cells_report_as_the_stories() -> None:
    for period, area, theme in REPORTS:
        arguments = (db.session, Period.parse(period), area, theme)
        # published: also the grid of hidden small cells, counted over whole years
        with_cells = build_report_input(*arguments, published=True, min_stories=3)
        from_stories = build_report_input(
            *arguments, published=True, min_stories=3, precomputed=False
        )
        assert with_cells == from_stories, (period, area, theme)
        assert with_cells.story_totals_by_month, (period, area, theme)
        assert with_cells.published_cells is not None


def _pending() -> int:
    return db.session.scalar(select(func.count(ReportCellChange.id)))


def _write_after_refresh(rng: random.Random, areas: dict) -> None:
    """Every kind of write a report must see: moves, withdrawals, moderation, staff checks
    and outcome corrections, new stories and readings."""
    stories = db.session.scalars(select(Story).order_by(Story.id)).all()
    moved, withdrawn, rejected, approved, shifted, checked, corrected = rng.sample(stories, 7)
    moved.area_id = areas["testdam/zuid/rivierenwijk"].id
    rejected.status, approved.status = "rejected", "approved"
    shifted.submitted_month = dt.date(2026, 2, 1)
    db.session.delete(withdrawn)  # a resident's withdrawal deletes the story
    db.session.commit()
    staff = create_staff_user(db.session, "staf@example.org", "Staf", None)
    theme_service.record_review(db.session, checked, staff, ["armoede"])
    record_outcome_review(db.session, corrected, staff, "slechter", {"armoede": "beter"})
    new_story = Story(
        text="Nieuw verhaal.",
        channel="form",
        submitted_month=dt.date(2026, 3, 1),
        area_id=None,
        status="pending",
    )
    db.session.add(new_story)
    db.session.flush()
    db.session.add(ThemeAssignment(story_id=new_story.id, theme="gezondheid", source="model"))
    db.session.add(
        OutcomeAssignment(story_id=new_story.id, theme=None, outcome="beter", source="model")
    )
    other = rng.choice([s for s in stories if s not in (withdrawn,)])
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.story_id == other.id))
    db.session.execute(
        update(OutcomeAssignment)
        .where(OutcomeAssignment.story_id == rng.choice(stories[:50]).id)
        .values(outcome="geen")
    )
    db.session.commit()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_cells_give_the_report_the_stories_give(app, seed):
    rng = random.Random(seed)
    with app.app_context():
        areas = _random_city(rng)
        assert _pending() > 0  # the triggers logged the load: everything is pending
        _assert_cells_report_as_the_stories()

        refreshed = refresh_report_cells(db.session)
        assert refreshed.slices > 0 and refreshed.cells > 0
        assert _pending() == 0
        _assert_cells_report_as_the_stories()  # every figure from the cells now

        _write_after_refresh(rng, areas)
        assert _pending() > 0
        _assert_cells_report_as_the_stories()  # pending pairs from the stories, the rest cells

        refresh_report_cells(db.session)
        assert _pending() == 0
        _assert_cells_report_as_the_stories()


def test_rebuilding_every_cell_gives_the_same_cells(app):
    with app.app_context():
        _random_city(random.Random(3), n_stories=120)
        refresh_report_cells(db.session)
        columns = [c for c in ReportCell.__table__.c if c.name != "id"]
        before = sorted(db.session.execute(select(*columns)).all(), key=repr)
        assert mark_every_cell_pending(db.session) > 0
        refresh_report_cells(db.session)
        assert sorted(db.session.execute(select(*columns)).all(), key=repr) == before


def _logged() -> set[tuple[int | None, dt.date]]:
    pairs = set(db.session.execute(select(ReportCellChange.area_id, ReportCellChange.month)))
    db.session.execute(delete(ReportCellChange))
    db.session.commit()
    return pairs


def test_the_triggers_log_every_write_that_can_change_a_cell(app):
    with app.app_context():
        areas = make_areas()
        wijk, other = areas["testdam/noord/vogelbuurt"].id, areas["testdam/zuid/rivierenwijk"].id
        initiative = make_initiative(area=areas["testdam/noord/vogelbuurt"])
        march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
        _logged()  # a previous test's clean-up may have logged its deletions
        story = Story(text="Een verhaal.", channel="form", submitted_month=march, area_id=wijk)
        db.session.add(story)
        db.session.commit()
        assert db.session.scalars(select(ReportCellChange.slice)).all() == [story.id % CELL_SLICES]
        assert _logged() == {(wijk, march)}

        story.classified_version = "v1"  # not something a report counts
        story.theme_uncertainty = 0.2
        db.session.commit()
        assert _logged() == set()
        for change in (
            {"status": "approved"},
            {"initiative_id": initiative.id},
        ):
            db.session.execute(update(Story).where(Story.id == story.id).values(**change))
            db.session.commit()
            assert _logged() == {(wijk, march)}, change
        story.area_id = other
        db.session.commit()
        assert _logged() == {(wijk, march), (other, march)}
        story.submitted_month, story.area_id = april, None
        db.session.commit()
        assert _logged() == {(other, march), (None, april)}

        for table, row in (
            (ThemeAssignment, {"theme": "armoede", "source": "model", "assigned": True}),
            (OutcomeAssignment, {"theme": None, "outcome": "beter", "source": "model"}),
        ):
            db.session.execute(insert(table), [{"story_id": story.id, **row}])
            db.session.commit()
            assert _logged() == {(None, april)}, table
            changed = {"superseded": True} if table is ThemeAssignment else {"outcome": "geen"}
            db.session.execute(update(table).where(table.story_id == story.id).values(**changed))
            db.session.commit()
            assert _logged() == {(None, april)}, table
            db.session.execute(delete(table).where(table.story_id == story.id))
            db.session.commit()
            assert _logged() == {(None, april)}, table

        db.session.add(ThemeAssignment(story_id=story.id, theme="armoede", source="model"))
        db.session.commit()
        _logged()
        db.session.delete(story)
        db.session.commit()
        assert _logged() == {(None, april)}
        assert db.session.scalar(select(func.count(ThemeAssignment.id))) == 0


def test_the_sweep_and_the_command_fold_the_log_into_the_cells(app):
    from webapp import job_kinds
    from webapp.services.jobs import JobContext

    with app.app_context():
        _random_city(random.Random(4), n_stories=40)
        context = JobContext(db.session, app.config, app.extensions, None)
        job_kinds.sweep(context)  # queues the refresh; the test queue runs it at once
        assert _pending() == 0
        cells = db.session.scalar(
            select(func.sum(ReportCell.stories)).where(ReportCell.theme.is_(None))
        )
        counted = db.session.scalar(
            select(func.count(Story.id)).where(
                Story.status.in_(("approved", "pending")), Story.channel == "form"
            )
        )
        assert cells == counted

        result = app.test_cli_runner().invoke(args=["reports", "refresh", "--all"])
        assert result.exit_code == 0, result.output
        assert "wijk-month slices recomputed" in result.output
        assert _pending() == 0
        assert (
            db.session.scalar(
                select(func.sum(ReportCell.stories)).where(ReportCell.theme.is_(None))
            )
            == counted
        )


def test_the_migration_leaves_every_existing_cell_pending(tmp_path):
    """On an installation with stories, no report may read the still empty cells."""
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade(revision="0015_report_indexes")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO story (text, channel, submitted_month, area_id, status, "
                "consent_quote, consent_research) "
                "VALUES ('Oud verhaal.', 'form', '2026-03-01', NULL, 'approved', 0, 0)"
            )
        upgrade()
        assert set(
            db.session.execute(select(ReportCellChange.area_id, ReportCellChange.month))
        ) == {(None, dt.date(2026, 3, 1))}
        refresh_report_cells(db.session)
        assert db.session.scalar(select(func.sum(ReportCell.stories))) == 1
        db.session.remove()
        db.engine.dispose()


def test_reports_count_residents_stories_not_initiative_notes(app):
    """From the cells and from the stories alike: the notes are not "stories from residents"."""
    with app.app_context():
        _random_city(random.Random(4), n_stories=150)
        notes = db.session.scalar(select(func.count()).where(Story.channel == "initiative"))
        residents = db.session.scalar(
            select(func.count()).where(
                Story.channel == "form",
                Story.status != "rejected",
                Story.submitted_month >= dt.date(2026, 1, 1),
                Story.submitted_month <= dt.date(2026, 12, 31),
            )
        )
        assert notes > 0
        refresh_report_cells(db.session)
        for precomputed in (True, False):
            report = build_report_input(
                db.session, Period.parse("2026"), "testdam", None, precomputed=precomputed
            )
            counted = sum(t.n for t in report.story_totals_by_month if t.month.startswith("2026"))
            assert counted == residents, precomputed


def test_the_migration_rebuilds_cells_that_counted_initiative_notes(tmp_path):
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade(revision="0017_review_evidence")
        with db.engine.begin() as connection:
            for channel in ("form", "initiative"):
                connection.exec_driver_sql(
                    "INSERT INTO story (text, channel, submitted_month, area_id, status, "
                    "consent_quote, consent_research) "
                    f"VALUES ('Oud.', '{channel}', '2026-03-01', NULL, 'approved', 0, 0)"
                )
            # cells as the code before this revision built them: the note counted too
            connection.exec_driver_sql("DELETE FROM report_cell_change")
            connection.exec_driver_sql(
                "INSERT INTO report_cell (area_id, month, slice, theme, story_outcome, "
                "theme_outcome, stories, checked_by_staff) "
                "SELECT NULL, '2026-03-01', id % 8, NULL, NULL, NULL, 1, 0 FROM story"
            )
        upgrade()
        assert db.session.scalar(select(func.count(ReportCellChange.id))) == 1
        refresh_report_cells(db.session)
        assert db.session.scalar(select(func.sum(ReportCell.stories))) == 1
        db.session.remove()
        db.engine.dispose()
