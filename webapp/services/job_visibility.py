"""Which background jobs an account may see on the jobs page: the one rule the page, its counts,
the retry button and the start page's count of failed jobs all ask.

- A job a person asked for (an export, a PDF, a reclassification) is theirs: besides them only
  admins of everything see it, because its parameters and messages say what they asked for.
- A job nobody asked for (the system's own, or a council PDF a share link started) is seen by
  managers whose scope holds its area; one without an area concerns the whole installation and
  is seen by managers of everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from ..models import Area, BackgroundJob, StaffUser
from .scopes import MANAGERS, Scope, scope_for

_BATCH = 200


@dataclass(frozen=True)
class JobViewer:
    """Who looks at the jobs: their account id, their managing scope, and whether they are an
    admin of everything."""

    user_id: int | None
    scope: Scope
    admin_of_everything: bool

    @property
    def sees_every_job(self) -> bool:
        return self.admin_of_everything


# The command line sees every job.
EVERY_JOB = JobViewer(None, Scope(None), True)


def job_viewer(session: Session, user: StaffUser | None) -> JobViewer:
    return JobViewer(
        user.id if user is not None else None,
        scope_for(session, user, MANAGERS),
        scope_for(session, user, ("admin",)).everything if user is not None else False,
    )


def job_area_code(job: BackgroundJob) -> str | None:
    """The area a job is about, where its parameters name one (a report's area)."""
    params = job.params or {}
    report = params.get("parameters")
    if isinstance(report, dict) and report.get("area_code"):
        return str(report["area_code"])
    return None


def _area_codes(session: Session, scope: Scope) -> frozenset[str] | None:
    if scope.everything:
        return None
    return frozenset(session.scalars(select(Area.code).where(Area.id.in_(sorted(scope.area_ids)))))


def _visible(job: BackgroundJob, viewer: JobViewer, codes: frozenset[str] | None) -> bool:
    if viewer.sees_every_job:
        return True
    if job.created_by_id is not None:
        return job.created_by_id == viewer.user_id
    area = job_area_code(job)
    if codes is None:
        return True
    return area is not None and area in codes


def _candidates(session: Session, viewer: JobViewer):
    """SQL narrows to the viewer's own jobs and unowned ones; areas are read from the params."""
    query = select(BackgroundJob)
    if not viewer.sees_every_job:
        query = query.where(
            or_(
                BackgroundJob.created_by_id.is_(None),
                BackgroundJob.created_by_id == viewer.user_id,
            )
        )
    return query


def _iter_visible(session: Session, viewer: JobViewer, query) -> Iterator[BackgroundJob]:
    codes = _area_codes(session, viewer.scope)
    offset = 0
    while True:
        batch = list(session.scalars(query.limit(_BATCH).offset(offset)))
        for job in batch:
            if _visible(job, viewer, codes):
                yield job
        if len(batch) < _BATCH:
            return
        offset += _BATCH


def visible_jobs(session: Session, viewer: JobViewer, limit: int = 50) -> list[BackgroundJob]:
    """Running, queued and failed runs first, then the most recent finished ones."""
    order = case({"running": 0, "queued": 1, "failed": 2}, value=BackgroundJob.state, else_=3)
    query = _candidates(session, viewer).order_by(
        order, BackgroundJob.created_at.desc(), BackgroundJob.id
    )
    found = []
    for job in _iter_visible(session, viewer, query):
        found.append(job)
        if len(found) == limit:
            break
    return found


def visible_job_counts(session: Session, viewer: JobViewer) -> dict[str, int]:
    """How many visible jobs are running, queued or failed."""
    query = (
        _candidates(session, viewer)
        .where(BackgroundJob.state.in_(("running", "queued", "failed")))
        .order_by(BackgroundJob.id)
    )
    counts: dict[str, int] = {}
    for job in _iter_visible(session, viewer, query):
        counts[job.state] = counts.get(job.state, 0) + 1
    return counts


def visible_job(session: Session, viewer: JobViewer, job_id: str) -> BackgroundJob | None:
    job = session.get(BackgroundJob, job_id)
    if job is None or not _visible(job, viewer, _area_codes(session, viewer.scope)):
        return None
    return job


def visible_failed_job_count(session: Session, viewer: JobViewer) -> int:
    """Failed jobs the viewer sees (the staff start page's count)."""
    return visible_job_counts(session, viewer).get("failed", 0)
