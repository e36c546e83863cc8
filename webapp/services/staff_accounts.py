"""Staff accounts: creating, inviting, changing roles, deactivating, passwords and one-time links.

Who may manage whom: an admin within the admin's scope, a coordinator within theirs, and only
for roles below admin. Every change is audit-logged; the caller's session is committed here
together with its audit row.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ROLES, AccountToken, Area, RoleGrant, StaffUser, utcnow
from . import audit
from .passwords import N_, PASSWORD_LIMITS, password_problem
from .scopes import ACCOUNT_MANAGERS, Scope, scope_for
from .secret_tokens import hash_token, plausible_token

# Checked against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")
INVITE_VALID = dt.timedelta(days=7)
RESET_VALID = dt.timedelta(hours=24)
TOKEN_PURPOSES = ("invite", "reset")


class AccountError(ValueError):
    """An account change was refused; `msgid` (English, translatable) and `params` say why."""

    def __init__(self, msgid: str, **params):
        super().__init__(msgid % params if params else msgid)
        self.msgid, self.params = msgid, params

    def render(self, gettext) -> str:
        text = gettext(self.msgid)
        return text % self.params if self.params else text


@dataclass(frozen=True)
class Grant:
    """A role for an area id (None: everywhere)."""

    role: str
    area_id: int | None = None


def _target(user: StaffUser) -> str:
    return f"staff_user:{user.id}"


def _describe(grants: Iterable[Grant]) -> list[str]:
    return sorted(f"{g.role}@{g.area_id if g.area_id is not None else 'all'}" for g in grants)


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, **PASSWORD_LIMITS) if "%(" in problem else AccountError(problem)


def _check_grants(session: Session, grants: list[Grant]) -> None:
    if not grants:
        raise AccountError(N_("Choose at least one role."))
    for grant in grants:
        if grant.role not in ROLES:
            raise AccountError(N_("Unknown role %(role)s."), role=grant.role)
        if grant.area_id is not None and session.get(Area, grant.area_id) is None:
            raise AccountError(N_("Unknown area."))


def may_grant(session: Session, actor: StaffUser | None, grants: Iterable[Grant]) -> bool:
    """Can `actor` hand out these grants? None is the command line, which may do anything."""
    if actor is None:
        return True
    for grant in grants:
        roles = ("admin",) if grant.role == "admin" else ACCOUNT_MANAGERS
        scope = scope_for(session, actor, roles)
        allowed = scope.everything if grant.area_id is None else scope.contains_area(grant.area_id)
        if not allowed:
            return False
    return True


def may_manage(session: Session, actor: StaffUser | None, user: StaffUser) -> bool:
    """Every grant the account holds lies within what `actor` may hand out."""
    if actor is not None and actor.id == user.id:
        return False  # nobody changes or deactivates their own access
    grants = [Grant(g.role, g.area_id) for g in user.grants]
    return may_grant(session, actor, grants)


def create_staff_user(
    session: Session,
    email: str,
    name: str,
    password: str | None,
    role: str = "coordinator",
    area_id: int | None = None,
    grants: list[Grant] | None = None,
    actor: StaffUser | None = None,
) -> StaffUser:
    """A new account with its grants; password None makes an invited account (no login yet)."""
    email = email.strip().lower()
    grants = grants if grants is not None else [Grant(role, area_id)]
    _check_grants(session, grants)
    if "@" not in email or len(email) > 200 or "\x00" in email:
        raise AccountError(N_("This e-mail address is not valid."))
    if password is not None:
        _check_password(password)
    if not may_grant(session, actor, grants):
        raise AccountError(N_("You may not give this role for this area."))
    if session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email)):
        raise AccountError(N_("An account for %(email)s already exists."), email=email)
    user = StaffUser(
        email=email,
        name=(name or "").strip()[:200] or email,
        password_hash=generate_password_hash(password) if password is not None else "",
    )
    user.grants = [RoleGrant(role=g.role, area_id=g.area_id) for g in grants]
    session.add(user)
    session.flush()
    _record_account_event(
        session,
        "account.created",
        actor,
        user,
        details={"grants": _describe(grants), "invited": password is None},
    )
    session.commit()
    return user


def set_grants(
    session: Session, user: StaffUser, grants: list[Grant], actor: StaffUser | None = None
) -> None:
    """Replace the account's roles and areas."""
    _check_grants(session, grants)
    if not may_manage(session, actor, user) or not may_grant(session, actor, grants):
        raise AccountError(N_("You may not give this role for this area."))
    before = _describe(Grant(g.role, g.area_id) for g in user.grants)
    wanted = list(dict.fromkeys(grants))
    # Keep the rows that stay (the unique constraint would refuse a new copy before the
    # old row is deleted), drop the others, add what is new.
    kept = [g for g in user.grants if Grant(g.role, g.area_id) in wanted]
    held = {Grant(g.role, g.area_id) for g in kept}
    user.grants = kept + [
        RoleGrant(role=g.role, area_id=g.area_id) for g in wanted if g not in held
    ]
    _record_account_event(
        session,
        "account.changed",
        actor,
        user,
        details={"before": before, "after": _describe(grants)},
    )
    session.commit()


