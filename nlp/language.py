"""Which languages a story is written in: per sentence, with py3langid's packaged model.

py3langid (a maintained fork of langid.py, BSD licence) ships its Naive Bayes model of 97
languages inside the package, so nothing is downloaded at run time. It is loaded once per
process (~75 MB, about a second) and classifies a sentence in well under a millisecond.

Stories come from Dutch neighbourhoods, so Dutch and English are far more likely a priori than,
say, Afrikaans or Nigerian Pidgin; the model's scores are weighed with that prior, which only
matters when the text itself is ambiguous (short notes like "top georganiseerd!!").
A story is classified as a whole and sentence by sentence: the primary language is the one most
of its letters are written in, and every language with a fair share of the text is found.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROFILES_PATH = Path(__file__).parent / "data" / "language_profiles.json"
PROFILE_LANGUAGES = "nl en de fr es it pt tr pl id ro sv da cs hu hr".split()
DEFAULT_LANGUAGE = "nl"
UNDETERMINED = "und"
SUPPORTED_LANGUAGES = ("nl", "en")
WORD_PATTERN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LETTER_PATTERN = re.compile(r"[^\W\d_]")
# A sentence ends at . ! ? (also Arabic ؟ and CJK 。), maybe with a closing quote or bracket,
# followed by space, or at a line break; a quote after a colon starts a sentence of its own
# (a quote is often in another language than the sentence that introduces it).
SENTENCE_END = re.compile(
    r"(?<=[.!?؟。！？])\s+|(?<=[.!?؟。！？][\"'”’»)])\s+|(?<=:)\s+(?=[\"“„«])|\s*\n\s*"
)

# Prior weight of a language (others 1): what Dutch neighbourhood stories are usually written in.
PRIOR = {"nl": 4.0, "en": 2.0}
# Known words of a language (e.g. the Dutch vocabulary of the training corpus) multiply its
# weight by up to 1 + KNOWN_WORDS_WEIGHT, in proportion to the share of the text's words known.
KNOWN_WORDS_WEIGHT = 4.0
# Sentences with fewer letters ("Ja!", "Dank je.") are too little evidence on their own.
MIN_SENTENCE_LETTERS = 15
# A language is "found" in a story when its sentences hold this share of the letters...
MIN_LANGUAGE_SHARE = 0.15
# ...and the model is at least this sure of each of those sentences.
MIN_SENTENCE_CONFIDENCE = 0.5
# A sentence too short on its own still decides when the model is this sure ("Dziękuję bardzo.").
SHORT_SENTENCE_CONFIDENCE = 0.9
# Only the model's best candidates are weighed; the others hold a negligible probability.
TOP_CANDIDATES = 12
# Varieties the model tells apart that we store under one code (ISO 639-1 where it has one).
FOLDED_LANGUAGES = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "hbo": "he",
    "grc": "el",
    "wuu": "zh",
    "yue": "zh",
    "uzs": "uz",
    "sdh": "ku",
    "zxx": UNDETERMINED,  # "no linguistic content"
}

_identifier_lock = threading.Lock()
_loaded: list = []  # the one identifier of this process, once loaded


@dataclass(frozen=True)
class StoryLanguages:
    """The primary language of a text and every language found in it (primary first)."""

    primary: str
    found: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"primary": self.primary, "found": list(self.found)}


def _identifier():
    """py3langid's packaged model, loaded once per process (threads wait for one load)."""
    if not _loaded:
        with _identifier_lock:
            if not _loaded:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _loaded.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _loaded[0]


def load_language_model() -> None:
    """Load the model now (server warm-up) instead of on the first story."""
    _identifier()


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
def _profiles() -> dict[str, frozenset[str]]:
    profiles = json.loads(PROFILES_PATH.read_text(encoding="utf8"))["profiles"]
    return {code: frozenset(words) for code, words in profiles.items()}


def stop_words(languages: Iterable[str]) -> frozenset[str]:
    """The stop words of the given languages (from the stop-word profiles)."""
    return frozenset().union(*(_profiles()[code] for code in languages))


