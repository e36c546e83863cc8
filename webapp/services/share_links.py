"""Share links to one published report, for readers without an account.

A link is HMAC(secret key, nonce), like initiative links: only the nonce and the token's
SHA-256 are stored, so staff can copy a link again at any time while a copy of the database
alone opens nothing. Links expire (`SHARE_LINK_DAYS`, default 90), can be revoked, and count
their views; creating, opening and revoking one is written to the audit log.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ReportShareLink, StaffUser
from .audit import record_event
from .council_reports import NotPublishable, ReportParameters, is_publishable
from .scopes import EVERYTHING, Scope
from .secret_tokens import hash_token, plausible_token

TOKEN_PURPOSE = b"weefsel-report-share-link:"
DEFAULT_DAYS = 90

LinkState = Literal["active", "expired", "revoked"]


def _token_from_nonce(secret_key: str, nonce: str) -> str:
    digest = hmac.new(secret_key.encode(), TOKEN_PURPOSE + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def _target(link: ReportShareLink) -> str:
    return f"share_link:{link.id}"


def parameters_of(link: ReportShareLink) -> ReportParameters:
    return ReportParameters(link.period, link.area_code, link.theme, link.initiative_slug)


def create_share_link(
    session: Session,
    parameters: ReportParameters,
    staff_user: StaffUser,
    *,
    secret_key: str,
    now: dt.datetime,
    days: int = DEFAULT_DAYS,
) -> tuple[ReportShareLink, str]:
    """A new link and its token; raises NotPublishable for staff-only parameters."""
    if not is_publishable(parameters):
        raise NotPublishable(parameters.period)
    nonce = secrets.token_urlsafe(24)
    token = _token_from_nonce(secret_key, nonce)
    link = ReportShareLink(
        token_hash=hash_token(token),
        token_nonce=nonce,
        period=parameters.period,
        area_code=parameters.area_code,
        theme=parameters.theme,
        initiative_slug=parameters.initiative_slug,
        created_by_id=staff_user.id,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
        view_count=0,
    )
    session.add(link)
    session.flush()
    record_event(
        session,
        "share_link.created",
        actor=staff_user,
        target=_target(link),
        details={**parameters.as_query(), "expires_at": link.expires_at.isoformat()},
        now=now,
    )
    session.commit()
    return link, token


def link_token(link: ReportShareLink, secret_key: str) -> str | None:
    """The link's token again, for copying; None for old links or after a key change."""
    if not link.token_nonce:
        return None
    token = _token_from_nonce(secret_key, link.token_nonce)
    return token if hmac.compare_digest(hash_token(token), link.token_hash) else None


def link_state(link: ReportShareLink, now: dt.datetime) -> LinkState:
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at is not None and link.expires_at <= now:
        return "expired"
    return "active"


@dataclass(frozen=True)
class OpenedLink:
    """The outcome of opening a share link: its state and, when active, what it shows."""

    state: LinkState | Literal["unknown"]
    link: ReportShareLink | None = None

    @property
    def parameters(self) -> ReportParameters | None:
        return parameters_of(self.link) if self.state == "active" and self.link else None


def open_share_link(session: Session, token: str, *, now: dt.datetime, what: str) -> OpenedLink:
    """Look a token up; an active link counts a view (`what`: page, pdf) in the audit log."""
    if not plausible_token(token):
        return OpenedLink("unknown")
    link = session.scalar(
        select(ReportShareLink).where(ReportShareLink.token_hash == hash_token(token))
    )
    if link is None:
        return OpenedLink("unknown")
    state = link_state(link, now)
    if state == "active":
        link.view_count = (link.view_count or 0) + 1
        link.last_viewed_at = now
        record_event(
            session, "share_link.viewed", target=_target(link), details={"what": what}, now=now
        )
        session.commit()
    return OpenedLink(state, link)


@dataclass(frozen=True)
class ListedLink:
    """One row of the share-link page."""

    link: ReportShareLink
    state: LinkState
    token: str | None
    creator: str


def listed_share_links(
    session: Session, *, secret_key: str, now: dt.datetime, scope: Scope = EVERYTHING
) -> list[ListedLink]:
    """Every share link in the scope, newest first, with its state and (when it can be) its
    token."""
    links = session.scalars(
        select(ReportShareLink)
        .where(scope.share_links(session))
        .order_by(ReportShareLink.created_at.desc(), ReportShareLink.id)
    )
    return [
        ListedLink(
            link,
            link_state(link, now),
            link_token(link, secret_key) if link_state(link, now) == "active" else None,
            link.created_by.name if link.created_by else "–",
        )
        for link in links
    ]


def revoke_share_link(
    session: Session,
    link_id: int,
    actor: StaffUser,
    *,
    now: dt.datetime,
    scope: Scope = EVERYTHING,
) -> bool:
    link = session.scalar(
        select(ReportShareLink).where(ReportShareLink.id == link_id, scope.share_links(session))
    )
    if link is None or link.revoked_at is not None:
        return False
    link.revoked_at = now
    record_event(session, "share_link.revoked", actor=actor, target=_target(link), now=now)
    session.commit()
    return True
