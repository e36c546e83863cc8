"""Pages every audience shares: the home page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from .languages import remember_locale
from .services.accessibility import accessibility_contact, load_accessibility_statement
from .services.privacy import privacy_statement_facts

bp = Blueprint("site", __name__)


def safe_next(target: str | None, default: str | None = None) -> str:
    """Only redirect back to a path on this site."""
    fallback = default or url_for("site.home")
    if not target:
        return fallback
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return fallback
    return target


def external_url(endpoint: str, **values) -> str:
    """A full link for people outside this request (initiative, share and invite links).

    Built from WEEFSEL_BASE_URL, never from the request's Host header, which a client chooses.
    """
    path = url_for(endpoint, _external=False, **values)
    return current_app.config["BASE_URL"].rstrip("/") + path


@bp.get("/")
def home():
    return render_template("home.html")


@bp.get("/privacy")
def privacy():
    return render_template(
        "privacy.html", privacy=privacy_statement_facts(current_app.config, _statement_gemeente())
    )


def _statement_gemeente():
    """The gemeente the privacy statement is about: ?gemeente=, or the only one there is."""
    from .extensions import db
    from .services import gemeenten

    chosen = gemeenten.gemeente_by_code(db.session, request.args.get("gemeente"))
    if chosen is not None:
        return chosen
    available = gemeenten.list_gemeenten(db.session)
    return available[0] if len(available) == 1 else None


@bp.get("/taal/<code>")
def switch_language(code: str):
    remember_locale(code)
    return redirect(safe_next(request.args.get("next")))


@bp.get("/toegankelijkheid")
def accessibility():
    statement = load_accessibility_statement()
    gemeente = _statement_gemeente()
    contact = accessibility_contact(
        current_app.config, statement, gemeente.privacy_contact if gemeente else None
    )
    return render_template("accessibility.html", statement=statement, contact=contact)
