"""Staff: log in, see what needs attention, moderate stories."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import MANAGERS, current_staff_user, landing_endpoint, log_in, log_out, login_required
from ..extensions import db, limiter
from ..services import moderation, staff_accounts
from ..site import safe_next
from .forms import ActionForm, LoginForm

bp = Blueprint("staff", __name__, url_prefix="/beheer", template_folder="templates")


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit("20/minute", methods=["POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = staff_accounts.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            log_in(user)
            return redirect(safe_next(form.next.data, default=url_for(landing_endpoint(user))))
        form.password.errors.append(_("This e-mail address and password do not match."))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/login.html", form=form), status


@bp.post("/uitloggen")
def logout():
    if ActionForm().validate_on_submit():
        log_out()
    return redirect(url_for("site.home"))


@bp.get("/")
@login_required()
def dashboard():
    landing = landing_endpoint(current_staff_user())
    if landing != "staff.dashboard":
        return redirect(url_for(landing))
    return render_template("staff/dashboard.html", counts=moderation.status_counts(db.session))


@bp.get("/verhalen")
@login_required(*MANAGERS)
def stories():
    status = request.args.get("status") or None
    page = request.args.get("pagina", 1, type=int)
    return render_template(
        "staff/stories.html",
        page=moderation.list_stories(db.session, status=status, page=page),
        status=status,
        action_form=ActionForm(),
    )


@bp.post("/verhalen/<int:story_id>/status")
@login_required(*MANAGERS)
def set_status(story_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    status = request.form.get("status", "")
    try:
        story = moderation.set_story_status(db.session, story_id, status)
    except ValueError:
        abort(400)
    if story is None:
        abort(404)
    flash(_("Story %(id)s has been updated.", id=story_id))
    return redirect(safe_next(request.form.get("next"), default=url_for("staff.stories")))


from . import initiatives as _initiative_views  # noqa: E402,F401  (registers its routes on bp)
from . import jobs as _job_views  # noqa: E402,F401  (registers its routes on bp)
