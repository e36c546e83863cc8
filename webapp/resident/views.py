"""Residents tell a story and can withdraw it later. No account, no tracking."""

from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..errors import (
    DATABASE_UNAVAILABLE,
    RETRY_AFTER_SECONDS,
    database_unavailable_page,
    forget_failed_transaction,
)
from ..extensions import csrf, db, limiter
from ..page_cache import TokenSlotPageCache
from ..services import jobs, stories
from .forms import UNKNOWN, StoryForm, WithdrawForm

bp = Blueprint("resident", __name__, template_folder="templates")


def _story_rate_limit() -> str:
    return str(current_app.config.get("RATELIMIT") or "10/minute")


def _story_form() -> StoryForm:
    form = StoryForm()
    choices = current_app.extensions["weefsel_story_choices"].get(db.session)
    form.set_choices(choices.wijken, choices.initiatives)
    return form


def _empty_form_page() -> str:
    """The empty form, rendered once per language and list of choices (see page_cache)."""
    choices = current_app.extensions["weefsel_story_choices"]
    choices.get(db.session)  # notices a changed list and bumps its generation
    pages = current_app.extensions.setdefault("weefsel_story_form_pages", TokenSlotPageCache())
    key = (str(get_locale()), choices.generation)
    return pages.page(key, lambda: render_template("resident/story_form.html", form=_story_form()))


@bp.route("/verhaal", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the resident's text
@limiter.limit(_story_rate_limit, methods=["POST"])
def tell_story():
    if request.method == "GET" and not request.query_string:
        return _empty_form_page()
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
    _story, code = stories.submit_story(db.session, submission, today=dt.date.today())
    jobs.request_story_classification(current_app.extensions["weefsel_queue"])
    # Post/redirect/get: a refresh of the thank-you page must not send the story twice.
    session["withdrawal_code"] = code
    return redirect(url_for("resident.thanks"), code=303)


@bp.errorhandler(DATABASE_UNAVAILABLE[0])
@bp.errorhandler(DATABASE_UNAVAILABLE[1])
@bp.errorhandler(DATABASE_UNAVAILABLE[2])
def database_unavailable(error):
    """The story could not be stored: show the form again with the resident's text in it."""
    logging.getLogger(__name__).error("story not stored: database unavailable", exc_info=error)
    forget_failed_transaction()
    if request.endpoint != "resident.tell_story" or request.method != "POST":
        return database_unavailable_page()
    form = StoryForm()
    choices = current_app.extensions["weefsel_story_choices"].last_known()
    form.set_choices(choices.wijken, choices.initiatives)
    page = render_template("resident/story_form.html", form=form, unavailable=True)
    return page, 503, {"Retry-After": RETRY_AFTER_SECONDS}


@bp.get("/verhaal/bedankt")
def thanks():
    code = session.pop("withdrawal_code", None)
    return render_template("resident/story_thanks.html", code=code)


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
