"""Loads the name, place, organisation, street and context-word lists the detectors use.

The lists are data files in ``nlp/data/names/`` (see SOURCES.md there). A malformed line makes
loading fail with a ``ListFileError`` that names the file and the line.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TypeVar

NAMES_DIR = Path(__file__).resolve().parent.parent / "data" / "names"
CONTEXT_SECTIONS = frozenset(
    {
        "titles",
        "speech_verbs",
        "person_verbs",
        "name_intro",
        "greetings",
        "org_heads",
        "org_tails",
        "location_preps",
        "address_intro",
        "non_name_suffixes",
        "org_links",
    }
)
SUFFIX_SECTIONS = frozenset({"strong", "weak"})
ENTRY = re.compile(r"^[^\t<>{}\[\]|]+$")
Key = TypeVar("Key", str, tuple[str, ...])
Answer = TypeVar("Answer")


class WordMemo(dict[Key, Answer]):
    """One function of a word (or a tuple of words) with its answers cached; the lists it
    reads never change.

    Bounded: emptied when full, so a stream of new words cannot grow memory without limit.
    """

    def __init__(self, predicate: Callable[[Key], Answer], max_size: int = 50_000) -> None:
        super().__init__()
        self.predicate = predicate
        self.max_size = max_size

    def __missing__(self, word: Key) -> Answer:
        if len(self) >= self.max_size:
            self.clear()
        answer = self[word] = self.predicate(word)
        return answer


class ListFileError(ValueError):
    """A list file has a line the loader cannot use."""

    def __init__(self, path: Path, line_number: int, reason: str) -> None:
        super().__init__(f"{path}:{line_number}: {reason}")
        self.path = path
        self.line_number = line_number


class WordSet:
    """A large word list for membership tests only, kept as sorted 64-bit string hashes.

    Eight bytes a word instead of about a hundred as a frozenset of str: the ~400,000 Dutch
    word forms took 45 MB in every process that de-identifies (a web worker showing staff
    pages among them). Python's string hash is fixed for the life of a process, and the set is
    built in the process that asks; two different words sharing a 64-bit hash is about as
    likely as a cosmic-ray bit flip in the lookup.
    """

    __slots__ = ("_hashes",)

    def __init__(self, words: Iterable[str]):
        self._hashes = array("q", sorted({hash(word) for word in words}))

    def __contains__(self, word: object) -> bool:
        key = hash(word)
        at = bisect_left(self._hashes, key)
        return at < len(self._hashes) and self._hashes[at] == key

    def __len__(self) -> int:
        return len(self._hashes)


@dataclass(frozen=True)
class Lexicon:
    """All word lists, lower-cased; phrase lists keep their original spelling for matching."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    ambiguous_names: frozenset[str]
    exact_names: frozenset[str]
    name_keys: frozenset[str]
    lowercase_names: frozenset[str]
    places: tuple[str, ...]
    organisations: tuple[str, ...]
    other_proper_nouns: tuple[str, ...]
    place_words: frozenset[str]
    streets_without_suffix: tuple[str, ...]
    strong_street_suffixes: tuple[str, ...]
    weak_street_suffixes: tuple[str, ...]
    context: dict[str, frozenset[str]]
    dutch_words: WordSet
    function_words: frozenset[str] = frozenset()  # stop words and closed-class words
    never_persons: tuple[str, ...] = ()  # countries, languages, demonyms, cities (world_names)
    conditions: tuple[str, ...] = ()  # diseases named after people ('Parkinson')

    def is_first_name(self, word: str) -> bool:
        """True for a known first name in any capitalisation or accent spelling."""
        key = word.lower()
        return key in self.first_names or fold_accents(key) in self.first_names

    def is_last_name(self, word: str) -> bool:
        """True for a known surname token (without particles such as 'van der')."""
        key = word.lower()
        return key in self.last_names or fold_accents(key) in self.last_names

    def is_listed_name(self, word: str) -> bool:
        """In any of the name lists, including the ambiguous names."""
        key = word.lower()
        return key in self.name_keys or (not key.isascii() and fold_accents(key) in self.name_keys)

    def is_ambiguous(self, word: str) -> bool:
        """True when the name is also a common Dutch word ('Roos', 'Visser', 'Ben').

        A word that matches a listed name only without its accents ('Bus' ~ 'Buś') counts
        as ambiguous when it is a Dutch word.
        """
        key = word.lower()
        if key in self.ambiguous_names:
            return True
        return key not in self.exact_names and key in self.dutch_words

    def words(self, section: str) -> frozenset[str]:
        """One section of context_words.txt."""
        return self.context[section]


