"""Database triggers that log which report cells a write may have changed.

Every write that can change what a council report counts for a (wijk, month) appends a row
(area_id, month, slice) to `report_cell_change`: a story inserted or deleted, a story whose status,
area, month or initiative changes (both its old and its new cell), and any theme or outcome
reading of a story inserted, updated or deleted. The database does this, not our code, so no
code path (a view, a job, a bulk import, a psql session) can forget it.

The log is append-only, without a unique key, so concurrent submissions never wait on each
other: a story INSERT costs one small INSERT more. PostgreSQL runs the triggers once per
statement over its transition tables (a COPY of 20,000 stories logs each cell once); SQLite
has row triggers only.

`TRIGGERS_V1` is what migration 0016 creates, and what `metadata.create_all` creates through
`install_triggers` (the bench and any schema built without Alembic). A released version is
never edited: a change is a `TRIGGERS_V2` and a migration that replaces V1 with it.
"""

from __future__ import annotations

from sqlalchemy import MetaData, event, text

# A wijk-month's cells are split into slices by story id (id % CELL_SLICES), so a write leaves
# one eighth of a wijk-month pending, not all of it: what a report must count from the stories
# meanwhile stays small even in a month with thousands of stories per wijk.
CELL_SLICES = 8

_LOG = "INSERT INTO report_cell_change (area_id, month, slice)"
_STORY_CELL_CHANGED = (
    "(o.status, o.area_id, o.submitted_month, o.initiative_id) IS DISTINCT FROM "
    "(n.status, n.area_id, n.submitted_month, n.initiative_id)"
)


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    {body};\n    RETURN NULL;\nEND\n$$"
    )


def _pg_trigger(name: str, event_name: str, table: str, transition: str, function: str):
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} AFTER {event_name} ON {table} REFERENCING {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]


def _readings_of(rows: str) -> str:
    return (
        f"{_LOG} SELECT DISTINCT story.area_id, story.submitted_month, story.id % {CELL_SLICES} "
        "FROM story "
        f"WHERE story.id IN ({rows})"
    )


_PG_FUNCTIONS = [
    _pg_function(
        "report_cell_log_new_stories",
        f"{_LOG} SELECT DISTINCT area_id, submitted_month, id % {CELL_SLICES} FROM new_rows",
    ),
    _pg_function(
        "report_cell_log_old_stories",
        f"{_LOG} SELECT DISTINCT area_id, submitted_month, id % {CELL_SLICES} FROM old_rows",
    ),
    _pg_function(
        "report_cell_log_changed_stories",
        f"{_LOG} SELECT DISTINCT cell.area_id, cell.month, n.id % {CELL_SLICES} FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id "
        "CROSS JOIN LATERAL (VALUES (o.area_id, o.submitted_month), "
        "(n.area_id, n.submitted_month)) AS cell (area_id, month) "
        f"WHERE {_STORY_CELL_CHANGED}",
    ),
    _pg_function("report_cell_log_new_readings", _readings_of("SELECT story_id FROM new_rows")),
    _pg_function("report_cell_log_old_readings", _readings_of("SELECT story_id FROM old_rows")),
    _pg_function(
        "report_cell_log_changed_readings",
        _readings_of("SELECT story_id FROM old_rows UNION SELECT story_id FROM new_rows"),
    ),
]

_NEW, _OLD, _BOTH = (
    "NEW TABLE AS new_rows",
    "OLD TABLE AS old_rows",
    "OLD TABLE AS old_rows NEW TABLE AS new_rows",
)
_PG_TRIGGERS = [
    statement
    for name, event_name, table, transition, function in (
        ("report_cell_story_insert", "INSERT", "story", _NEW, "new_stories"),
        ("report_cell_story_delete", "DELETE", "story", _OLD, "old_stories"),
        ("report_cell_story_update", "UPDATE", "story", _BOTH, "changed_stories"),
        ("report_cell_theme_insert", "INSERT", "theme_assignment", _NEW, "new_readings"),
        ("report_cell_theme_delete", "DELETE", "theme_assignment", _OLD, "old_readings"),
        ("report_cell_theme_update", "UPDATE", "theme_assignment", _BOTH, "changed_readings"),
        ("report_cell_outcome_insert", "INSERT", "outcome_assignment", _NEW, "new_readings"),
        ("report_cell_outcome_delete", "DELETE", "outcome_assignment", _OLD, "old_readings"),
        ("report_cell_outcome_update", "UPDATE", "outcome_assignment", _BOTH, "changed_readings"),
    )
    for statement in _pg_trigger(name, event_name, table, transition, f"report_cell_log_{function}")
]


