"""Councillors and staff read impact reports, as a page, a PDF and JSON; share links for others."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from reports import PeriodError, render_html, render_json, render_pdf
from reports.html import report_css

from ..auth import MANAGERS, REPORT_READERS, current_scope, current_staff_user, login_required
from ..extensions import db
from ..form_choices import select_choices
from ..services import council_reports
from ..services.areas import UnknownArea, area_by_code
from ..services.scopes import holds_any
from ..services.themes import theme_names
from ..site import external_url
from ..staff.forms import ActionForm
from .forms import ReportForm

bp = Blueprint("council", __name__, url_prefix="/raad", template_folder="templates")


def _lang() -> str:
    return str(get_locale() or "nl")


def _default_period(today: dt.date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _report_form() -> ReportForm:
    form = ReportForm(request.args, meta={"csrf": False})
    # Only areas and initiatives in this account's scope are valid choices: a report on any
    # other area is refused by the form.
    scope = current_scope(REPORT_READERS)
    form.gebied.choices = select_choices(council_reports.area_options(db.session, scope))
    form.thema.choices = select_choices(
        [("", _("All themes"))] + sorted(theme_names(_lang()).items())
    )
    form.initiatief.choices = select_choices(
        [("", _("All initiatives"))] + council_reports.initiative_options(db.session, scope)
    )
    if not request.args:
        form.periode.data = _default_period(dt.date.today())
    return form


def _parameters(form: ReportForm) -> council_reports.ReportParameters:
    return council_reports.ReportParameters(
        period=form.periode.data.strip(),
        area_code=form.gebied.data,
        theme=form.thema.data or None,
        initiative_slug=form.initiatief.data or None,
    )


def _build(parameters: council_reports.ReportParameters, form: ReportForm | None = None):
    """The report, or None with the problem put on the form."""
    try:
        return council_reports.make_report(db.session, parameters, _lang())
    except PeriodError:
        if form is not None:
            form.periode.errors = [
                _("We cannot read this period. Use for example 2026, 2026-Q1 or 2026-03.")
            ]
        return None
    except UnknownArea:
        if form is not None:
            form.gebied.errors = [_("Please choose one of the options in the list.")]
        return None


def _html_fragment(report) -> Markup:
    buffer = io.StringIO()
    render_html(report, buffer, fragment=True)
    return Markup(buffer.getvalue())


def _file_response(report, kind: str, filename: str) -> Response:
    buffer = io.BytesIO()
    if kind == "pdf":
        render_pdf(report, buffer)
        mimetype = "application/pdf"
    else:
        render_json(report, buffer)
        mimetype = "application/json"
    return Response(
        buffer.getvalue(),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _filename(parameters: council_reports.ReportParameters, suffix: str) -> str:
    area = parameters.area_code.replace("/", "-")
    return f"weefsel-rapport-{area}-{parameters.period.replace('..', '_')}.{suffix}"


@bp.get("/")
@login_required(*REPORT_READERS)
def reports():
    form = _report_form()
    report = None
    status = 200
    if request.args:
        if form.validate():
            report = _build(_parameters(form), form)
        if report is None:
            status = 422
    return render_template(
        "council/report_page.html",
        form=form,
        report=report,
        report_html=_html_fragment(report) if report else None,
        query=_parameters(form).as_query() if report else None,
        action_form=ActionForm(),
        can_share=holds_any(current_staff_user(), MANAGERS),
    ), status


@bp.get("/rapport.<any(pdf, json):kind>")
@login_required(*REPORT_READERS)
def report_file(kind: str):
    form = _report_form()
    if not form.validate():
        abort(400)
    parameters = _parameters(form)
    report = _build(parameters)
    if report is None:
        abort(400)
    return _file_response(report, kind, _filename(parameters, kind))


@bp.get("/rapport.css")
def report_stylesheet():
    return Response(
        report_css(), mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )


@bp.post("/delen")
@login_required(*MANAGERS)
def share():
    form = _report_form()
    if not ActionForm().validate_on_submit() or not form.validate():
        abort(400)
    parameters = _parameters(form)
    area = area_by_code(db.session, parameters.area_code)
    if area is None or not current_scope(MANAGERS).contains_area(area.id):
        abort(403)
    token = council_reports.create_share_link(db.session, parameters, current_staff_user())
    flash(_("Share link made: %(url)s", url=external_url("council.shared", token=token)))
    return redirect(url_for("council.share_links"), code=303)


@bp.get("/deellinks")
@login_required(*MANAGERS)
def share_links():
    return render_template(
        "council/share_links.html",
        links=council_reports.active_share_links(db.session, current_scope(MANAGERS)),
        action_form=ActionForm(),
    )


@bp.post("/deellinks/<int:link_id>/intrekken")
@login_required(*MANAGERS)
def revoke_share_link(link_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not council_reports.revoke_share_link(db.session, link_id, current_scope(MANAGERS)):
        abort(404)
    flash(_("The share link has been revoked."))
    return redirect(url_for("council.share_links"), code=303)


@bp.get("/gedeeld/<token>")
def shared(token: str):
    parameters = council_reports.shared_parameters(db.session, token)
    if parameters is None:
        abort(404)
    report = _build(parameters)
    if report is None:
        abort(404)
    return render_template(
        "council/shared_report.html", report=report, report_html=_html_fragment(report), token=token
    )


@bp.get("/gedeeld/<token>/rapport.<any(pdf, json):kind>")
def shared_file(token: str, kind: str):
    parameters = council_reports.shared_parameters(db.session, token)
    report = _build(parameters) if parameters else None
    if report is None:
        abort(404)
    return _file_response(report, kind, _filename(parameters, kind))
