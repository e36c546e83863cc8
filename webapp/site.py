"""Pages every audience shares: the home page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from . import SUPPORTED_LOCALES
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


@bp.get("/")
def home():
    return render_template("home.html")


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html", privacy=privacy_statement_facts(current_app.config))


@bp.get("/taal/<code>")
def switch_language(code: str):
    if code in SUPPORTED_LOCALES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
