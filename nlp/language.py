"""A light language identifier: marks stories that are not Dutch or English.

Non-Latin scripts (Arabic, Cyrillic, Greek, Hebrew, Devanagari, Ethiopic, CJK, ...) are
recognised by their letters. Latin-script texts are scored against stop-word profiles of 16
languages (nlp/data/language_profiles.json, built from spaCy's stop lists by
`build_language_profiles`), weighting each word by how many languages share it, plus letters
typical of a language (ı ş ğ for Turkish, ł ą ę for Polish, ...). Text without any evidence
is taken as Dutch, the project's default; text without letters is "und" (undetermined).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

PROFILES_PATH = Path(__file__).parent / "data" / "language_profiles.json"
EXTRA_WORDS_PATH = Path(__file__).parent / "data" / "language_extra_words.yaml"
EXTRA_WORD_WEIGHT = 0.5
MAX_WORDS = 40  # the first 40 tokens are evidence enough and keep long texts cheap
FIRST_WORDS = 15  # ... and often the first 15 already settle it
DECISIVE_SCORE = 3.0
PROFILE_LANGUAGES = "nl en de fr es it pt tr pl id ro sv da cs hu hr".split()
DEFAULT_LANGUAGE = "nl"
UNDETERMINED = "und"
SUPPORTED_LANGUAGES = ("nl", "en")
WORD_PATTERN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
ASCII_LETTER_PATTERN = re.compile(r"[A-Za-z]")
NON_ASCII_PATTERN = re.compile(r"[^\x00-\x7f]")

# (first code point, last code point, language code or script marker)
SCRIPT_RANGES = (
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x04FF, "cyrillic"),
    (0x0530, 0x058F, "hy"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0E00, 0x0E7F, "th"),
    (0x10A0, 0x10FF, "ka"),
    (0x1200, 0x139F, "ti"),
    (0x3040, 0x30FF, "ja"),
    (0x3400, 0x9FFF, "zh"),
    (0xAC00, 0xD7AF, "ko"),
    (0xFB50, 0xFEFF, "arabic"),
)
PERSIAN_LETTERS = set("پچژگکی")
URDU_LETTERS = set("ٹڈڑےں")
UKRAINIAN_LETTERS = set("іїєґ")
BULGARIAN_HINTS = set("ъ")
DISTINCTIVE_LETTERS = {
    "tr": "ıİğĞşŞ",
    "pl": "łŁąęśźżćńĄĘŚŹŻĆŃ",
    "cs": "řŘěĚůŮ",
    "ro": "țȚșȘăĂ",
    "de": "ß",
    "es": "ñÑ¿¡",
    "pt": "ãõÃÕ",
    "sv": "åÅ",
    "da": "æøÆØ",
    "hu": "őűŐŰ",
    "fr": "œçàùûÇ",
    "hr": "đĐ",
}
DISTINCTIVE_PATTERN = re.compile("[" + "".join(DISTINCTIVE_LETTERS.values()) + "]")
LETTER_WEIGHT = 1.0
# A non-default language needs this much more evidence than Dutch and English together.
MARGIN = 1.5
MIN_FOREIGN_SCORE = 1.5


def build_language_profiles(path: Path = PROFILES_PATH) -> None:
    """(Re)build the stop-word profiles from spaCy's stop lists (run once; slow imports)."""
    import importlib

    profiles = {
        code: sorted(importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS)
        for code in PROFILE_LANGUAGES
    }
    note = "Stop-word profiles for nlp/language.py, built from spaCy's stop lists (MIT licence)."
    path.write_text(json.dumps({"note": note, "profiles": profiles}, ensure_ascii=False) + "\n")


@cache
def _word_weights() -> dict[str, dict[str, float]]:
    """word -> {language: weight}: a stop word shared by k languages weighs 1/k for each;
    a typical content word from language_extra_words.yaml adds EXTRA_WORD_WEIGHT."""
    import yaml

    profiles = json.loads(PROFILES_PATH.read_text(encoding="utf8"))["profiles"]
    languages_of: dict[str, list[str]] = {}
    for code, words in profiles.items():
        for word in words:
            languages_of.setdefault(word, []).append(code)
    weights = {word: {c: 1 / len(codes) for c in codes} for word, codes in languages_of.items()}
    extra = yaml.safe_load(EXTRA_WORDS_PATH.read_text(encoding="utf8"))
    for code, words in extra.items():
        for word in words:
            weights.setdefault(str(word), {})
            weights[str(word)][code] = weights[str(word)].get(code, 0) + EXTRA_WORD_WEIGHT
    return weights


@cache
def _profiles() -> dict[str, frozenset[str]]:
    profiles = json.loads(PROFILES_PATH.read_text(encoding="utf8"))["profiles"]
    return {code: frozenset(words) for code, words in profiles.items()}


