"""Pages every audience shares: the home page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for

from . import SUPPORTED_LOCALES

bp = Blueprint("site", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect back to a path on this site."""
    if not target:
        return url_for("site.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("site.home")
    return target


@bp.get("/")
def home():
    return render_template("home.html")


@bp.get("/taal/<code>")
def switch_language(code: str):
    if code in SUPPORTED_LOCALES:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))
