"""The task queue: huey, with its SQLite storage in the instance folder (no extra service) or
Redis when WEEFSEL_REDIS_URL is set. Every kind registered in `services/jobs.py` becomes a huey
task bound to this app, run inside an app context.

`JobQueue.enqueue` records a tracked run and puts it on the queue; `run_consumer` is what
`weefsel worker` (and the consumer `weefsel serve` starts) runs.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from huey import RedisHuey, SqliteHuey

from . import job_kinds
from .extensions import db
from .services import jobs

log = logging.getLogger(__name__)

QUEUE_FILE = "jobs.sqlite"
CLASSIFY_COALESCE_SECONDS = 0.3
# The form counts as busy while more than BUSY_STORIES new stories were classified in the last
# QUIET_SECONDS; the review evidence of new stories waits for a quieter moment (or the sweep).
QUIET_SECONDS = 3.0
BUSY_STORIES = 10


def build_huey(config: dict, instance_path: str):
    """Immediate (in-process, for tests), Redis, or SQLite in the instance folder."""
    name = config.get("QUEUE_NAME") or "weefsel"
    if config.get("JOBS_IMMEDIATE"):
        return SqliteHuey(name, immediate=True, results=False, filename=":memory:")
    if config.get("REDIS_URL"):
        return RedisHuey(name, url=config["REDIS_URL"], results=False)
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    filename = config.get("QUEUE_FILE") or str(Path(instance_path) / QUEUE_FILE)
    # synchronous=NORMAL under WAL: a queued message survives a crash of the process.
    return SqliteHuey(name, filename=filename, results=False, fsync=False, timeout=10)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


class _Heartbeat(threading.Thread):
    """Touches a running job every few seconds so a dead worker can be told from a slow one."""

    def __init__(self, app: Flask, job_id: str, interval: float):
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.app, self.job_id, self.interval = app, job_id, interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            with self.app.app_context():
                try:
                    jobs.touch_heartbeat(db.session, self.job_id)
                except Exception:  # a missed beat only makes the job look slower
                    log.exception("heartbeat of job %s failed", self.job_id)
                finally:
                    db.session.remove()


class SingleFlight:
    """Runs a job's work in one thread of the process at a time. A call that comes while the
    work runs does not run it beside it (both would classify the same waiting stories): it
    makes the running call go round once more, so nothing that arrived meanwhile is missed."""

    def __init__(self):
        self._state = threading.Lock()
        self._running = False
        self._again = False

    def run(self, work: Callable[[], int]) -> int:
        """`work()` until no call came in while it ran; returns the sum of its results (0 for
        a call that only asked the running one to go round again)."""
        with self._state:
            if self._running:
                self._again = True
                return 0
            self._running = True
        done = 0
        try:
            while True:
                done += work()
                with self._state:
                    if not self._again:
                        self._running = False
                        return done
                    self._again = False
        except BaseException:
            with self._state:
                self._running = self._again = False
            raise


class JobQueue:
    """The app's huey instance with every registered job kind bound to the app."""

    def __init__(self, app: Flask):
        self.app = app
        self._coalesce_lock = threading.Lock()
        self._next_run: dict[str, float] = {}  # per coalesced job kind: no new request before
        self._new_stories: deque[tuple[float, int]] = deque()  # (when, how many) classified
        # New stories and their evidence are found in the database, so one thread at a time
        # does each; the consumer's other threads stay free for other jobs.
        self.classifying = SingleFlight()
        self.adding_evidence = SingleFlight()
        self.huey = build_huey(app.config, app.instance_path)
        self.stale_after = dt.timedelta(seconds=int(app.config.get("JOBS_STALE_SECONDS") or 60))
        self._tasks = {}
        for kind in jobs.JOB_KINDS.values():
            self._tasks[kind.name] = self._bind(kind)

    # -- binding kinds to huey -------------------------------------------------------------

    def _bind(self, kind: jobs.JobKind):
        if kind.schedule is not None and not kind.tracked:
            return self.huey.periodic_task(kind.schedule, name=kind.name)(self._untracked(kind))
        if kind.tracked:
            task = self.huey.task(
                retries=kind.retries, retry_delay=kind.retry_delay, context=True, name=kind.name
            )(self._tracked(kind))
            if kind.schedule is not None:
                self._schedule_tracked(kind, task)
            return task
        return self.huey.task(retries=kind.retries, retry_delay=kind.retry_delay, name=kind.name)(
            self._untracked(kind)
        )

    def _schedule_tracked(self, kind: jobs.JobKind, task) -> None:
        """A periodic job staff can follow: each time it is due, a run is recorded and queued."""

        def start_run() -> None:
            with self.app.app_context():
                try:
                    job_id = jobs.create_job(db.session, kind.name).id
                finally:
                    db.session.remove()
            task(job_id)

        start_run.__name__ = f"{kind.name}.schedule"
        self.huey.periodic_task(kind.schedule, name=f"{kind.name}.schedule")(start_run)

    def _context(self, job_id: str | None = None) -> jobs.JobContext:
        return jobs.JobContext(db.session, self.app.config, self.app.extensions, job_id)

    def _untracked(self, kind: jobs.JobKind):
        def run(*args):
            with self.app.app_context():
                try:
                    return kind.run(self._context(), *args)
                finally:
                    db.session.remove()

        run.__name__ = kind.name
        return run

    def _tracked(self, kind: jobs.JobKind):
        interval = max(1.0, self.stale_after.total_seconds() / 4)

        def run(job_id: str, task=None):
            with self.app.app_context():
                try:
                    job = jobs.start_run(db.session, job_id, worker_name(), self.stale_after)
                    if job is None:
                        return None
                    params = dict(job.params or {})
                    heartbeat = _Heartbeat(self.app, job_id, interval)
                    heartbeat.start()
                    try:
                        result = kind.run(self._context(job_id), **params)
                    except jobs.JobRefused as error:
                        db.session.rollback()
                        jobs.fail_run(db.session, job_id, error, will_retry=False)
                        return None
                    except Exception as error:
                        db.session.rollback()
                        retry = task is not None and bool(task.retries)
                        jobs.fail_run(db.session, job_id, error, will_retry=retry)
                        raise
                    finally:
                        heartbeat.stopped.set()
                    jobs.finish_run(db.session, job_id, result)
                    return None
                finally:
                    db.session.remove()

        run.__name__ = kind.name
        return run

    # -- putting work on the queue ---------------------------------------------------------

    def enqueue(self, session, kind: str, params: dict | None = None, created_by_id=None):
        """Record a tracked run and queue it; returns the BackgroundJob."""
        job = jobs.create_job(session, kind, params, created_by_id)
        self._tasks[kind](job.id)
        return job

    def enqueue_again(self, job_id: str, kind: str) -> None:
        """Queue an existing run again (a staff retry or a stalled run)."""
        self._tasks[kind](job_id)

    def enqueue_untracked(self, kind: str, *args) -> None:
        self._tasks[kind](*args)

    def request_classification(self) -> None:
        """Called after a story is committed: a classification run starts within a second or so.

        Requests are coalesced per process: one run scheduled a moment ahead sees every story
        committed before it starts, so a busy form costs a few queue writes a second, not one
        per story. A message lost anyway is made up for by the sweep every minute."""
        self._run_soon(job_kinds.CLASSIFY_NEW_STORIES, CLASSIFY_COALESCE_SECONDS)

    def _run_soon(self, kind: str, delay: float) -> None:
        """Queue an untracked job of `kind` to run `delay` seconds from now, unless this process
        queued one within the last `delay` seconds (that one will see the same work); at once
        in the immediate test queue."""
        task = self._tasks[kind]
        if self.huey.immediate:
            task()
            return
        now = time.monotonic()
        with self._coalesce_lock:
            if now < self._next_run.get(kind, 0.0):
                return
            self._next_run[kind] = now + delay
        task.schedule(delay=delay)

    def note_new_stories(self, count: int) -> None:
        """Called by the job that classified `count` new stories: their review evidence
        follows when the form is quiet."""
        if count <= 0:
            return
        now = time.monotonic()
        with self._coalesce_lock:
            self._new_stories.append((now, count))
        self.request_evidence()

    def form_is_busy(self) -> bool:
        """More than BUSY_STORIES new stories classified (by this process) in the last
        QUIET_SECONDS: residents are sending stories faster than anyone reads them."""
        if self.huey.immediate:
            return False
        horizon = time.monotonic() - QUIET_SECONDS
        with self._coalesce_lock:
            while self._new_stories and self._new_stories[0][0] < horizon:
                self._new_stories.popleft()
            return sum(count for _, count in self._new_stories) > BUSY_STORIES

    def request_evidence(self) -> None:
        """Queue the job that adds review evidence, QUIET_SECONDS from now (coalesced like
        classification requests)."""
        self._run_soon(job_kinds.ADD_REVIEW_EVIDENCE, QUIET_SECONDS)

    def pending_count(self) -> int | None:
        try:
            return self.huey.pending_count()
        except Exception:  # the page still shows the database's view of the jobs
            log.exception("could not count the queue")
            return None


