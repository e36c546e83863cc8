"""The audit log: who did what to personal data or accounts, and when.

Every service that logs someone in, shows original story text, moderates, checks themes,
exports, shares a report or changes an account calls `record_event` with one of `ACTIONS`.
The event is added to the caller's session and committed with the caller's own change, so an
action and its audit row succeed or fail together. Details never hold story text or secrets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.spreadsheet_safety import safe_csv_text

from ..models import AuditEvent, StaffUser, utcnow

# Action name -> what it means (English, for the code and the CSV export).
ACTIONS = {
    "login.success": "logged in",
    "login.failure": "failed login",
    "logout": "logged out",
    "story.original_viewed": "viewed a story's original text",
    "story.moderated": "changed a story's status",
    "story.withdrawn": "a resident withdrew a story",
    "theme.reviewed": "checked a story's themes",
    "outcome.reviewed": "checked a story's outcome",
    "export.research": "made a research export",
    "share_link.created": "created a report share link",
    "share_link.viewed": "a share link was opened",
    "share_link.revoked": "revoked a report share link",
    "account.created": "created an account",
    "account.changed": "changed an account",
    "account.deactivated": "deactivated an account",
    "account.password_reset": "reset a password",
    "purge.applied": "deleted data past its retention period",
}
COMMAND_LINE = "command line"
ANONYMOUS = "anonymous"


def record_event(
    session: Session,
    action: str,
    *,
    actor: StaffUser | None = None,
    actor_label: str | None = None,
    target: str | None = None,
    details: dict | None = None,
    now: dt.datetime | None = None,
) -> AuditEvent:
    """Add an audit row to `session` (the caller commits it with its own change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; known: {', '.join(ACTIONS)}")
    label = actor_label or (actor.email if actor is not None else ANONYMOUS)
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor=label[:200],
        target=target[:120] if target else None,
        details=dict(details or {}),
        created_at=now or utcnow(),
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What an admin looks for in the log; every part optional."""

    action: str | None = None
    actor: str | None = None
    target: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def conditions(self) -> list:
        conditions = []
        if self.action:
            conditions.append(AuditEvent.action == self.action)
        if self.actor:
            conditions.append(func.lower(AuditEvent.actor).contains(self.actor.strip().lower()))
        if self.target:
            conditions.append(AuditEvent.target == self.target.strip())
        if self.since:
            conditions.append(AuditEvent.created_at >= dt.datetime.combine(self.since, dt.time()))
        if self.until:
            end = dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time())
            conditions.append(AuditEvent.created_at < end)
        return conditions


def audit_events(
    session: Session, audit_filter: AuditFilter, limit: int | None = 200
) -> list[AuditEvent]:
    """The newest events that match, newest first."""
    query = (
        select(AuditEvent)
        .where(*audit_filter.conditions())
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_events(session: Session, audit_filter: AuditFilter) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(*audit_filter.conditions())
        )
        or 0
    )


AUDIT_CSV_COLUMNS = ("time_utc", "action", "meaning", "actor", "target", "details")


def _csv_rows(events: Iterable[AuditEvent]) -> Iterator[list]:
    yield list(AUDIT_CSV_COLUMNS)
    for event in events:
        details = "; ".join(f"{key}={value}" for key, value in sorted(event.details.items()))
        yield [
            event.created_at.isoformat(timespec="seconds"),
            event.action,
            ACTIONS.get(event.action, ""),
            event.actor,
            event.target or "",
            details,
        ]


def write_audit_csv(events: Iterable[AuditEvent], fileobj: IO[bytes]) -> None:
    """The events as CSV (UTF-8 with BOM for Excel), every cell spreadsheet-safe."""
    fileobj.write(safe_csv_text(_csv_rows(events)).encode("utf-8-sig"))
