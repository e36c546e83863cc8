"""Migrations bring an empty database to head and match the models; settings have safe defaults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from webapp import create_app
from webapp.config import normalise_database_url, settings_from_environment
from webapp.extensions import db

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def fresh_app(tmp_path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite'}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x",
        }
    )


def test_migrations_from_empty_to_head_match_the_models(tmp_path):
    app = fresh_app(tmp_path)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"story", "initiative", "area", "theme_assignment", "activity_report"} <= tables
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("WEEFSEL_SECRET_KEY", raising=False)
    config = {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "INSTANCE_PATH": str(tmp_path / "inst"),
        "SECRET_KEY": None,
    }
    first = create_app(dict(config)).config["SECRET_KEY"]
    second = create_app(dict(config)).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_under_instance(tmp_path):
    settings = settings_from_environment({"WEEFSEL_INSTANCE_PATH": str(tmp_path)})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'weefsel.sqlite'}"
    assert settings["RATELIMIT"] == "10/minute"


def test_postgres_urls_use_psycopg3_and_pre_ping():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    settings = settings_from_environment(
        {"WEEFSEL_DATABASE_URL": "postgresql://u@h/db", "WEEFSEL_RATELIMIT": "off"}
    )
    app = create_app({**settings, "SECRET_KEY": "x", "INSTANCE_PATH": "/tmp/weefsel-test-instance"})
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert app.config["RATELIMIT_ENABLED"] is False


def test_proxy_hops_make_rate_limits_count_the_forwarded_client(make_app):
    app = make_app(PROXY_HOPS=1, RATELIMIT="1/minute")
    client = app.test_client()
    story = {"story": "Sinds de buurthuiskamer open is heb ik weer iemand om mee te praten."}
    first = client.post("/verhaal", data=story, headers={"X-Forwarded-For": "198.51.100.1"})
    other = client.post("/verhaal", data=story, headers={"X-Forwarded-For": "198.51.100.2"})
    again = client.post("/verhaal", data=story, headers={"X-Forwarded-For": "198.51.100.1"})
    assert (first.status_code, other.status_code, again.status_code) == (303, 303, 429)


def test_a_web_worker_starts_without_the_heavy_libraries(database_url, tmp_path):
    """Most web workers only serve residents' forms: scikit-learn, SciPy, spaCy and matplotlib
    load where a staff or council page first needs them (issue 13: memory per worker)."""
    script = (
        "import sys\n"
        "from webapp import create_app\n"
        "from webapp.server import warm_up\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {database_url!r}, "
        f"'INSTANCE_PATH': {str(tmp_path)!r}, 'SECRET_KEY': 'x'}})\n"
        "warm_up(app)\n"
        "heavy = {'sklearn', 'scipy', 'spacy', 'matplotlib'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_story_slice_index_uses_the_report_cell_slices(tmp_path):
    """Migration 0020 writes the slice expression out (a migration is frozen); it must stay the
    one the report-cell triggers and the models use, and the database must hold it."""
    import importlib.util

    from webapp.report_cell_triggers import CELL_SLICES

    path = PROJECT_ROOT / "migrations" / "versions" / "0020_story_slice_index.py"
    spec = importlib.util.spec_from_file_location("migration_0020", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.SLICE_EXPRESSION == f"(id % {CELL_SLICES})"
    app = fresh_app(tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:  # SQLite's reflection skips expression indexes
            indexes = dict(
                connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'story'"
                ).all()
            )
        assert "(id % 8)" in indexes["ix_story_area_month_slice"]
        assert "ix_story_area_month" not in indexes
        db.engine.dispose()
