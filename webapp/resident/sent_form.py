"""The last story form this browser sent, kept in a small cookie of its own.

The thank-you page shows the story's withdrawal code once; a form sent a second time (the back
button, a double tap) shows the same code again. The code used to ride in the signed session
cookie, whose opening and re-signing was a sixth of a story POST's CPU. This cookie holds the
form's token, the code and whether the code was shown; it is no less private than the session
cookie was (that one is signed, not encrypted), HttpOnly, limited to the story pages, and the
values are checked against their strict shapes before anything is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from ..services.stories import WITHDRAWAL_CODE_SHAPE

COOKIE = "weefsel_verzonden"
PATH = "/verhaal"
_NEW, _SHOWN = "n", "s"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_VALUE = re.compile(
    rf"^(?P<token>(?:{_TOKEN.pattern})?)\.(?P<code>{WITHDRAWAL_CODE_SHAPE})\.(?P<state>[ns])$"
)


@dataclass(frozen=True)
class SentForm:
    token: str
    code: str
    shown: bool


def sent_form_in(cookies) -> SentForm | None:
    """The form this browser sent last, if its cookie is there and well formed."""
    match = _VALUE.match(cookies.get(COOKIE, ""))
    if match is None:
        return None
    return SentForm(match["token"], match["code"], match["state"] == _SHOWN)


def remember_sent_form(response, token: str, code: str, *, shown: bool = False):
    """Keep (or mark as shown) the sent form's code for the thank-you page; returns `response`.

    A form sent without a well-formed token (an old copy of the page) is kept without one.
    """
    token = token if _TOKEN.fullmatch(token) else ""
    response.set_cookie(
        COOKIE,
        f"{token}.{code}.{_SHOWN if shown else _NEW}",
        path=PATH,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", True),
        httponly=True,
        samesite="Lax",
    )
    return response
