"""Translations outside a request: for the command line and background work."""

from __future__ import annotations

import os
from collections.abc import Callable

from babel.support import Translations

from .config import TRANSLATIONS_PATH


def command_line_language() -> str:
    """WEEFSEL_LANG (nl or en), else Dutch."""
    lang = os.environ.get("WEEFSEL_LANG", "nl")[:2].lower()
    return lang if lang in ("nl", "en") else "nl"


def gettext_for(lang: str) -> Callable[[str], str]:
    return Translations.load(str(TRANSLATIONS_PATH), [lang]).gettext
