"""Render a public page once per language and serve the copy, with a fresh CSRF token per request.

The story form is the page most residents open; rendering it (a hundred wijk options, macros,
translations) cost several times what serving it does. The only per-visitor part of the page is
the CSRF token, so the page is stored with a slot where the token goes.

Cache only pages that show nothing else per visitor (no flashed messages, no form errors, no
account), and only without a query string (it would let anyone grow the cache).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

TOKEN_SLOT = "\x00csrf-token-slot\x00"


class TokenSlotPageCache:
    def __init__(self, maxsize: int = 16):
        self.maxsize = maxsize
        self._pages: dict[Hashable, str] = {}
        self._lock = threading.Lock()

    def page(self, key: Hashable, render: Callable[[], str]) -> str:
        """The page for `key` with this visitor's token; `render()` builds it on a miss."""
        token = generate_csrf()
        cached = self._pages.get(key)
        if cached is None:
            html = str(render())
            if html.count(token) != 1:  # the token is not where we expect: do not cache
                return html
            cached = html.replace(token, TOKEN_SLOT)
            with self._lock:
                if len(self._pages) >= self.maxsize:
                    self._pages.clear()
                self._pages[key] = cached
        return Markup(cached.replace(TOKEN_SLOT, token))
