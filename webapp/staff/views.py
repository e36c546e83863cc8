"""Staff: log in, see what needs attention, moderate stories."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import clock
from ..auth import MANAGERS, current_staff_user, landing_endpoint, log_in, log_out, login_required
from ..extensions import db, limiter
from ..models import Story
from ..services import (
    areas,
    moderation,
    staff_accounts,
    staff_dashboard,
    story_text,
    themes,
)
from ..services.effective_themes import effective_themes_by_story
from ..site import safe_next
from .forms import ActionForm, LoginForm, story_filter_from_args

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
    return render_template(
        "staff/dashboard.html",
        counts=moderation.status_counts(db.session),
        work=staff_dashboard.work_to_do(
            db.session,
            clock.today(),
            current_app.extensions.get("weefsel_failed_jobs_counter"),
        ),
    )


@bp.get("/verhalen")
@login_required(*MANAGERS)
def stories():
    story_filter = story_filter_from_args(request.args)
    page = request.args.get("pagina", 1, type=int)
    filter_args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    stories_page = moderation.list_stories(db.session, story_filter, page=page)
    return render_template(
        "staff/stories.html",
        page=stories_page,
        status=story_filter.status,
        story_filter=story_filter,
        filter_args=filter_args,
        area_options=areas.area_codes(db.session),
        theme_names=themes.theme_names(str(get_locale() or "nl")),
        languages=moderation.story_languages(db.session),
        undo=session.get(UNDO_KEY),
        effective_themes=effective_themes_by_story(
            db.session, [story.id for story in stories_page.stories]
        ),
        action_form=ActionForm(),
    )


UNDO_KEY = "moderation_undo"


@bp.post("/verhalen/status")
@login_required(*MANAGERS)
def set_statuses():
    """Approve or reject the ticked stories at once; the change can be undone."""
    if not ActionForm().validate_on_submit():
        abort(400)
    ids = [int(value) for value in request.form.getlist("verhaal") if value.isdigit()]
    try:
        previous = moderation.set_statuses(
            db.session, ids, request.form.get("status", ""), actor=current_staff_user()
        )
    except ValueError:
        abort(400)
    if not ids:
        flash(_("Tick one or more stories first."))
    else:
        session[UNDO_KEY] = {str(story_id): status for story_id, status in previous.items()}
        flash(_("%(count)s stories have been updated.", count=len(previous)))
    return redirect(safe_next(request.form.get("next"), default=url_for("staff.stories")))


@bp.post("/verhalen/ongedaan")
@login_required(*MANAGERS)
def undo_statuses():
    if not ActionForm().validate_on_submit():
        abort(400)
    previous = session.pop(UNDO_KEY, None) or {}
    restored = moderation.restore_statuses(db.session, previous, actor=current_staff_user())
    flash(_("Undone: %(count)s stories are back as they were.", count=restored))
    return redirect(safe_next(request.form.get("next"), default=url_for("staff.stories")))


@bp.post("/verhalen/<int:story_id>/status")
@login_required(*MANAGERS)
def set_status(story_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    status = request.form.get("status", "")
    try:
        story = moderation.set_story_status(
            db.session, story_id, status, actor=current_staff_user()
        )
    except ValueError:
        abort(400)
    if story is None:
        abort(404)
    flash(_("Story %(id)s has been updated.", id=story_id))
    return redirect(safe_next(request.form.get("next"), default=url_for("staff.stories")))


@bp.post("/verhalen/<int:story_id>/origineel")
@login_required(*MANAGERS)
def original_text(story_id: int):
    """One story's original text, for a role allowed to read it; the view is audit-logged."""
    if not ActionForm().validate_on_submit():
        abort(400)
    story = db.session.get(Story, story_id)
    if story is None:
        abort(404)
    try:
        text = story_text.reveal_original_text(
            db.session,
            story,
            current_staff_user(),
            current_app.config["ORIGINAL_TEXT_ROLES"],
            reason=request.form.get("reason"),
        )
    except story_text.OriginalTextRefused:
        abort(403)
    return render_template("staff/original_text.html", story=story, original=text)


from . import audit_log as _audit_log_views  # noqa: E402,F401  (registers its routes on bp)
from . import initiatives as _initiative_views  # noqa: E402,F401  (registers its routes on bp)
from . import jobs as _job_views  # noqa: E402,F401  (registers its routes on bp)
from . import signification as _signification_views  # noqa: E402,F401  (registers its routes on bp)
