"""Run the app under gunicorn from the `weefsel serve` command."""

from __future__ import annotations

import gc
import logging
import signal
import subprocess
import sys
import threading

from gunicorn.app.base import BaseApplication


class _WeefselServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        app = create_app()
        warm_up(app)
        return app


def warm_up(app) -> None:
    """Serve the story form once per worker at start (templates, catalogs, choices, page cache).

    Nothing heavy is loaded here: a story's languages are found by the job that classifies it,
    so the resident path needs no language model. The de-identification lists (with spaCy's
    tokenizer), the report renderers (matplotlib) and the models (scikit-learn) load on first
    use: most web workers only ever serve residents' forms. The first staff or council page a
    worker serves waits a few seconds once; the theme and outcome models live in the job
    worker (`weefsel worker`)."""
    try:
        warm_up_story_form(app)
    except Exception:  # a failed warm-up must not stop the site: the first request retries
        logging.getLogger(__name__).exception("warm-up failed; serving without it")
    # What is loaded now lives as long as the worker: keep it out of the garbage collector's
    # full passes, which otherwise walk it during requests.
    gc.collect()
    gc.freeze()


def warm_up_story_form(app) -> None:
    """Serve the story form once per gemeente before any resident does: the templates are
    compiled, the catalogs, choices and page cache filled. Otherwise a worker's threads all
    render the first page at once, and on a busy machine the first visitors wait seconds."""
    from .extensions import db

    client = app.test_client()
    client.get("/verhaal")
    with app.app_context():
        codes = [g.code for g in app.extensions["weefsel_story_choices"].gemeenten(db.session)]
        db.session.remove()
    if len(codes) > 1:
        for code in codes[:20]:
            client.get("/verhaal", query_string={"gemeente": code})


JOB_WORKER_NICENESS = 10


class JobWorkerProcess:
    """A `weefsel worker` beside gunicorn, started again when it dies (the embedded default)."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self._watch, name="job-worker-watch", daemon=True)

    def start(self, _server=None) -> None:
        self._spawn()
        self.watcher.start()

    def _spawn(self) -> None:
        # On the web workers' machine, the jobs take the CPU the requests leave: a resident's
        # POST waits for no classification; the themes follow seconds later.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "webapp", "worker", "--nice", str(JOB_WORKER_NICENESS)]
        )

    def _watch(self) -> None:
        while not self.stopping.wait(2.0):
            if self.process is not None and self.process.poll() is not None:
                logging.getLogger(__name__).warning(
                    "job worker exited with %s; starting a new one", self.process.returncode
                )
                self._spawn()

    def stop(self, _server=None) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # huey finishes the jobs it is running
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_gunicorn(
    host: str,
    port: int,
    workers: int,
    threads: int,
    worker_class: str = "gthread",
    job_worker: bool = False,
) -> None:
    options = {}
    if job_worker:
        jobs = JobWorkerProcess()
        options = {"on_starting": jobs.start, "on_exit": jobs.stop}
    _WeefselServer(
        {
            **options,
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": worker_class,
            "timeout": 60,
            # No access log: paths carry initiative link and share tokens.
            "accesslog": None,
            "preload_app": False,
        }
    ).run()