def word_weights_with(
    extra_words: Mapping[str, Iterable[str]] | None,
) -> dict[str, dict[str, float]]:
    """A table word -> {language: 1.0} of known words per language (build once, reuse)."""
    table: dict[str, dict[str, float]] = {}
    for code, words in (extra_words or {}).items():
        for word in words:
            table.setdefault(str(word).lower(), {})[code] = 1.0
    return table


def _normalised_code(code: str) -> str:
    return FOLDED_LANGUAGES.get(code, code)


def language_scores(
    text: str,
    extra_words: Mapping[str, Iterable[str]] | None = None,
    words: Sequence[str] | None = None,
    weights: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, float]:
    """Probability per language of one piece of text, after the prior and known words.

    `words` are the text's lower-case words when the caller has already tokenised it;
    `weights` a table from `word_weights_with` (then `extra_words` is ignored).
    """
    if weights is None:
        weights = word_weights_with(extra_words)
    scores: dict[str, float] = {}
    for code, probability in _identifier().rank(text)[:TOP_CANDIDATES]:
        code = _normalised_code(code)
        scores[code] = scores.get(code, 0.0) + probability * PRIOR.get(code, 1.0)
    if weights:
        words = words if words is not None else WORD_PATTERN.findall(text.lower())
        known: Counter[str] = Counter()
        for weight in filter(None, map(weights.get, words)):
            known.update(weight)
        for code, hits in known.items():
            share = min(1.0, hits / len(words))
            scores[code] = scores.get(code, 0.0) * (1.0 + KNOWN_WORDS_WEIGHT * share)
    total = sum(scores.values())
    return {code: value / total for code, value in scores.items()} if total else {}


def _letters(text: str) -> int:
    return len(LETTER_PATTERN.findall(text))


def _best(scores: Mapping[str, float]) -> tuple[str, float]:
    if not scores:
        return UNDETERMINED, 0.0
    code = max(scores, key=lambda c: (scores[c], c == DEFAULT_LANGUAGE))
    return code, scores[code]


def sentences_of(text: str) -> list[str]:
    """The text's sentences (and lines), without the empty ones."""
    return [text[start:end] for start, end in _sentence_spans(text)]


def identify_languages(
    text: str,
    extra_words: Mapping[str, Iterable[str]] | None = None,
    words: Sequence[str] | None = None,
    weights: Mapping[str, Mapping[str, float]] | None = None,
) -> StoryLanguages:
    """The primary language of a text and all languages found in it, sentence by sentence.

    Text without letters is undetermined ("und"). Arguments as for `detect_language`.
    """
    if weights is None:
        weights = word_weights_with(extra_words)
    if not LETTER_PATTERN.search(text):
        return StoryLanguages(UNDETERMINED, ())
    letters_by_language: Counter[str] = Counter()
    sentences = [(s, _letters(s)) for s in sentences_of(text)]
    sentences = [(s, n) for s, n in sentences if n >= MIN_SENTENCE_LETTERS]
    if len(sentences) > 1:
        for sentence, letters in sentences:
            code, confidence = _best(language_scores(sentence, weights=weights))
            if confidence >= MIN_SENTENCE_CONFIDENCE and code != UNDETERMINED:
                letters_by_language[code] += letters
    if not letters_by_language:  # one sentence, or none the model is sure of: the whole text
        whole, _ = _best(language_scores(text, words=words, weights=weights))
        return StoryLanguages(whole, () if whole == UNDETERMINED else (whole,))
    total = sum(letters_by_language.values())
    found = [
        code
        for code, count in letters_by_language.most_common()
        if count >= MIN_LANGUAGE_SHARE * total
    ]
    primary = found[0]
    return StoryLanguages(primary, tuple(found))


def detect_language(
    text: str,
    extra_words: Mapping[str, Iterable[str]] | None = None,
    words: Sequence[str] | None = None,
    weights: Mapping[str, Mapping[str, float]] | None = None,
) -> str:
    """The primary language of the text: an ISO 639-1 code where one exists ("und" without
    letters).

    `extra_words` adds words known per language (e.g. the Dutch words of the training corpus)
    as evidence; `words` are the text's lower-case tokens if already known; `weights` a
    prepared table from `word_weights_with` for callers that detect many texts.
    """
    return identify_languages(text, extra_words, words, weights).primary


