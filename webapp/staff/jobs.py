"""Staff see the background jobs (queued, running, failed, done) with progress, and retry them."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..auth import MANAGERS, current_staff_user, login_required
from ..extensions import db
from ..services import job_visibility, jobs
from .forms import ActionForm
from .views import bp


@bp.get("/taken")
@login_required(*MANAGERS)
def jobs_overview():
    queue = current_app.extensions["weefsel_queue"]
    viewer = job_visibility.job_viewer(db.session, current_staff_user())
    return render_template(
        "staff/jobs.html",
        jobs=job_visibility.visible_jobs(db.session, viewer),
        counts=job_visibility.visible_job_counts(db.session, viewer),
        waiting_stories=jobs.stories_waiting_for_themes(db.session),
        pending_messages=queue.pending_count(),
        kinds=jobs.JOB_KINDS,
        action_form=ActionForm(),
    )


@bp.post("/taken/<job_id>/opnieuw")
@login_required(*MANAGERS)
def retry_job(job_id: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    viewer = job_visibility.job_viewer(db.session, current_staff_user())
    if job_visibility.visible_job(db.session, viewer, job_id) is None:
        abort(404)
    job = jobs.retry_job(db.session, job_id)
    if job is None:
        abort(404)
    current_app.extensions["weefsel_queue"].enqueue_again(job.id, job.kind)
    flash(_("The job has been queued again."))
    return redirect(url_for("staff.jobs_overview"), code=303)
