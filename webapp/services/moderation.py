"""Staff moderation of stories: finding them (search and filters), approving, rejecting, in
bulk, and undoing a bulk change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, selectinload

from ..models import STORY_STATUSES, Area, StaffUser, Story, utcnow
from . import audit
from .areas import area_with_descendants
from .effective_themes import effective_themes
from .scopes import EVERYTHING, Scope
from .story_text import deidentified_text

PAGE_SIZE = 25
MAX_BULK = 200


@dataclass(frozen=True)
class StoryFilter:
    """What a staff member is looking for; every part is optional.

    ``area_code`` includes the areas below it (a stadsdeel finds its wijken' stories); months
    are the first day of a month and include both ends.
    """

    text: str = ""
    area_code: str | None = None
    theme: str | None = None
    status: str | None = None
    language: str | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None


def story_conditions(session: Session, story_filter: StoryFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions for a filter. Callers may add their own (an area scope for a role)
    before querying, which is why this returns conditions rather than stories.

    The text condition only narrows the candidates (the original contains the words); whether a
    story matches is decided on the text staff see (`matches_visible_text`)."""
    conditions: list[ColumnElement[bool]] = []
    if story_filter.text.strip():
        pattern = "%" + _escape_like(story_filter.text.strip()) + "%"
        conditions.append(Story.text.ilike(pattern, escape="\\"))
    if story_filter.area_code:
        area = session.scalar(select(Area).where(Area.code == story_filter.area_code))
        area_ids = list(area_with_descendants(session, area)) if area is not None else []
        conditions.append(Story.area_id.in_(area_ids))
    if story_filter.theme:
        themes = effective_themes()
        conditions.append(
            exists().where(themes.c.story_id == Story.id, themes.c.theme == story_filter.theme)
        )
    if story_filter.status in STORY_STATUSES:
        conditions.append(Story.status == story_filter.status)
    if story_filter.language:
        conditions.append(Story.language == story_filter.language)
    if story_filter.month_from:
        conditions.append(Story.submitted_month >= story_filter.month_from)
    if story_filter.month_to:
        conditions.append(Story.submitted_month <= story_filter.month_to)
    return conditions


def matches_visible_text(story_text: str, search: str) -> bool:
    """Does the text as staff see it (de-identified) contain the searched words?

    Searching the original would tell anyone who may not read it which story names a person
    ("Jansen" finds the story whose shown text says [NAAM-1]), without an audit record."""
    needle = search.strip().casefold()
    return not needle or needle in deidentified_text(story_text).casefold()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def story_languages(session: Session, scope: Scope = EVERYTHING) -> list[str]:
    """The languages stories in `scope` were written in, for the language filter."""
    query = select(Story.language).where(Story.language.is_not(None), scope.stories()).distinct()
    return sorted(session.scalars(query))


@dataclass(frozen=True)
class StoryPage:
    stories: list[Story]
    total: int
    page: int
    pages: int


def list_stories(
    session: Session,
    story_filter: StoryFilter | None = None,
    page: int = 1,
    extra_conditions: Iterable[ColumnElement[bool]] = (),
    scope: Scope = EVERYTHING,
) -> StoryPage:
    """One page of the stories in `scope` matching the filter, newest month first."""
    conditions = [
        *story_conditions(session, story_filter or StoryFilter()),
        *extra_conditions,
        scope.stories(),
    ]
    newest_first = (Story.submitted_month.desc(), Story.id.desc())
    search = (story_filter or StoryFilter()).text
    if search.strip():
        candidates = session.execute(
            select(Story.id, Story.text).where(*conditions).order_by(*newest_first)
        )
        matching_ids = [row.id for row in candidates if matches_visible_text(row.text, search)]
        total = len(matching_ids)
    else:
        total = session.scalar(select(func.count()).select_from(Story).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    query = select(Story).options(
        selectinload(Story.theme_assignments),
        selectinload(Story.area),
        selectinload(Story.initiative),
    )
    if search.strip():
        page_ids = matching_ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        query = query.where(Story.id.in_(page_ids))
    else:
        query = query.where(*conditions).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    stories = session.scalars(query.order_by(*newest_first)).all()
    return StoryPage(list(stories), total, page, pages)


def set_story_status(
    session: Session,
    story_id: int,
    status: str,
    scope: Scope = EVERYTHING,
    actor: StaffUser | None = None,
) -> Story | None:
    """Approve or reject a story in `scope` (None when there is no such story in scope); the
    decision and who took it go to the audit log."""
    if status not in STORY_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    story = session.get(Story, story_id)
    if story is None or not scope.contains_story(story):
        return None
    previous, story.status = story.status, status
    story.status_changed_at = utcnow()
    audit.record_event(
        session,
        "story.moderated",
        actor=actor,
        actor_label=None if actor else audit.COMMAND_LINE,
        target=f"story:{story.id}",
        details={"from": previous, "to": status},
    )
    session.commit()
    return story


def set_statuses(
    session: Session,
    story_ids: Iterable[int],
    status: str,
    extra_conditions: Iterable[ColumnElement[bool]] = (),
    actor: StaffUser | None = None,
) -> dict[int, str]:
    """Give many stories one status; returns each changed story's previous status (for undo)."""
    if status not in STORY_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    ids = sorted(set(story_ids))[:MAX_BULK]
    stories = session.scalars(select(Story).where(Story.id.in_(ids), *extra_conditions)).all()
    previous = {story.id: story.status for story in stories if story.status != status}
    for story in stories:
        if story.id in previous:
            story.status, story.status_changed_at = status, utcnow()
            audit.record_event(
                session,
                "story.moderated",
                actor=actor,
                target=f"story:{story.id}",
                details={"from": previous[story.id], "to": status, "bulk": True},
            )
    session.commit()
    return previous


def restore_statuses(
    session: Session,
    previous: dict[int, str],
    actor: StaffUser | None = None,
    scope: Scope = EVERYTHING,
) -> int:
    """Undo a bulk change: put each story back to its earlier status. Returns how many."""
    wanted = {int(story_id): status for story_id, status in previous.items()}
    restored = 0
    for story in session.scalars(select(Story).where(Story.id.in_(list(wanted)), scope.stories())):
        if wanted[story.id] in STORY_STATUSES:
            audit.record_event(
                session,
                "story.moderated",
                actor=actor,
                target=f"story:{story.id}",
                details={"from": story.status, "to": wanted[story.id], "undo": True},
            )
            story.status, story.status_changed_at = wanted[story.id], utcnow()
            restored += 1
    session.commit()
    return restored


def status_counts(session: Session, scope: Scope) -> dict[str, int]:
    rows = session.execute(
        select(Story.status, func.count()).where(scope.stories()).group_by(Story.status)
    ).all()
    counts = dict.fromkeys(STORY_STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts
