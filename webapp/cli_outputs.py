"""`weefsel report | export | anonymise`: documents and data that leave the platform."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from .cli_i18n import N_, cli_gettext
from .cli_jsonl import SKIP_BAD_HELP, run_jsonl_command

EXPORT_FORMATS = ("csv", "jsonl", "qdpx")


def unknown_area_error(session, code: str) -> click.BadParameter:
    """An unknown area, with the codes that look like it and the valid top-level codes."""
    from .services.areas import area_codes, similar_area_codes

    _ = cli_gettext()
    message = _("Unknown area '%(area)s'.") % {"area": code}
    similar = similar_area_codes(session, code)
    if similar:
        message += " " + _("Did you mean: %(codes)s?") % {"codes": ", ".join(similar)}
    message += " " + _(
        "Valid codes are the cities and stadsdelen %(codes)s, and the wijken below them "
        "(for example %(example)s)."
    ) % {
        "codes": ", ".join(area_codes(session, ("city", "stadsdeel"))),
        "example": next(iter(area_codes(session, ("wijk",))), "-"),
    }
    return click.BadParameter(message, param_hint="--area")


def bad_period_error(period: str) -> click.BadParameter:
    """A period that cannot be read, with the forms that can."""
    _ = cli_gettext()
    return click.BadParameter(
        _(
            "Cannot read the period '%(period)s': use a year (2026), a quarter (2026-Q1), a "
            "month (2026-03) or a date range (2026-01-01..2026-02-15)."
        )
        % {"period": period},
        param_hint="--period",
    )


@click.command(
    "report", help=N_("Write an impact report for a period and area as PDF, HTML or JSON.")
)
@click.option(
    "--period", required=True, help=N_("2026, 2026-Q1, 2026-03 or 2026-01-01..2026-02-15")
)
@click.option(
    "--area", required=True, help=N_("area code or name, e.g. rotterdam or rotterdam/feijenoord")
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
@click.option("--initiative", default=None, help=N_("initiative slug"))
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
            _ = cli_gettext()
            raise click.BadParameter(
                _(
                    "A report file covers a calendar month, quarter or year (for example "
                    "2026-Q1) and no single initiative; date ranges and initiatives are for "
                    "staff's screens only."
                ),
                param_hint="--period/--initiative",
            )
        built = make_report(
            db.session,
            parameters,
            lang,
            today=clock.today(),
            model_dir=current_app.config.get("MODEL_DIR"),
        )
    except PeriodError:
        raise bad_period_error(period) from None
    except UnknownArea:
        raise unknown_area_error(db.session, area) from None
    renderer = {"pdf": render_pdf, "html": render_html, "json": render_json}[output_format]
    with open(output_path, "wb") as handle:
        renderer(built, handle)
    _ = cli_gettext()
    click.echo(
        _("%(format)s report for %(area)s, %(period)s written to %(path)s")
        % {"format": output_format.upper(), "area": area, "period": period, "path": output_path}
    )


@click.command(
    "export",
    help=N_(
        "Write a research export: consented, anonymised, k-anonymous stories with a datasheet."
    ),
)
@click.option(
    "--out",
    "output_path",
    required=True,
    type=click.Path(dir_okay=False),
    help=N_("ZIP archive to write"),
)
@click.option(
    "--format",
    "formats",
    default="csv,jsonl,qdpx",
    show_default=True,
    help=N_("comma-separated: csv, jsonl, qdpx"),
)
@click.option("--period", default=None)
@click.option("--area", default=None)
@click.option("--theme", default=None)
@click.option("--language", default=None)
@click.option("--k", default=5, show_default=True, type=click.IntRange(min=5))
@click.option(
    "--actor", required=True, help=N_("who asks for the export (written to the audit log)")
)
@with_appcontext
def export(output_path, formats, period, area, theme, language, k, actor) -> None:
    """Write a research export: consented, anonymised, k-anonymous stories with a datasheet."""
    from reports import Period, PeriodError

    from .extensions import db
    from .services.areas import UnknownArea, find_area
    from .services.research_export import ExportFilter, ExportRefused, export_research_archive

    _ = cli_gettext()
    if area:
        try:
            find_area(db.session, area)
        except UnknownArea:
            raise unknown_area_error(db.session, area) from None
    if period:
        try:
            Period.parse(period)
        except PeriodError:
            raise bad_period_error(period) from None
    chosen = [name.strip() for name in formats.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in EXPORT_FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            _("Unknown format '%(formats)s'; choose one or more of: %(valid)s.")
            % {"formats": ",".join(unknown) or formats, "valid": ", ".join(EXPORT_FORMATS)},
            param_hint="--format",
        )
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
                progress=_export_progress(_),
            )
    except (ExportRefused, ValueError) as error:
        raise click.ClickException(str(error)) from None
    counts = sheet["counts"]
    click.echo(
        _(
            "Export written to %(path)s: %(stories)s stories, %(suppressed)s left out for "
            "k-anonymity (k=%(k)s)."
        )
        % {
            "path": output_path,
            "stories": counts["stories"],
            "suppressed": counts["stories_suppressed"],
            "k": k,
        }
    )


def _export_progress(_, every: float = 2.0):
    """Progress of a long export on stderr (stdout keeps the one summary line)."""
    last = [-every]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if total and (now - last[0] >= every or done == total):
            last[0] = now
            click.echo(
                _("Export: %(percent)s%% (%(done)s of %(total)s steps)")
                % {"percent": 100 * done // total, "done": done, "total": total},
                err=True,
            )

    return show


@click.command(
    "anonymise",
    help=N_("Remove personal data from stories in a JSONL file, streaming, in the same order."),
)
@click.option(
    "--in", "input_path", required=True, help=N_("JSONL with {id, text} per line ('-' = stdin)")
)
@click.option(
    "--out", "output_path", required=True, help=N_("JSONL with {id, text, spans} ('-' = stdout)")
)
@click.option("--skip-bad", is_flag=True, help=SKIP_BAD_HELP)
def anonymise(input_path: str, output_path: str, skip_bad: bool) -> None:
    """Remove personal data from stories in a JSONL file, streaming, in the same order."""
    from nlp.anonymise import anonymise_jsonl

    outcome = run_jsonl_command(
        input_path,
        output_path,
        skip_bad,
        lambda source, target, bad: anonymise_jsonl(source, target, bad=bad),
    )
    _ = cli_gettext()
    click.echo(_("%(count)s texts anonymised.") % {"count": outcome.written}, err=True)


OUTPUT_COMMANDS = (report, export, anonymise)
