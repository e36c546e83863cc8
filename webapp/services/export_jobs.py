"""Research exports as background jobs: the archive file, who may fetch it, how long it is kept.

A researcher's export request becomes a `BackgroundJob` of kind `research.export` whose params
hold the filter, formats, k, the requester and the moment of the request. The job writes the
archive to `<EXPORT_DIR>/<job id>.zip` (via a `.part` file renamed when complete), so a run
whose worker died is simply run again and writes the same bytes: `created_at` is fixed by the
request. Nothing is audit-logged when the archive is made; every download is (like the
synchronous export was), because that is when data leaves Weefsel. Files are removed
`EXPORT_FILE_DAYS` after they were made, by the nightly purge job.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import BackgroundJob, StaffUser, utcnow
from . import research_export
from .scopes import EXPORTERS, holds_any, scope_for

KIND = "research.export"
DEFAULT_FILE_DAYS = 7


def export_dir(config) -> Path:
    """Where finished archives wait for their download (EXPORT_DIR, default instance/exports)."""
    return Path(config["EXPORT_DIR"])


def archive_path(config, job_id: str) -> Path:
    return export_dir(config) / f"{job_id}.zip"


@dataclass(frozen=True)
class ExportRequest:
    """What the researcher asked for, as stored in the job's params."""

    export_filter: research_export.ExportFilter
    formats: list[str]
    k: int
    requested_by: int
    requested_at: dt.datetime
    model_version: str = ""

    def as_params(self) -> dict:
        return {
            "filter": self.export_filter.as_dict(),
            "formats": list(self.formats),
            "k": self.k,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at.isoformat(),
            "model_version": self.model_version,
        }

    @classmethod
    def from_params(cls, params: dict) -> ExportRequest:
        return cls(
            research_export.ExportFilter(**params.get("filter", {})),
            list(params["formats"]),
            int(params["k"]),
            int(params["requested_by"]),
            dt.datetime.fromisoformat(params["requested_at"]),
            params.get("model_version", ""),
        )


def run_export(
    session: Session, config, job_id: str, request: ExportRequest, progress=None
) -> dict:
    """Write the archive for `request` (what the job does); returns the counts for the job."""
    user = session.get(StaffUser, request.requested_by)
    if user is None or not holds_any(user, EXPORTERS):
        raise research_export.ExportRefused("the requesting account may no longer export")
    target = archive_path(config, job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with open(partial, "wb") as handle:
        outcome = research_export.build_research_archive(
            session,
            request.export_filter,
            request.formats,
            handle,
            exported_by=user.role or "",
            k=request.k,
            model_version=request.model_version,
            now=request.requested_at,
            scope=scope_for(session, user, EXPORTERS),
            progress=progress,
            spool_dir=str(target.parent),
        )
    os.replace(partial, target)
    return {
        "stories": outcome.story_count,
        "suppressed": outcome.suppressed_count,
        "bytes": target.stat().st_size,
    }


def export_job_for(session: Session, job_id: str, user: StaffUser | None) -> BackgroundJob | None:
    """The export job if `user` may see it: the researcher who asked, or an administrator of
    everything (who reads the export log anyway); None for anyone else."""
    job = session.get(BackgroundJob, job_id)
    if job is None or job.kind != KIND or user is None:
        return None
    if job.created_by_id == user.id:
        return job
    if scope_for(session, user, ("admin",)).everything:
        return job
    return None


def exports_requested_by(session: Session, user: StaffUser, limit: int = 10) -> list[BackgroundJob]:
    """The user's latest export jobs, newest first."""
    return list(
        session.scalars(
            select(BackgroundJob)
            .where(BackgroundJob.kind == KIND, BackgroundJob.created_by_id == user.id)
            .order_by(BackgroundJob.created_at.desc())
            .limit(limit)
        )
    )


def downloadable_file(config, job: BackgroundJob) -> Path | None:
    """The finished archive, or None when the job is not done or the file was removed."""
    if job.state != "done":
        return None
    path = archive_path(config, job.id)
    return path if path.is_file() else None


def record_download(session: Session, job: BackgroundJob, user: StaffUser) -> None:
    """The export log entry and audit event for handing the archive to `user`."""
    request = ExportRequest.from_params(job.params)
    result = job.result or {}
    research_export.record_research_export(
        session,
        request.export_filter,
        request.formats,
        research_export.ExportOutcome({}, result.get("stories", 0), result.get("suppressed", 0)),
        actor=user.email,
        k=request.k,
        staff_user=user,
    )


def expires_at(config, job: BackgroundJob) -> dt.datetime | None:
    if job.finished_at is None:
        return None
    return job.finished_at + dt.timedelta(days=file_days(config))


def file_days(config) -> int:
    return int(config.get("EXPORT_FILE_DAYS", DEFAULT_FILE_DAYS))


def remove_expired_exports(session: Session, config, now: dt.datetime | None = None) -> int:
    """Delete archives made more than EXPORT_FILE_DAYS ago, and leftovers of runs that never
    finished; returns how many files went."""
    directory = export_dir(config)
    if not directory.is_dir():
        return 0
    cutoff = (now or utcnow()) - dt.timedelta(days=file_days(config))
    finished = dict(
        session.execute(
            select(BackgroundJob.id, BackgroundJob.finished_at).where(BackgroundJob.kind == KIND)
        ).all()
    )
    removed = 0
    for path in directory.iterdir():
        if path.suffix not in (".zip", ".part"):
            continue
        made = finished.get(path.stem)
        if made is None:
            made = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
        if made < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
