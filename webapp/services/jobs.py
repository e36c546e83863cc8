"""Background jobs: the kinds there are, the state of each run for staff, recovery of stalled runs.

The queue itself is huey (`webapp/task_queue.py`); this module keeps what the queue does not:
a `BackgroundJob` row per tracked run. A worker marks it running and touches `heartbeat_at`
while it works; only a finished run is marked done. A run whose worker died (kill -9, power
loss) keeps a stale heartbeat and `requeue_stalled_jobs` queues it again, so no job is lost even
though huey removes a message when a worker takes it. Jobs are written to be idempotent: running
one twice gives the same result as running it once.

A new kind of job is a function `run(context, **params)` registered with `register_job`, or with
`register_periodic_job` to run on a schedule (see `webapp/job_kinds.py`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..models import BackgroundJob, Story, utcnow

log = logging.getLogger(__name__)

ACTIVE_STATES = ("queued", "running")


class JobRefused(Exception):
    """The job cannot run as asked (e.g. there is no theme model); retrying will not help."""


@dataclass(frozen=True)
class JobKind:
    """A kind of background job. `tracked` kinds keep a BackgroundJob row (state, progress,
    retry); untracked ones are small and frequent and keep their state in the data they change."""

    name: str
    run: Callable[..., dict | None]
    label: Any
    tracked: bool = True
    retries: int = 2
    retry_delay: int = 30
    schedule: Any = None  # a huey crontab for periodic jobs


JOB_KINDS: dict[str, JobKind] = {}


def register_job(
    name: str, label, *, tracked: bool = True, retries: int = 2, retry_delay: int = 30
) -> Callable:
    """Decorator: make `run(context, **params)` a background job called `name`."""

    def decorator(run: Callable) -> Callable:
        JOB_KINDS[name] = JobKind(name, run, label, tracked, retries, retry_delay)
        return run

    return decorator


def register_periodic_job(name: str, label, schedule, *, tracked: bool = True) -> Callable:
    """Decorator: run `run(context)` on a schedule, e.g. `huey.crontab(hour="3", minute="15")`.

    Only consumers started with periodic jobs on (`weefsel worker`, not `--no-periodic`) enqueue
    them, so run exactly one such consumer per deployment."""

    def decorator(run: Callable) -> Callable:
        JOB_KINDS[name] = JobKind(name, run, label, tracked, retries=0, schedule=schedule)
        return run

    return decorator


@dataclass
class JobContext:
    """What a running job gets: a session, the app's settings and extensions, a progress hook."""

    session: Session
    config: dict
    extensions: dict
    job_id: str | None = None
    _last_progress: float = field(default=0.0, repr=False)

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Record how far the job is; written at most once a second (it also proves liveness)."""
        if self.job_id is None:
            return
        now = time.monotonic()
        if not force and now - self._last_progress < 1.0:
            return
        self._last_progress = now
        values: dict[str, Any] = {"progress_done": done, "heartbeat_at": utcnow()}
        if total is not None:
            values["progress_total"] = total
        self.session.execute(
            update(BackgroundJob).where(BackgroundJob.id == self.job_id).values(**values)
        )
        self.session.commit()


# --- state of tracked runs ----------------------------------------------------------------


def create_job(
    session: Session, kind: str, params: dict | None = None, created_by_id: int | None = None
) -> BackgroundJob:
    """Record a queued run of a known kind (commits); the caller then puts it on the queue."""
    if kind not in JOB_KINDS or not JOB_KINDS[kind].tracked:
        raise ValueError(f"unknown tracked job kind: {kind}")
    job = BackgroundJob(
        id=str(uuid.uuid4()),
        kind=kind,
        params=dict(params or {}),
        state="queued",
        progress_done=0,
        attempts=0,
        created_by_id=created_by_id,
    )
    session.add(job)
    session.commit()
    return job


def start_run(
    session: Session, job_id: str, worker: str, stale_after: dt.timedelta | None = None
) -> BackgroundJob | None:
    """Mark a run as started; None when it is done, unknown, or running with a live worker
    (a message delivered twice)."""
    job = session.get(BackgroundJob, job_id, with_for_update=True)
    if job is None or job.state == "done":
        session.rollback()
        return None
    now = utcnow()
    if (
        job.state == "running"
        and stale_after is not None
        and job.heartbeat_at is not None
        and now - job.heartbeat_at < stale_after
    ):
        session.rollback()
        return None
    job.state, job.worker, job.error = "running", worker, None
    job.attempts += 1
    job.started_at = job.heartbeat_at = now
    session.commit()
    return job


def touch_heartbeat(session: Session, job_id: str) -> None:
    session.execute(
        update(BackgroundJob)
        .where(BackgroundJob.id == job_id, BackgroundJob.state == "running")
        .values(heartbeat_at=utcnow())
    )
    session.commit()


def finish_run(session: Session, job_id: str, result: dict | None) -> None:
    # Read the row again: a job may have written its progress through another session.
    job = session.get(BackgroundJob, job_id, populate_existing=True)
    job.state, job.result, job.finished_at = "done", result, utcnow()
    if job.progress_total is not None:
        job.progress_done = job.progress_total
    session.commit()


def fail_run(session: Session, job_id: str, error: BaseException, will_retry: bool) -> None:
    """Keep the error for staff; a run huey will retry goes back to queued."""
    job = session.get(BackgroundJob, job_id)
    if job is None:
        return
    job.error = "".join(traceback.format_exception_only(error)).strip()[:4000]
    job.state = "queued" if will_retry else "failed"
    job.finished_at = None if will_retry else utcnow()
    session.commit()


def requeue_stalled_jobs(session: Session, stale_after: dt.timedelta) -> list[str]:
    """Runs whose worker stopped touching them (it died) go back to queued; returns their ids."""
    cutoff = utcnow() - stale_after
    stalled = list(
        session.scalars(
            select(BackgroundJob.id).where(
                BackgroundJob.state == "running", BackgroundJob.heartbeat_at < cutoff
            )
        )
    )
    if stalled:
        session.execute(
            update(BackgroundJob)
            .where(BackgroundJob.id.in_(stalled), BackgroundJob.state == "running")
            .values(state="queued", error="worker stopped during the job; queued again")
        )
        session.commit()
        log.warning("queued %s stalled job(s) again: %s", len(stalled), stalled)
    return stalled


def retry_job(session: Session, job_id: str) -> BackgroundJob | None:
    """Staff retry a failed run: it is queued again (the caller enqueues it)."""
    job = session.get(BackgroundJob, job_id)
    if job is None or job.state != "failed":
        return None
    job.state, job.finished_at = "queued", None
    session.commit()
    return job


def stories_waiting_for_themes(session: Session) -> int:
    """New stories the background worker has not classified yet."""
    return (
        session.scalar(
            select(func.count()).select_from(Story).where(Story.classified_version.is_(None))
        )
        or 0
    )


def request_story_classification(queue) -> None:
    """After a story is stored: ask the queue for its themes. A queue that is down must not cost
    the resident their story; the sweep classifies it within a minute of the queue's return."""
    try:
        queue.request_classification()
    except Exception:
        log.exception("could not queue theme classification; the sweep will pick the story up")
