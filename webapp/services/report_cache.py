"""Rendered reports kept for a while: a PDF costs seconds of CPU, a share page is opened often.

Entries are keyed by the report's parameters, language, date and a stamp of the data they
were built from (story, theme, activity and area counts and high-water marks), so a cached
report is never older than the data: a new story, a staff check, a withdrawal or a purge
changes the stamp. PDFs too large to render in a request are kept as files by the job that
made them (services/report_jobs.py), under a key with the same stamp. Entries also expire after `MAX_AGE` seconds, for changes the stamp does
not see (an initiative moved to another wijk). `clear_report_cache()` drops everything; the
purge calls it so no worker keeps a purged story's quote in memory longer than needed.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ActivityReport, Area, Initiative, Story, ThemeAssignment

MAX_ENTRIES = 48
MAX_AGE = 300.0

T = TypeVar("T")

_lock = threading.Lock()
_entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()


def data_stamp(session: Session) -> tuple:
    """A cheap fingerprint of everything a report reads (five aggregate queries)."""
    stories = tuple(
        session.execute(
            select(Story.status, func.count(Story.id), func.max(Story.id))
            .group_by(Story.status)
            .order_by(Story.status)
        ).all()
    )
    themes = session.execute(
        select(func.count(ThemeAssignment.id), func.max(ThemeAssignment.id))
    ).one()
    activity = session.execute(
        select(func.count(ActivityReport.id), func.max(ActivityReport.updated_at))
    ).one()
    initiatives = session.execute(select(func.count(Initiative.id), func.max(Initiative.id))).one()
    areas = session.execute(select(func.count(Area.id), func.max(Area.id))).one()
    return (stories, tuple(themes), tuple(activity), tuple(initiatives), tuple(areas))


def cached(
    key: Hashable, build: Callable[[], T], *, now: Callable[[], float] = time.monotonic
) -> T:
    """The cached value for `key`, or `build()` stored under it (least recently used goes)."""
    with _lock:
        entry = _entries.get(key)
        if entry is not None and now() - entry[0] <= MAX_AGE:
            _entries.move_to_end(key)
            return entry[1]  # type: ignore[return-value]
    value = build()  # outside the lock: two threads may build the same report once each
    with _lock:
        _entries[key] = (now(), value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def cached_value(key: Hashable, *, now: Callable[[], float] = time.monotonic) -> object | None:
    """The cached value for `key` if there is a fresh one, without building it."""
    with _lock:
        entry = _entries.get(key)
        if entry is not None and now() - entry[0] <= MAX_AGE:
            _entries.move_to_end(key)
            return entry[1]
    return None


def clear_report_cache() -> None:
    """Forget every cached report (after a purge, or when settings change)."""
    with _lock:
        _entries.clear()


def cached_entries() -> int:
    """How many reports are cached now (for tests and the admin)."""
    with _lock:
        return len(_entries)
