"""URL converters that keep absurd values out of the database."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# The largest id any of our integer primary keys can hold (PostgreSQL integer).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` that matches only ids a database column can hold: a 20-digit id is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
