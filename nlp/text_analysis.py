"""Dutch text analysis for the theme classifier: tokens, lookup lemmas and sentences.

Uses the Dutch rules of ``spacy.blank("nl")`` (prefixes, suffixes, infixes, URL matching) and
the Dutch lemma lookup table packaged in spacy-lookups-data, so nothing is downloaded.
Only a short list of common abbreviations is kept from spaCy's ~4,700 Dutch special cases
(mostly Belgian legal abbreviations): building all of them costs half a second per load.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from spacy.attrs import IDX, IS_PUNCT, IS_QUOTE, IS_RIGHT_PUNCT, IS_SPACE, LENGTH, LOWER, NORM, ORTH
from spacy.lang.nl import Dutch
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from spacy.vocab import create_vocab

TOKEN_ATTRIBUTES = [IDX, LENGTH, ORTH]
SPACE, NEWLINE, SENTENCE_END, CLOSING, AFTER_NEWLINE = 1, 2, 4, 8, 16
STRING_CACHE_LIMIT = 200_000
VOCABULARY_LIMIT = 150_000
SENTENCE_END_TOKENS = frozenset({".", "!", "?", "…", "...", "!!", "?!", "!?"})
COMMON_ABBREVIATIONS = frozenset(
    """'s 't 'n a.s. bijv. bv. ca. d.w.z. dhr. dr. e.a. e.d. e.v. enz. etc. evt. excl. incl. jl.
    m.a.w. m.b.t. m.i.v. mevr. mr. mw. n.a.v. nl. nr. o.a. o.b.v. p.p. resp. t.a.v. t/m tel.
    v.d. vnl. vs. z.s.m. zgn. i.p.v. m.n. jr. ong. min. max.""".split()
)


@dataclass(frozen=True, slots=True)
class AnalysedText:
    """A text split into tokens (lower-case form, lemma, character span) and sentences."""

    text: str
    lower: tuple[str, ...]
    lemmas: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sentence_starts: tuple[int, ...]  # token index where each sentence begins

    def sentence_spans(self) -> list[tuple[int, int]]:
        """Token index ranges [start, end) of each sentence."""
        bounds = list(self.sentence_starts) + [len(self.lower)]
        return [(bounds[i], bounds[i + 1]) for i in range(len(self.sentence_starts))]


def packaged_lemma_table(language: str = "nl") -> dict[str, str]:
    """The lemma lookup table for `language` shipped in spacy-lookups-data (word -> lemma)."""
    import spacy_lookups_data  # imported here: only training needs the full table

    path = Path(spacy_lookups_data.__file__).parent / "data" / f"{language}_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf8") as table_file:
        return json.load(table_file)


def _lean_vocabulary():
    """A Dutch vocabulary computing only the word attributes we read (lower case, space and
    closing-punctuation flags): spaCy's full set (shape, like_num, like_url, ...) makes each
    new word several times as expensive."""
    vocabulary = create_vocab("nl", Dutch.Defaults)
    kept = {LOWER, NORM, IS_SPACE, IS_QUOTE, IS_RIGHT_PUNCT, IS_PUNCT}
    vocabulary.lex_attr_getters = {
        attr: getter for attr, getter in vocabulary.lex_attr_getters.items() if attr in kept
    }
    return vocabulary


def build_dutch_tokenizer() -> Tokenizer:
    """spaCy's Dutch tokenizer rules with only the common abbreviations as special cases."""
    defaults = Dutch.Defaults
    special_cases = {
        key: value
        for key, value in defaults.tokenizer_exceptions.items()
        if key.lower() in COMMON_ABBREVIATIONS or not any(ch.isalpha() for ch in key)
    }
    return Tokenizer(
        _lean_vocabulary(),
        rules=special_cases,
        prefix_search=compile_prefix_regex(defaults.prefixes).search,
        suffix_search=compile_suffix_regex(defaults.suffixes).search,
        infix_finditer=compile_infix_regex(defaults.infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


class DutchTextAnalyzer:
    """Turns raw texts into `AnalysedText`s; picklable (the tokenizer is rebuilt on load)."""

    def __init__(self, lemma_table: Mapping[str, str]):
        self.lemma_table = dict(lemma_table)
        self._tokenizer: Tokenizer | None = None

    def __getstate__(self) -> dict:
        return {"lemma_table": self.lemma_table}  # caches and the tokenizer are rebuilt

    def __setstate__(self, state: dict) -> None:
        self.lemma_table = state["lemma_table"]
        self._tokenizer = None

    @property
    def lemma_table(self) -> dict[str, str]:
        return self._lemma_table

    @lemma_table.setter
    def lemma_table(self, table: dict[str, str]) -> None:
        self._lemma_table = table
        self._token_info: dict[int, tuple[int, str, str]] = {}  # cached per word form

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = build_dutch_tokenizer()
        return self._tokenizer

    def analyse(self, text: str) -> AnalysedText:
        """Analyse one text."""
        return self._from_doc(text, self.tokenizer(text))

    def analyse_many(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[AnalysedText]:
        """Analyse texts lazily, in order."""
        texts = list(texts) if not isinstance(texts, list) else texts
        self._limit_memory()
        for text, doc in zip(texts, self.tokenizer.pipe(texts, batch_size=batch_size), strict=True):
            yield self._from_doc(text, doc)

    def _limit_memory(self) -> None:
        """Start afresh when spaCy's vocabulary or our caches have grown large.

        spaCy adds every new word of every text to its vocabulary; on a stream of millions of
        stories (names, typos, numbers) that would grow without end.
        """
        tokenizer = self._tokenizer
        too_big = tokenizer is not None and len(tokenizer.vocab.strings) > VOCABULARY_LIMIT
        if too_big or len(self._token_info) > STRING_CACHE_LIMIT:
            self._tokenizer = None
            self._token_info = {}

    def _from_doc(self, text: str, doc) -> AnalysedText:
        # Token attributes are read as arrays, and kind, lower case and lemma are cached per
        # word form: a spaCy Token object or a Python loop body per token would cost more
        # than the tokenizer itself.
        token_info = self._token_info
        array = doc.to_array(TOKEN_ATTRIBUTES)
        orth_ids = array[:, 2].tolist()
        infos = [token_info.get(orth) for orth in orth_ids]
        if None in infos:
            if len(token_info) > STRING_CACHE_LIMIT:
                token_info.clear()
            for index, orth in enumerate(orth_ids):
                if infos[index] is None:
                    infos[index] = token_info[orth] = self._token_info_of(doc.vocab[orth])
        if not infos:
            return AnalysedText(text, (), (), (), (), (0,))
        kinds, words, lemmas = zip(*infos, strict=True)
        starts = array[:, 0].tolist()
        ends = (array[:, 0] + array[:, 1]).tolist()
        if any(kind & SPACE for kind in set(kinds)):
            keep = [index for index, kind in enumerate(kinds) if not kind & SPACE]
            after_newline = {index + 1 for index, kind in enumerate(kinds) if kind & NEWLINE}
            kinds = [kinds[i] | (AFTER_NEWLINE if i in after_newline else 0) for i in keep]
            words = tuple(words[i] for i in keep)
            lemmas = tuple(lemmas[i] for i in keep)
            starts = [starts[i] for i in keep]
            ends = [ends[i] for i in keep]
        return AnalysedText(
            text, words, lemmas, tuple(starts), tuple(ends), _sentence_starts(kinds)
        )

    def _token_info_of(self, lexeme) -> tuple[int, str, str]:
        lower = lexeme.lower_
        return _token_kind(lexeme), lower, self._lemma_table.get(lower, lower)


def _sentence_starts(kinds: list[int]) -> tuple[int, ...]:
    """Token indexes where sentences begin: after sentence-final punctuation (and any closing
    quotes or brackets that follow it) and after a line break."""
    if not any(kind & (SENTENCE_END | AFTER_NEWLINE) for kind in set(kinds)):
        return (0,)
    starts = {0}
    starts.update(index for index, kind in enumerate(kinds) if kind & AFTER_NEWLINE and index)
    for index in [index for index, kind in enumerate(kinds) if kind & SENTENCE_END]:
        following = index + 1
        while following < len(kinds) and kinds[following] & (SENTENCE_END | CLOSING):
            following += 1
        if following < len(kinds):
            starts.add(following)
    return tuple(sorted(starts))


def _token_kind(lexeme) -> int:
    """Bit flags for how a token type affects sentence splitting."""
    text = lexeme.orth_
    kind = 0
    if text.isspace():
        kind |= SPACE | (NEWLINE if "\n" in text else 0)
    if text in SENTENCE_END_TOKENS:
        kind |= SENTENCE_END
    if lexeme.is_quote or lexeme.is_right_punct:
        kind |= CLOSING
    return kind
