"""Retention: what is deleted when, as the privacy statement says; `weefsel purge` runs it.

Each kind of data has its own period (settings RETENTION_*, defaults in webapp/config.py).
`plan_purge` only counts; `apply_purge` deletes, records one audit row with the counts, then
makes the deleted text unrecoverable from the database files (services/erasure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, and_, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from ..models import AuditEvent, ReportShareLink, StaffUser, Story
from . import audit
from .erasure import erase_deleted_text
from .report_cache import clear_report_cache
from .story_text import deidentified_text

WITHDRAWAL_ACTION = "story.withdrawn"
SCRUBBED_NAME = "Verwijderd account"


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of data is kept (months or days, as the names say)."""

    story_months: int
    research_story_months: int
    rejected_story_days: int
    withdrawal_trace_months: int
    audit_months: int
    share_link_days: int
    inactive_account_months: int

    @classmethod
    def from_config(cls, config) -> RetentionPolicy:
        return cls(
            **{name: int(config[f"RETENTION_{name.upper()}"]) for name in cls.__annotations__}
        )


def months_before(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` calendar months before `day`'s month."""
    index = day.year * 12 + (day.month - 1) - months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class PurgePlan:
    """What a purge deletes (ids per kind) on a given day."""

    today: dt.date
    stories: list[int] = field(default_factory=list)
    rejected_stories: list[int] = field(default_factory=list)
    withdrawal_traces: list[int] = field(default_factory=list)
    audit_events: list[int] = field(default_factory=list)
    share_links: list[int] = field(default_factory=list)
    inactive_accounts: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "stories": len(self.stories),
            "rejected_stories": len(self.rejected_stories),
            "withdrawal_traces": len(self.withdrawal_traces),
            "audit_events": len(self.audit_events),
            "share_links": len(self.share_links),
            "inactive_accounts": len(self.inactive_accounts),
        }

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def _ids(session: Session, query) -> list[int]:
    return list(session.scalars(query))


def plan_purge(session: Session, policy: RetentionPolicy, today: dt.date) -> PurgePlan:
    """Which rows are past their retention period on `today` (nothing is changed)."""
    midnight = dt.datetime.combine(today, dt.time())
    plan = PurgePlan(today=today)
    # A story's month counts as a whole: kept N months means until the end of month + N.
    plan.stories = _ids(
        session,
        select(Story.id).where(
            or_(
                and_(
                    Story.consent_research.is_(False),
                    Story.submitted_month < months_before(today, policy.story_months),
                ),
                and_(
                    Story.consent_research.is_(True),
                    Story.submitted_month < months_before(today, policy.research_story_months),
                ),
            )
        ),
    )
    rejected_before = midnight - dt.timedelta(days=policy.rejected_story_days)
    plan.rejected_stories = [
        story_id
        for story_id in _ids(
            session,
            select(Story.id).where(
                Story.status == "rejected",
                or_(Story.status_changed_at.is_(None), Story.status_changed_at < rejected_before),
            ),
        )
        if story_id not in set(plan.stories)
    ]
    trace_before = dt.datetime.combine(
        months_before(today, policy.withdrawal_trace_months), dt.time()
    )
    plan.withdrawal_traces = _ids(
        session,
        select(AuditEvent.id).where(
            AuditEvent.action == WITHDRAWAL_ACTION, AuditEvent.created_at < trace_before
        ),
    )
    audit_before = dt.datetime.combine(months_before(today, policy.audit_months), dt.time())
    plan.audit_events = _ids(
        session,
        select(AuditEvent.id).where(
            AuditEvent.action != WITHDRAWAL_ACTION, AuditEvent.created_at < audit_before
        ),
    )
    links_before = midnight - dt.timedelta(days=policy.share_link_days)
    plan.share_links = _ids(
        session,
        select(ReportShareLink.id).where(
            or_(
                and_(
                    ReportShareLink.revoked_at.is_not(None),
                    ReportShareLink.revoked_at < links_before,
                ),
                and_(
                    ReportShareLink.expires_at.is_not(None),
                    ReportShareLink.expires_at < links_before,
                ),
            )
        ),
    )
    idle_before = dt.datetime.combine(
        months_before(today, policy.inactive_account_months), dt.time()
    )
    plan.inactive_accounts = _ids(
        session,
        select(StaffUser.id).where(
            StaffUser.name != SCRUBBED_NAME,
            StaffUser.created_at < idle_before,
            or_(StaffUser.last_login_at.is_(None), StaffUser.last_login_at < idle_before),
        ),
    )
    return plan


def _delete_in_chunks(session: Session, model, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        session.execute(delete(model).where(model.id.in_(ids[start : start + 500])))


def apply_purge(session: Session, plan: PurgePlan, actor_label: str = audit.COMMAND_LINE) -> None:
    """Delete what the plan lists, audit it, and erase the deleted text from the files."""
    _delete_in_chunks(session, Story, plan.stories + plan.rejected_stories)
    _delete_in_chunks(session, AuditEvent, plan.withdrawal_traces + plan.audit_events)
    _delete_in_chunks(session, ReportShareLink, plan.share_links)
    for start in range(0, len(plan.inactive_accounts), 500):
        chunk = plan.inactive_accounts[start : start + 500]
        # Scrubbed, not deleted: their theme checks stay attributable to "an account".
        session.execute(
            update(StaffUser)
            .where(StaffUser.id.in_(chunk))
            .values(
                active=False,
                name=SCRUBBED_NAME,
                email=cast(StaffUser.id, String) + "@verwijderd.invalid",
                password_hash="!",
            )
        )
    audit.record_event(
        session,
        "purge.applied",
        actor_label=actor_label,
        details={**plan.counts(), "today": plan.today.isoformat()},
    )
    session.commit()
    erase_deleted_text(session)
    # In this process: no cached report or de-identified text outlives the purged story.
    # Other processes' cached reports are keyed by a data stamp the purge changes.
    clear_report_cache()
    deidentified_text.cache_clear()