def _sqlite_trigger(name: str, when: str, body: str) -> str:
    return f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {when}\nBEGIN\n    {body};\nEND"


def _sqlite_readings(table: str, short: str) -> list[str]:
    of_story = f"{_LOG} SELECT area_id, submitted_month, id % {CELL_SLICES} FROM story WHERE id = "
    return [
        _sqlite_trigger(
            f"report_cell_{short}_insert", f"INSERT ON {table}", of_story + "NEW.story_id"
        ),
        _sqlite_trigger(
            f"report_cell_{short}_delete", f"DELETE ON {table}", of_story + "OLD.story_id"
        ),
        _sqlite_trigger(
            f"report_cell_{short}_update",
            f"UPDATE ON {table}",
            f"{_LOG} SELECT area_id, submitted_month, id % {CELL_SLICES} FROM story "
            "WHERE id IN (OLD.story_id, NEW.story_id)",
        ),
    ]


_SQLITE_TRIGGERS = [
    _sqlite_trigger(
        "report_cell_story_insert",
        "INSERT ON story",
        f"{_LOG} VALUES (NEW.area_id, NEW.submitted_month, NEW.id % {CELL_SLICES})",
    ),
    _sqlite_trigger(
        "report_cell_story_delete",
        "DELETE ON story",
        f"{_LOG} VALUES (OLD.area_id, OLD.submitted_month, OLD.id % {CELL_SLICES})",
    ),
    _sqlite_trigger(
        "report_cell_story_update",
        "UPDATE OF status, area_id, submitted_month, initiative_id ON story\n"
        "WHEN OLD.status IS NOT NEW.status OR OLD.area_id IS NOT NEW.area_id "
        "OR OLD.submitted_month IS NOT NEW.submitted_month "
        "OR OLD.initiative_id IS NOT NEW.initiative_id",
        f"{_LOG} VALUES (OLD.area_id, OLD.submitted_month, OLD.id % {CELL_SLICES});\n    "
        f"{_LOG} SELECT NEW.area_id, NEW.submitted_month, NEW.id % {CELL_SLICES} "
        "WHERE NEW.area_id IS NOT OLD.area_id OR NEW.submitted_month IS NOT OLD.submitted_month",
    ),
    *_sqlite_readings("theme_assignment", "theme"),
    *_sqlite_readings("outcome_assignment", "outcome"),
]

TRIGGERS_V1 = {"postgresql": _PG_FUNCTIONS + _PG_TRIGGERS, "sqlite": _SQLITE_TRIGGERS}
TRIGGER_NAMES_V1 = [
    f"report_cell_{table}_{event_name}"
    for table in ("story", "theme", "outcome")
    for event_name in ("insert", "update", "delete")
]
TRIGGER_TABLES = {"story": "story", "theme": "theme_assignment", "outcome": "outcome_assignment"}
PG_FUNCTION_NAMES_V1 = [
    f"report_cell_log_{name}"
    for name in (
        "new_stories",
        "old_stories",
        "changed_stories",
        "new_readings",
        "old_readings",
        "changed_readings",
    )
]


def create_triggers(connection, version: dict = TRIGGERS_V1) -> None:
    """Create (or replace) the change-log triggers on this connection's database."""
    for statement in version.get(connection.dialect.name, []):
        connection.execute(text(statement))


def drop_triggers(connection) -> None:
    """Remove the V1 triggers and their functions (migration 0016's downgrade)."""
    for name in TRIGGER_NAMES_V1:
        table = TRIGGER_TABLES[name.split("_")[2]]
        on_table = f" ON {table}" if connection.dialect.name == "postgresql" else ""
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}{on_table}"))
    if connection.dialect.name == "postgresql":
        for name in PG_FUNCTION_NAMES_V1:
            connection.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))


def install_triggers(metadata: MetaData) -> None:
    """Have `metadata.create_all` create the triggers once every table exists."""

    @event.listens_for(metadata, "after_create")
    def _create(target, connection, **kw) -> None:
        create_triggers(connection)
