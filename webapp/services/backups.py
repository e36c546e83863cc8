"""Backups of the whole database to one file, and restoring them.

SQLite: the online backup API copies a consistent snapshot while the site keeps running, and
restores by copying the file's pages back into the live database. PostgreSQL: pg_dump's custom
format and pg_restore (the client tools must be installed where the command runs).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq_url(url) -> str:
    """pg_dump takes a plain postgresql:// URL, without SQLAlchemy's driver name."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL client tools are needed)")
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def backup_database(database_url: str, target: str | Path) -> Path:
    """Write a consistent copy of the database to `target`; returns the path."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"no database at {source}")
        with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
            live.backup(copy)
        copy.close()
        live.close()
        return target
    if url.get_backend_name() == "postgresql":
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                _libpq_url(url),
            ]
        )
        return target
    raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")


def restore_database(database_url: str, source: str | Path) -> None:
    """Replace the database's contents with those of a backup made by `backup_database`."""
    url = make_url(database_url)
    source = Path(source)
    if not source.exists():
        raise BackupError(f"no backup file at {source}")
    with source.open("rb") as handle:
        head = handle.read(16)
    if url.get_backend_name() == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite backup")
        target = _sqlite_path(url)
        with sqlite3.connect(source) as backup, sqlite3.connect(target) as live:
            backup.backup(live)
        backup.close()
        live.close()
        return
    if url.get_backend_name() == "postgresql":
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump backup (custom format)")
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq_url(url),
                str(source),
            ]
        )
        return
    raise BackupError(f"restoring {url.get_backend_name()} databases is not supported")
