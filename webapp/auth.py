"""Who is logged in, for how long, and which roles may open which staff pages.

A session is a signed cookie holding the account id, the account's session generation and two
times. It is refused when the account's generation moved on (logout or a new password ends
every session of that account, also copied cookies), after 30 minutes without a request, and
12 hours after logging in.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for

from .extensions import db
from .models import StaffUser, Story
from .services.scopes import (
    ACCOUNT_MANAGERS,
    EXPORTERS,
    MANAGERS,
    REPORT_READERS,
    REVIEWERS,
    Scope,
    holds_any,
    scope_for,
)
from .services.second_factor import totp_required

__all__ = [
    "ACCOUNT_MANAGERS",
    "EXPORTERS",
    "MANAGERS",
    "REPORT_READERS",
    "REVIEWERS",
    "can_read_original_text",
    "current_scope",
    "current_staff_user",
    "end_all_sessions",
    "landing_endpoint",
    "log_in",
    "log_out",
    "login_required",
]

IDLE_TIMEOUT_SECONDS = 30 * 60
ABSOLUTE_LIFETIME_SECONDS = 12 * 60 * 60
# Roles that may read a story's original (not de-identified) text, within their scope.
ORIGINAL_TEXT_READERS = ("admin", "coordinator")
# Roles that may read the audit log.
AUDIT_READERS = ("admin",)


def _clock() -> float:
    return current_app.config.get("SESSION_CLOCK", time.time)()


def _session_user() -> StaffUser | None:
    user_id = session.get("staff_user_id")
    if not isinstance(user_id, int):
        return None
    now = _clock()
    logged_in_at, seen_at = session.get("logged_in_at", 0), session.get("seen_at", 0)
    if now - logged_in_at > ABSOLUTE_LIFETIME_SECONDS or now - seen_at > IDLE_TIMEOUT_SECONDS:
        return None
    user = db.session.get(StaffUser, user_id)
    if user is None or not user.active or session.get("generation") != user.session_generation:
        return None
    session["seen_at"] = int(now)
    return user


_REQUEST_KEY = "weefsel.staff_user"


def current_staff_user() -> StaffUser | None:
    """The account of this request's valid session, looked up once per request."""
    if _REQUEST_KEY not in request.environ:
        user = _session_user()
        if user is None and "staff_user_id" in session:
            _clear_session()
        request.environ[_REQUEST_KEY] = user
    return request.environ[_REQUEST_KEY]


# Where each role starts after logging in, if that part of the app is installed.
ROLE_LANDING = {
    "reviewer": "review.queue",
    "councillor": "council.reports",
    "researcher": "research.export",
}


def landing_endpoint(user: StaffUser) -> str:
    if holds_any(user, MANAGERS):
        return "staff.dashboard"
    endpoint = ROLE_LANDING.get(user.role or "")
    return endpoint if endpoint and endpoint in current_app.view_functions else "staff.dashboard"


def _clear_session() -> None:
    lang = session.get("lang")
    session.clear()  # no session fixation: a fresh session on login
    if lang:
        session["lang"] = lang


def log_in(user: StaffUser) -> None:
    _clear_session()
    now = int(_clock())
    session["staff_user_id"] = user.id
    session["generation"] = user.session_generation
    session["logged_in_at"] = now
    session["seen_at"] = now
    request.environ[_REQUEST_KEY] = user


PENDING_SECONDS = 5 * 60


def start_second_step(user: StaffUser, next_url: str) -> None:
    """The password was right; the account is logged in only after its TOTP code."""
    _clear_session()
    session["pending_staff_user_id"] = user.id
    session["pending_at"] = int(_clock())
    session["pending_next"] = next_url


def pending_second_step() -> tuple[StaffUser | None, str]:
    """The account waiting for its code (for 5 minutes at most), and where it was going."""
    user_id = session.get("pending_staff_user_id")
    if not isinstance(user_id, int) or _clock() - session.get("pending_at", 0) > PENDING_SECONDS:
        return None, ""
    user = db.session.get(StaffUser, user_id)
    return (user if user is not None and user.active else None), session.get("pending_next", "")


def end_all_sessions(user: StaffUser) -> None:
    """Every session of this account, on every device, ends (the caller commits)."""
    user.session_generation = (user.session_generation or 0) + 1


def log_out() -> None:
    user = current_staff_user()
    if user is not None:
        end_all_sessions(user)
    _clear_session()
    request.environ[_REQUEST_KEY] = None


def login_required(*roles: str):
    """Send anonymous visitors to the login page; refuse accounts without one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff_user()
            if user is None:
                return redirect(url_for("staff.login", next=request.full_path))
            if (
                not user.totp_secret
                and totp_required(user, current_app.config.get("REQUIRE_TOTP", False))
                and request.endpoint != "accounts.totp_setup"
            ):
                return redirect(url_for("accounts.totp_setup"))
            if roles and not holds_any(user, roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def original_text_roles() -> tuple[str, ...]:
    """The roles the installation lets read original text (WEEFSEL_ORIGINAL_TEXT_ROLES)."""
    return tuple(current_app.config.get("ORIGINAL_TEXT_ROLES") or ORIGINAL_TEXT_READERS)


def can_read_original_text(user: StaffUser | None, story: Story) -> bool:
    """May this account read the story's original text? The configured roles, in scope."""
    roles = original_text_roles()
    if user is None or not holds_any(user, roles):
        return False
    return scope_for(db.session, user, roles).contains_story(story)


def current_scope(roles: tuple[str, ...]) -> Scope:
    """The areas the logged-in account may see in `roles` (nothing when logged out)."""
    return scope_for(db.session, current_staff_user(), roles)