def requeue_stalled(queue: JobQueue) -> int:
    """Queue again every run whose worker died; called at consumer start and every minute."""
    from .models import BackgroundJob

    with queue.app.app_context():
        try:
            stalled = jobs.requeue_stalled_jobs(db.session, queue.stale_after)
            for job_id in stalled:
                kind = db.session.get(BackgroundJob, job_id).kind
                queue.enqueue_again(job_id, kind)
            return len(stalled)
        finally:
            db.session.remove()


WARM_UP_TEXT = (
    "Sinds ik naar de buurthuiskamer ga ben ik minder alleen. Since then I feel better, "
    "maar de huur is nog steeds te hoog. Bel Jan de Vries op 06-12345678."
)


def warm_up_models(app: Flask) -> None:
    """Load what the classification jobs use and read one text with it before the first job:
    the models, the language identifier, the tokenizers and the de-identification lists. On a
    first story they took seconds of CPU, and under a stream of submissions that came out of
    the residents' share (a profile of the job worker: a quarter of its time)."""
    from .services.story_text import deidentified_text

    try:
        classifier = app.extensions["weefsel_classifier"].get()
        if classifier is not None:
            results = classifier.predict([WARM_UP_TEXT])
            outcome_model = app.extensions["weefsel_outcome_model"].get()
            if outcome_model is not None:
                from nlp.outcome import read_outcomes

                read_outcomes(outcome_model, classifier, results)
        deidentified_text(WARM_UP_TEXT)
    except Exception:  # the first job loads what is missing
        log.exception("warming up the job worker failed; the first job loads the models")


def run_consumer(app: Flask, workers: int = 1, periodic: bool = True) -> None:
    """Run huey's consumer for this app until it is stopped (SIGINT/SIGTERM)."""
    queue: JobQueue = app.extensions["weefsel_queue"]
    warm_up_models(app)
    # What the warm-up loaded lives as long as the worker (a promoted model replaces the
    # models, a rare event): keep it out of the garbage collector's full passes, which
    # otherwise walk it between batches (classification 1.74 -> 1.46 ms per story in-process).
    gc.collect()
    gc.freeze()
    requeue_stalled(queue)
    consumer = queue.huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=periodic,
        initial_delay=0.05,
        backoff=1.5,
        max_delay=0.5,  # an idle worker looks for new stories at least twice a second
    )
    consumer.run()