def stop_words(languages: Iterable[str]) -> frozenset[str]:
    """The stop words of the given languages (from the language profiles)."""
    return frozenset().union(*(_profiles()[code] for code in languages))


def _script_language(text: str) -> str | None:
    """The language implied by a non-Latin script, "" for no letters, None for Latin script."""
    if text.isascii():
        return None if ASCII_LETTER_PATTERN.search(text) else ""
    ascii_letters = len(text) - len(ASCII_LETTER_PATTERN.sub("", text))
    letters = "".join(c for c in NON_ASCII_PATTERN.findall(text) if c.isalpha())
    if not letters:
        return None if ascii_letters else ""
    counts: Counter[str] = Counter({"latin": ascii_letters})
    for char in letters:
        point = ord(char)
        if point < 0x0370:
            counts["latin"] += 1
            continue
        for first, last, code in SCRIPT_RANGES:
            if first <= point <= last:
                counts[code] += 1
                break
        else:
            counts["latin" if point < 0x2000 else "other"] += 1
    script, count = counts.most_common(1)[0]
    if script == "latin" or count * 2 < len(letters) + ascii_letters:
        return None
    if script == "arabic":
        if URDU_LETTERS & set(letters):
            return "ur"
        return "fa" if PERSIAN_LETTERS & set(letters) else "ar"
    if script == "cyrillic":
        if UKRAINIAN_LETTERS & set(letters.lower()):
            return "uk"
        return "bg" if BULGARIAN_HINTS & set(letters.lower()) else "ru"
    if script == "zh" and counts["ja"]:
        return "ja"
    return "und" if script == "other" else script


def word_weights_with(extra_words: dict[str, Iterable[str]] | None) -> dict[str, dict[str, float]]:
    """The word evidence table plus extra known words per language (build once, reuse)."""
    weights = _word_weights()
    if not extra_words:
        return weights
    merged = {word: dict(by_language) for word, by_language in weights.items()}
    for code, words in extra_words.items():
        for word in words:
            entry = merged.setdefault(word, {})
            entry[code] = entry.get(code, 0.0) + EXTRA_WORD_WEIGHT
    return merged


def language_scores(
    text: str,
    extra_words: dict[str, Iterable[str]] | None = None,
    words: Sequence[str] | None = None,
    weights: dict[str, dict[str, float]] | None = None,
) -> dict[str, float]:
    """Evidence per language for a Latin-script text (stop words and typical letters).

    `words` are the text's lower-case words when the caller has already tokenised it;
    `weights` a table from `word_weights_with` (then `extra_words` is ignored).
    """
    if weights is None:
        weights = word_weights_with(extra_words)
    scores: dict[str, float] = {}
    words = words if words is not None else WORD_PATTERN.findall(text.lower())
    for start, end in ((0, FIRST_WORDS), (FIRST_WORDS, MAX_WORDS)):
        for weight in filter(None, map(weights.get, words[start:end])):
            for code, value in weight.items():
                scores[code] = scores.get(code, 0.0) + value
        if _decisive(scores):
            break
    if DISTINCTIVE_PATTERN.search(text):
        for code, letters in DISTINCTIVE_LETTERS.items():
            hits = sum(text.count(letter) for letter in letters)
            if hits:
                scores[code] = scores.get(code, 0.0) + LETTER_WEIGHT * hits
    return scores


def _decisive(scores: dict[str, float]) -> bool:
    """Whether the evidence so far already settles the language (saves work on long texts)."""
    if not scores:
        return False
    ranked = sorted(scores.values(), reverse=True)
    return ranked[0] >= DECISIVE_SCORE and (len(ranked) == 1 or ranked[1] * 3 <= ranked[0])


def detect_language(
    text: str,
    extra_words: dict[str, Iterable[str]] | None = None,
    words: Sequence[str] | None = None,
    weights: dict[str, dict[str, float]] | None = None,
) -> str:
    """ISO 639-1 code of the text's language ("und" when it has no letters).

    `extra_words` adds content words known per language (e.g. the Dutch words of the training
    corpus) as evidence; `words` are the text's lower-case tokens if already known; `weights` a
    prepared table from `word_weights_with` for callers that detect many texts.
    """
    script_language = _script_language(text)
    if script_language == "":
        return UNDETERMINED
    if script_language is not None:
        return script_language
    scores = language_scores(text, extra_words, words, weights)
    if not scores:
        return DEFAULT_LANGUAGE
    best = max(scores, key=lambda code: (scores[code], code == DEFAULT_LANGUAGE))
    if best in SUPPORTED_LANGUAGES:
        return best
    home_score = max(scores.get(code, 0.0) for code in SUPPORTED_LANGUAGES)
    if scores[best] >= MIN_FOREIGN_SCORE and scores[best] >= MARGIN * home_score:
        return best
    return max(SUPPORTED_LANGUAGES, key=lambda c: (scores.get(c, 0.0), c == DEFAULT_LANGUAGE))
