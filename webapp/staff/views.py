"""Staff: log in, see what needs attention, moderate stories."""

from __future__ import annotations

import datetime as dt

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
from ..auth import (
    MANAGERS,
    can_read_original_text,
    current_scope,
    current_staff_user,
    landing_endpoint,
    log_in,
    log_out,
    login_required,
    pending_second_step,
    start_second_step,
)
from ..extensions import db
from ..models import Story, utcnow
from ..services import (
    areas,
    audit,
    job_visibility,
    login_throttle,
    moderation,
    second_factor,
    staff_accounts,
    staff_dashboard,
    story_text,
    themes,
)
from ..services.effective_themes import effective_themes_by_story
from ..site import safe_next
from .forms import ActionForm, CodeForm, LoginForm, story_filter_from_args

bp = Blueprint("staff", __name__, url_prefix="/beheer", template_folder="templates")


def _clock() -> dt.datetime:
    return current_app.config.get("LOGIN_CLOCK", utcnow)()


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        return _("Too many attempts to log in. Please wait %(n)s seconds and try again.", n=seconds)
    return _(
        "Too many attempts to log in. Please wait %(n)s minutes and try again.",
        n=-(-seconds // 60),
    )


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        now = _clock()
        keys = login_throttle.login_keys(
            current_app.config["SECRET_KEY"], email, request.remote_addr
        )
        wait = login_throttle.seconds_to_wait(db.session, keys, now)
        user = None
        if wait:
            form.password.errors.append(_wait_message(wait))
        else:
            user = staff_accounts.authenticate(db.session, email, form.password.data)
        if user is not None and user.totp_secret:
            start_second_step(user, form.next.data or "")
            return redirect(url_for("staff.login_code"), code=303)
        if user is not None:
            return _complete_login(user, keys, now, form.next.data)
        if not wait:
            login_throttle.record_failure(db.session, keys, now)
            form.password.errors.append(_("This e-mail address and password do not match."))
        audit.record_event(
            db.session,
            "login.failure",
            actor_label=email[:200],
            details={"throttled": True} if wait else {},
        )
        db.session.commit()
        return render_template("staff/login.html", form=form), 429 if wait else 422
    status = 422 if form.is_submitted() else 200
    return render_template("staff/login.html", form=form), status


def _complete_login(user, keys, now: dt.datetime, next_url: str | None):
    login_throttle.forget_pair(db.session, keys)
    user.last_login_at = now
    audit.record_event(db.session, "login.success", actor=user)
    db.session.commit()
    log_in(user)
    return redirect(safe_next(next_url, default=url_for(landing_endpoint(user))))


@bp.route("/inloggen/code", methods=["GET", "POST"])
def login_code():
    """The second step: the six-digit code from the authenticator app."""
    user, next_url = pending_second_step()
    if user is None:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    if form.validate_on_submit():
        now = _clock()
        keys = login_throttle.login_keys(
            current_app.config["SECRET_KEY"], user.email, request.remote_addr
        )
        wait = login_throttle.seconds_to_wait(db.session, keys, now)
        if not wait and second_factor.accept_login_code(user, form.code.data):
            return _complete_login(user, keys, now, next_url)
        if wait:
            form.code.errors.append(_wait_message(wait))
        else:
            login_throttle.record_failure(db.session, keys, now)
            form.code.errors.append(
                _("This code is not right. Check the time on your phone and try again.")
            )
        audit.record_event(
            db.session, "login.failure", actor_label=user.email, details={"step": "code"}
        )
        db.session.commit()
        return render_template("staff/login_code.html", form=form), 429 if wait else 422
    return render_template("staff/login_code.html", form=form), 422 if form.errors else 200


@bp.post("/uitloggen")
def logout():
    if ActionForm().validate_on_submit():
        user = current_staff_user()
        log_out()
        if user is not None:
            audit.record_event(db.session, "logout", actor=user)
            db.session.commit()
    return redirect(url_for("site.home"))


def _failed_jobs_counter():
    """The installed counter of failed jobs, for the jobs this account may see."""
    counter = current_app.extensions.get("weefsel_failed_jobs_counter")
    if counter is None:
        return None
    viewer = job_visibility.job_viewer(db.session, current_staff_user())
    return lambda session: counter(session, viewer)


@bp.get("/")
@login_required()
def dashboard():
    landing = landing_endpoint(current_staff_user())
    if landing != "staff.dashboard":
        return redirect(url_for(landing))
    return render_template(
        "staff/dashboard.html",
        counts=moderation.status_counts(db.session, current_scope(MANAGERS)),
        work=staff_dashboard.work_to_do(
            db.session,
            clock.today(),
            _failed_jobs_counter(),
            current_scope(MANAGERS),
        ),
    )


@bp.get("/verhalen")
@login_required(*MANAGERS)
def stories():
    story_filter = story_filter_from_args(request.args)
    page = request.args.get("pagina", 1, type=int)
    filter_args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    stories_page = moderation.list_stories(
        db.session, story_filter, page=page, scope=current_scope(MANAGERS)
    )
    return render_template(
        "staff/stories.html",
        page=stories_page,
        status=story_filter.status,
        story_filter=story_filter,
        filter_args=filter_args,
        area_options=areas.labelled_areas_in(db.session, current_scope(MANAGERS)),
        theme_names=themes.theme_names(str(get_locale() or "nl")),
        languages=moderation.story_languages(db.session, current_scope(MANAGERS)),
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
            db.session,
            ids,
            request.form.get("status", ""),
            extra_conditions=[current_scope(MANAGERS).stories()],
            actor=current_staff_user(),
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
    restored = moderation.restore_statuses(
        db.session, previous, actor=current_staff_user(), scope=current_scope(MANAGERS)
    )
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
            db.session, story_id, status, current_scope(MANAGERS), actor=current_staff_user()
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
    if story is None or not current_scope(MANAGERS).contains_story(story):
        abort(404)
    try:
        text = story_text.reveal_original_text(
            db.session,
            story,
            current_staff_user(),
            can_read_original_text(current_staff_user(), story),
            reason=request.form.get("reason"),
        )
    except story_text.OriginalTextRefused:
        abort(403)
    return render_template("staff/original_text.html", story=story, original=text)


from . import audit_log as _audit_log_views  # noqa: E402,F401  (registers its routes on bp)
from . import initiatives as _initiative_views  # noqa: E402,F401  (registers its routes on bp)
from . import jobs as _job_views  # noqa: E402,F401  (registers its routes on bp)
from . import signification as _signification_views  # noqa: E402,F401  (registers its routes on bp)
