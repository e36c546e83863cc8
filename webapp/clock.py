"""The one clock: today's date where Weefsel's users live (Europe/Amsterdam).

Views and commands take `today()` from here and pass it into services, so a story sent at
00:30 on the first of the month counts in that month, whatever the server's time zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Europe/Amsterdam")


def now() -> dt.datetime:
    """The current time in Europe/Amsterdam (time-zone aware)."""
    return dt.datetime.now(TIMEZONE)


def today() -> dt.date:
    """Today's date in Europe/Amsterdam."""
    return now().date()
