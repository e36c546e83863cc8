"""Translated text and locale-aware number, money and date formats for reports.

Messages use English msgids. Compiled catalogs come from the repo's `translations/` (domain
"messages"); for Dutch, the fragment `reports/TRANSLATIONS_nl.po-fragment` is a fallback until
the lead has merged it into the catalogs, so Dutch output is right before and after the merge.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

REPO_TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
FRAGMENTS_DIR = Path(__file__).resolve().parent
BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


class Translator:
    """A gettext callable for one locale: `_("msgid")`, plus `ngettext` for plurals.

    A message the catalogs leave untranslated (compiled catalogs keep the English msgid for
    empty plural entries) is looked up in the reports' own fragment before falling back.
    """

    def __init__(
        self, translations: NullTranslations, fragment: NullTranslations | None = None
    ) -> None:
        self._translations = translations
        self._fragment = fragment

    def __call__(self, message: str) -> str:
        result = self._translations.gettext(message)
        if result == message and self._fragment is not None:
            return self._fragment.gettext(message)
        return result

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        result = self._translations.ngettext(singular, plural, n)
        if result in (singular, plural) and self._fragment is not None:
            return self._fragment.ngettext(singular, plural, n)
        return result


def translator(locale: str = "nl", translations_dir: str | Path | None = None) -> Translator:
    """The report texts for `locale`, read from compiled catalogs in `translations_dir`."""
    directory = Path(translations_dir) if translations_dir is not None else REPO_TRANSLATIONS
    return _cached_translator(language(locale), str(directory))


@lru_cache(maxsize=16)
def _cached_translator(lang: str, directory: str) -> Translator:
    catalogs = Translations.load(directory, [lang], domain="messages")
    path = FRAGMENTS_DIR / f"TRANSLATIONS_{lang}.po-fragment"
    fragment = _fragment_translations(path, lang) if path.exists() else None
    return Translator(catalogs, fragment)


def _fragment_translations(path: Path, lang: str) -> NullTranslations:
    """Translations read straight from a .po fragment (no compile step needed)."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return _CatalogTranslations(
        {message.id: message.string for message in catalog if message.id and message.string}
    )


class _CatalogTranslations(NullTranslations):
    """gettext over a plain {msgid: msgstr} mapping; plural msgids map to a (one, other) pair."""

    def __init__(self, messages: dict) -> None:
        super().__init__()
        self._messages = {}
        for msgid, msgstr in messages.items():
            key = msgid[0] if isinstance(msgid, tuple) else msgid
            self._messages[key] = msgstr

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        if isinstance(found, str) and found:
            return found
        return self._fallback.gettext(message) if self._fallback else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._messages.get(singular)
        if isinstance(found, tuple | list) and all(found):
            return found[0] if n == 1 else found[-1]
        return singular if n == 1 else plural


def language(locale: str) -> str:
    """The two-letter language of a locale ('nl_NL' -> 'nl'); unknown ones become 'nl'."""
    lang = (locale or "nl").replace("-", "_").split("_")[0].lower()
    return lang if lang in BABEL_LOCALES else "nl"


class NumberFormat:
    """Numbers, percentages, euros and months written the way readers of `locale` expect."""

    def __init__(self, locale: str = "nl") -> None:
        self.lang = language(locale)
        self.babel_locale = BABEL_LOCALES[self.lang]

    def count(self, value: float) -> str:
        """A whole number with thousands separators: 1.234 (nl), 1,234 (en)."""
        return format_decimal(round(value), locale=self.babel_locale)

    def decimal(self, value: float, digits: int = 1) -> str:
        """A number with `digits` decimals: 3,5 (nl)."""
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return format_decimal(value, format=pattern, locale=self.babel_locale)

    def percent(self, share: float, digits: int = 1) -> str:
        """A share 0..1 as a percentage: 0.035 -> 3,5% (nl); a non-zero share never reads 0%.

        A share too small to show at this precision reads "< 0,1%" (or "< 1%" without digits).
        """
        pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
        smallest = 10 ** -(digits + 2)
        if 0 < share < smallest / 2:
            return "< " + format_percent(smallest, format=pattern, locale=self.babel_locale)
        return format_percent(share, format=pattern, locale=self.babel_locale)

    def points(self, delta: float) -> str:
        """A change in percentage points with its sign: +1,5 (nl)."""
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        return sign + self.decimal(abs(delta) * 100, 1)

    def signed_percent(self, change: float) -> str:
        """A relative change with its sign, never '0%' when not zero: +12%, −3%, < +1%."""
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        if 0 < abs(change) < 0.005:
            return "< " + sign + self.percent(0.01, 0)
        return sign + self.percent(abs(change), 0)

    def signed_count(self, delta: int) -> str:
        """A change in a count with its sign: +12, −3, ±0."""
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        return sign + self.count(abs(delta))

    def euros(self, value: float, cents: bool = True) -> str:
        """An amount in euros: € 1.234,50 (nl)."""
        pattern = None if cents else "¤ #,##0" if self.lang == "nl" else "¤#,##0"
        return format_currency(value, "EUR", format=pattern, locale=self.babel_locale)

    def month(self, month: str, short: bool = False) -> str:
        """A 'YYYY-MM' month as words: 'maart 2026', or 'mrt 2026' when short."""
        year, number = (int(part) for part in month.split("-"))
        pattern = "LLL y" if short else "LLLL y"
        return format_date(dt.date(year, number, 1), pattern, locale=self.babel_locale)

    def date(self, value: dt.date) -> str:
        """A date in words: '5 maart 2026'."""
        return format_date(value, "long", locale=self.babel_locale)
