"""Render a public form page once and serve copies with each visitor's own tokens in it.

The story form is the page most residents open; rendering it (a hundred wijk options, the
self-signification questions, macros, translations) cost many times what serving it does. What
differs per visitor is only the CSRF token and the form's one-time submission token, so the
page is stored split at those two places ("slots") and each request fills in its own values.

Cache only pages that show nothing else per visitor (no errors, no typed text, no account),
and key them by everything the page depends on. A visitor's tokens must never be stored: a
rendered page that does not hold each token exactly once is served but not cached.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

from markupsafe import Markup


class TokenSlotPageCache:
    """Pages split at their token slots, by key (least recently used dropped beyond maxsize)."""

    def __init__(self, maxsize: int = 64):
        self.maxsize = maxsize
        self._pages: OrderedDict[Hashable, tuple[tuple[str, ...], tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def page(
        self,
        key: Hashable,
        tokens: Mapping[str, str],
        render: Callable[[Mapping[str, str]], str],
    ) -> Markup:
        """The page for `key` with these tokens (slot name -> this visitor's value).

        `render(values)` renders the page with the given token values; on a miss it is called
        with random stand-ins, which are then cut out of the stored copy."""
        with self._lock:
            stored = self._pages.get(key)
            if stored is not None:
                self._pages.move_to_end(key)
        if stored is None:
            stored = self._render_and_store(key, tokens, render)
            if stored is None:  # the page did not hold each stand-in once: serve it uncached
                return Markup(render(tokens))
        parts, order = stored
        pieces = [parts[0]]
        for index, name in enumerate(order):
            pieces.append(tokens[name])
            pieces.append(parts[index + 1])
        return Markup("".join(pieces))

    def _render_and_store(self, key, tokens, render):
        stand_ins = {name: f"slot{secrets.token_hex(16)}" for name in tokens}
        html = str(render(stand_ins))
        positions = []
        for name, stand_in in stand_ins.items():
            if html.count(stand_in) != 1:
                return None
            positions.append((html.index(stand_in), name, stand_in))
        positions.sort()
        parts, start = [], 0
        for position, _name, stand_in in positions:
            parts.append(html[start:position])
            start = position + len(stand_in)
        parts.append(html[start:])
        stored = (tuple(parts), tuple(name for _position, name, _stand_in in positions))
        with self._lock:
            self._pages[key] = stored
            while len(self._pages) > self.maxsize:
                self._pages.popitem(last=False)
        return stored