def fold_accents(text: str) -> str:
    """'özdemir' -> 'ozdemir': lists and texts differ in whether they keep diacritics."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_lexicon(directory: Path = NAMES_DIR) -> Lexicon:
    """Read every list from ``directory``; raises ListFileError on a malformed line."""
    curated = directory / "curated"
    first_names = read_entries(directory / "first_names.txt")
    last_names = read_entries(directory / "last_names.txt")
    places = read_entries(directory / "places.txt")
    ambiguous = frozenset(e.lower() for e in read_entries(directory / "ambiguous_names.txt"))
    from nlp.deid import world_names  # imports this module's readers

    first_keys = _folded(first_names)
    function_words = _words(curated / "closed_class_words.txt") | _spacy_stop_words()
    return Lexicon(
        first_names=_folded(first_names),
        last_names=_folded(last_names),
        name_keys=_folded(first_names) | _folded(last_names) | ambiguous,
        exact_names=frozenset(n.lower() for n in first_names + last_names),
        ambiguous_names=ambiguous,
        lowercase_names=frozenset(
            e.lower() for e in read_entries(directory / "lowercase_names.txt")
        ),
        places=tuple(places),
        organisations=tuple(read_entries(curated / "organisations.txt")),
        other_proper_nouns=tuple(read_entries(curated / "other_proper_nouns.txt")),
        place_words=frozenset(p for p in places if " " not in p),
        streets_without_suffix=tuple(read_entries(curated / "streets_without_suffix.txt")),
        strong_street_suffixes=_suffixes(curated / "street_suffixes.txt", "strong"),
        weak_street_suffixes=_suffixes(curated / "street_suffixes.txt", "weak"),
        context=read_sections(curated / "context_words.txt", CONTEXT_SECTIONS),
        dutch_words=WordSet(chain(dutch_word_forms(), function_words)),
        function_words=function_words,
        never_persons=world_names.never_persons(
            curated,
            lambda word: fold_accents(word.lower()) in first_keys,
            lambda word: word.lower() in ambiguous,
        ),
        conditions=tuple(world_names.conditions(curated / "eponymous_conditions.txt")),
    )


def dutch_word_forms() -> Iterator[str]:
    """Lower-case Dutch word forms from spaCy's lemma lookup (spacy-lookups-data, MIT), and the
    Dutch stop words.

    Used to tell 'Gisteren Fatima' (a capitalised ordinary word, then a name) from
    'Xandra Bakker'. Names that are also listed as words stay names through the name lists.
    The words are read one at a time from the JSON text rather than as parsed dictionaries:
    the dictionaries' 400,000 strings, freed after loading, left the process 45 MB larger.
    """
    import spacy_lookups_data

    from nlp.language import stop_words

    data = Path(spacy_lookups_data.__file__).parent / "data"
    # word -> lemma: both sides are words; part of speech -> [words]: the keys are not.
    yield from _json_strings(data / "nl_lemma_lookup.json.gz", keys=True)
    yield from _json_strings(data / "nl_lemma_index.json.gz", keys=False)
    yield from stop_words(["nl"])


_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?')


def _json_strings(path: Path, *, keys: bool) -> Iterator[str]:
    """Every string in a gzipped JSON file of strings, lists and objects, lower-cased; object
    keys only with `keys`."""
    import gzip
    import json

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    for match in _JSON_STRING.finditer(text):
        if match[2] and not keys:
            continue
        raw = match[1]
        yield (json.loads(f'"{raw}"') if "\\" in raw else raw).lower()


def read_entries(path: Path) -> list[str]:
    """One entry per line; '#' starts a comment line; blank lines are skipped."""
    entries = []
    for number, line in enumerate(_lines(path), start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not ENTRY.match(entry):
            raise ListFileError(path, number, f"unexpected characters in entry {entry!r}")
        entries.append(entry)
    return entries


def read_sections(path: Path, allowed: frozenset[str]) -> dict[str, frozenset[str]]:
    """'[section]' headers followed by whitespace-separated lower-case words."""
    sections: dict[str, set[str]] = {}
    current: str | None = None
    for number, line in enumerate(_lines(path), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("["):
            name = text.strip("[]")
            if not text.endswith("]") or name not in allowed:
                raise ListFileError(path, number, f"unknown section {text!r}")
            current = name
            sections.setdefault(current, set())
            continue
        if current is None:
            raise ListFileError(path, number, "words before the first [section] header")
        sections[current].update(word.lower().rstrip(".") for word in text.split())
        sections[current].update(word.lower() for word in text.split())
    missing = allowed - sections.keys()
    if missing:
        raise ListFileError(path, 0, f"missing sections: {', '.join(sorted(missing))}")
    return {name: frozenset(words) for name, words in sections.items()}


def _spacy_stop_words() -> frozenset[str]:
    # spaCy's Dutch stop list as stored in nlp/data/language_profiles.json: importing spaCy
    # itself for it cost every process that de-identifies text about 100 MB.
    from nlp.language import stop_words

    return stop_words(["nl"])


def _words(path: Path) -> frozenset[str]:
    """Whitespace-separated lower-case words, '#' lines are comments."""
    return frozenset(w.lower() for entry in read_entries(path) for w in entry.split())


def _suffixes(path: Path, section: str) -> tuple[str, ...]:
    words = read_sections(path, SUFFIX_SECTIONS)[section]
    # Longest first, so 'dwarsstraat' is tried before 'straat'.
    return tuple(sorted(words, key=len, reverse=True))


def _folded(entries: list[str]) -> frozenset[str]:
    keys = {e.lower() for e in entries}
    return frozenset(keys | {fold_accents(k) for k in keys})


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ListFileError(path, 0, f"cannot read list: {error}") from error
