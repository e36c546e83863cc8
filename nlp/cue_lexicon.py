"""Curated cue lexicons (nlp/data/lexicons/*.yaml): loading them and finding cues in a text.

A lexicon lists, per theme, categories of cue words and phrases, figurative phrases in which a
cue is not meant in the theme's sense, words that patterns must not match, and category pairs
that count as sentence-level evidence when they occur together. Matching works on lower-case
tokens and lookup lemmas; each distinct word is matched once and cached, which keeps matching
fast on large batches. Words of six letters or more that are not Dutch words also match
lexicon words one typing error away ("eenzaamhied" -> "eenzaamheid").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from nlp.text_analysis import AnalysedText
from nlp.themes import DataFileError, load_yaml_nodes

LEXICON_DIR = Path(__file__).parent / "data" / "lexicons"
MODIFIER_OWNER = "modifier"
GAP = "..."
MAX_GAP_TOKENS = 4
NEGATION_WINDOW = 3
MIN_FUZZY_LENGTH = 6
WORD_CACHE_LIMIT = 100_000


class CueMatch(NamedTuple):
    """One cue found in a text: whose category it is and which tokens it spans."""

    owner: str  # a theme key, or "modifier"
    category: str  # e.g. "symptoms"; "figurative" for figurative phrases
    start: int  # first token index
    end: int  # one past the last token index
    sentence: int


@dataclass
class ThemeLexicon:
    """The cue categories, figurative phrases and combinations of one theme."""

    theme: str
    categories: dict[str, list[str]]
    figurative: list[str]
    not_cues: list[str]
    combinations: list[tuple[str, str]]


def entry_list(path: Path, node_line: int, value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise DataFileError(path, node_line, f"{what} must be a list of words or phrases")
    return [str(item).strip().lower() for item in value if str(item).strip()]


def _line_of(root, key: str) -> int:
    for key_node, value_node in getattr(root, "value", []):
        if getattr(key_node, "value", None) == key:
            return value_node.start_mark.line + 1
    return 1


def load_theme_lexicon(path: Path) -> ThemeLexicon:
    """Load one theme lexicon file; raises DataFileError naming file and line."""
    data, root = load_yaml_nodes(path)
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise DataFileError(path, 1, "expected 'theme:' and a 'categories:' mapping")
    categories: dict[str, list[str]] = defaultdict(list)
    for name, entries in data["categories"].items():
        line = _line_of(root, "categories")
        base = str(name).removesuffix("_en")
        categories[base].extend(entry_list(path, line, entries, f"category {name!r}"))
    combinations = []
    for pair in data.get("combinations") or []:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise DataFileError(path, _line_of(root, "combinations"), f"bad combination {pair!r}")
        combinations.append((str(pair[0]), str(pair[1])))
    return ThemeLexicon(
        theme=str(data.get("theme") or path.stem),
        categories=dict(categories),
        figurative=entry_list(
            path, _line_of(root, "figurative"), data.get("figurative") or [], "figurative"
        ),
        not_cues=entry_list(
            path, _line_of(root, "not_cues"), data.get("not_cues") or [], "not_cues"
        ),
        combinations=combinations,
    )


def load_modifiers(path: Path, section: str = "modifiers") -> dict[str, list[str]]:
    """Load the shared modifier categories (negation, absence, relief, time_span), or with
    `section="contexts"` the context categories (currency, money_purpose, ...; optional)."""
    data, root = load_yaml_nodes(path)
    if not isinstance(data, dict) or not isinstance(data.get("modifiers"), dict):
        raise DataFileError(path, 1, "expected a 'modifiers:' mapping")
    line = _line_of(root, section)
    entries_of = data.get(section) or {}
    if not isinstance(entries_of, dict):
        raise DataFileError(path, line, f"expected a '{section}:' mapping")
    return {
        str(name): entry_list(path, line, entries, f"{section} {name!r}")
        for name, entries in entries_of.items()
    }


class CueLexicon:
    """All theme lexicons plus modifiers, compiled for fast matching over analysed texts."""

    def __init__(
        self,
        theme_lexicons: Iterable[ThemeLexicon],
        modifiers: dict[str, list[str]],
        known_words: Iterable[str] = (),
        contexts: Iterable[str] = (),
    ):
        """`contexts`: the names among `modifiers` that are context categories (content
        words such as "subsidie" or "werk", matched like modifiers)."""
        self.themes = {lexicon.theme: lexicon for lexicon in theme_lexicons}
        self.modifiers = modifiers
        self.contexts = frozenset(contexts)
        self._compile()
        self.fuzzy_blocklist = frozenset(
            word for word in known_words if self._fuzzy_word_ids(word) - self._exact_ids(word)
        )

    def __getstate__(self) -> dict:
        # Only the source data is saved; the indexes are rebuilt on load, so a saved model
        # keeps working when the matching code changes.
        return {
            "themes": self.themes,
            "modifiers": self.modifiers,
            "contexts": self.contexts,
            "fuzzy_blocklist": self.fuzzy_blocklist,
        }

    def __setstate__(self, state: dict) -> None:
        self.themes = state["themes"]
        self.modifiers = state["modifiers"]
        self.contexts = state.get("contexts", frozenset())  # none in models saved before
        self._compile()
        self.fuzzy_blocklist = state["fuzzy_blocklist"]

    def _compile(self) -> None:
        self._word_ids: dict[str, int] = {}
        # phrases indexed for fast matching: one word; first two words; first word + gap
        self._single_words: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self._by_first_two: dict[tuple[int, int], list[tuple[tuple[int, ...], tuple]]] = (
            defaultdict(list)
        )
        self._gap_second: dict[int, list[tuple[tuple[int, ...], tuple]]] = defaultdict(list)
        self._patterns: dict[str, dict[str, int]] = {"prefix": {}, "suffix": {}, "contains": {}}
        self._fuzzy_index: dict[str, set[int]] = defaultdict(set)
        self._gap_id = self._word_id(GAP)
        for theme, lexicon in self.themes.items():
            for category, entries in lexicon.categories.items():
                self._add_entries(entries, (theme, category))
            self._add_entries(lexicon.figurative, (theme, "figurative"))
        for category, entries in self.modifiers.items():
            self._add_entries(entries, (MODIFIER_OWNER, category))
        self.not_cues = frozenset(word for lex in self.themes.values() for word in lex.not_cues)
        # one regular expression tells whether any wildcard pattern can match a word
        alternatives = [f"^(?:{'|'.join(map(re.escape, self._patterns['prefix']))})"]
        alternatives.append(f"(?:{'|'.join(map(re.escape, self._patterns['suffix']))})$")
        alternatives.append(f"(?:{'|'.join(map(re.escape, self._patterns['contains']))})")
        self._pattern_gate = re.compile(
            "|".join(a for a in alternatives if "(?:)" not in a) or "$^"
        )
        self._pairs_by_first: dict[int, list[tuple[int, list]]] = defaultdict(list)
        for (first, second), phrases in self._by_first_two.items():
            self._pairs_by_first[first].append((second, phrases))
        self._build_fuzzy_index()
        self.fuzzy_blocklist: frozenset[str] = frozenset()
        self._word_cache: dict[str, _WordInfo] = {}

    # -- compiling ---------------------------------------------------------------------------
    def _word_id(self, word: str) -> int:
        return self._word_ids.setdefault(word, len(self._word_ids))

    def _add_entries(self, entries: list[str], label: tuple[str, str]) -> None:
        for entry in entries:
            words = []
            for word in entry.split():
                if word != GAP and len(word) > 1 and (word.startswith("*") or word.endswith("*")):
                    kind = {(True, True): "contains", (True, False): "suffix"}.get(
                        (word.startswith("*"), word.endswith("*")), "prefix"
                    )
                    self._patterns[kind][word.strip("*")] = self._word_id(word)
                words.append(self._word_id(word))
            if len(words) == 1:
                self._single_words[words[0]].append(label)
            elif words[1] == self._gap_id:
                self._gap_second[words[0]].append((tuple(words), label))
            else:
                self._by_first_two[(words[0], words[1])].append((tuple(words), label))

    def _build_fuzzy_index(self) -> None:
        for word, word_id in self._word_ids.items():
            if len(word) >= MIN_FUZZY_LENGTH and word.isalpha():
                for variant in _deletion_variants(word):
                    self._fuzzy_index[variant].add(word_id)

    def single_word_cues(self) -> set[str]:
        """Theme cue entries that are one plain word ("niemand", "huur", "alleen")."""
        return {
            entry
            for lexicon in self.themes.values()
            for entries in lexicon.categories.values()
            for entry in entries
            if entry.isalpha()
        }

    def words(self) -> set[str]:
        """Every plain word (no wildcard) used in a cue, figurative phrase or modifier."""
        return {word for word in self._word_ids if word.isalpha()}

    # -- word level --------------------------------------------------------------------------
    def _exact_ids(self, word: str) -> set[int]:
        word_id = self._word_ids.get(word)
        return {word_id} if word_id is not None else set()

    def _fuzzy_word_ids(self, word: str) -> set[int]:
        if len(word) < MIN_FUZZY_LENGTH or not word.isalpha():
            return set()
        ids: set[int] = set()
        for variant in _deletion_variants(word):
            ids |= self._fuzzy_index.get(variant, set())
        return ids

    def word_ids(self, lower: str, lemma: str) -> frozenset[int]:
        """Ids of the lexicon words and patterns a token matches (cached per distinct word)."""
        return self._word_info(lower, lemma).ids

    def _word_info(self, lower: str, lemma: str) -> _WordInfo:
        cached = self._word_cache.get(lower)
        if cached is not None:
            return cached
        ids = self._exact_ids(lower) | self._exact_ids(lemma)
        if lower not in self.not_cues and lower.isalpha():
            patterns_to_try = self._patterns.items() if self._pattern_gate.search(lower) else ()
            for kind, patterns in patterns_to_try:
                for stem, word_id in patterns.items():
                    if _pattern_matches(kind, stem, lower):
                        ids.add(word_id)
            if not ids and lower not in self.fuzzy_blocklist:
                ids = self._fuzzy_word_ids(lower)
        singles = tuple(label for i in ids for label in self._single_words.get(i, ()))
        gapped = tuple(phrase for i in ids for phrase in self._gap_second.get(i, ()))
        by_next: dict[int, list] = defaultdict(list)
        for first in ids:
            for second, phrases in self._pairs_by_first.get(first, ()):
                by_next[second].extend(phrases)
        starts = bool(singles or by_next or gapped)
        info = _WordInfo(frozenset(ids), singles, dict(by_next), gapped, starts)
        if len(self._word_cache) > WORD_CACHE_LIMIT:
            self._word_cache.clear()
        self._word_cache[lower] = info
        return info

    # -- text level --------------------------------------------------------------------------
    def find_cues(self, analysed: AnalysedText) -> list[CueMatch]:
        """All cue, figurative and modifier matches in a text, in token order."""
        cache_get = self._word_cache.get
        infos = [
            cache_get(word) or self._word_info(word, lemma)
            for word, lemma in zip(analysed.lower, analysed.lemmas, strict=True)
        ]
        matches: list[CueMatch] = []
        active = [position for position, info in enumerate(infos) if info.starts]
        if not active:
            return matches
        sentence_of, sentence_end_of = _sentence_bounds(analysed)
        for position in active:
            _, singles, by_next, gapped, _ = infos[position]
            sentence, sent_end = sentence_of[position], sentence_end_of[position]
            for owner, category in singles:
                matches.append(CueMatch(owner, category, position, position + 1, sentence))
            if by_next and position + 1 < sent_end:
                for next_id in infos[position + 1].ids:
                    for words, (owner, category) in by_next.get(next_id, ()):
                        end = self._match_phrase(words, 2, position + 2, sent_end, infos)
                        if end >= 0:
                            matches.append(CueMatch(owner, category, position, end, sentence))
            for words, (owner, category) in gapped:
                end = self._match_phrase(words, 1, position + 1, sent_end, infos)
                if end >= 0:
                    matches.append(CueMatch(owner, category, position, end, sentence))
        return matches

    def _match_phrase(self, words, k: int, position: int, sent_end: int, infos) -> int:
        if k == len(words):
            return position
        if words[k] == self._gap_id:
            for skip in range(MAX_GAP_TOKENS + 1):
                end = self._match_phrase(words, k + 1, position + skip, sent_end, infos)
                if end >= 0:
                    return end
            return -1
        if position >= sent_end or words[k] not in infos[position].ids:
            return -1
        return self._match_phrase(words, k + 1, position + 1, sent_end, infos)


class _WordInfo(NamedTuple):
    """What one distinct word can start: single-word cues, phrases by next word, gap phrases."""

    ids: frozenset[int]
    singles: tuple[tuple[str, str], ...]
    by_next: dict[int, list]
    gapped: tuple
    starts: bool  # whether any cue or phrase can start at this word


def _sentence_bounds(analysed: AnalysedText) -> tuple[list[int], list[int]]:
    """For each token: its sentence number and the token index where that sentence ends."""
    sentence_of: list[int] = []
    end_of: list[int] = []
    for sentence, (start, end) in enumerate(analysed.sentence_spans()):
        sentence_of += [sentence] * (end - start)
        end_of += [end] * (end - start)
    return sentence_of, end_of


def _pattern_matches(kind: str, stem: str, word: str) -> bool:
    if kind == "prefix":
        return word.startswith(stem)
    if kind == "suffix":
        return word.endswith(stem)
    return stem in word


def _deletion_variants(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def load_cue_lexicon(
    directory: Path | str | None = None,
    theme_keys: Iterable[str] | None = None,
    known_words: Iterable[str] = (),
    cue_words: dict[str, Iterable[str]] | None = None,
) -> CueLexicon:
    """Load modifiers.yaml and the lexicon of each theme that has one in `directory`.

    `known_words` are real words (e.g. the lemma table's) that must not be taken for typos;
    `cue_words` gives themes without a lexicon file their cue words (from themes.yaml).
    """
    directory = Path(directory) if directory is not None else LEXICON_DIR
    wanted = set(theme_keys) if theme_keys is not None else None
    lexicons = []
    for path in sorted(directory.glob("*.yaml")):
        if path.stem == "modifiers":
            continue
        lexicon = load_theme_lexicon(path)
        if wanted is None or lexicon.theme in wanted:
            lexicons.append(lexicon)
    # A theme a municipality added in themes.yaml brings its cue words instead of a lexicon file.
    with_file = {lexicon.theme for lexicon in lexicons}
    for theme, words in (cue_words or {}).items():
        words = [str(word).lower() for word in words]
        if theme not in with_file and words and (wanted is None or theme in wanted):
            lexicons.append(ThemeLexicon(theme, {"cue_words": words}, [], [], []))
    modifiers = load_modifiers(directory / "modifiers.yaml")
    contexts = load_modifiers(directory / "modifiers.yaml", "contexts")
    return CueLexicon(lexicons, modifiers | contexts, known_words, contexts)
