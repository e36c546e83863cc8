"""Fixtures built on the application factory with a real database.

SQLite: one temporary file per test session, migrated to head once. PostgreSQL: set
WEEFSEL_TEST_DATABASE_URL (CI does) and the same tests run there. Every test starts from
empty tables.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import normalise_database_url
from webapp.extensions import db


def _database_url(tmp_path_factory) -> str:
    configured = os.environ.get("WEEFSEL_TEST_DATABASE_URL")
    if configured:
        return normalise_database_url(configured)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'weefsel-test.sqlite'}"


def reset_database(url: str) -> None:
    """Drop every table (ours and Alembic's) so migrations start from nothing."""
    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            names = [
                row[0]
                for row in connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type='table'")
                )
            ]
            for name in names:
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
    engine.dispose()


def base_config(url: str, instance_path: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret",
        "WITHDRAWAL_CODE_KEY": "test-withdrawal-code-key",
        "RATELIMIT": "off",
        "SERVER_NAME": "localhost",
        "BASE_URL": "http://localhost",
        "WTF_CSRF_ENABLED": False,
        # Jobs run inside the call that queues them; tests/webapp/test_jobs.py also runs a
        # real SQLite-backed consumer.
        "JOBS_IMMEDIATE": True,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory)
    reset_database(url)
    app = create_app(base_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()  # an undisposed pool's connections would be closed by the GC later
    return url


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the migrated test database; extra config overrides the defaults."""
    apps = []

    def factory(**overrides):
        app = create_app({**base_config(database_url, tmp_path / "instance"), **overrides})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    _empty_tables(database_url)


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF protection on, as in production."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)
