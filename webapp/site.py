"""Pages every audience shares: the home page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from . import SUPPORTED_LOCALES

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


@bp.get("/taal/<code>")
def switch_language(code: str):
    if code in SUPPORTED_LOCALES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
