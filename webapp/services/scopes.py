"""Which areas an account may see in a role: the one place every listing and page asks.

A grant holds a role for an area (a gemeente, stadsdeel or wijk) or for everything. The
account sees, in that role, the granted areas and everything below them. A story or initiative
without a wijk belongs to its gemeente, so only grants for the whole gemeente (or for
everything) include it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import Session

from ..models import Area, Initiative, ReportShareLink, StaffUser, Story

# Pages and the roles that may open them; views and the navigation use these names.
MANAGERS = ("admin", "coordinator")
REVIEWERS = ("admin", "coordinator", "reviewer")
REPORT_READERS = ("admin", "coordinator", "councillor")
EXPORTERS = ("admin", "researcher")
ACCOUNT_MANAGERS = ("admin", "coordinator")


@dataclass(frozen=True)
class Scope:
    """The areas one account may see in some roles; `area_ids` None means every area."""

    area_ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.area_ids is None

    def contains_area(self, area_id: int | None) -> bool:
        return self.area_ids is None or (area_id is not None and area_id in self.area_ids)

    def _condition(self, area_column, gemeente_column):
        if self.area_ids is None:
            return true()
        if not self.area_ids:
            return false()
        ids = sorted(self.area_ids)
        return or_(area_column.in_(ids), and_(area_column.is_(None), gemeente_column.in_(ids)))

    def stories(self):
        """SQL condition: stories in scope."""
        return self._condition(Story.area_id, Story.gemeente_id)

    def initiatives(self):
        """SQL condition: initiatives in scope."""
        return self._condition(Initiative.area_id, Initiative.gemeente_id)

    def contains_story(self, story: Story) -> bool:
        return self.contains_area(story.area_id if story.area_id else story.gemeente_id)

    def contains_initiative(self, initiative: Initiative) -> bool:
        area = initiative.area_id if initiative.area_id else initiative.gemeente_id
        return self.contains_area(area)

    def share_links(self, session: Session):
        """SQL condition: share links whose report area is in scope."""
        if self.area_ids is None:
            return true()
        codes = session.scalars(select(Area.code).where(Area.id.in_(sorted(self.area_ids))))
        return ReportShareLink.area_code.in_(list(codes))


# The command line and services used without an account see everything.
EVERYTHING = Scope(None)


def _descendant_ids(session: Session, roots: Iterable[int]) -> set[int]:
    found, frontier = set(roots), list(roots)
    while frontier:
        children = session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))).all()
        frontier = [child for child in children if child not in found]
        found.update(frontier)
    return found


def visible_area_ids(
    session: Session, user: StaffUser | None, roles: Iterable[str]
) -> frozenset[int] | None:
    """Area ids `user` may see in any of `roles`; None for everything, empty for nothing."""
    if user is None:
        return frozenset()
    grants = [grant for grant in user.grants if grant.role in set(roles)]
    if any(grant.area_id is None for grant in grants):
        return None
    return frozenset(_descendant_ids(session, {grant.area_id for grant in grants}))


def scope_for(session: Session, user: StaffUser | None, roles: Iterable[str]) -> Scope:
    return Scope(visible_area_ids(session, user, roles))


def holds_any(user: StaffUser | None, roles: Iterable[str]) -> bool:
    return user is not None and bool(user.roles() & set(roles))


def gemeente_ids_in(session: Session, scope: Scope) -> list[int]:
    """The gemeenten a scope covers as a whole (where area-less stories are visible)."""
    query = select(Area.id).where(Area.level == "city")
    if scope.area_ids is not None:
        query = query.where(Area.id.in_(sorted(scope.area_ids)))
    return list(session.scalars(query))
