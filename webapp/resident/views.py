"""Residents tell a story and can withdraw it later. No account, no tracking."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..extensions import csrf, db, limiter
from ..services import stories, submission_tokens, themes
from .forms import UNKNOWN, StoryForm, WithdrawForm, story_limits_text

bp = Blueprint("resident", __name__, template_folder="templates")


def _story_rate_limit() -> str:
    return str(current_app.config.get("RATELIMIT") or "10/minute")


def _story_form() -> StoryForm:
    form = StoryForm()
    form.set_choices(stories.wijk_choices(db.session), stories.initiative_choices(db.session))
    form.story.description = story_limits_text()
    if not form.inzending.data:
        form.inzending.data = submission_tokens.new_submission_token()
    return form


def _rate_limited_story(_limit):
    """Too many stories from one address: show the form again with the text kept."""
    form = _story_form()
    form.validate()
    page = render_template("resident/story_form.html", form=form, rate_limited=True)
    return make_response(page, 429)  # Flask-Limiter uses a returned Response as the answer


@bp.route("/verhaal", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the resident's text
@limiter.limit(_story_rate_limit, methods=["POST"], on_breach=_rate_limited_story)
def tell_story():
    form = _story_form()
    if not form.is_submitted():
        return render_template("resident/story_form.html", form=form)
    if form.honeypot_filled():
        return render_template("resident/story_rejected.html"), 400
    if not form.validate():
        status = 400 if "csrf_token" in form.errors else 422
        return render_template("resident/story_form.html", form=form), status
    submission = stories.StorySubmission(
        text=form.story.data,
        area_id=form.wijk.data,
        initiative_id=form.initiative.data if form.initiative.data != UNKNOWN else None,
        age_band=form.age_band.data or None,
        consent_quote=form.consent_quote.data,
        consent_research=form.consent_research.data,
    )
    today = dt.date.today()
    token = form.inzending.data or ""
    if not submission_tokens.claim_submission_token(
        db.session, token, stories.first_of_month(today)
    ):
        sent_token, sent_code = session.get("sent_form") or [None, None]
        if sent_token == token:  # the same browser sent this very form: show its code again
            session["withdrawal_code"] = sent_code
        return redirect(url_for("resident.thanks", opnieuw=1), code=303)
    story, code = _submit_or_release(submission, token, today)
    themes.classify_new_story(db.session, story, current_app.extensions["weefsel_classifier"])
    # Post/redirect/get: a refresh of the thank-you page must not send the story twice.
    session["withdrawal_code"] = code
    session["sent_form"] = [token, code]  # a resend of this form shows the same code again
    return redirect(url_for("resident.thanks"), code=303)


def _submit_or_release(submission, token: str, today: dt.date):
    try:
        story, code = stories.submit_story(db.session, submission, today=today)
    except Exception:
        submission_tokens.release_submission_token(db.session, token)
        raise
    submission_tokens.attach_story(db.session, token, story.id)
    return story, code


@bp.get("/verhaal/bedankt")
def thanks():
    resent = request.args.get("opnieuw") == "1"
    code = session.pop("withdrawal_code", None)
    return render_template("resident/story_thanks.html", code=code, resent=resent)


@bp.route("/verhaal/intrekken", methods=["GET", "POST"])
@limiter.limit(_story_rate_limit, methods=["POST"])
def withdraw_story():
    form = WithdrawForm()
    if form.validate_on_submit():
        if stories.withdraw_story(db.session, form.code.data):
            return render_template("resident/withdrawn.html")
        form.code.errors.append(
            _("We could not find a story with this code. Check the code and try again.")
        )
        return render_template("resident/withdraw_form.html", form=form), 404
    status = 422 if form.is_submitted() else 200
    return render_template("resident/withdraw_form.html", form=form), status
