"""`weefsel backup` and `weefsel restore`: a round trip gives back every row as it was."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.webapp.factories import make_areas, make_initiative, make_story
from webapp.extensions import db
from webapp.models import Area, Initiative, Story, ThemeAssignment
from webapp.services.backups import BackupError, restore_database

TABLES = (Area, Initiative, Story, ThemeAssignment)


def snapshot() -> dict:
    """Counts per table and the stories' content, to compare before and after."""
    db.session.expire_all()
    counts = {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in TABLES
    }
    stories = db.session.execute(
        select(Story.id, Story.text, Story.area_id, Story.consent_quote).order_by(Story.id)
    ).all()
    themes = db.session.execute(
        select(ThemeAssignment.story_id, ThemeAssignment.theme, ThemeAssignment.score).order_by(
            ThemeAssignment.story_id, ThemeAssignment.theme
        )
    ).all()
    return {
        "counts": counts,
        "stories": [tuple(r) for r in stories],
        "themes": [tuple(r) for r in themes],
    }


def test_backup_and_restore_give_back_every_row(app, tmp_path):
    areas = make_areas()
    make_initiative("Taalcafé De Brug", area=areas["testdam/noord/vogelbuurt"])
    make_story("Bij het taalcafé oefen ik elke week Nederlands met buren, dat helpt echt.")
    story = make_story("Ik kwam ‘s avonds alleen thuis; nu eet ik mee in de huiskamer — fijn!")
    db.session.add(
        ThemeAssignment(story_id=story.id, theme="eenzaamheid", score=0.8, source="human")
    )
    db.session.commit()
    before = snapshot()
    assert before["counts"]["story"] == 2

    backup_file = tmp_path / "weefsel.backup"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_size > 0

    # Things change after the backup: a story is withdrawn, another arrives.
    db.session.delete(db.session.get(Story, story.id))
    make_story("Een verhaal dat na de back-up kwam en bij het terugzetten weer verdwijnt.")
    assert snapshot() != before

    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert snapshot() == before


def test_restoring_a_file_that_is_no_backup_is_refused_and_changes_nothing(app, tmp_path):
    make_story()
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("dit is geen back-up", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["restore", str(not_a_backup), "--yes"])
    assert result.exit_code != 0 and "is not a" in result.output
    assert snapshot()["counts"]["story"] == 1


def test_a_missing_backup_file_is_a_clear_error(tmp_path):
    try:
        restore_database("sqlite:///" + str(tmp_path / "db.sqlite"), tmp_path / "missing")
    except BackupError as error:
        assert "no backup file" in str(error)
    else:
        raise AssertionError("restoring a missing file must fail")