@dataclass(frozen=True)
class ReadablePart:
    """What the classifiers can read of a text: its Dutch and English sentences, in order.

    `text` is those sentences joined by a space ("" when none is readable); `spans` are their
    (start, end) offsets in the original text; `left_out` the other languages of the sentences
    that were left out, most letters first. A text whose `left_out` is not empty needs a human
    reader for that part, even when its readable part was classified.
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    left_out: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether nothing was left out."""
        return not self.left_out


def languages_not_read(codes: Iterable[str] | None) -> list[str]:
    """The languages among `codes` the classifiers do not read: a story with any needs a
    human reader (for that part, or for all of it)."""
    return [code for code in codes or () if code not in (*SUPPORTED_LANGUAGES, UNDETERMINED)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence (and line) of the text, stripped, without empty ones."""
    spans, position = [], 0
    for boundary in [*SENTENCE_END.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        part = text[position:end]
        if part.strip():
            start = position + len(part) - len(part.lstrip())
            spans.append((start, start + len(part.strip())))
        position = boundary.end() if boundary else end
    return spans


def _sentence_readability(
    sentences: list[str], weights: Mapping[str, Mapping[str, float]], supported: tuple[str, ...]
) -> list[str | None]:
    """Per sentence: "" when readable, a language code when in another language, None when
    undecided (too short, or the model unsure): those follow their neighbours."""
    decisions: list[str | None] = []
    for sentence in sentences:
        short = _letters(sentence) < MIN_SENTENCE_LETTERS
        code, confidence = _best(language_scores(sentence, weights=weights))
        needed = SHORT_SENTENCE_CONFIDENCE if short else MIN_SENTENCE_CONFIDENCE
        if code == UNDETERMINED or confidence < needed:
            decisions.append(None)
        elif code in supported:
            decisions.append("")
        else:
            decisions.append(code)
    return decisions


def _fill_from_neighbours(decisions: list[str | None]) -> list[str]:
    """Undecided sentences take the decision of the nearest decided sentence before them (a
    short reply belongs to what it answers), else after them."""
    filled: list[str | None] = list(decisions)
    previous: str | None = None
    for index, decision in enumerate(filled):
        if decision is None:
            filled[index] = previous
        else:
            previous = decision
    following: str | None = None
    for index in range(len(filled) - 1, -1, -1):
        if decisions[index] is not None:
            following = decisions[index]
        elif filled[index] is None:
            filled[index] = following
    return [decision or "" for decision in filled]


def readable_part(
    text: str,
    weights: Mapping[str, Mapping[str, float]] | None = None,
    supported: Sequence[str] = SUPPORTED_LANGUAGES,
) -> ReadablePart:
    """The part of a text the classifiers can read, and the languages left out.

    Each sentence is identified on its own; a sentence confidently in another language than
    Dutch or English is left out. Uncertain sentences, which short ones mostly are ("Ja!",
    "Çok güzel."), follow the sentence before them (else the one after). A text with no sentence the model is sure of is
    judged as a whole. Text without letters is kept as it is (nothing is left out).
    `weights` as for `language_scores` (e.g. the theme model's Dutch vocabulary).
    """
    supported = tuple(supported)
    weights = weights if weights is not None else {}
    spans = _sentence_spans(text)
    whole = ReadablePart(text, ((0, len(text)),) if text else (), ())
    if not LETTER_PATTERN.search(text):
        return whole
    decisions = _sentence_readability([text[s:e] for s, e in spans], weights, supported)
    if all(decision is None for decision in decisions):
        code, _ = _best(language_scores(text, weights=weights))
        if code in supported or code == UNDETERMINED:
            return whole
        return ReadablePart("", (), (code,))
    filled = _fill_from_neighbours(decisions)
    if not any(filled):
        return whole
    kept = tuple(span for span, decision in zip(spans, filled, strict=True) if not decision)
    letters_left_out: Counter[str] = Counter()
    for (start, end), decision in zip(spans, filled, strict=True):
        if decision:
            letters_left_out[decision] += _letters(text[start:end])
    return ReadablePart(
        " ".join(text[start:end] for start, end in kept),
        kept,
        tuple(code for code, _ in letters_left_out.most_common()),
    )
