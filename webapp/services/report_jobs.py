"""Council report PDFs of a large basis are made by a background job, not in the request.

A PDF whose report counts more than REPORT_PDF_JOB_STORIES stories (area and everything below
it, over the period and the one before it that the report compares with) takes seconds of
queries and rendering; such a request queues a job (`reports.pdf`) and the reader sees a page
that reloads itself until the PDF is ready. The job writes the PDF to REPORT_FILE_DIR under a
key made of the parameters, language, date, model and the data stamp of `report_cache`, so the
next request for the same report (by any web worker) is served from that file at once, and the
in-memory cache of `report_cache` keeps it too. Small reports and cached ones stay immediate.
A file is used only while the data stamp is unchanged; the nightly purge removes files older
than a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import reports
from reports import Period

from ..models import BackgroundJob, Story, utcnow
from . import council_reports, jobs
from .areas import area_with_descendants, find_area
from .report_cache import MAX_AGE, cached, cached_value, data_stamp
from .report_data import previous_period

KIND = "reports.pdf"
DEFAULT_JOB_STORIES = 20_000
FILE_MAX_AGE = dt.timedelta(days=1)


def file_dir(config) -> Path:
    return Path(config["REPORT_FILE_DIR"])


def job_threshold(config) -> int:
    return int(config.get("REPORT_PDF_JOB_STORIES") or DEFAULT_JOB_STORIES)


def file_key(
    parameters: council_reports.ReportParameters, lang: str, today: dt.date, model_dir, stamp
) -> str:
    """The name a rendered PDF is kept under: every input the PDF depends on."""
    text = repr((asdict(parameters), lang, today.isoformat(), str(model_dir), stamp))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def basis_size(session: Session, parameters: council_reports.ReportParameters) -> int:
    """Stories the report reads: its area with everything below, this period and the last."""
    period = Period.parse(parameters.period)
    area = find_area(session, parameters.area_code)
    first = previous_period(period).start.replace(day=1)
    return (
        session.scalar(
            select(func.count(Story.id)).where(
                Story.area_id.in_(list(area_with_descendants(session, area))),
                Story.submitted_month >= first,
                Story.submitted_month <= period.end,
            )
        )
        or 0
    )


def _memory_key(parameters, lang, today, model_dir, stamp) -> tuple:
    # The same key `council_reports.cached_report_file` uses, so both paths share entries.
    return ("file", "pdf", parameters, lang, today, str(model_dir), stamp)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class PdfAnswer:
    """Either the PDF's bytes, or the job that is making it."""

    pdf: bytes | None = None
    job: BackgroundJob | None = None


def _job_params(parameters, lang: str, today: dt.date) -> dict:
    return {"parameters": asdict(parameters), "lang": lang, "today": today.isoformat()}


def _matching_job(session: Session, job_id: str, params: dict) -> BackgroundJob | None:
    job = session.get(BackgroundJob, job_id)
    if job is None or job.kind != KIND:
        return None
    same = {key: (job.params or {}).get(key) for key in params} == params
    return job if same else None


def _active_job(session: Session, params: dict) -> BackgroundJob | None:
    """A queued or running job for the same report (requests while it runs wait for it)."""
    since = utcnow() - dt.timedelta(hours=1)
    candidates = session.scalars(
        select(BackgroundJob)
        .where(
            BackgroundJob.kind == KIND,
            BackgroundJob.state.in_(("queued", "running")),
            BackgroundJob.created_at >= since,
        )
        .order_by(BackgroundJob.created_at.desc())
    )
    for job in candidates:
        if {key: (job.params or {}).get(key) for key in params} == params:
            return job
    return None


def pdf_for_request(
    session: Session,
    config,
    queue,
    parameters: council_reports.ReportParameters,
    lang: str,
    *,
    today: dt.date,
    job_id: str | None = None,
    retry: bool = False,
) -> PdfAnswer:
    """The PDF now (cached, on file, or small enough to render here), or the job making it.

    `job_id` is the job a waiting page follows: once it is done its PDF is served even if the
    data changed meanwhile (the reader asked for the report as it was). `retry` queues a
    failed job for these parameters again."""
    model_dir = config.get("MODEL_DIR")
    stamp = data_stamp(session)
    memory_key = _memory_key(parameters, lang, today, model_dir, stamp)
    in_memory = cached_value(memory_key)
    if in_memory is not None:
        return PdfAnswer(pdf=in_memory)
    key = file_key(parameters, lang, today, model_dir, stamp)
    on_file = _read(file_dir(config) / f"{key}.pdf")
    if on_file is not None:
        return PdfAnswer(pdf=cached(memory_key, lambda: on_file))
    params = _job_params(parameters, lang, today)
    if job_id is not None:
        job = _matching_job(session, job_id, params)
        if job is not None and job.state == "done" and _recent(job):
            finished = _read(file_dir(config) / f"{(job.result or {}).get('file')}.pdf")
            if finished is not None:
                return PdfAnswer(pdf=finished)
        elif job is not None and job.state == "failed" and retry:
            jobs.retry_job(session, job.id)
            queue.enqueue_again(job.id, job.kind)
            return _after_enqueue(session, config, job.id)
        elif job is not None:
            return PdfAnswer(job=job)
    if basis_size(session, parameters) <= job_threshold(config):
        payload, _mimetype = council_reports.cached_report_file(
            session, parameters, "pdf", lang, today=today, model_dir=model_dir
        )
        return PdfAnswer(pdf=payload)
    job = _active_job(session, params) or queue.enqueue(session, KIND, params)
    return _after_enqueue(session, config, job.id)


def _recent(job: BackgroundJob) -> bool:
    """A finished job's PDF is served past a data change for as long as a cached one would be."""
    return job.finished_at is not None and utcnow() - job.finished_at <= dt.timedelta(
        seconds=MAX_AGE
    )


def _after_enqueue(session: Session, config, job_id: str) -> PdfAnswer:
    """A job that already finished (a fast worker, or jobs run in-process) is served at once."""
    session.expire_all()
    job = session.get(BackgroundJob, job_id)
    if job.state == "done":
        finished = _read(file_dir(config) / f"{(job.result or {}).get('file')}.pdf")
        if finished is not None:
            return PdfAnswer(pdf=finished)
    return PdfAnswer(job=job)


def render_pdf_file(session: Session, config, params: dict, progress=None) -> dict:
    """What the job does: build and render the report, keep the PDF under its key."""
    parameters = council_reports.ReportParameters(**params["parameters"])
    lang, today = params["lang"], dt.date.fromisoformat(params["today"])
    model_dir = config.get("MODEL_DIR")
    report = progress or (lambda done, total: None)
    report(0, 3)
    stamp = data_stamp(session)
    key = file_key(parameters, lang, today, model_dir, stamp)
    built = council_reports.make_report(session, parameters, lang, today=today, model_dir=model_dir)
    session.rollback()  # no transaction stays open while the PDF renders
    report(1, 3)
    buffer = io.BytesIO()
    reports.render_pdf(built, buffer)  # looked up here: the renderer loads matplotlib
    report(2, 3)
    directory = file_dir(config)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f"{key}.part"
    partial.write_bytes(buffer.getvalue())
    os.replace(partial, directory / f"{key}.pdf")
    return {"file": key, "bytes": len(buffer.getvalue())}


def remove_old_report_files(config, now: float | None = None) -> int:
    """Delete PDFs (and leftovers) older than FILE_MAX_AGE; returns how many went."""
    directory = file_dir(config)
    if not directory.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - FILE_MAX_AGE.total_seconds()
    removed = 0
    for path in directory.iterdir():
        if path.suffix in (".pdf", ".part") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
