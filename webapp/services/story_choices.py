"""The gemeenten and the wijk and initiative choices of the story form, built once and kept
until areas or initiatives change.

Building them took a join over every wijk on each GET and POST (and two more queries to find
the gemeente when an installation serves several). A commit that adds, changes or
removes an Area or Initiative rewrites a small stamp file in the instance folder; every process
compares the stamp's modification time (one stat call) before using its copy, so web workers on
this machine see the change at once. Workers on other machines share no instance folder; for
them the copy also expires after `max_age` seconds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..models import Area, Initiative, PostcodeArea
from .gemeenten import (
    GemeenteInfo,
    first_known_gemeente,
    gemeente_id_for,
    gemeente_id_of_area,
    gemeente_id_of_initiative,
    list_gemeenten,
    normalised_gemeente_code,
)
from .stories import initiative_choices, wijk_choices

STAMP_FILE = "story-choices.stamp"


@dataclass(frozen=True)
class StoryChoices:
    wijken: dict[str, list[tuple[int, str]]]
    initiatives: list[tuple[int, str]]
    # The gemeente of each offered wijk and initiative, so a story finds its gemeente without
    # walking the area tree on every POST (that was a third of a POST with a wijk chosen).
    gemeente_of_wijk: dict[int, int | None] = field(default_factory=dict)
    gemeente_of_initiative: dict[int, int | None] = field(default_factory=dict)
    # A postcode from the offered wijken' own postcode table, for the search hint; None when
    # they have none (another gemeente's postcode would only mislead).
    example_postcode: str | None = None

    def gemeente_for(
        self,
        session: Session,
        area_id: int | None,
        initiative_id: int | None,
        fallback: int | None,
    ) -> int | None:
        """`gemeenten.gemeente_id_for`, from these choices where they know the wijk and the
        initiative, else from the database."""
        known_area = area_id is None or area_id in self.gemeente_of_wijk
        known_initiative = initiative_id is None or initiative_id in self.gemeente_of_initiative
        if not (known_area and known_initiative):
            return gemeente_id_for(session, area_id, initiative_id, fallback)
        return first_known_gemeente(
            self.gemeente_of_wijk.get(area_id) if area_id is not None else None,
            self.gemeente_of_initiative.get(initiative_id) if initiative_id is not None else None,
            fallback,
        )


def read_story_choices(session: Session, gemeente_id: int | None) -> StoryChoices:
    """The choices of one gemeente's form (all gemeenten for None), with their gemeenten."""
    wijken = wijk_choices(session, gemeente_id)
    initiatives = initiative_choices(session, gemeente_id)
    return StoryChoices(
        wijken,
        initiatives,
        {
            wijk_id: gemeente_id_of_area(session, wijk_id)
            for group in wijken.values()
            for wijk_id, _ in group
        },
        {
            initiative_id: gemeente_id_of_initiative(session, initiative_id)
            for initiative_id, _ in initiatives
        },
        _example_postcode(session, [wijk_id for group in wijken.values() for wijk_id, _ in group]),
    )


def _example_postcode(session: Session, wijk_ids: list[int]) -> str | None:
    if not wijk_ids:
        return None
    query = select(func.min(PostcodeArea.postcode)).where(PostcodeArea.area_id.in_(wijk_ids))
    return session.scalar(query)


NO_CHOICES = StoryChoices({}, [])


class _Snapshot:
    """What was read for one stamp: the gemeenten, and choices per gemeente as first asked."""

    def __init__(self, stamp: int, built_at: float, gemeenten: list[GemeenteInfo]):
        self.stamp, self.built_at = stamp, built_at
        self.gemeenten = gemeenten
        self.by_code = {gemeente.code: gemeente for gemeente in gemeenten}
        self.choices: dict[int | None, StoryChoices] = {}


class StoryChoiceCache:
    """The gemeenten of the installation and the story form's choices (all of them, or one
    gemeente's), read once and kept until areas or initiatives change."""

    def __init__(
        self,
        instance_path: str | Path,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.stamp_path = Path(instance_path) / STAMP_FILE
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self._last_choices: StoryChoices | None = None
        self.generation = 0  # bumped on every rebuild; pages built from the choices key on it

    def _read_stamp(self) -> int:
        try:
            return os.stat(self.stamp_path).st_mtime_ns
        except OSError:
            return 0

    def _current(self, session: Session) -> _Snapshot:
        stamp = self._read_stamp()
        snapshot = self._snapshot
        if (
            snapshot is not None
            and stamp == snapshot.stamp
            and self._clock() - snapshot.built_at < self.max_age
        ):
            return snapshot
        with self._lock:
            snapshot = _Snapshot(stamp, self._clock(), list_gemeenten(session))
            self._snapshot = snapshot
            self.generation += 1
        return snapshot

    def get(self, session: Session, gemeente_id: int | None = None) -> StoryChoices:
        """Wijk and initiative choices: of every gemeente, or of the one given."""
        snapshot = self._current(session)
        choices = snapshot.choices.get(gemeente_id)
        if choices is None:
            choices = read_story_choices(session, gemeente_id)
            snapshot.choices[gemeente_id] = choices
        self._last_choices = choices
        return choices

    def gemeenten(self, session: Session) -> list[GemeenteInfo]:
        """Every gemeente of the installation, by name."""
        return self._current(session).gemeenten

    def gemeente_by_code(self, session: Session, code: str | None) -> GemeenteInfo | None:
        """The gemeente with this code (as `gemeenten.gemeente_by_code` reads it), or None."""
        code = normalised_gemeente_code(code)
        return None if code is None else self._current(session).by_code.get(code)

    def last_known(self) -> StoryChoices:
        """The choices as last used, without asking the database (which may be down)."""
        return self._last_choices or NO_CHOICES

    def invalidate(self) -> None:
        """Areas or initiatives changed: every process on this machine rebuilds its copy."""
        self._snapshot = None
        self.stamp_path.parent.mkdir(parents=True, exist_ok=True)
        self.stamp_path.write_text(str(time.time_ns()), encoding="ascii")


_CHANGED_FLAG = "weefsel_story_choices_changed"


def _touches_choices(session: Session) -> bool:
    return any(
        isinstance(obj, Area | Initiative | PostcodeArea)
        for obj in (*session.new, *session.dirty, *session.deleted)
    )


def watch_for_changes(invalidate: Callable[[], None]) -> None:
    """Call `invalidate` after each commit that changed an Area or Initiative (once per process)."""
    if getattr(watch_for_changes, "_installed", False):
        return
    watch_for_changes._installed = True

    @event.listens_for(Session, "before_flush")
    def _note_change(session, _flush_context, _instances):
        if _touches_choices(session):
            session.info[_CHANGED_FLAG] = True

    @event.listens_for(Session, "after_commit")
    def _after_commit(session):
        if session.info.pop(_CHANGED_FLAG, False):
            invalidate()

    @event.listens_for(Session, "after_rollback")
    def _after_rollback(session):
        session.info.pop(_CHANGED_FLAG, None)


def invalidate_for_current_app() -> None:
    """The listener's action: drop the choices of the app whose session committed."""
    from flask import current_app, has_app_context

    if has_app_context():
        cache = current_app.extensions.get("weefsel_story_choices")
        if cache is not None:
            cache.invalidate()
