"""Residents tell a story and can withdraw it later. No account, no tracking."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from .. import clock
from ..errors import (
    DATABASE_UNAVAILABLE,
    RETRY_AFTER_SECONDS,
    database_unavailable_page,
    forget_failed_transaction,
)
from ..extensions import csrf, db, limit_posts
from ..page_cache import TokenSlotPageCache
from ..services import areas, jobs, signification, stories, submission_tokens
from ..services.gemeenten import GemeenteInfo
from ..services.privacy import health_consent_asked
from .forms import (
    UNKNOWN,
    StoryForm,
    WithdrawForm,
    honeypot_filled,
    plainly_valid_story,
    posted_story_from,
    story_limits_text,
    story_options,
    wijk_search_hint,
)
from .sent_form import remember_sent_form, sent_form_in

bp = Blueprint("resident", __name__, template_folder="templates")


def _story_rate_limit() -> str:
    return str(current_app.config.get("RATELIMIT") or "10/minute")


def _withdrawal_code_key() -> str:
    return current_app.config["WITHDRAWAL_CODE_KEY"]


def _choice_cache():
    return current_app.extensions["weefsel_story_choices"]


def _choices_gemeente_id(gemeente: GemeenteInfo | None, several: bool) -> int | None:
    """Whose wijken and initiatives the form offers: the chosen gemeente's when the
    installation serves several, else all of them (None)."""
    return gemeente.id if gemeente is not None and several else None


def _story_form(gemeente: GemeenteInfo | None = None, several: bool = False) -> StoryForm:
    """The form with the wijken and initiatives of the resident's gemeente (all of them when
    the installation serves one). Choices are cached and refreshed when areas or initiatives
    change."""
    form = StoryForm()
    if not health_consent_asked(current_app.config):
        del form.consent_health
    choices = _choice_cache().get(db.session, _choices_gemeente_id(gemeente, several))
    form.set_choices(choices.wijken, choices.initiatives)
    form.story.description = story_limits_text()
    form.wijk_search.description = wijk_search_hint(choices.example_postcode)
    if not form.inzending.data:
        form.inzending.data = submission_tokens.new_submission_token()
    return form


def _chosen_gemeente() -> tuple[GemeenteInfo | None, list[GemeenteInfo]]:
    """The gemeente named by ?gemeente= (404 when unknown), or the only one there is."""
    available = _choice_cache().gemeenten(db.session)
    code = request.args.get("gemeente")
    if code is not None:
        chosen = _choice_cache().gemeente_by_code(db.session, code)
        if chosen is None:
            abort(404)
        return chosen, available
    return (available[0] if len(available) == 1 else None), available


def _empty_story_form_page(gemeente: GemeenteInfo | None, several: bool):
    """The empty form, rendered once per language, gemeente and list of choices and served
    with this visitor's own CSRF and submission tokens (see page_cache)."""

    def render(tokens) -> str:
        form = _story_form(gemeente, several)
        form.inzending.data = tokens["inzending"]
        if "csrf" in tokens:
            form.csrf_token.current_token = tokens["csrf"]
        meaning = signification.read_form(None, _render_message)
        return render_template(
            "resident/story_form.html", form=form, gemeente=gemeente, signification=meaning
        )

    tokens = {"inzending": submission_tokens.new_submission_token()}
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        tokens["csrf"] = generate_csrf()
    # The page shows the query string (language links, the form's action): only the canonical
    # addresses are cached, so no one can fill the cache with made-up ones.
    canonical = f"gemeente={gemeente.code}" if gemeente is not None and several else ""
    if request.query_string.decode("latin-1") != canonical:
        return render(tokens)
    choices = _choice_cache()
    choices.get(db.session, _choices_gemeente_id(gemeente, several))
    definition = signification.story_definition()
    key = (
        str(get_locale()),
        canonical,
        choices.generation,
        definition.id,
        definition.version,
    )
    pages = current_app.extensions.setdefault("weefsel_story_form_pages", TokenSlotPageCache())
    return pages.page(key, tokens, render)


def _render_message(message) -> str:
    return message.render(_, str(get_locale() or "nl"))


def _rate_limited_story(_limit):
    """Too many stories from one address: show the form again with the text kept."""
    gemeente = _choice_cache().gemeente_by_code(db.session, request.args.get("gemeente"))
    form = _story_form(gemeente, several=gemeente is not None)
    form.validate()
    page = render_template(
        "resident/story_form.html",
        form=form,
        gemeente=gemeente,
        rate_limited=True,
        signification=signification.read_form(request.form, _render_message),
    )
    return make_response(page, 429)  # Flask-Limiter uses a returned Response as the answer


