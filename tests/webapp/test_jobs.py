"""Background jobs on huey: themes of new stories, tracked jobs with progress, retry, recovery
when a worker dies. Most tests run huey in immediate mode; the last ones start a real
SQLite-backed consumer (`weefsel worker`) in a separate process and kill it mid-job."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.job_kinds import RECLASSIFY, classify_new_stories
from webapp.models import BackgroundJob, Story, ThemeAssignment, utcnow
from webapp.services import jobs
from webapp.services.jobs import JobContext
from webapp.services.staff_accounts import create_staff_user
from webapp.task_queue import SingleFlight

PASSWORD = "correct horse battery"
LONELY = "Sinds mijn vrouw overleden is, zit ik de hele dag binnen en belt niemand me ooit."
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def add_stories(count: int) -> None:
    texts = [f"{LONELY} Verhaal nummer {n} over de buurthuiskamer." for n in range(count)]
    db.session.add_all(
        Story(text=text, submitted_month=dt.date(2026, 3, 1), channel="form") for text in texts
    )
    db.session.commit()


def model_rows_per_story_theme() -> int:
    """The largest number of model rows any (story, theme) has: 1 unless a race duplicated one."""
    counts = db.session.execute(
        select(func.count())
        .select_from(ThemeAssignment)
        .where(ThemeAssignment.source == "model")
        .group_by(ThemeAssignment.story_id, ThemeAssignment.theme)
    ).scalars()
    return max(counts, default=0)


def test_a_new_story_gets_its_themes_from_the_classification_job(client):
    assert client.post("/verhaal", data={"story": LONELY}).status_code == 303
    story = db.session.scalar(select(Story))
    assert story.classified_version is not None
    assert "eenzaamheid" in {a.theme for a in story.theme_assignments if a.assigned}
    assert jobs.stories_waiting_for_themes(db.session) == 0


def test_reclassify_job_records_progress_and_its_result(app):
    add_stories(7)
    queue = app.extensions["weefsel_queue"]
    job = queue.enqueue(db.session, RECLASSIFY, {"only_outdated": False})
    db.session.expire_all()
    job = db.session.get(BackgroundJob, job.id)
    assert job.state == "done" and job.attempts == 1 and job.error is None
    assert job.result["classified"] == 7
    assert job.progress_done == job.progress_total == 7
    assert jobs.stories_waiting_for_themes(db.session) == 0


def test_running_the_same_job_twice_changes_nothing(app):
    add_stories(3)
    queue = app.extensions["weefsel_queue"]
    queue.enqueue(db.session, RECLASSIFY, {})
    before = db.session.scalar(select(func.count()).select_from(ThemeAssignment))
    queue.enqueue(db.session, RECLASSIFY, {})
    assert db.session.scalar(select(func.count()).select_from(ThemeAssignment)) == before
    assert model_rows_per_story_theme() == 1


def test_a_job_that_cannot_run_fails_once_with_a_clear_error(make_app, tmp_path):
    app = make_app(MODEL_DIR=str(tmp_path / "no-model-here"))
    with app.app_context():
        job = app.extensions["weefsel_queue"].enqueue(db.session, RECLASSIFY, {})
        db.session.expire_all()
        job = db.session.get(BackgroundJob, job.id)
        assert job.state == "failed" and job.attempts == 1
        assert "no theme model" in job.error


def test_unknown_job_kinds_are_refused(app):
    with pytest.raises(ValueError, match="unknown"):
        app.extensions["weefsel_queue"].enqueue(db.session, "no.such.job", {})


def test_a_run_whose_worker_stopped_beating_is_queued_again(app):
    stale = BackgroundJob(
        id="stale-run",
        kind=RECLASSIFY,
        params={},
        state="running",
        progress_done=0,
        attempts=1,
        heartbeat_at=utcnow() - dt.timedelta(minutes=5),
    )
    alive = BackgroundJob(
        id="alive-run",
        kind=RECLASSIFY,
        params={},
        state="running",
        progress_done=0,
        attempts=1,
        heartbeat_at=utcnow(),
    )
    db.session.add_all([stale, alive])
    db.session.commit()
    assert jobs.requeue_stalled_jobs(db.session, dt.timedelta(seconds=60)) == ["stale-run"]
    db.session.expire_all()
    assert db.session.get(BackgroundJob, "stale-run").state == "queued"
    assert db.session.get(BackgroundJob, "alive-run").state == "running"


def test_staff_see_failed_jobs_and_can_retry_them(make_app, tmp_path):
    app = make_app(MODEL_DIR=str(tmp_path / "no-model-here"))
    with app.app_context():
        create_staff_user(db.session, "co@example.org", "Co", PASSWORD, role="coordinator")
        add_stories(2)
        job_id = app.extensions["weefsel_queue"].enqueue(db.session, RECLASSIFY, {}).id
        db.session.expire_all()  # the job ran in the worker's own session
        client = app.test_client()
        client.post("/beheer/inloggen", data={"email": "co@example.org", "password": PASSWORD})
        page = client.get("/beheer/taken").get_data(as_text=True)
        assert "Verhalen opnieuw indelen" in page and "mislukt" in page
        assert "no theme model" in page
        assert "2 nieuwe verhalen wachten op hun thema" in page
        # The model arrives (CURRENT is read again on retry); staff retry the failed run.
        app.extensions["weefsel_classifier"].model_dir = None
        app.extensions["weefsel_classifier"].reset()
        response = client.post(f"/beheer/taken/{job_id}/opnieuw")
        assert response.status_code == 303
        db.session.expire_all()
        job = db.session.get(BackgroundJob, job_id)
        assert job.state == "done" and job.attempts == 2
        assert jobs.stories_waiting_for_themes(db.session) == 0


def test_only_managers_see_the_jobs_page(app):
    create_staff_user(db.session, "raad@example.org", "Raad", PASSWORD, role="councillor")
    client = app.test_client()
    client.post("/beheer/inloggen", data={"email": "raad@example.org", "password": PASSWORD})
    assert client.get("/beheer/taken").status_code == 403


# --- a real consumer ---------------------------------------------------------------------------


def start_worker(database_url: str, instance: Path, *options: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "WEEFSEL_DATABASE_URL": database_url,
        "WEEFSEL_INSTANCE_PATH": str(instance),
        "WEEFSEL_SECRET_KEY": "test-secret",
        "WEEFSEL_JOBS_STALE_SECONDS": "2",
    }
    env.pop("WEEFSEL_REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "webapp", "worker", "--threads", "2", "--no-periodic", *options],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, sig=signal.SIGINT) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_real_consumer_classifies_new_stories_within_seconds(make_app, database_url, tmp_path):
    instance = tmp_path / "instance"
    app = make_app(JOBS_IMMEDIATE=False, INSTANCE_PATH=str(instance))
    with app.app_context():
        assert app.test_client().post("/verhaal", data={"story": LONELY}).status_code == 303
        # As `weefsel serve` starts it: below the web workers' CPU priority.
        worker = start_worker(database_url, instance, "--nice", "10")
        try:
            started = time.monotonic()
            wait_for(lambda: db.session.scalar(select(Story.classified_version)), 60, "the themes")
            own = os.getpriority(os.PRIO_PROCESS, 0)
            assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(own + 10, 19)
            # Now the worker is warm: a second story gets its themes within seconds.
            assert app.test_client().post("/verhaal", data={"story": LONELY}).status_code == 303
            started = time.monotonic()
            wait_for(lambda: jobs.stories_waiting_for_themes(db.session) == 0, 10, "story 2")
            assert time.monotonic() - started < 5
            # Their review evidence follows a few seconds later, when the form is quiet.
            wait_for(
                lambda: (
                    db.session.scalar(
                        select(func.count()).where(ThemeAssignment.evidence.is_(None))
                    )
                    == 0
                ),
                20,
                "the review evidence",
            )
        finally:
            stop(worker)


@pytest.mark.slow
def test_a_job_survives_its_worker_being_killed_mid_job(make_app, database_url, tmp_path):
    instance = tmp_path / "instance"
    app = make_app(JOBS_IMMEDIATE=False, INSTANCE_PATH=str(instance), JOBS_STALE_SECONDS=2)
    with app.app_context():
        add_stories(1500)
        queue = app.extensions["weefsel_queue"]
        job_id = queue.enqueue(db.session, RECLASSIFY, {}).id
        worker = start_worker(database_url, instance)
        try:
            wait_for(
                lambda: db.session.get(BackgroundJob, job_id).progress_done > 0, 60, "progress"
            )
            os.killpg(worker.pid, signal.SIGKILL)  # no chance to clean up or acknowledge
            worker.wait()
            job = db.session.get(BackgroundJob, job_id)
            assert job.state == "running" and job.progress_done < job.progress_total
            time.sleep(2.5)  # the heartbeat goes stale
            worker = start_worker(database_url, instance)  # queues the stalled run again
            wait_for(lambda: db.session.get(BackgroundJob, job_id).state == "done", 90, "done")
        finally:
            stop(worker)
        job = db.session.get(BackgroundJob, job_id)
        assert job.attempts == 2 and job.result["classified"] == 1500
        assert jobs.stories_waiting_for_themes(db.session) == 0
        assert model_rows_per_story_theme() == 1


def test_reclassify_as_jobs_shares_the_stories_out_in_slices(app):
    add_stories(12)
    result = app.test_cli_runner().invoke(args=["reclassify", "--as-jobs", "--slice", "5"])
    assert result.exit_code == 0, result.output
    assert "3 taken voor opnieuw classificeren" in result.output
    db.session.expire_all()
    runs = db.session.scalars(select(BackgroundJob).order_by(BackgroundJob.created_at)).all()
    assert [run.state for run in runs] == ["done"] * 3
    assert sorted(run.result["classified"] for run in runs) == [2, 5, 5]
    assert jobs.stories_waiting_for_themes(db.session) == 0
    assert model_rows_per_story_theme() == 1


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def test_jobs_go_through_redis_when_weefsel_redis_url_is_set(make_app):
    url = "redis://127.0.0.1:6379/11"
    if not redis_available(url):
        pytest.skip("no Redis server on 127.0.0.1:6379")
    name = f"weefsel-test-{os.getpid()}-{time.monotonic_ns()}"
    app = make_app(JOBS_IMMEDIATE=False, REDIS_URL=url, QUEUE_NAME=name)
    with app.app_context():
        add_stories(3)
        queue = app.extensions["weefsel_queue"]
        try:
            job_id = queue.enqueue(db.session, RECLASSIFY, {}).id
            assert queue.pending_count() == 1
            message = queue.huey.dequeue()  # what a consumer does, against the Redis server
            queue.huey.execute(message)
            db.session.expire_all()
            assert db.session.get(BackgroundJob, job_id).state == "done"
            assert jobs.stories_waiting_for_themes(db.session) == 0
        finally:
            queue.huey.flush()


def test_a_periodic_job_runs_when_due_and_shows_as_a_tracked_run(make_app):
    """How `weefsel purge` (or any scheduled job) plugs in: one decorated function."""
    import datetime

    from huey import crontab

    calls = []

    @jobs.register_periodic_job("test.nightly", "Nightly test job", crontab(hour="3", minute="15"))
    def nightly(context):
        calls.append(context.job_id)
        return {"stories": context.session.scalar(select(func.count()).select_from(Story))}

    try:
        app = make_app()
        with app.app_context():
            add_stories(2)
            huey = app.extensions["weefsel_queue"].huey

            def due_at(moment):
                return [t for t in huey.read_periodic(moment) if t.name.startswith("test.")]

            assert due_at(datetime.datetime(2026, 12, 2, 14, 0)) == []
            due = due_at(datetime.datetime(2026, 12, 3, 3, 15))
            assert [task.name for task in due] == ["test.nightly.schedule"]
            huey.execute(due[0])  # what the consumer's scheduler does at 03:15
            db.session.expire_all()
            run = db.session.scalar(
                select(BackgroundJob).where(BackgroundJob.kind == "test.nightly")
            )
            assert run.state == "done" and run.result == {"stories": 2}
            assert calls == [run.id]
    finally:
        jobs.JOB_KINDS.pop("test.nightly")


def test_single_flight_runs_the_work_once_at_a_time_and_again_for_a_late_call():
    flight = SingleFlight()
    started, release = threading.Event(), threading.Event()
    calls = []

    def work() -> int:
        calls.append(threading.get_ident())
        if len(calls) == 1:
            started.set()
            release.wait(5)
        return 10

    first = []
    runner = threading.Thread(target=lambda: first.append(flight.run(work)))
    runner.start()
    started.wait(5)
    assert flight.run(work) == 0  # not beside the running call...
    release.set()
    runner.join(5)
    assert first == [20] and len(calls) == 2  # ...but by it, once more, afterwards
    assert flight.run(work) == 10  # and a later call runs it itself


def test_two_consumer_threads_classify_each_new_story_once(app):
    """The consumer runs two jobs at once: two 'themes for new stories' runs must not both
    classify the same waiting stories (that doubled the job worker's work under load)."""
    add_stories(200)  # waiting for their themes
    context = JobContext(db.session, app.config, app.extensions, None)
    app.extensions["weefsel_classifier"].get()
    results = []

    def run() -> None:
        with app.app_context():
            own = JobContext(db.session, app.config, app.extensions, None)
            results.append(classify_new_stories(own)["classified"])
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [0, 200]
    assert (
        context.session.scalar(select(func.count()).where(Story.classified_version.is_(None))) == 0
    )


def test_a_large_batch_is_written_in_short_transactions(app, monkeypatch):
    """The models read many stories at once; their rows are written a few stories per
    transaction (on SQLite each one a write turn residents' POSTs wait for)."""
    from webapp.services import themes as theme_service

    monkeypatch.setattr(theme_service, "WRITE_CHUNK", 2)
    add_stories(5)
    turns = []

    def write_turn():
        turns.append(1)
        return contextlib.nullcontext()

    classifier = app.extensions["weefsel_classifier"].get()
    done = theme_service.classify_waiting_stories(
        db.session, classifier, batch_size=200, write_turn=write_turn
    )
    assert done == 5
    assert len(turns) == 3  # turns of 2, 2 and 1 stories
    assert jobs.stories_waiting_for_themes(db.session) == 0
    assert model_rows_per_story_theme() == 1
    per_story = db.session.execute(
        select(ThemeAssignment.story_id, func.count()).group_by(ThemeAssignment.story_id)
    ).all()
    assert len(per_story) == 5 and {count for _, count in per_story} == {len(classifier.theme_keys)}


def test_a_job_worker_loads_its_models_before_the_first_job(make_app, tmp_path):
    """Loaded on the first story, they took seconds of CPU out of a stream of submissions."""
    from webapp.task_queue import warm_up_models

    app = make_app(JOBS_IMMEDIATE=False, INSTANCE_PATH=str(tmp_path / "warm"))
    themes, outcomes = app.extensions["weefsel_classifier"], app.extensions["weefsel_outcome_model"]
    assert themes._classifier is None and outcomes._model is None
    warm_up_models(app)
    assert themes._classifier is not None and outcomes._model is not None
