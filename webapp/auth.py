"""Who is logged in, and which roles may open which staff pages."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, redirect, request, session, url_for

from .extensions import db
from .models import StaffUser

# Roles that may open a page of each kind; "staff" and "coordinator" manage everything.
MANAGERS = ("staff", "coordinator")
REPORT_READERS = ("staff", "coordinator", "councillor")
# Roles that may read the audit log.
AUDIT_READERS = ("admin", "coordinator")


def current_staff_user() -> StaffUser | None:
    if "staff_user" not in g:
        user_id = session.get("staff_user_id")
        user = db.session.get(StaffUser, user_id) if user_id else None
        g.staff_user = user if user is not None and user.active else None
    return g.staff_user


# Where each role starts after logging in, if that part of the app is installed.
ROLE_LANDING = {"councillor": "council.reports", "researcher": "research.export"}


def landing_endpoint(user: StaffUser) -> str:
    endpoint = ROLE_LANDING.get(user.role)
    return endpoint if endpoint and endpoint in current_app.view_functions else "staff.dashboard"


def log_in(user: StaffUser) -> None:
    lang = session.get("lang")
    session.clear()  # no session fixation: a fresh session on login
    if lang:
        session["lang"] = lang
    session["staff_user_id"] = user.id
    g.staff_user = user


def log_out() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    g.pop("staff_user", None)


def login_required(*roles: str, export: bool = False):
    """Send anonymous visitors to the login page; refuse users without a fitting role."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff_user()
            if user is None:
                return redirect(url_for("staff.login", next=request.full_path))
            if roles and user.role not in roles:
                abort(403)
            if export and not user.can_export:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
