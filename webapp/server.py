"""Run the app under gunicorn from the `weefsel serve` command."""

from __future__ import annotations

import logging

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
    """Load the theme model, the de-identification lists and the report renderers once per
    worker at start, so no resident or councillor waits for them on a first request."""
    try:
        from nlp.anonymise import anonymise
        from nlp.language import load_language_model
        from reports import render_html  # noqa: F401  (imports matplotlib and the templates)

        app.extensions["weefsel_classifier"].get()
        load_language_model()
        app.extensions["weefsel_outcome_model"].get()
        anonymise("Opwarmen met Jan de Vries op de Kalverstraat 1.")
    except Exception:  # a failed warm-up must not stop the site: the first request retries
        logging.getLogger(__name__).exception("warm-up failed; serving without it")


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    _WeefselServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            # No access log: paths carry initiative link and share tokens.
            "accesslog": None,
            "preload_app": False,
        }
    ).run()