@bp.route("/verhaal", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one keeps the resident's text
@limit_posts(_story_rate_limit, on_breach=_rate_limited_story)
def tell_story():
    gemeente, available = _chosen_gemeente()
    if gemeente is None and len(available) > 1:
        # Several gemeenten share this installation: the resident picks theirs first.
        return render_template("resident/choose_gemeente.html", gemeenten=available)
    several = len(available) > 1
    if request.method != "POST":  # GET or HEAD
        return _empty_story_form_page(gemeente, several)
    if "find_wijk" in request.form:
        return _story_form_with_wijk_search(_story_form(gemeente, several))
    if honeypot_filled(request.form):
        return render_template("resident/story_rejected.html"), 400
    meaning = signification.read_form(request.form, _render_message)
    choices = _choice_cache().get(db.session, _choices_gemeente_id(gemeente, several))
    posted = plainly_valid_story(
        request.form,
        story_options(choices.wijken, choices.initiatives),
        health_consent_asked(current_app.config),
        current_app.config.get("WTF_CSRF_ENABLED", True),
    )
    if posted is None or meaning.errors:  # the form finds and explains every problem
        form = _story_form(gemeente, several=several)
        if not form.validate() or meaning.errors:
            status = 400 if "csrf_token" in form.errors else 422
            return render_template(
                "resident/story_form.html", form=form, gemeente=gemeente, signification=meaning
            ), status
        posted = posted_story_from(form)
    submission = stories.StorySubmission(
        text=posted.story,
        area_id=posted.wijk,
        initiative_id=posted.initiative if posted.initiative != UNKNOWN else None,
        age_band=posted.age_band or None,
        consent_quote=posted.consent_quote,
        consent_research=posted.consent_research,
        consent_health=posted.consent_health,
        gemeente_id=gemeente.id if gemeente else None,
    )
    # As posted: a form sent without a token (an old copy of the page) is not tracked.
    token = request.form.get("inzending") or ""
    try:
        # The story, its token and its answers in one short transaction of their own (a
        # connection, not the session: cheaper, and on SQLite the write lock is held briefly).
        with current_app.extensions["weefsel_write_turns"].turn(), db.engine.begin() as connection:
            story, code = stories.submit_story(
                db.session,
                submission,
                today=clock.today(),
                code_key=_withdrawal_code_key(),
                submission_token=token,
                gemeente_of=choices.gemeente_for,
                connection=connection,
            )
            answers = meaning.answers.values()
            signification.save_answers(connection, story.id, meaning.definition, answers)
    except submission_tokens.FormAlreadySent:
        response = redirect(url_for("resident.thanks", opnieuw=1), code=303)
        sent = sent_form_in(request.cookies)
        if sent is not None and sent.token == token:  # this very form, from this browser
            remember_sent_form(response, sent.token, sent.code)  # show its code again
        return response
    # Themes and outcome come from a background job within seconds, not in this request.
    jobs.request_story_classification(current_app.extensions["weefsel_queue"])
    # Post/redirect/get: a refresh of the thank-you page must not send the story twice; a
    # resend of this form shows the same code again.
    return remember_sent_form(redirect(url_for("resident.thanks"), code=303), token, code)


def wijk_search_message(search: areas.WijkSearch) -> str:
    """What the resident reads after searching: one text for the page and the live search."""
    if search.too_short:
        return _("Type the four digits of your postcode or at least two letters of the name.")
    if len(search.found) == 1:
        return _(
            "We found %(name)s and chose it in the list below. Not right? "
            "Choose another neighbourhood.",
            name=search.found[0][1],
        )
    if search.found:
        return _(
            "These neighbourhoods match: %(names)s. Choose yours in the list below.",
            names=", ".join(label for _id, label in search.found),
        )
    return _(
        "We could not find a neighbourhood for “%(query)s”. Choose it in the list below, "
        "or skip this question.",
        query=search.query,
    )


def _search_wijken(query: str) -> areas.WijkSearch:
    query = query.strip()[: areas.MAX_QUERY_LENGTH]
    found = [(w.id, areas.wijk_label(w)) for w in areas.find_wijken(db.session, query)]
    return areas.WijkSearch(query, found)


def _story_form_with_wijk_search(form: StoryForm):
    """The form again, with everything typed kept and the wijken that match the search.

    One match is chosen in the list; the search text itself is not stored anywhere.
    """
    search = _search_wijken(form.wijk_search.data or "")
    if len(search.found) == 1:
        form.wijk.data = search.found[0][0]
    return render_template(
        "resident/story_form.html",
        form=form,
        wijk_search_result=wijk_search_message(search),
        signification=signification.read_form(request.form, _render_message),
    )


@bp.post("/verhaal/wijken")
@limit_posts(_story_rate_limit)
def wijk_search():
    """The same search for the form's script: answers while the resident types (POST, so the
    postcode never appears in a URL or a log)."""
    search = _search_wijken(request.form.get("q", ""))
    return jsonify(
        message=wijk_search_message(search),
        matches=[{"id": wijk_id, "name": label} for wijk_id, label in search.found],
    )


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
    if not health_consent_asked(current_app.config):
        del form.consent_health
    choices = current_app.extensions["weefsel_story_choices"].last_known()
    form.set_choices(choices.wijken, choices.initiatives)
    page = render_template(
        "resident/story_form.html",
        form=form,
        unavailable=True,
        signification=signification.read_form(request.form, _render_message),
    )
    return page, 503, {"Retry-After": RETRY_AFTER_SECONDS}


@bp.get("/verhaal/bedankt")
def thanks():
    resent = request.args.get("opnieuw") == "1"
    sent = sent_form_in(request.cookies)
    if sent is None or sent.shown:  # the code is shown once: a refresh shows the page without it
        return render_template("resident/story_thanks.html", code=None, resent=resent)
    page = make_response(
        render_template("resident/story_thanks.html", code=sent.code, resent=resent)
    )
    return remember_sent_form(page, sent.token, sent.code, shown=True)


@bp.route("/verhaal/intrekken", methods=["GET", "POST"])
@limit_posts(_story_rate_limit)
def withdraw_story():
    form = WithdrawForm()
    if form.validate_on_submit():
        if stories.withdraw_story(db.session, form.code.data, _withdrawal_code_key()):
            return render_template("resident/withdrawn.html")
        form.code.errors.append(
            _("We could not find a story with this code. Check the code and try again.")
        )
        return render_template("resident/withdraw_form.html", form=form), 404
    status = 422 if form.is_submitted() else 200
    return render_template("resident/withdraw_form.html", form=form), status
