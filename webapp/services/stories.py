"""Submitting and withdrawing residents' stories."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from nlp.language import identify_languages

from ..models import Area, Initiative, Story
from . import audit, submission_tokens
from .erasure import erase_deleted_text
from .gemeenten import gemeente_id_for

# Crockford's base32 without I, L, O, U: easy to read aloud and to type on a phone.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 12  # 60 bits
# What `new_withdrawal_code` hands out, as a regular expression (three groups of four).
WITHDRAWAL_CODE_SHAPE = "-".join([f"[{_CODE_ALPHABET}]{{4}}"] * (_CODE_LENGTH // 4))
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

MIN_STORY_LENGTH = 20
MAX_STORY_LENGTH = 5000


@dataclass(frozen=True)
class StorySubmission:
    """What a resident sends; validated by the form before it gets here."""

    text: str
    area_id: int | None = None
    initiative_id: int | None = None
    age_band: str | None = None
    consent_quote: bool = False
    consent_research: bool = False
    # None when the installation does not ask explicit consent for health data.
    consent_health: bool | None = None
    language: str | None = None
    channel: str = "form"
    # The gemeente whose form was used; a chosen wijk or initiative decides when given.
    gemeente_id: int | None = None


def new_withdrawal_code() -> str:
    """A random code shown once to the resident, grouped in fours: ABCD-EFGH-JKMN."""
    # One read of 60 random bits, five per character (secrets.choice read them twelve times).
    bits = int.from_bytes(secrets.token_bytes(8), "big") >> 4
    raw = "".join(_CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def normalise_withdrawal_code(code: str) -> str:
    """Accept lower case, spaces, dashes and look-alike letters."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(_CONFUSABLE)


def hash_withdrawal_code(code: str, key: str) -> str:
    """HMAC-SHA-256 of the code with the server's withdrawal-code key.

    With a keyed hash, a copy of the database alone does not let anyone test guessed codes.
    """
    message = normalise_withdrawal_code(code).encode("ascii", "ignore")
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _legacy_withdrawal_hash(code: str) -> str:
    """Codes handed out before keyed hashing (release 0.1) were stored as bare SHA-256."""
    return hashlib.sha256(normalise_withdrawal_code(code).encode("ascii", "ignore")).hexdigest()


def first_of_month(today: dt.date) -> dt.date:
    return today.replace(day=1)


def normalise_story_text(text: str) -> str:
    """Unify line endings and trim; the resident's words are otherwise kept as typed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def story_languages(text: str, language: str | None = None) -> tuple[str | None, list[str]]:
    """A story's primary language and every language found in it (per sentence).

    `language` is given when the source already knows it (then it is taken as is).
    """
    if language:
        return language, [language]
    found = identify_languages(text)
    return found.primary, list(found.found)


def record_story_languages(story: Story, language: str | None = None) -> None:
    """Store the story's languages on it (see `story_languages`)."""
    story.language, story.languages = story_languages(story.text, language)


@dataclass(frozen=True)
class SubmittedStory:
    """What was stored of a submitted story (the row itself is not loaded back)."""

    id: int
    text: str
    language: str | None
    languages: list[str] | None
    gemeente_id: int | None
    withdrawal_code_hash: str


_INSERT_STORY = Story.__table__.insert()


def submit_story(
    session: Session,
    submission: StorySubmission,
    today: dt.date,
    code_key: str,
    *,
    submission_token: str = "",
    commit: bool = True,
    gemeente_of: Callable[..., int | None] = gemeente_id_for,
) -> tuple[SubmittedStory, str]:
    """Store a story and return it with its withdrawal code (shown once, stored hashed).

    `submission_token` is the form's one-time token: it is recorded in the same transaction,
    and when the form was sent before nothing is stored and `FormAlreadySent` is raised.
    With `commit=False` the caller adds to the transaction and commits it. `gemeente_of`
    finds the story's gemeente as `gemeente_id_for` does (the form passes its cached choices').
    """
    code = new_withdrawal_code()
    text = normalise_story_text(submission.text)
    # Without a language from the source, the classification job finds the story's languages:
    # identifying them here was a quarter of a story POST's CPU.
    language = submission.language
    languages = [language] if language else None
    month = first_of_month(today)
    values = {
        "text": text,
        "language": language,
        "languages": languages,
        "channel": submission.channel,
        "submitted_month": month,
        "area_id": submission.area_id,
        "gemeente_id": gemeente_of(
            session, submission.area_id, submission.initiative_id, submission.gemeente_id
        ),
        "initiative_id": submission.initiative_id,
        "age_band": submission.age_band,
        "consent_quote": submission.consent_quote,
        "consent_research": submission.consent_research,
        "consent_health": submission.consent_health,
        "withdrawal_code_hash": hash_withdrawal_code(code, code_key),
        "status": "pending",
    }
    # A Core INSERT: the ORM's unit of work cost more than everything else in the request.
    result = session.connection().execute(_INSERT_STORY, values)
    story_id = result.inserted_primary_key[0]
    submission_tokens.record_sent_form(session, submission_token, story_id, month)
    if commit:
        session.commit()
    story = SubmittedStory(
        story_id, text, language, languages, values["gemeente_id"], values["withdrawal_code_hash"]
    )
    return story, code


def withdraw_story(session: Session, code: str, code_key: str) -> bool:
    """Delete the story with this code, and its theme assignments, for good.

    What is left is one audit row saying that story N was withdrawn (kept as long as the
    retention of withdrawal traces says), and no copy of the text in the database file.
    """
    if len(normalise_withdrawal_code(code)) != _CODE_LENGTH:
        return False
    hashes = (hash_withdrawal_code(code, code_key), _legacy_withdrawal_hash(code))
    story = session.scalar(select(Story).where(Story.withdrawal_code_hash.in_(hashes)))
    if story is None:
        return False
    audit.record_event(
        session, "story.withdrawn", actor_label=audit.ANONYMOUS, target=f"story:{story.id}"
    )
    session.delete(story)
    session.commit()
    erase_deleted_text(session)
    return True


def wijk_choices(
    session: Session, gemeente_id: int | None = None
) -> dict[str, list[tuple[int, str]]]:
    """Wijken (of one gemeente, when given) grouped by "city – stadsdeel" (one query)."""
    stadsdeel, city = aliased(Area), aliased(Area)
    query = (
        select(Area.id, Area.name, stadsdeel.name, city.name)
        .join(stadsdeel, stadsdeel.id == Area.parent_id, isouter=True)
        .join(city, city.id == stadsdeel.parent_id, isouter=True)
        .where(Area.level == "wijk")
        .order_by(city.name, stadsdeel.name, Area.name)
    )
    if gemeente_id is not None:
        query = query.where(city.id == gemeente_id)
    rows = session.execute(query).all()
    groups: dict[str, list[tuple[int, str]]] = {}
    for wijk_id, wijk_name, stadsdeel_name, city_name in rows:
        group = " – ".join(name for name in (city_name, stadsdeel_name) if name)
        groups.setdefault(group, []).append((wijk_id, wijk_name))
    return groups


def initiative_choices(session: Session, gemeente_id: int | None = None) -> list[tuple[int, str]]:
    query = select(Initiative.id, Initiative.name).where(Initiative.active.is_(True))
    if gemeente_id is not None:  # initiatives not tied to a gemeente are offered everywhere
        query = query.where(
            or_(Initiative.gemeente_id == gemeente_id, Initiative.gemeente_id.is_(None))
        )
    rows = session.execute(query.order_by(Initiative.name)).all()
    return [(row.id, row.name) for row in rows]
