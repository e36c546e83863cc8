"""`weefsel report | export | anonymise`: documents and data that leave the platform."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("report")
@click.option("--period", required=True, help="2026, 2026-Q1, 2026-03 or 2026-01-01..2026-02-15")
@click.option(
    "--area", required=True, help="area code or name, e.g. rotterdam or rotterdam/feijenoord"
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["pdf", "html", "json"]),
    default="pdf",
    show_default=True,
)
@click.option("--out", "output_path", required=True, type=click.Path(dir_okay=False))
@click.option("--theme", default=None)
@click.option("--initiative", default=None, help="initiative slug")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@with_appcontext
def report(period, area, output_format, output_path, theme, initiative, lang) -> None:
    """Write an impact report for a period and area as PDF, HTML or JSON."""
    from reports import PeriodError, render_html, render_json, render_pdf

    from . import clock
    from .extensions import db
    from .services.areas import UnknownArea
    from .services.council_reports import ReportParameters, is_publishable, make_report

    parameters = ReportParameters(period, area, theme, initiative)
    try:
        if not is_publishable(parameters):
            raise click.BadParameter(
                "a report file covers a calendar month, quarter or year (e.g. 2026-Q1) and no "
                "single initiative; date ranges and initiatives are for staff's screens only",
                param_hint="--period/--initiative",
            )
        built = make_report(
            db.session,
            parameters,
            lang,
            today=clock.today(),
            model_dir=current_app.config.get("MODEL_DIR"),
        )
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    except UnknownArea:
        raise click.BadParameter(f"unknown area {area!r}", param_hint="--area") from None
    renderer = {"pdf": render_pdf, "html": render_html, "json": render_json}[output_format]
    with open(output_path, "wb") as handle:
        renderer(built, handle)
    click.echo(f"{output_format.upper()} report for {area}, {period} written to {output_path}")


@click.command("export")
@click.option(
    "--out",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="ZIP archive to write",
)
@click.option(
    "--format",
    "formats",
    default="csv,jsonl,qdpx",
    show_default=True,
    help="comma-separated: csv, jsonl, qdpx",
)
@click.option("--period", default=None)
@click.option("--area", default=None)
@click.option("--theme", default=None)
@click.option("--language", default=None)
@click.option("--k", default=5, show_default=True, type=click.IntRange(min=5))
@click.option("--actor", required=True, help="who asks for the export (written to the audit log)")
@with_appcontext
def export(output_path, formats, period, area, theme, language, k, actor) -> None:
    """Write a research export: consented, anonymised, k-anonymous stories with a datasheet."""
    from .extensions import db
    from .services.research_export import ExportFilter, ExportRefused, export_research_archive

    chosen = [name.strip() for name in formats.split(",") if name.strip()]
    classifier = current_app.extensions["weefsel_classifier"].get()
    try:
        with open(output_path, "wb") as handle:
            sheet = export_research_archive(
                db.session,
                ExportFilter(period, area, theme, language),
                chosen,
                handle,
                actor=actor,
                k=k,
                model_version=classifier.version if classifier else "",
            )
    except (ExportRefused, ValueError) as error:
        raise click.ClickException(str(error)) from None
    counts = sheet.get("counts", {})
    click.echo(
        f"export written to {output_path}: {counts.get('exported', '?')} stories, {counts.get('suppressed', 0)} left out (k={k})"
    )


@click.command("anonymise")
@click.option(
    "--in", "input_path", required=True, help="JSONL with {id, text} per line ('-' = stdin)"
)
@click.option(
    "--out", "output_path", required=True, help="JSONL with {id, text, spans} ('-' = stdout)"
)
def anonymise(input_path: str, output_path: str) -> None:
    """Remove personal data from stories in a JSONL file, streaming, in the same order."""
    from nlp.anonymise import anonymise_jsonl

    from .cli_nlp import _open_input, _open_output

    try:
        with _open_input(input_path) as source, _open_output(output_path) as target:
            count = anonymise_jsonl(source, target)
    except ValueError as error:  # JSONL line errors and rejected texts name their line
        raise click.ClickException(str(error)) from None
    click.echo(f"{count} texts anonymised", err=True)


OUTPUT_COMMANDS = (report, export, anonymise)
