"""The `weefsel` command: thin wrappers over services, nlp, surveys and reports.

Commands are registered on the app's CLI (so `flask --app webapp` and the test runner see them)
and the `weefsel` console script is a FlaskGroup around create_app.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

demo = click.Group("demo", help="Demo data for trying Weefsel out.")


@demo.command("load")
@with_appcontext
def demo_load() -> None:
    """Load areas, initiatives and stories spread over the last 18 months (idempotent)."""
    from .extensions import db
    from .services.demo_data import load_demo_data

    summary = load_demo_data(db.session, today=dt.date.today())
    for name, count in summary.items():
        click.echo(f"{name}: {count}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--threads", default=8, show_default=True, type=int, help="threads per worker")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the app with gunicorn (several workers and threads)."""
    from .server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers, threads=threads)


def register_commands(app: Flask) -> None:
    """Attach every Weefsel command group to the app's CLI."""
    for command in (demo, serve):
        app.cli.add_command(command)


def _create_app_for_cli() -> Flask:
    from . import create_app

    return create_app()


def main() -> None:
    from flask_migrate.cli import db as db_group

    group = FlaskGroup(
        name="weefsel",
        create_app=_create_app_for_cli,
        add_default_commands=False,
        help="Weefsel: make the effect of the sociale basis visible.",
    )
    group.add_command(db_group, "db")
    group(prog_name="weefsel")
