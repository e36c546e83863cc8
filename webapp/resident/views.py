"""Residents tell a story and can withdraw it later. No account, no tracking."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..extensions import csrf, db, limiter
from ..services import gemeenten, stories, themes
from ..services.gemeenten import GemeenteInfo
from .forms import UNKNOWN, StoryForm, WithdrawForm

bp = Blueprint("resident", __name__, template_folder="templates")


def _story_rate_limit() -> str:
    return str(current_app.config.get("RATELIMIT") or "10/minute")


def _story_form(gemeente: GemeenteInfo | None) -> StoryForm:
    """The form with the wijken and initiatives of one gemeente (all, when there is none)."""
    gemeente_id = gemeente.id if gemeente else None
    form = StoryForm()
    form.set_choices(
        stories.wijk_choices(db.session, gemeente_id),
        stories.initiative_choices(db.session, gemeente_id),
    )
    return form


def _chosen_gemeente() -> tuple[GemeenteInfo | None, list[GemeenteInfo]]:
    """The gemeente named by ?gemeente= (404 when unknown), or the only one there is."""
    available = gemeenten.list_gemeenten(db.session)
    code = request.args.get("gemeente")
    if code is not None:
        chosen = gemeenten.gemeente_by_code(db.session, code)
        if chosen is None:
            abort(404)
        return chosen, available
    return (available[0] if len(available) == 1 else None), available


@bp.route("/verhaal", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the resident's text
@limiter.limit(_story_rate_limit, methods=["POST"])
def tell_story():
    gemeente, available = _chosen_gemeente()
    if gemeente is None and len(available) > 1:
        # Several gemeenten share this installation: the resident picks theirs first.
        return render_template("resident/choose_gemeente.html", gemeenten=available)
    form = _story_form(gemeente)
    if not form.is_submitted():
        return render_template("resident/story_form.html", form=form, gemeente=gemeente)
    if form.honeypot_filled():
        return render_template("resident/story_rejected.html"), 400
    if not form.validate():
        status = 400 if "csrf_token" in form.errors else 422
        return render_template("resident/story_form.html", form=form, gemeente=gemeente), status
    submission = stories.StorySubmission(
        text=form.story.data,
        area_id=form.wijk.data,
        initiative_id=form.initiative.data if form.initiative.data != UNKNOWN else None,
        age_band=form.age_band.data or None,
        consent_quote=form.consent_quote.data,
        consent_research=form.consent_research.data,
        gemeente_id=gemeente.id if gemeente else None,
    )
    story, code = stories.submit_story(db.session, submission, today=dt.date.today())
    themes.classify_new_story(db.session, story, current_app.extensions["weefsel_classifier"])
    # Post/redirect/get: a refresh of the thank-you page must not send the story twice.
    session["withdrawal_code"] = code
    return redirect(url_for("resident.thanks"), code=303)


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
