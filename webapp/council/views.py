"""Councillors and staff read impact reports, as a page, a PDF and JSON; share links for others."""

from __future__ import annotations

import datetime as dt
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from reports import PeriodError, PeriodTooLong, render_html
from reports.html import report_css

from .. import clock
from ..auth import MANAGERS, REPORT_READERS, current_scope, current_staff_user, login_required
from ..extensions import db, limiter
from ..form_choices import select_choices
from ..models import utcnow
from ..services import council_reports, report_jobs, share_links
from ..services.areas import UnknownArea, area_by_code
from ..services.scopes import holds_any
from ..services.themes import theme_names
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
        form.periode.data = _default_period(clock.today())
    return form


def _parameters(form: ReportForm) -> council_reports.ReportParameters:
    return council_reports.ReportParameters(
        period=form.periode.data.strip(),
        area_code=form.gebied.data,
        theme=form.thema.data or None,
        initiative_slug=form.initiatief.data or None,
    )


def _build(
    parameters: council_reports.ReportParameters,
    form: ReportForm | None = None,
    *,
    staff_view: bool = False,
):
    """The report, or None with the problem put on the form.

    Only a staff member's own screen (`staff_view`) shows custom ranges or one initiative:
    pages for councillors, files and share links carry published figures only.
    """
    try:
        if not staff_view and not council_reports.is_publishable(parameters):
            if form is not None:
                field = form.initiatief if parameters.initiative_slug else form.periode
                field.errors = [
                    _(
                        "Date ranges and single initiatives are for staff only. "
                        "Choose a month, a quarter or a year, and no initiative."
                    )
                ]
            return None
        return council_reports.cached_report(
            db.session,
            parameters,
            _lang(),
            today=clock.today(),
            model_dir=current_app.config.get("MODEL_DIR"),
        )
    except PeriodTooLong:
        if form is not None:
            form.periode.errors = [_("A period can be at most 5 years long.")]
        return None
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


def _file_response(parameters: council_reports.ReportParameters, kind: str) -> Response:
    if kind == "pdf":
        return _pdf_response(parameters)
    payload, mimetype = council_reports.cached_report_file(
        db.session,
        parameters,
        kind,
        _lang(),
        today=clock.today(),
        model_dir=current_app.config.get("MODEL_DIR"),
    )
    filename = _filename(parameters, kind)
    return Response(
        payload,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _pdf_response(parameters: council_reports.ReportParameters) -> Response:
    """The PDF, or (a large report not yet rendered) a page that follows the job making it."""
    answer = report_jobs.pdf_for_request(
        db.session,
        current_app.config,
        current_app.extensions["weefsel_queue"],
        parameters,
        _lang(),
        today=clock.today(),
        job_id=request.args.get("taak") or None,
        retry=request.args.get("opnieuw") == "1",
    )
    if answer.pdf is not None:
        filename = _filename(parameters, "pdf")
        return Response(
            answer.pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    job = answer.job
    query = {key: value for key, value in request.args.items() if key not in ("taak", "opnieuw")}
    follow = url_for(request.endpoint, **(request.view_args or {}), **query, taak=job.id)
    page = render_template(
        "council/pdf_waiting.html",
        job=job,
        follow_url=follow,
        retry_url=url_for(
            request.endpoint, **(request.view_args or {}), **query, taak=job.id, opnieuw="1"
        ),
    )
    return Response(page, status=202)


def _filename(parameters: council_reports.ReportParameters, suffix: str) -> str:
    area = parameters.area_code.replace("/", "-")
    return f"weefsel-rapport-{area}-{parameters.period.replace('..', '_')}.{suffix}"


@bp.get("/")
@login_required(*REPORT_READERS)
def reports():
    form = _report_form()
    report = None
    status = 200
    is_staff = holds_any(current_staff_user(), MANAGERS)
    if request.args:
        if form.validate():
            report = _build(_parameters(form), form, staff_view=is_staff)
        if report is None:
            status = 422
    publishable = report is not None and council_reports.is_publishable(_parameters(form))
    return render_template(
        "council/report_page.html",
        form=form,
        report=report,
        report_html=_html_fragment(report) if report else None,
        query=_parameters(form).as_query() if report else None,
        action_form=ActionForm(),
        can_share=is_staff and publishable,
        publishable=publishable,
        period_choices=council_reports.period_picker(form.periode.data or "", clock.today())
        if report
        else [],
    ), status


@bp.get("/rapport.<any(pdf, json):kind>")
@login_required(*REPORT_READERS)
def report_file(kind: str):
    form = _report_form()
    if not form.validate():
        abort(400)
    parameters = _parameters(form)
    if _build(parameters) is None:
        abort(400)
    return _file_response(parameters, kind)


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
    try:
        share_links.create_share_link(
            db.session,
            parameters,
            current_staff_user(),
            secret_key=current_app.config["SECRET_KEY"],
            now=utcnow(),
            days=current_app.config.get("SHARE_LINK_DAYS", share_links.DEFAULT_DAYS),
        )
    except (council_reports.NotPublishable, PeriodError):
        abort(400)
    flash(_("Share link made. Copy it from the list below."))
    return redirect(url_for("council.share_links"), code=303)


@bp.get("/deellinks", endpoint="share_links")
@login_required(*MANAGERS)
def share_links_page():
    return render_template(
        "council/share_links.html",
        links=share_links.listed_share_links(
            db.session,
            secret_key=current_app.config["SECRET_KEY"],
            now=utcnow(),
            scope=current_scope(MANAGERS),
        ),
        action_form=ActionForm(),
    )


@bp.post("/deellinks/<int:link_id>/intrekken")
@login_required(*MANAGERS)
def revoke_share_link(link_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not share_links.revoke_share_link(
        db.session, link_id, current_staff_user(), now=utcnow(), scope=current_scope(MANAGERS)
    ):
        abort(404)
    flash(_("The share link has been revoked."))
    return redirect(url_for("council.share_links"), code=303)


def _opened(token: str, what: str):
    """The shared report's parameters, or the page that says why the link does not work."""
    opened = share_links.open_share_link(db.session, token, now=utcnow(), what=what)
    if opened.state == "unknown":
        abort(404)
    if opened.state != "active":
        page = render_template("council/share_link_closed.html", opened=opened)
        abort(Response(page, status=410))
    return opened.parameters


def _share_download_limit() -> str:
    return str(current_app.config.get("SHARE_DOWNLOAD_RATELIMIT") or "10/minute")


@bp.get("/gedeeld/<token>")
def shared(token: str):
    parameters = _opened(token, "page")
    report = _build(parameters)
    if report is None:
        abort(404)
    return render_template(
        "council/shared_report.html", report=report, report_html=_html_fragment(report), token=token
    )


@bp.get("/gedeeld/<token>/rapport.<any(pdf, json):kind>")
@limiter.limit(_share_download_limit)
def shared_file(token: str, kind: str):
    parameters = _opened(token, kind)
    if _build(parameters) is None:
        abort(404)
    return _file_response(parameters, kind)


@bp.after_request
def _no_store(response: Response) -> Response:
    """Reports, share pages and downloads stay out of browser and proxy caches."""
    if request.endpoint != "council.report_stylesheet":
        response.headers["Cache-Control"] = "no-store"
    return response
