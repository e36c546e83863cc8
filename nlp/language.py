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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nlp.language_ranking import LanguageRanker

PROFILES_PATH = Path(__file__).parent / "data" / "language_profiles.json"
PROFILE_LANGUAGES = "nl en de fr es it pt tr pl id ro sv da cs hu hr".split()
DEFAULT_LANGUAGE = "nl"
UNDETERMINED = "und"
SUPPORTED_LANGUAGES = ("nl", "en")
WORD_PATTERN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LETTER_PATTERN = re.compile(r"[^\W\d_]")
# A sentence ends at . ! ? (also Arabic ؟ and CJK 。), maybe with a closing quote or bracket,
# followed by space, or at a line break; a quote after a colon starts a sentence of its own
# (a quote is often in another language than the sentence that introduces it). Every
# boundary starts with white space; the lookahead first lets the other positions fail at once.
SENTENCE_END = re.compile(
    r"(?=\s)(?:(?<=[.!?؟。！？])\s+|(?<=[.!?؟。！？][\"'”’»)])\s+|(?<=:)\s+(?=[\"“„«])"
    r"|\s*\n\s*)"
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
_loaded: list = []  # the one identifier of this process and its ranker, once loaded


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

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                _loaded.extend((identifier, LanguageRanker(identifier)))
    return _loaded[0]


def _ranker() -> LanguageRanker:
    """The identifier's ranking, vectorised over many texts (nlp/language_ranking.py)."""
    _identifier()
    return _loaded[1]


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
    return _language_scores_many([text], weights, [words])[0]


def _language_scores_many(
    texts: Sequence[str],
    weights: Mapping[str, Mapping[str, float]],
    words_of: Sequence[Sequence[str] | None] | None = None,
) -> list[dict[str, float]]:
    """`language_scores` of each text, the model run once over all of them; `words_of` the
    texts' lower-case words where already known (None: found here)."""
    if not texts:
        return []
    ranker = _ranker()
    columns, probabilities = ranker.top_columns(texts, TOP_CANDIDATES)
    codes = _codes_and_priors(tuple(ranker.labels))
    words_of = words_of if words_of is not None else [None] * len(texts)
    return [
        _weighed(zip(row, row_probabilities, strict=True), codes, text, words, weights)
        for row, row_probabilities, text, words in zip(
            columns, probabilities, texts, words_of, strict=True
        )
    ]


@cache
def _codes_and_priors(labels: tuple[str, ...]) -> list[tuple[str, float]]:
    """(stored code, prior weight) of each of the model's labels."""
    return [(_normalised_code(label), PRIOR.get(_normalised_code(label), 1.0)) for label in labels]


def _weighed(
    candidates: Iterable[tuple[int, float]],
    codes: Sequence[tuple[str, float]],
    text: str,
    words: Sequence[str] | None,
    weights: Mapping[str, Mapping[str, float]],
) -> dict[str, float]:
    """The model's best candidates for a text (label index, probability) weighed with the
    prior and the known words."""
    scores: dict[str, float] = {}
    for label, probability in candidates:
        code, prior = codes[label]
        scores[code] = scores.get(code, 0.0) + probability * prior
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


@dataclass(frozen=True)
class SentenceLanguage:
    """The language the model finds most likely for one sentence, how sure it is, and the
    sentence's number of letters."""

    code: str
    confidence: float
    letters: int


def _sentence_languages(
    sentences: Sequence[str],
    weights: Mapping[str, Mapping[str, float]],
    letters: Sequence[int] | None = None,
) -> list[SentenceLanguage]:
    """The language of each sentence, the model run once over all of them."""
    letters = letters if letters is not None else [_letters(sentence) for sentence in sentences]
    return [
        SentenceLanguage(*_best(scores), count)
        for scores, count in zip(_language_scores_many(sentences, weights), letters, strict=True)
    ]


class _WholeTexts:
    """The language of texts judged as a whole (when their sentences do not decide), each
    detected once; `detect` runs the model over many at once."""

    def __init__(self, weights: Mapping[str, Mapping[str, float]]):
        self.weights = weights
        self.known: dict[str, str] = {}

    def detect(self, texts: Iterable[str]) -> None:
        new = list(dict.fromkeys(text for text in texts if text not in self.known))
        for text, scores in zip(new, _language_scores_many(new, self.weights), strict=True):
            self.known[text] = _best(scores)[0]

    def __call__(self, text: str) -> str:
        if text not in self.known:
            self.detect([text])
        return self.known[text]


def _languages_by_sentence(sentences: Sequence[SentenceLanguage]) -> tuple[str, ...]:
    """The languages of a text from its sentences: every language whose sure, long enough
    sentences hold a fair share of the letters, most letters first; () when fewer than two
    sentences are long enough or none is sure (then the text as a whole decides)."""
    long_enough = [s for s in sentences if s.letters >= MIN_SENTENCE_LETTERS]
    if len(long_enough) <= 1:
        return ()
    letters_by_language: Counter[str] = Counter()
    for sentence in long_enough:
        if sentence.confidence >= MIN_SENTENCE_CONFIDENCE and sentence.code != UNDETERMINED:
            letters_by_language[sentence.code] += sentence.letters
    total = sum(letters_by_language.values())
    return tuple(
        code
        for code, count in letters_by_language.most_common()
        if count >= MIN_LANGUAGE_SHARE * total
    )


def _story_languages(
    text: str, sentences: Sequence[SentenceLanguage], whole_text: Callable[[str], str]
) -> StoryLanguages:
    """The primary and found languages of a text from its scored sentences, else (one
    sentence, or none the model is sure of) from the text as a whole (`whole_text`)."""
    found = _languages_by_sentence(sentences)
    if found:
        return StoryLanguages(found[0], found)
    whole = whole_text(text)
    return StoryLanguages(whole, () if whole == UNDETERMINED else (whole,))


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
    sentences = [(s, _letters(s)) for s in sentences_of(text)]
    long_enough = [(s, n) for s, n in sentences if n >= MIN_SENTENCE_LETTERS]
    # only long enough sentences count, and only when there are two or more
    scored = (
        _sentence_languages([s for s, _ in long_enough], weights, [n for _, n in long_enough])
        if len(long_enough) > 1
        else []
    )

    def whole_text(text: str) -> str:
        return _best(language_scores(text, words=words, weights=weights))[0]

    return _story_languages(text, scored, whole_text)


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
    reader for that part, even when its readable part was classified. `language` is the
    primary language of what is read (by the rule of `identify_languages`, from the same
    per-sentence detection), or of the whole text when nothing is readable. `languages` are all
    languages of the whole text by that rule, read or not (what a story records).
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    left_out: tuple[str, ...]
    language: str = UNDETERMINED
    languages: tuple[str, ...] = ()

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


def _readability(sentence: SentenceLanguage, supported: tuple[str, ...]) -> str | None:
    """ "" when the sentence is readable, a language code when it is in another language, None
    when undecided (too short, or the model unsure): those follow their neighbours."""
    short = sentence.letters < MIN_SENTENCE_LETTERS
    needed = SHORT_SENTENCE_CONFIDENCE if short else MIN_SENTENCE_CONFIDENCE
    if sentence.code == UNDETERMINED or sentence.confidence < needed:
        return None
    return "" if sentence.code in supported else sentence.code


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
    "Çok güzel."), follow the sentence before them (else the one after). A text with no
    sentence the model is sure of is judged as a whole. Text without letters is kept as it is
    (nothing is left out). `weights` as for `language_scores` (e.g. the theme model's Dutch
    vocabulary).
    """
    return readable_parts([text], weights, supported)[0]


def readable_parts(
    texts: Sequence[str],
    weights: Mapping[str, Mapping[str, float]] | None = None,
    supported: Sequence[str] = SUPPORTED_LANGUAGES,
) -> list[ReadablePart]:
    """`readable_part` of each text, the language model run over all their sentences at once
    (and once more over the texts their sentences leave undecided)."""
    supported = tuple(supported)
    weights = weights if weights is not None else {}
    spans = [_sentence_spans(text) if LETTER_PATTERN.search(text) else None for text in texts]
    sentences = [
        text[start:end]
        for text, ends in zip(texts, spans, strict=True)
        for start, end in ends or ()
    ]
    detected = iter(_sentence_languages(sentences, weights))
    scored = [[next(detected) for _ in ends or ()] for ends in spans]
    whole_text = _WholeTexts(weights)
    whole_text.detect(  # the texts judged as a whole below, in one run of the model
        text
        for text, ends, text_scored in zip(texts, spans, scored, strict=True)
        if ends is not None and not _languages_by_sentence(text_scored)
    )
    return [
        _readable_part_of(text, ends, text_scored, supported, whole_text)
        for text, ends, text_scored in zip(texts, spans, scored, strict=True)
    ]


def _readable_part_of(
    text: str,
    spans: list[tuple[int, int]] | None,
    scored: list[SentenceLanguage],
    supported: tuple[str, ...],
    whole_text: Callable[[str], str],
) -> ReadablePart:
    """`readable_part` of a text from its sentences' spans (None: no letters) and languages."""
    if spans is None:
        return ReadablePart(text, ((0, len(text)),) if text else (), ())
    decisions = [_readability(sentence, supported) for sentence in scored]
    # The whole text's languages, by identify_languages' rule; with no sentence decided, no
    # sentence is sure enough to count there either, so this is the text judged as a whole.
    whole = _story_languages(text, scored, whole_text)
    if all(decision is None for decision in decisions):
        code = whole.primary
        if code in supported or code == UNDETERMINED:
            return ReadablePart(text, ((0, len(text)),), (), code, whole.found)
        return ReadablePart("", (), (code,), code, whole.found)
    filled = _fill_from_neighbours(decisions)
    if not any(filled):
        return ReadablePart(text, ((0, len(text)),), (), whole.primary, whole.found)
    kept = [index for index, decision in enumerate(filled) if not decision]
    letters_left_out: Counter[str] = Counter()
    for sentence, decision in zip(scored, filled, strict=True):
        if decision:
            letters_left_out[decision] += sentence.letters
    left_out = tuple(code for code, _ in letters_left_out.most_common())
    read = " ".join(text[spans[index][0] : spans[index][1]] for index in kept)
    if not kept:
        return ReadablePart("", (), left_out, left_out[0], whole.found)
    language = _story_languages(read, [scored[index] for index in kept], whole_text).primary
    return ReadablePart(
        read, tuple(spans[index] for index in kept), left_out, language, whole.found
    )
