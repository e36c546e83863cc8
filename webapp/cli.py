"""The `weefsel` command: thin wrappers over services, nlp, surveys and reports."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, with_appcontext

from . import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_default_commands=False)
def cli() -> None:
    """Weefsel: make the effect of the sociale basis visible."""


@cli.group()
def demo() -> None:
    """Demo data for trying Weefsel out."""


@demo.command("load")
@with_appcontext
def demo_load() -> None:
    """Load areas, initiatives and stories spread over the last 18 months (idempotent)."""
    import datetime as dt

    from .extensions import db
    from .services.demo_data import load_demo_data

    summary = load_demo_data(db.session, today=dt.date.today())
    for name, count in summary.items():
        click.echo(f"{name}: {count}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--threads", default=8, show_default=True, type=int, help="threads per worker")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the app with gunicorn (production-grade, several workers)."""
    from .server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers, threads=threads)


def register_command_groups() -> None:
    """Attach Flask-Migrate's `db` group (upgrade, downgrade, current, …)."""
    from flask_migrate.cli import db as db_group

    cli.add_command(db_group, "db")


register_command_groups()


def main() -> None:
    cli(prog_name="weefsel")
