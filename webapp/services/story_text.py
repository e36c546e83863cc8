"""Which text of a story someone may see: de-identified by default, the original on request.

Staff screens, theme review, report quotes and exports show `deidentified_text(story.text)`,
the one de-identification path in `nlp/`. The original text is shown only when a role that
may read it asks for it explicitly, one story at a time, and that view is audit-logged.
"""

from __future__ import annotations

import functools

from sqlalchemy.orm import Session

from nlp.anonymise import deidentified_text as nlp_deidentified_text

from ..models import StaffUser, Story
from . import audit


@functools.lru_cache(maxsize=4096)
def deidentified_text(text: str) -> str:
    """The text as staff see it (nlp.anonymise.deidentified_text), cached per text."""
    return nlp_deidentified_text(text) if text else ""


class OriginalTextRefused(PermissionError):
    """This user may not read original story text."""


def reveal_original_text(
    session: Session, story: Story, user: StaffUser, may_read: bool, reason: str | None = None
) -> str:
    """The original text, after writing who asked for it and when to the audit log.

    `may_read` is the caller's permission check (webapp.auth.can_read_original_text: the
    configured roles, within the account's areas)."""
    if not may_read:
        raise OriginalTextRefused(user.email if user else "anonymous")
    details = {"reason": reason.strip()[:200]} if reason and reason.strip() else {}
    audit.record_event(
        session, "story.original_viewed", actor=user, target=f"story:{story.id}", details=details
    )
    session.commit()
    return story.text
