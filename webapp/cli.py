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
@click.option(
    "--force",
    is_flag=True,
    help="also load into a database that holds real (non-demo) data; adds demo accounts there",
)
@with_appcontext
def demo_load(force: bool) -> None:
    """Load areas, initiatives and stories spread over the last 18 months (idempotent)."""
    from flask import current_app

    from .extensions import db
    from .services.demo_data import DEMO_ACCOUNTS, DemoRefused, load_demo_data
    from .services.themes import reclassify

    try:
        summary = load_demo_data(
            db.session,
            today=dt.date.today(),
            secret_key=current_app.config["SECRET_KEY"],
            force=force,
        )
    except DemoRefused as error:
        raise click.ClickException(
            f"this database holds data that is not demo data ({error}); demo accounts with "
            "published passwords do not belong there. Use an empty database, or --force."
        ) from None
    classifier = current_app.extensions["weefsel_classifier"].get()
    if classifier is not None:  # demo stories get their themes like submitted ones
        summary["stories classified"] = reclassify(db.session, classifier, only_outdated=True)
    for name, count in summary.items():
        click.echo(f"{name}: {count}")
    click.echo("demo accounts (log in at /beheer/inloggen):")
    for account in DEMO_ACCOUNTS:
        where = account.area_code or "all areas"
        click.echo(f"  {account.role:12} {account.email:28} {account.password:22} {where}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes")
@click.option("--threads", default=8, show_default=True, type=int, help="threads per worker")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the app with gunicorn (several workers and threads)."""
    from .server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers, threads=threads)


survey = click.Group("survey", help="Survey definitions (YAML, JSON, XLSForm).")


@survey.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
def survey_check(path: str) -> None:
    """Check a definition file; prints what is wrong and exits non-zero when something is."""
    import surveys

    from .i18n import command_line_language, gettext_for

    problems = surveys.check_definition_file(path)
    if problems:
        lang = command_line_language()
        click.echo(surveys.format_problems(problems, gettext_for(lang), lang), err=True)
        raise SystemExit(1)
    definition = surveys.load_definition(path)
    click.echo(
        f"{path}: OK ({definition.id} version {definition.version}, {len(definition.fields)} fields)"
    )


activity_group = click.Group("activity", help="Monthly activity reports of initiatives.")


@activity_group.command("template")
@with_appcontext
def activity_template() -> None:
    """Print the CSV header the import expects."""
    from surveys import template_header

    from .initiative.views import activity_definition

    click.echo(",".join(template_header(activity_definition())))


@activity_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def activity_import(path: str) -> None:
    """Import a CSV/XLSX of monthly figures: all rows or, when any row is wrong, none."""
    from pathlib import Path

    from .extensions import db
    from .initiative.views import activity_definition
    from .services.activity import import_activity_table

    with open(path, "rb") as handle:
        outcome = import_activity_table(db.session, handle, Path(path).name, activity_definition())
    if not outcome.ok:
        from .i18n import command_line_language, gettext_for

        lang = command_line_language()
        gettext = gettext_for(lang)
        for problem in outcome.problems:
            click.echo(problem.render(gettext, lang), err=True)
        click.echo(gettext("Nothing was imported."), err=True)
        raise SystemExit(1)
    from .i18n import command_line_language, gettext_for

    gettext = gettext_for(command_line_language())
    click.echo(
        gettext("Imported: %(created)s new months, %(updated)s changed, %(unchanged)s unchanged.")
        % {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged}
    )


def register_commands(app: Flask) -> None:
    """Attach every Weefsel command group to the app's CLI."""
    from .cli_nlp import NLP_COMMANDS
    from .cli_outputs import OUTPUT_COMMANDS
    from .cli_staff import staff

    for command in (demo, serve, staff, survey, activity_group, *NLP_COMMANDS, *OUTPUT_COMMANDS):
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
