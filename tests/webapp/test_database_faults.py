"""When the database is down, read-only or full, visitors get a clear 503 (never a traceback)
and a resident's typed story is shown again so nothing is lost."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import event, func, select, text

from webapp.extensions import db
from webapp.models import Story

STORY = "Bij de buurtmaaltijd op dinsdag leerde ik mijn buren kennen; nu groeten we elkaar."
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/weefsel"


def assert_story_kept(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "probeer het zo nog eens" in page.lower()
    assert STORY in page  # the text is back in the form
    assert "Traceback" not in page


def test_database_down_keeps_the_residents_text(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE)
    client = app.test_client()
    response = client.post("/verhaal", data={"story": STORY, "consent_quote": "y"})
    assert_story_kept(response)
    assert "checked" in response.get_data(as_text=True)  # the consent box stays ticked


def test_other_pages_say_try_again_when_the_database_is_down(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE)
    response = app.test_client().get("/verhaal")
    assert response.status_code == 503
    assert "probeer het zo nog eens" in response.get_data(as_text=True).lower()


def migrated_sqlite_app(make_app, path, limit_connection):
    """An app on a fresh SQLite file; `limit_connection(dbapi_connection)` runs on connect."""
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        # No free pages left over from the migrations (one that drops an index frees its
        # pages), so a database limited to its current size is really full.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
        db.engine.dispose()
        event.listen(db.engine, "connect", lambda connection, _record: limit_connection(connection))
    return app


def test_read_only_database_gives_503_and_keeps_the_text(make_app, tmp_path):
    def read_only(connection):
        connection.execute("PRAGMA query_only = ON")

    app = migrated_sqlite_app(make_app, tmp_path / "ro.sqlite", read_only)
    client = app.test_client()
    assert client.get("/verhaal").status_code == 200  # reading still works
    assert_story_kept(client.post("/verhaal", data={"story": STORY}))


def test_full_database_gives_503_and_keeps_the_text(make_app, tmp_path):
    path = tmp_path / "full.sqlite"

    def full(connection):
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    app = migrated_sqlite_app(make_app, path, full)
    client = app.test_client()
    long_story = STORY + " " + "Wij koken samen en praten over van alles. " * 110
    response = client.post("/verhaal", data={"story": long_story[:4900]})
    assert response.status_code == 503
    assert "probeer het zo nog eens" in response.get_data(as_text=True).lower()
    assert long_story[:200] in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Story)) == 0
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
