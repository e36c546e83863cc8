"""Friendly error pages in the visitor's language, and rejection of non-UTF-8 bodies."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sql_errors
from werkzeug.exceptions import BadRequest, HTTPException

from .services.stories import MAX_STORY_LENGTH

log = logging.getLogger(__name__)

# The database cannot be reached, is read-only, full or too busy: the request may work again
# soon, so visitors get a 503 and a Retry-After, never a traceback.
DATABASE_UNAVAILABLE = (
    sql_errors.OperationalError,
    sql_errors.InterfaceError,
    sql_errors.TimeoutError,
)
RETRY_AFTER_SECONDS = "30"


def forget_failed_transaction() -> None:
    """Roll the session back after a database failure; the rollback may fail as well."""
    from .extensions import db

    try:
        db.session.rollback()
    except Exception:
        log.debug("rollback after a database failure failed too", exc_info=True)


def database_unavailable_page():
    return (
        render_template(
            "error.html",
            status=503,
            title=_("Temporarily unavailable"),
            message=_(
                "We cannot reach our database right now. Nothing you typed was saved. Please try again in a moment."
            ),
        ),
        503,
        {"Retry-After": RETRY_AFTER_SECONDS},
    )


def _error_page(status: int, title: str, message: str):
    return render_template("error.html", status=status, title=title, message=message), status


def reject_non_utf8_body() -> None:
    """Form posts must be UTF-8; anything else is a 400, not a garbled story."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if request.content_length and request.content_length > (request.max_content_length or 0):
        return  # the 413 handler answers
    content_type = request.mimetype or ""
    if content_type.startswith("multipart/"):
        return  # file uploads are checked by the code that reads them
    try:
        request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("non-utf8") from None


def reject_nul_characters() -> None:
    """A NUL character cannot be stored in PostgreSQL text: refuse it in any field, clearly."""
    if not _may_hold_nul():
        return
    values = list(request.args.values())
    if request.view_args:
        values += list(request.view_args.values())
    if request.method in ("POST", "PUT", "PATCH"):
        values += list(request.form.values())  # form fields only: uploaded files may hold NUL
    if any(isinstance(value, str) and "\x00" in value for value in values):
        raise BadRequest("nul-character")


def _may_hold_nul() -> bool:
    """False when no field of this request can hold a NUL: neither the address nor a
    URL-encoded body has one, raw or percent-encoded (most requests; parsing every field
    to look was a tenth of a story POST). Anything else is looked at field by field."""
    if "\x00" in request.path:
        return True
    query = request.query_string
    if b"\x00" in query or b"%00" in query:
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.mimetype != "application/x-www-form-urlencoded":
        return True
    body = request.get_data(cache=True)
    return b"\x00" in body or b"%00" in body


def register_error_handlers(app: Flask) -> None:
    app.before_request(reject_non_utf8_body)
    app.before_request(reject_nul_characters)

    @app.errorhandler(400)
    def bad_request(error):
        if getattr(error, "description", "") == "nul-character":
            return _error_page(
                400,
                _("We could not read your message"),
                _(
                    "What you sent contains an invisible control character that we cannot "
                    "store. Please go back, remove it (or retype the text) and try again."
                ),
            )
        if getattr(error, "description", "") == "non-utf8":
            return _error_page(
                400,
                _("We could not read your message"),
                _("Your browser sent text in an encoding we cannot read. Please try again."),
            )
        return _error_page(
            400,
            _("Something went wrong with your request"),
            _("We could not process what was sent. Please go back and try again."),
        )

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error_page(
            400,
            _("This form has expired"),
            _(
                "For your safety the form could not be sent. Please go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _error_page(
            403,
            _("You may not open this page"),
            _("Your account does not give access to this page or this area."),
        )

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(404, _("Page not found"), _("This page does not exist (any more)."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _error_page(405, _("Not possible"), _("This page cannot be used this way."))

    @app.errorhandler(413)
    def too_large(error):
        if request.endpoint == "resident.tell_story":
            return _error_page(
                413,
                _("Your story is much too long"),
                _(
                    "What you sent is far longer than a story can be (at most %(max)s "
                    "characters). Your text is still in your browser: press Back, copy the part "
                    "you want to keep, and make it shorter.",
                    max=format_decimal(MAX_STORY_LENGTH),
                ),
            )
        return _error_page(
            413,
            _("Your message is too long"),
            _(
                "What you sent is larger than we accept. Please make your story shorter and try again."
            ),
        )

    @app.errorhandler(429)
    def too_many(error):
        if getattr(error, "response", None) is not None:
            return error.response  # a view's own answer (the story form keeps the text)
        return _error_page(
            429,
            _("Please wait a moment"),
            _("You have sent many messages in a short time. Please wait a minute and try again."),
        )

    @app.errorhandler(sql_errors.OperationalError)
    @app.errorhandler(sql_errors.InterfaceError)
    @app.errorhandler(sql_errors.TimeoutError)
    def database_unavailable(error):
        log.error("database unavailable: %s", error.__class__.__name__, exc_info=error)
        forget_failed_transaction()
        return database_unavailable_page()

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(
            500,
            _("Something went wrong on our side"),
            _("Sorry, this did not work. Your story was not saved. Please try again later."),
        )

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        return _error_page(error.code or 500, error.name, error.description or "")
