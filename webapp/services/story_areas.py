"""The one rule for which stories count for an area, and in which part of it.

A resident may name a wijk, only a stadsdeel, or nothing ("Zeg ik liever niet", the form's
default). Every story counts in every total above the level it names:

- a story with a wijk counts for that wijk, its stadsdeel and its city;
- a story with only a stadsdeel counts for that stadsdeel and its city, and shows as
  "wijk onbekend" where a stadsdeel is broken down into wijken;
- a story without any area belongs to the gemeente whose form it came through. Stories do not
  record their gemeente yet, so while the installation has exactly one city such stories count
  for that city (as "stadsdeel onbekend" in its breakdown); with several cities they cannot be
  placed and count nowhere. `gemeente_of_unplaced_stories` is the one place to change when
  stories learn their gemeente.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from reports.data import UNKNOWN_SUBAREA

from ..models import INITIATIVE_NOTE_CHANNEL, Area, Story

# Stories that count in reports: approved ones and those waiting for review (not rejected).
COUNTED_STATUSES = ("approved", "pending")


def counted_stories(statuses=COUNTED_STATUSES) -> ColumnElement[bool]:
    """SQL condition: the story counts in report figures: a resident's story (not an
    initiative's monthly note) with one of `statuses`. The one rule for raw queries and cells."""
    return and_(Story.status.in_(statuses), Story.channel != INITIATIVE_NOTE_CHANNEL)


def gemeente_of_unplaced_stories(session: Session) -> int | None:
    """The id of the city that stories without an area belong to, or None when not known."""
    cities = session.execute(select(Area.id).where(Area.level == "city").limit(2)).scalars().all()
    return cities[0] if len(cities) == 1 else None


def includes_unplaced_stories(session: Session, area: Area) -> bool:
    """Whether stories without an area count for `area` (it is the city that claims them)."""
    return area.level == "city" and gemeente_of_unplaced_stories(session) == area.id


def area_condition(column, area_ids, unplaced: bool) -> ColumnElement[bool]:
    """SQL condition on an area id column (a story's, or a report cell's): in `area_ids`, or
    NULL when `unplaced` stories count."""
    condition = column.in_(list(area_ids))
    return or_(condition, column.is_(None)) if unplaced else condition


def story_area_condition(session: Session, area: Area, area_ids) -> ColumnElement[bool]:
    """SQL condition: the story counts for `area` (whose subtree has the ids `area_ids`)."""
    return area_condition(Story.area_id, area_ids, includes_unplaced_stories(session, area))


def unplaced_story_count(session: Session, statuses) -> int:
    """Stories without an area that no city can claim (several cities installed)."""
    if gemeente_of_unplaced_stories(session) is not None:
        return 0
    return (
        session.scalar(
            select(func.count(Story.id)).where(Story.area_id.is_(None), counted_stories(statuses))
        )
        or 0
    )


def subarea_buckets(areas: dict[int, Area], top: Area) -> dict[int | None, str]:
    """Map each area id in `top`'s subtree (and None) to the child of `top` it falls in.

    Stories on `top` itself (or without area, for a city) fall in UNKNOWN_SUBAREA: the
    "wijk onbekend" / "stadsdeel onbekend" row of a breakdown. A wijk has no breakdown.
    """
    if top.level == "wijk":
        return {}
    mapping: dict[int | None, str] = {None: UNKNOWN_SUBAREA, top.id: UNKNOWN_SUBAREA}
    for area_id, area in areas.items():
        node = area
        while node is not None and node.parent_id != top.id:
            node = areas.get(node.parent_id) if node.parent_id else None
        if node is not None:
            mapping[area_id] = node.name
    return mapping


def child_names(areas: dict[int, Area], top: Area) -> list[str]:
    """Names of `top`'s direct children (stadsdelen of a city, wijken of a stadsdeel), sorted."""
    return sorted(area.name for area in areas.values() if area.parent_id == top.id)
