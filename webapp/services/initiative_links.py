"""Personal links for initiatives: issue, look up, rotate, revoke.

The token in the link is HMAC(secret key, nonce). Only the nonce and a SHA-256 of the token are
stored, so a copy of the database alone opens no link, while staff can still show a link again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Initiative, RetiredInitiativeLink, utcnow
from .secret_tokens import hash_token, plausible_token

TOKEN_PURPOSE = b"weefsel-initiative-link:"


def _token_from_nonce(secret_key: str, nonce: str) -> str:
    digest = hmac.new(secret_key.encode(), TOKEN_PURPOSE + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def issue_link_token(session: Session, initiative: Initiative, secret_key: str) -> str:
    """Give the initiative a new link; any earlier link stops working."""
    _retire_current_link(session, initiative, "replaced")
    nonce = secrets.token_urlsafe(24)
    token = _token_from_nonce(secret_key, nonce)
    initiative.link_nonce = nonce
    initiative.link_token_hash = hash_token(token)
    initiative.link_token_created_at = utcnow()
    session.commit()
    return token


def revoke_link(session: Session, initiative: Initiative) -> None:
    _retire_current_link(session, initiative, "revoked")
    initiative.link_nonce = None
    initiative.link_token_hash = None
    initiative.link_token_created_at = None
    session.commit()


def current_link_token(initiative: Initiative, secret_key: str) -> str | None:
    """The token of the working link, recomputed for staff; None when revoked."""
    if not initiative.link_nonce or not initiative.link_token_hash:
        return None
    token = _token_from_nonce(secret_key, initiative.link_nonce)
    # A changed secret key makes old links invalid; then there is no working link to show.
    return token if hmac.compare_digest(hash_token(token), initiative.link_token_hash) else None


def initiative_for_token(session: Session, token: str) -> Initiative | None:
    if not plausible_token(token):
        return None
    return session.scalar(
        select(Initiative).where(
            Initiative.link_token_hash == hash_token(token), Initiative.active.is_(True)
        )
    )


def _retire_current_link(session: Session, initiative: Initiative, reason: str) -> None:
    """Remember the hash of the link that stops working, so its page can say why."""
    if initiative.link_token_hash:
        session.add(
            RetiredInitiativeLink(
                token_hash=initiative.link_token_hash, initiative=initiative, reason=reason
            )
        )


@dataclass(frozen=True)
class LinkLookup:
    """What a personal link leads to: the initiative when it works, else why it does not.

    ``state`` is "ok", "replaced", "revoked", "inactive" (initiative switched off) or
    "unknown" (mistyped, or older than this record); ``since`` is when it stopped working.
    """

    state: str
    initiative: Initiative | None = None
    since: dt.datetime | None = None


def look_up_link(session: Session, token: str) -> LinkLookup:
    """The working initiative for ``token`` or the reason the link does not work."""
    if not plausible_token(token):
        return LinkLookup("unknown")
    token_hash = hash_token(token)
    initiative = session.scalar(select(Initiative).where(Initiative.link_token_hash == token_hash))
    if initiative is not None:
        return LinkLookup("ok" if initiative.active else "inactive", initiative)
    retired = session.scalar(
        select(RetiredInitiativeLink).where(RetiredInitiativeLink.token_hash == token_hash)
    )
    if retired is None:
        return LinkLookup("unknown")
    return LinkLookup(retired.reason, retired.initiative, retired.retired_at)


def link_age_days(initiative: Initiative, today: dt.date) -> int | None:
    if initiative.link_token_created_at is None:
        return None
    return (today - initiative.link_token_created_at.date()).days
