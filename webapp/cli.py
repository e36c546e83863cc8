"""The `weefsel` command: thin wrappers over services, nlp, surveys and reports.

Commands are registered on the app's CLI (so `flask --app webapp` and the test runner see them)
and the `weefsel` console script is a FlaskGroup around create_app.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from . import clock
from .cli_i18n import N_, cli_gettext, localize_commands, use_catalog_for_click

demo = click.Group("demo", help=N_("Demo data for trying Weefsel out."))
DEMO_SUMMARY_LABELS = {
    "stories with self-signification answers added": N_(
        "stories with self-signification answers added"
    ),
    "monthly reports added": N_("monthly reports added"),
    "postcodes": N_("postcodes"),
    "areas": N_("areas"),
    "initiatives": N_("initiatives"),
    "stories added": N_("stories added"),
    "stories total": N_("stories total"),
    "stories classified": N_("stories classified"),
}


@demo.command(
    "load",
    help=N_("Load areas, initiatives and stories spread over the last 18 months (idempotent)."),
)
@click.option(
    "--force",
    is_flag=True,
    help=N_("also load into a database that holds real (non-demo) data; adds demo accounts there"),
)
@with_appcontext
def demo_load(force: bool) -> None:
    """Load areas, initiatives and stories spread over the last 18 months (idempotent)."""
    from flask import current_app

    from .extensions import db
    from .services.demo_data import (
        DEMO_ACCOUNTS,
        DemoRefused,
        demo_initiative_link,
        load_demo_data,
    )
    from .services.themes import reclassify
    from .site import external_url

    try:
        summary = load_demo_data(
            db.session,
            today=clock.today(),
            secret_key=current_app.config["SECRET_KEY"],
            code_key=current_app.config["WITHDRAWAL_CODE_KEY"],
            force=force,
        )
    except DemoRefused as error:
        _ = cli_gettext()
        raise click.ClickException(
            _(
                "This database holds data that is not demo data (%(found)s); demo accounts with "
                "published passwords do not belong there. Use an empty database, or --force."
            )
            % {"found": error}
        ) from None
    classifier = current_app.extensions["weefsel_classifier"].get()
    if classifier is not None:  # demo stories get their themes like submitted ones
        outcome_model = current_app.extensions["weefsel_outcome_model"].get()
        summary["stories classified"] = reclassify(
            db.session, classifier, only_outdated=True, outcome_model=outcome_model
        )
    _ = cli_gettext()
    for name, count in summary.items():
        click.echo(f"{_(DEMO_SUMMARY_LABELS.get(name, name))}: {count}")
    click.echo(_("Demo accounts (log in at /beheer/inloggen):"))
    for account in DEMO_ACCOUNTS:
        where = account.area_code or _("all areas")
        click.echo(f"  {account.role:12} {account.email:28} {account.password:22} {where}")
    link = demo_initiative_link(db.session, current_app.config["SECRET_KEY"])
    if link is not None:
        name, token = link
        with current_app.test_request_context():
            url = external_url("initiative.monthly_form", token=token)
        click.echo(
            _("Monthly figures of %(name)s, without an account: %(url)s")
            % {"name": name, "url": url}
        )


@click.command("serve", help=N_("Serve the app with gunicorn (several workers and threads)."))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers", default=2, show_default=True, type=int, help=N_("gunicorn worker processes")
)
@click.option("--threads", default=8, show_default=True, type=int, help=N_("threads per worker"))
@click.option(
    "--worker-class",
    default="gthread",
    show_default=True,
    type=click.Choice(["gthread", "sync"]),
    help="gunicorn worker class",
)
@click.option(
    "--job-worker/--no-job-worker",
    default=None,
    help="start a background-job worker beside the web server (default: unless WEEFSEL_REDIS_URL is set)",
)
def serve(
    host: str, port: int, workers: int, threads: int, worker_class: str, job_worker: bool | None
) -> None:
    """Serve the app with gunicorn (several workers and threads) and a background-job worker."""
    import os

    from .server import run_gunicorn

    if job_worker is None:
        job_worker = not os.environ.get("WEEFSEL_REDIS_URL")
    run_gunicorn(host, port, workers, threads, worker_class=worker_class, job_worker=job_worker)


survey = click.Group("survey", help=N_("Survey definitions (YAML, JSON, XLSForm)."))


@survey.command(
    "check",
    help=N_(
        "Check a definition file; print what is wrong and exit non-zero when it cannot be "
        "used (questions left out, such as a GPS point, are warnings)."
    ),
)
@click.argument("path", type=click.Path(dir_okay=False))
def survey_check(path: str) -> None:
    """Check a definition file; prints what is wrong and exits non-zero when it cannot be used
    (warnings about questions left out, such as a GPS point, still exit zero)."""
    import surveys

    from .i18n import command_line_language, gettext_for

    lang = command_line_language()
    _ = gettext_for(lang)
    problems = surveys.check_definition_file(path)
    if problems:
        click.echo(surveys.format_problems(problems, _, lang), err=True)
    if surveys.errors_only(problems):
        raise SystemExit(1)
    definition = surveys.load_definition(path)
    click.echo(
        _("%(path)s: OK (%(id)s version %(version)s, %(count)s questions)")
        % {
            "path": path,
            "id": definition.id,
            "version": definition.version,
            "count": len(definition.input_fields),
        }
    )


activity_group = click.Group("activity", help=N_("Monthly activity reports of initiatives."))


@activity_group.command("template", help=N_("Print the CSV header the import expects."))
@with_appcontext
def activity_template() -> None:
    """Print the CSV header the import expects."""
    from surveys import template_header

    from .initiative.views import activity_definition

    click.echo(",".join(template_header(activity_definition())))


@activity_group.command(
    "import",
    help=N_("Import a CSV/XLSX of monthly figures: all rows or, when any row is wrong, none."),
)
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


areas_group = click.Group("areas", help="Areas and the postcode table residents search.")


@areas_group.command("load-postcodes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def areas_load_postcodes(path: str) -> None:
    """Replace the postcode → wijk table from a CSV with columns postcode,area_code."""
    from pathlib import Path

    from .extensions import db
    from .services.areas import AreaFileError, load_postcodes

    try:
        count = load_postcodes(db.session, Path(path))
    except AreaFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"{path}: {count} postcodes loaded")


reports_group = click.Group("reports", help="Council report figures.")


@reports_group.command("refresh")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Rebuild every cell (after a bulk load with the triggers switched off).",
)
@with_appcontext
def reports_refresh(everything: bool) -> None:
    """Fold the writes since the last refresh into the report cells (the job sweep does this
    every minute; reports are exact without it, only slower)."""
    import time

    from .extensions import db
    from .services.report_cells import mark_every_cell_pending, refresh_report_cells

    started = time.perf_counter()
    if everything:
        mark_every_cell_pending(db.session)
    done = refresh_report_cells(db.session)
    click.echo(
        f"report cells: {done.changes} changes folded in, {done.slices} wijk-month slices "
        "recomputed "
        f"({done.cells} rows) in {time.perf_counter() - started:.1f} s"
    )


def register_commands(app: Flask) -> None:
    """Attach every Weefsel command group to the app's CLI."""
    from .cli_jobs import JOB_COMMANDS
    from .cli_nlp import NLP_COMMANDS
    from .cli_outcome import model, outcome
    from .cli_outputs import OUTPUT_COMMANDS
    from .cli_privacy import PRIVACY_COMMANDS
    from .cli_staff import staff

    commands = (
        demo,
        serve,
        staff,
        survey,
        activity_group,
        areas_group,
        reports_group,
        *NLP_COMMANDS,
        *OUTPUT_COMMANDS,
        *PRIVACY_COMMANDS,
    )
    for command in (*commands, *JOB_COMMANDS):
        app.cli.add_command(command)
    app.cli.add_command(outcome)
    app.cli.add_command(model)
    localize_commands(app.cli, cli_gettext())


def _create_app_for_cli() -> Flask:
    from . import create_app

    return create_app()


def main() -> None:
    from flask_migrate.cli import db as db_group

    from .i18n import command_line_language

    use_catalog_for_click(command_line_language())
    group = FlaskGroup(
        name="weefsel",
        create_app=_create_app_for_cli,
        add_default_commands=False,
        help=N_("Weefsel: make the effect of the sociale basis visible."),
    )
    group.add_command(db_group, "db")
    localize_commands(group, cli_gettext())
    group(prog_name="weefsel")
