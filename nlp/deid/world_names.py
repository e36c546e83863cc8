"""Capitalised words that name no person: countries, languages, demonyms, world cities and
diseases named after people.

Countries, languages and city names come from the Unicode CLDR as shipped in Babel (a
dependency already, for the translations), in Dutch and English: 'Turkije', 'Turkey',
'Arabisch', 'Arabic', 'Istanbul'. CLDR has no demonyms and no diseases; those are curated
lists in ``nlp/data/names/curated/`` (``nationalities.txt``, ``eponymous_conditions.txt``).

A single word that is also a listed first name ('Jordan', 'Georgia', 'Victoria') or a name that
is also an ordinary word ('Frans') is left out: blocking it would hide the person of that name.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel import Locale
from babel.core import get_global

from nlp.deid.lexicon import ListFileError, read_entries

LOCALES = ("nl", "en")
# English CLDR says 'Türkiye'; people still write the older names.
EXTRA_COUNTRIES = ("Turkey", "Holland", "Burma", "Ivory Coast", "Czech Republic", "Swaziland")
CONDITION_WORDS = frozenset(
    {"ziekte", "syndroom", "sindroom", "disease", "syndrome", "morbus", "aandoening"}
)


def countries_and_languages() -> set[str]:
    """Country, region and language names in Dutch and English, from CLDR."""
    names: set[str] = set(EXTRA_COUNTRIES)
    for code in LOCALES:
        locale = Locale.parse(code)
        names.update(n for key, n in locale.territories.items() if not key.isdigit())
        names.update(n[0].upper() + n[1:] for n in locale.languages.values() if n)
    return {n for n in names if n[0].isupper()}


def world_cities() -> set[str]:
    """City names of the time-zone database as CLDR lists them, with Dutch exemplar names."""
    cities = {zone.rsplit("/", 1)[-1].replace("_", " ") for zone in get_global("zone_territories")}
    for code in LOCALES:
        for zone in Locale.parse(code).time_zones.values():
            city = zone.get("city")
            if city:
                cities.add(city)
    return {c for c in cities if c[:1].isupper() and not c.startswith(("Etc", "GMT", "UTC"))}


def demonyms(path: Path) -> set[str]:
    """Whitespace-separated words per line, '#' lines are comments."""
    words: set[str] = set()
    for entry in read_entries(path):
        words.update(entry.split())
    return words


def conditions(path: Path) -> list[str]:
    """Eponymous conditions, one per line."""
    entries = read_entries(path)
    if not entries:
        raise ListFileError(path, 0, "no conditions listed")
    return entries


def never_persons(
    curated: Path, is_first_name: Callable[[str], bool], is_ambiguous: Callable[[str], bool]
) -> tuple[str, ...]:
    """Phrases to block everywhere (see the module docstring for what is left out). The
    curated demonyms are kept unless they are a first name; CLDR's names also go when they are
    a name that is an ordinary word."""
    cldr = countries_and_languages() | world_cities()
    kept = {n for n in cldr if " " in n or not (is_first_name(n) or is_ambiguous(n))}
    kept |= {n for n in demonyms(curated / "nationalities.txt") if not is_first_name(n)}
    return tuple(sorted(kept))
