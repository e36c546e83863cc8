"""Friendly error pages in the visitor's language, and rejection of non-UTF-8 bodies."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException


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
    values = list(request.args.values())
    if request.view_args:
        values += list(request.view_args.values())
    if request.method in ("POST", "PUT", "PATCH"):
        values += list(request.form.values())  # form fields only: uploaded files may hold NUL
    if any(isinstance(value, str) and "\x00" in value for value in values):
        raise BadRequest("nul-character")


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
        return _error_page(
            413,
            _("Your message is too long"),
            _(
                "What you sent is larger than we accept. Please make your story shorter and try again."
            ),
        )

    @app.errorhandler(429)
    def too_many(error):
        return _error_page(
            429,
            _("Please wait a moment"),
            _("You have sent many messages in a short time. Please wait a minute and try again."),
        )

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
