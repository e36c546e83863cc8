"""Making deleted text really gone from the database files, not just unreachable.

SQLite keeps deleted rows in free pages and in the write-ahead log until they are reused; with
`secure_delete` (set on every connection, see webapp/__init__.py) deleted content is overwritten
with zeros, and a WAL checkpoint moves the change into the main file and truncates the log.
PostgreSQL keeps dead row versions until VACUUM, which the purge runs.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# Tables that hold residents' words or data derived from them.
TEXT_TABLES = ("story", "theme_assignment", "audit_event")


def erase_deleted_text(session: Session) -> None:
    """After a commit that deleted text: push it out of the WAL (SQLite) or vacuum (PostgreSQL)."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        session.commit()
    elif bind.dialect.name == "postgresql":
        # VACUUM cannot run inside a transaction block: use a separate autocommit connection.
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in TEXT_TABLES:
                try:
                    connection.execute(text(f"VACUUM {table}"))
                except Exception as error:  # another VACUUM or a lock: autovacuum follows
                    log.warning("VACUUM %s did not run: %s", table, error)
