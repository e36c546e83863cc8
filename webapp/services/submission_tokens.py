"""One-time tokens in the story form, so a form sent twice (a double click, going back and
sending again, a flaky connection) stores the story once.

The token is random and says nothing about the resident; only its hash and the month are kept.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from ..models import UsedSubmissionToken
from .secret_tokens import hash_token, plausible_token

_INSERT_TOKEN = UsedSubmissionToken.__table__.insert()


def new_submission_token() -> str:
    return secrets.token_urlsafe(18)


class FormAlreadySent(Exception):
    """This form was sent before: its story is stored already, nothing new was."""


def record_sent_form(connection: Connection, token: str, story_id: int, month: dt.date) -> None:
    """Record the form's token with the story it stores, inside the story's transaction.

    When the token was used before, `FormAlreadySent` is raised and the caller rolls the whole
    transaction (the story with it) back: two sends of one form, even at the same moment on two
    workers, store one story (the token's primary key decides). A missing or absurd token (an
    old cached form) is not tracked and always passes.
    """
    if not plausible_token(token):
        return
    values = {"token_hash": hash_token(token), "story_id": story_id, "month": month}
    try:
        connection.execute(_INSERT_TOKEN, values)
    except IntegrityError:
        raise FormAlreadySent from None
