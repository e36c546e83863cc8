"""Text to a token view, with spaCy's Dutch tokenization cached per whitespace-separated chunk.

spaCy's tokenizer splits the text on whitespace first and then each chunk on its own (prefixes,
suffixes, infixes, exceptions), caching the split per chunk. Asking it only for chunks not seen
before and building the token view straight from the text skips creating a Doc per text,
which was the slow part. Phrase lists are matched on the same tokens, as spaCy's PhraseMatcher
with ``attr="ORTH"`` would.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import spacy

from nlp.deid.tokens import SENTENCE_BREAKS, TokenInfo, ends_sentence

CHUNK = re.compile(r"\S+")  # \s is str.isspace(), the test spaCy splits on
# Distinct chunks kept; a long stream of new words must not grow memory without bound.
MAX_CACHED_CHUNKS = 200_000

# One token of a chunk: offsets into the chunk, text, lower case, capitalised, ends a sentence.
Piece = tuple[int, int, str, str, bool, bool]


class Tokenizer:
    """Splits texts into TokenInfo lists exactly where spaCy's blank Dutch tokenizer would.

    Safe to share between threads: the chunk cache holds immutable tuples, and each thread
    gets its own spaCy tokenizer for chunks not seen before.
    """

    def __init__(self) -> None:
        self._pieces: dict[str, tuple[Piece, ...]] = {}
        self._local = threading.local()

    def __call__(self, text: str) -> list[TokenInfo]:
        """Tokens without whitespace; a line break makes the next token start a sentence."""
        tokens: list[TokenInfo] = []
        append = tokens.append
        cache = self._pieces
        after_break = line_start = True
        previous_end = 0
        length = len(text)
        for match in CHUNK.finditer(text):
            start, end = match.span()
            gap = text[previous_end:start]
            if "\n" in gap:
                after_break = line_start = True
            # spaCy keeps a single space as a flag and any other whitespace as a token, which
            # phrases cannot run across.
            after_gap = gap != " " and previous_end > 0
            previous_end = end
            chunk = match.group()
            pieces = cache.get(chunk)
            if pieces is None:
                pieces = self._split(chunk)
            last = len(pieces) - 1
            for index, (a, b, piece, lower, cap, breaks) in enumerate(pieces):
                append(
                    TokenInfo(
                        piece,
                        start + a,
                        start + b,
                        lower,
                        cap,
                        after_break,
                        index == last and end < length and text[end] == " ",
                        line_start,
                        False,
                        after_gap and index == 0,
                    )
                )
                after_break = breaks
                line_start = False
        return tokens

    def phrases(self, entries: Iterable[str]) -> list[tuple[str, ...]]:
        """Each entry as its tuple of token texts."""
        return [tuple(tok.text for tok in self(entry)) for entry in entries]

    def _split(self, chunk: str) -> tuple[Piece, ...]:
        nlp = getattr(self._local, "nlp", None)
        if nlp is None:
            nlp = self._local.nlp = spacy.blank("nl")
        pieces = []
        for token in nlp.tokenizer(chunk):
            a = token.idx
            piece = token.text
            breaks = piece in SENTENCE_BREAKS or (not piece[-1].isalnum() and ends_sentence(piece))
            pieces.append((a, a + len(piece), piece, piece.lower(), piece[0].isupper(), breaks))
        if len(self._pieces) >= MAX_CACHED_CHUNKS:
            self._pieces.clear()
        result = self._pieces[chunk] = tuple(pieces)
        return result


class PhraseIndex:
    """All occurrences of listed phrases as token ranges, by exact token text."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:
                by_first.setdefault(phrase[0], set()).add(phrase[1:])
        self._by_first = {first: tuple(rests) for first, rests in by_first.items()}

    def find(self, tokens: list[TokenInfo]) -> list[tuple[int, int]]:
        """(start, end) token indices of every match, overlapping ones included."""
        found = []
        by_first = self._by_first
        count = len(tokens)
        for i, tok in enumerate(tokens):
            rests = by_first.get(tok.text)
            if rests is None:
                continue
            for rest in rests:
                end = i + 1 + len(rest)
                if end <= count and all(
                    tokens[k].text == word and not tokens[k].after_gap
                    for k, word in enumerate(rest, start=i + 1)
                ):
                    found.append((i, end))
        return found
