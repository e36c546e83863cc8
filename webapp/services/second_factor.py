"""A second factor for staff: time-based one-time codes (TOTP, RFC 6238) from an authenticator app.

Optional for everyone; required for roles that may read original story text when the
installation sets WEEFSEL_REQUIRE_TOTP=1.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time

import pyotp
from sqlalchemy.orm import Session

from ..models import StaffUser
from . import audit
from .passwords import N_
from .scopes import holds_any
from .staff_accounts import AccountError

ISSUER = "Weefsel"
ROLES_NEEDING_TOTP = ("admin", "coordinator")  # the roles that may read original story text


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: StaffUser, secret: str) -> str:
    """The otpauth:// link an authenticator app reads (typed in or from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def matching_step(secret: str | None, code: str, now: float | None = None) -> int | None:
    """The 30-second step whose code this is (this step or a neighbour: clocks drift)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not secret or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    step = totp.timecode(dt.datetime.fromtimestamp(moment, dt.UTC))
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def code_matches(secret: str | None, code: str) -> bool:
    return matching_step(secret, code) is not None


def accept_login_code(user: StaffUser, code: str, now: float | None = None) -> bool:
    """True for a right code not used before (the caller commits the remembered step)."""
    step = matching_step(user.totp_secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def totp_required(user: StaffUser, required_by_installation: bool) -> bool:
    return required_by_installation and holds_any(user, ROLES_NEEDING_TOTP)


def turn_on(session: Session, user: StaffUser, secret: str, code: str) -> None:
    """Store the secret once the user proved their app makes the right codes."""
    if not code_matches(secret, code):
        raise AccountError(
            N_("This code is not right. Check the time on your phone and try again.")
        )
    user.totp_secret = secret
    audit.record_event(
        session,
        "account.changed",
        actor=user,
        target=f"staff_user:{user.id}",
        details={"second_factor": "on"},
    )
    session.commit()


def turn_off(session: Session, user: StaffUser, code: str, required: bool) -> None:
    if required:
        raise AccountError(N_("Your role needs a second step when logging in; it stays on."))
    if not code_matches(user.totp_secret, code):
        raise AccountError(
            N_("This code is not right. Check the time on your phone and try again.")
        )
    user.totp_secret = None
    audit.record_event(
        session,
        "account.changed",
        actor=user,
        target=f"staff_user:{user.id}",
        details={"second_factor": "off"},
    )
    session.commit()
