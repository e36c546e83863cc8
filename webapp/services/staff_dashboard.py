"""What needs doing, for the staff start page: counts with where to go about them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ActivityReport, Initiative, Story
from .activity import last_complete_month
from .scopes import EVERYTHING, Scope
from .themes import unreviewed_count

# Background jobs are counted by whoever runs them, for the account looking (it sees only
# the jobs services.job_visibility lets it see); the start page only shows the number.
FailedJobsCounter = Callable[[Session], int]


@dataclass(frozen=True)
class WorkItem:
    """One kind of work: how much is waiting and the page (endpoint + arguments) to do it on.

    ``count`` is None when the thing cannot be counted here (no job runner installed)."""

    key: str
    count: int | None
    endpoint: str | None
    arguments: dict[str, str] = field(default_factory=dict)
    month: dt.date | None = None


def work_to_do(
    session: Session,
    today: dt.date,
    failed_jobs: FailedJobsCounter | None = None,
    scope: Scope = EVERYTHING,
) -> list[WorkItem]:
    """Stories to moderate, stories whose themes nobody checked, initiatives without figures
    for the last complete month (all within the account's `scope`), and failed background
    jobs, in that order."""
    month = last_complete_month(today)
    pending = session.scalar(
        select(func.count()).select_from(Story).where(Story.status == "pending", scope.stories())
    )
    return [
        WorkItem("moderate", pending or 0, "staff.stories", {"status": "pending"}),
        WorkItem("themes", unreviewed_count(session, scope), "review.queue"),
        WorkItem(
            "figures",
            missing_figures_count(session, month, scope),
            "staff.initiatives_list",
            month=month,
        ),
        WorkItem("jobs", failed_jobs(session) if failed_jobs else None, None),
    ]


def missing_figures_count(session: Session, month: dt.date, scope: Scope = EVERYTHING) -> int:
    """Active initiatives in `scope` that sent no figures for ``month``."""
    reported = select(ActivityReport.initiative_id).where(ActivityReport.month == month)
    query = (
        select(func.count())
        .select_from(Initiative)
        .where(Initiative.active.is_(True), Initiative.id.not_in(reported), scope.initiatives())
    )
    return session.scalar(query) or 0
