"""Staff moderation of stories: listing, approving, rejecting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..models import STORY_STATUSES, Story
from .scopes import Scope

PAGE_SIZE = 25


@dataclass(frozen=True)
class StoryPage:
    stories: list[Story]
    total: int
    page: int
    pages: int


def list_stories(
    session: Session, scope: Scope, status: str | None = None, page: int = 1
) -> StoryPage:
    """One page of the stories in `scope`, newest first."""
    query = select(Story).where(scope.stories())
    count_query = select(func.count()).select_from(Story).where(scope.stories())
    if status in STORY_STATUSES:
        query = query.where(Story.status == status)
        count_query = count_query.where(Story.status == status)
    total = session.scalar(count_query) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    stories = session.scalars(
        query.options(
            selectinload(Story.theme_assignments),
            selectinload(Story.area),
            selectinload(Story.initiative),
        )
        .order_by(Story.submitted_month.desc(), Story.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return StoryPage(list(stories), total, page, pages)


def set_story_status(session: Session, story_id: int, status: str, scope: Scope) -> Story | None:
    """Approve or reject a story in `scope`; None when there is no such story in scope."""
    if status not in STORY_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    story = session.get(Story, story_id)
    if story is None or not scope.contains_story(story):
        return None
    story.status = status
    session.commit()
    return story


def status_counts(session: Session, scope: Scope) -> dict[str, int]:
    rows = session.execute(
        select(Story.status, func.count()).where(scope.stories()).group_by(Story.status)
    ).all()
    counts = dict.fromkeys(STORY_STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts
