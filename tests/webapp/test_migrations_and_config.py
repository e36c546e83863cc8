"""Migrations bring an empty database to head and match the models; settings have safe defaults."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from webapp import create_app
from webapp.config import normalise_database_url, settings_from_environment
from webapp.extensions import db


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
