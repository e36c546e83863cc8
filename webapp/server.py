"""Run the app under gunicorn from the `weefsel serve` command."""

from __future__ import annotations

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

        return create_app()


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    _WeefselServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            "accesslog": "-",
            "preload_app": False,
        }
    ).run()
