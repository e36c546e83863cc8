"""The one source of the visitor's language: chosen, remembered, or from the browser.

Residents and initiatives can use every language in RESIDENT_LOCALES; staff, council and
research screens exist in Dutch and English only and fall back to Dutch for the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request, session

DEFAULT_LOCALE = "nl"
RESIDENT_LOCALES = ("nl", "en", "tr", "ar", "pl")
STAFF_LOCALES = ("nl", "en")
RIGHT_TO_LEFT = frozenset({"ar"})
# Each language is named in itself: a reader looks for the name they can read.
LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "pl": "Polski",
}
# Blueprints whose pages exist in Dutch and English only.
STAFF_BLUEPRINTS = frozenset({"staff", "review", "council", "research"})
SESSION_KEY = "lang"


@dataclass(frozen=True)
class LanguageOption:
    """One entry of the language menu."""

    code: str
    name: str
    direction: str


def text_direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def _on_staff_page() -> bool:
    return request.blueprint in STAFF_BLUEPRINTS


def offered_locales() -> tuple[str, ...]:
    """The languages the current page exists in."""
    if has_request_context() and _on_staff_page():
        return STAFF_LOCALES
    return RESIDENT_LOCALES


def preferred_locale() -> str:
    """The language the visitor chose (remembered in the session), else the browser's."""
    chosen = session.get(SESSION_KEY)
    if chosen in RESIDENT_LOCALES:
        return chosen
    return request.accept_languages.best_match(RESIDENT_LOCALES) or DEFAULT_LOCALE


def select_locale() -> str:
    """The language of this page: the preferred one when the page exists in it, else Dutch."""
    if not has_request_context():
        return DEFAULT_LOCALE
    preferred = preferred_locale()
    return preferred if preferred in offered_locales() else DEFAULT_LOCALE


def remember_locale(code: str) -> bool:
    """Remember a language chosen in the menu; False for a language we do not offer."""
    if code not in RESIDENT_LOCALES:
        return False
    session[SESSION_KEY] = code
    return True


def language_menu() -> list[LanguageOption]:
    return [
        LanguageOption(code, LANGUAGE_NAMES[code], text_direction(code))
        for code in offered_locales()
    ]
