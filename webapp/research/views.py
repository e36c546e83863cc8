"""Researchers download anonymised, k-anonymous story corpora; every download is audit-logged.

The export is made by a background job: the form queues it, the status page follows it (it
reloads itself while the job runs) and offers the archive when it is ready.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import clock
from ..auth import EXPORTERS, current_scope, current_staff_user, login_required
from ..extensions import db
from ..form_choices import select_choices
from ..models import utcnow
from ..services import council_reports, export_jobs, jobs, research_export
from ..services.themes import theme_names
from .filter_words import filter_in_words
from .forms import ExportForm, RetryForm

bp = Blueprint("research", __name__, url_prefix="/onderzoek", template_folder="templates")
bp.add_app_template_filter(filter_in_words, "filter_in_words")


def _form() -> ExportForm:
    form = ExportForm()
    form.gebied.choices = select_choices(
        [("", _("All areas"))] + council_reports.area_options(db.session, current_scope(EXPORTERS))
    )
    form.thema.choices = select_choices(
        [("", _("All themes"))] + sorted(theme_names(str(get_locale() or "nl")).items())
    )
    return form


def _queue():
    return current_app.extensions["weefsel_queue"]


@bp.route("/export", methods=["GET", "POST"])
@login_required(*EXPORTERS)
def export():
    form = _form()
    user = current_staff_user()
    if form.validate_on_submit():
        export_filter = research_export.ExportFilter(
            period=(form.periode.data or "").strip() or None,
            area_code=form.gebied.data or None,
            theme=form.thema.data or None,
        )
        try:
            # Refuses an unreadable period before anything is queued.
            research_export.count_candidates(db.session, export_filter, current_scope(EXPORTERS))
        except research_export.ExportRefused:
            form.periode.errors.append(
                _("We cannot read this period. Use for example 2026, 2026-Q1 or 2026-03.")
            )
        else:
            request = export_jobs.ExportRequest(
                export_filter,
                list(form.formaten.data),
                form.k.data,
                user.id,
                utcnow().replace(microsecond=0),
                current_app.extensions["weefsel_classifier"].version_in_force(),
            )
            job = _queue().enqueue(
                db.session, export_jobs.KIND, request.as_params(), created_by_id=user.id
            )
            return redirect(url_for("research.export_status", job_id=job.id), code=303)
    # The log names every exporter and filter, so only admins of everything read it.
    show_log = current_scope(("admin",)).everything
    return render_template(
        "research/export.html",
        form=form,
        log=research_export.recent_exports(db.session) if show_log else [],
        show_log=show_log,
        own_exports=export_jobs.exports_requested_by(db.session, user),
    ), 422 if form.errors else 200


def _own_job(job_id: str):
    job = export_jobs.export_job_for(db.session, job_id, current_staff_user())
    if job is None:
        abort(404)
    return job


@bp.get("/export/<job_id>")
@login_required(*EXPORTERS)
def export_status(job_id: str):
    job = _own_job(job_id)
    config = current_app.config
    return render_template(
        "research/export_status.html",
        job=job,
        request=export_jobs.ExportRequest.from_params(job.params),
        ready=export_jobs.downloadable_file(config, job) is not None,
        expires_at=export_jobs.expires_at(config, job),
        retry_form=RetryForm(),
    )


@bp.get("/export/<job_id>/download")
@login_required(*EXPORTERS)
def export_download(job_id: str):
    job = _own_job(job_id)
    path = export_jobs.downloadable_file(current_app.config, job)
    if path is None:
        abort(404)
    export_jobs.record_download(db.session, job, current_staff_user())
    filename = f"weefsel-onderzoek-{clock.today():%Y%m%d}.zip"
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=filename)


@bp.post("/export/<job_id>/opnieuw")
@login_required(*EXPORTERS)
def export_retry(job_id: str):
    if not RetryForm().validate_on_submit():
        abort(400)
    job = _own_job(job_id)
    if jobs.retry_job(db.session, job.id) is None:
        abort(404)
    _queue().enqueue_again(job.id, job.kind)
    flash(_("The export has been queued again."))
    return redirect(url_for("research.export_status", job_id=job.id), code=303)


@bp.after_request
def _no_store(response):
    """Status pages and archives stay out of browser and proxy caches."""
    response.headers["Cache-Control"] = "no-store"
    return response
