"""One-time tokens in the story form, so a form sent twice (a double click, going back and
sending again, a flaky connection) stores the story once.

The token is random and says nothing about the resident; only its hash and the month are kept.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import UsedSubmissionToken
from .secret_tokens import hash_token, plausible_token


def new_submission_token() -> str:
    return secrets.token_urlsafe(18)


def claim_submission_token(session: Session, token: str, month: dt.date) -> bool:
    """Mark the token as used; False when it was used before (the form was sent already).

    A missing or absurd token (an old cached form) is not tracked and always passes.
    """
    if not plausible_token(token):
        return True
    session.add(UsedSubmissionToken(token_hash=hash_token(token), month=month))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def attach_story(session: Session, token: str, story_id: int) -> None:
    """Link a claimed token to the story it stored (so withdrawing the story removes it too)."""
    if plausible_token(token):
        used = session.get(UsedSubmissionToken, hash_token(token))
        if used is not None:
            used.story_id = story_id
            session.commit()


def release_submission_token(session: Session, token: str) -> None:
    """Forget a claim whose story could not be stored, so sending again works."""
    if plausible_token(token):
        session.rollback()
        session.execute(
            delete(UsedSubmissionToken).where(UsedSubmissionToken.token_hash == hash_token(token))
        )
        session.commit()
