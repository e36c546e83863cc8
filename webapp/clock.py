"""The one clock: today's date where Weefsel's users live (Europe/Amsterdam).

Views and the CLI call `today()` once and pass the date into services, so tests pass a fixed
date and no service asks the system clock itself.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> dt.datetime:
    """The current time in Europe/Amsterdam (timezone-aware)."""
    return dt.datetime.now(AMSTERDAM)


def today() -> dt.date:
    """Today's date in Europe/Amsterdam (not the server's UTC date around midnight)."""
    return now().date()