def deactivate(session: Session, user: StaffUser, actor: StaffUser | None = None) -> None:
    """The account can no longer log in; its sessions end now. Its history stays."""
    if not may_manage(session, actor, user):
        raise AccountError(N_("You may not change this account."))
    user.active = False
    user.session_generation = (user.session_generation or 0) + 1
    _record_account_event(
        session,
        "account.deactivated",
        actor,
        user,
    )
    session.commit()


def _record_account_event(
    session: Session,
    action: str,
    actor: StaffUser | None,
    user: StaffUser,
    details: dict | None = None,
) -> None:
    """Audit a change to `user`'s account; no actor means someone on the command line."""
    audit.record_event(
        session,
        action,
        actor=actor,
        actor_label=None if actor else audit.COMMAND_LINE,
        target=_target(user),
        details=details,
    )


def _issue_token(session: Session, user: StaffUser, purpose: str, now: dt.datetime) -> str:
    for old in session.scalars(
        select(AccountToken).where(
            AccountToken.staff_user_id == user.id, AccountToken.used_at.is_(None)
        )
    ):
        old.used_at = now  # a new link replaces every earlier one
    token = secrets.token_urlsafe(32)
    valid = INVITE_VALID if purpose == "invite" else RESET_VALID
    session.add(
        AccountToken(
            staff_user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + valid,
        )
    )
    return token


def invite(
    session: Session,
    email: str,
    name: str,
    grants: list[Grant],
    actor: StaffUser | None = None,
    now: dt.datetime | None = None,
) -> tuple[StaffUser, str]:
    """A new account without a password and its one-time link (valid 7 days), shown once."""
    user = create_staff_user(session, email, name, None, grants=grants, actor=actor)
    token = _issue_token(session, user, "invite", now or utcnow())
    session.commit()
    return user, token


def reset_link(
    session: Session,
    user: StaffUser,
    actor: StaffUser | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A one-time link (valid 24 hours) to choose a new password; current sessions end."""
    if actor is not None and not may_manage(session, actor, user):
        raise AccountError(N_("You may not change this account."))
    if not user.active:
        raise AccountError(N_("This account has been deactivated."))
    token = _issue_token(session, user, "reset", now or utcnow())
    user.session_generation = (user.session_generation or 0) + 1
    _record_account_event(
        session,
        "account.password_reset",
        actor,
        user,
        details={"step": "link made"},
    )
    session.commit()
    return token


def account_for_token(
    session: Session, token: str, now: dt.datetime | None = None
) -> AccountToken | None:
    """The unused, unexpired link with this token, for an active account."""
    if not plausible_token(token):
        return None
    link = session.scalar(select(AccountToken).where(AccountToken.token_hash == hash_token(token)))
    if link is None or link.used_at is not None or link.expires_at < (now or utcnow()):
        return None
    return link if link.user.active else None


def set_password_with_token(
    session: Session, token: str, password: str, now: dt.datetime | None = None
) -> StaffUser:
    """Use a one-time link: the new password counts, the link and every session end."""
    link = account_for_token(session, token, now)
    if link is None:
        raise AccountError(N_("This link no longer works. Ask for a new one."))
    _check_password(password)
    user = link.user
    link.used_at = now or utcnow()
    user.password_hash = generate_password_hash(password)
    user.session_generation = (user.session_generation or 0) + 1
    _record_account_event(
        session,
        "account.password_reset",
        user,
        user,
        {"step": "password set", "link": link.purpose},
    )
    session.commit()
    return user


def change_password(session: Session, user: StaffUser, current: str, new: str) -> None:
    """The account holder changes their own password; every other session ends."""
    if not check_password_hash(user.password_hash or _DUMMY_HASH, current):
        raise AccountError(N_("Your current password is not right."))
    _check_password(new)
    user.password_hash = generate_password_hash(new)
    user.session_generation = (user.session_generation or 0) + 1
    _record_account_event(
        session, "account.password_reset", user, user, {"step": "changed by owner"}
    )
    session.commit()


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    """The active account with this e-mail and password, else None (in the same time)."""
    email = email.strip().lower()
    user = None
    if "\x00" not in email and len(email) <= 200:
        user = session.scalar(
            select(StaffUser).where(
                func.lower(StaffUser.email) == email, StaffUser.active.is_(True)
            )
        )
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def find_account(session: Session, email: str) -> StaffUser | None:
    return session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    )


def accounts_in_scope(session: Session, scope: Scope) -> list[StaffUser]:
    """Accounts with at least one grant inside `scope` (every account for a global scope)."""
    users = session.scalars(
        select(StaffUser).options(selectinload(StaffUser.grants)).order_by(StaffUser.email)
    ).all()
    if scope.everything:
        return list(users)
    return [
        u
        for u in users
        if any(g.area_id is not None and scope.contains_area(g.area_id) for g in u.grants)
    ]
