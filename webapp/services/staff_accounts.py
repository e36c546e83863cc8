"""Staff accounts: creating them and checking passwords."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import StaffUser

ROLES = ("staff", "coordinator", "councillor", "researcher")
MIN_PASSWORD_LENGTH = 10
# Checked against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


class AccountError(ValueError):
    """An account could not be created; the message says why."""


def create_staff_user(
    session: Session,
    email: str,
    name: str,
    password: str,
    role: str = "staff",
    can_export: bool = False,
) -> StaffUser:
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError("e-mail address is not valid")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email)):
        raise AccountError(f"an account for {email} already exists")
    user = StaffUser(
        email=email,
        name=name.strip() or email,
        password_hash=generate_password_hash(password),
        role=role,
        can_export=can_export or role == "researcher",
    )
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    user = session.scalar(
        select(StaffUser).where(
            func.lower(StaffUser.email) == email.strip().lower(), StaffUser.active.is_(True)
        )
    )
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None
