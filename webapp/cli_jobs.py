"""`weefsel worker | jobs`: run background jobs and look at them from the command line."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--threads", default=2, show_default=True, type=int, help="jobs run at once")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="also enqueue periodic jobs; run exactly one worker with this on",
)
@click.option(
    "--nice",
    "niceness",
    default=0,
    show_default=True,
    type=click.IntRange(0, 19),
    help="lower the worker's CPU priority by this much (0-19): requests go first",
)
@with_appcontext
def worker(threads: int, periodic: bool, niceness: int) -> None:
    """Run background jobs (theme classification, reclassify, train …) until stopped."""
    from .task_queue import run_consumer

    if niceness:
        started_at = os.getpriority(os.PRIO_PROCESS, 0)
        os.nice(niceness)
        # Requests go first, except while this worker holds a write turn (webapp.write_turns).
        current_app.extensions["weefsel_write_turns"].hold_turns_at(started_at)
    run_consumer(current_app._get_current_object(), workers=threads, periodic=periodic)


jobs_group = click.Group("jobs", help="Background jobs.")


@jobs_group.command("list")
@with_appcontext
def jobs_list() -> None:
    """Print the running, queued and failed jobs, then the latest finished ones."""
    from .extensions import db
    from .services.job_visibility import EVERY_JOB, visible_jobs
    from .services.jobs import stories_waiting_for_themes

    for job in visible_jobs(db.session, EVERY_JOB):
        total = f"/{job.progress_total}" if job.progress_total is not None else ""
        click.echo(
            f"{job.id}  {job.state:8} {job.kind:28} {job.progress_done}{total}  {job.error or ''}"
        )
    click.echo(f"stories waiting for themes: {stories_waiting_for_themes(db.session)}")


@jobs_group.command("run")
@click.argument("kind")
@click.option("--param", "params", multiple=True, help="name=value (true/false become booleans)")
@with_appcontext
def jobs_run(kind: str, params: tuple[str, ...]) -> None:
    """Queue a tracked job, e.g. `weefsel jobs run themes.reclassify --param only_outdated=true`."""
    from .extensions import db

    values: dict = {}
    for item in params:
        name, _, raw = item.partition("=")
        values[name] = {"true": True, "false": False}.get(raw.lower(), raw)
    try:
        job = current_app.extensions["weefsel_queue"].enqueue(db.session, kind, values)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"queued {kind} as job {job.id}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup(path: str) -> None:
    """Write a backup of the whole database to PATH (SQLite file or pg_dump custom format)."""
    from .services.backups import BackupError, backup_database

    try:
        written = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {written}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@with_appcontext
def restore(path: str, yes: bool) -> None:
    """Replace everything in the database with the backup in PATH."""
    from .extensions import db
    from .services.backups import BackupError, restore_database

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no connection of ours holds the database while it is replaced
    try:
        restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"database restored from {path}")


JOB_COMMANDS = (worker, jobs_group, backup, restore)
