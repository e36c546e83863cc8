"""Text to a token view, with spaCy's Dutch tokenization cached per whitespace-separated chunk.

spaCy's tokenizer splits the text on whitespace first and then each chunk on its own (prefixes,
suffixes, infixes, exceptions), caching the split per chunk. Asking it only for chunks not seen
before and building the token view straight from the text skips creating a Doc per text,
which was the slow part. Phrase lists are matched on the same tokens, as spaCy's PhraseMatcher
with ``attr="ORTH"`` would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.language import Language

from nlp.deid.tokens import SENTENCE_BREAKS, TokenInfo, ends_sentence, strip_possessive

# Distinct chunks kept; a long stream of new words must not grow memory without bound.
MAX_CACHED_CHUNKS = 100_000

# One token of a chunk: offsets into the chunk, text, lower case, name core, capitalised,
# whether it ends a sentence, and its flags.
Piece = tuple[int, int, str, str, str, bool, bool, int]


class TokenView(NamedTuple):
    """A text's tokens, and the few that the classifier flagged as (index, flags)."""

    tokens: list[TokenInfo]
    flagged: list[tuple[int, int]]


class Tokenizer:
    """Splits texts into TokenInfo lists where spaCy's blank Dutch tokenizer would.

    One difference, on purpose: spaCy can let an exception run across a single space between
    chunks (in ') :>' the ') :' pattern keeps ':>' from being one token); here every chunk is
    split on its own, so a chunk always splits the same way.

    Safe to share between threads: the chunk cache holds immutable tuples, and each thread
    gets its own spaCy tokenizer for chunks not seen before.
    """

    def __init__(self, classify: Callable[[str], int] | None = None) -> None:
        # Token text -> bit flags for what the finders look at; 0, most words, is not flagged.
        # Computed once per distinct chunk, so the finders need not scan every token.
        self._classify = classify
        self._pieces: dict[str, tuple[Piece, ...]] = {}
        self._local = threading.local()

    def __call__(self, text: str) -> TokenView:
        """Tokens without whitespace; a line break makes the next token start a sentence."""
        tokens: list[TokenInfo] = []
        flagged: list[tuple[int, int]] = []
        append = tokens.append
        find = text.find
        new = object.__new__
        cache = self._pieces
        after_break = line_start = True
        end = 0
        chunks = text.split()  # str.split() splits where spaCy does: on str.isspace()
        for chunk in chunks:
            start = find(chunk, end)
            # spaCy keeps one space after a token as a flag and other whitespace as a token of
            # its own, which phrases cannot run across.
            if start - end == 1 and text[end] == " ":
                after_gap = False
            else:
                after_gap = end > 0
                if "\n" in text[end:start]:
                    after_break = line_start = True
            end = start + len(chunk)
            pieces = cache.get(chunk)
            if pieces is None:
                pieces = self._split(chunk, chunks)[chunk]
            for a, b, piece, lower, core, cap, breaks, flags in pieces:
                if flags:
                    flagged.append((len(tokens), flags))
                # Setting the slots directly is a third faster than calling TokenInfo(...).
                tok = new(TokenInfo)
                tok.text = piece
                tok.start = start + a
                tok.end = start + b
                tok.lower = lower
                tok.core = core
                tok.cap = cap
                tok.sentence_start = after_break
                tok.line_start = line_start
                tok.blocked = False
                tok.after_gap = after_gap
                append(tok)
                after_break = breaks
                line_start = after_gap = False
        return TokenView(tokens, flagged)

    def phrases(self, entries: Iterable[str]) -> list[tuple[str, ...]]:
        """Each entry as its tuple of token texts (not cached: lists are read once)."""
        return [
            tuple(token.text for token in doc if not token.is_space)
            for doc in self._spacy().tokenizer.pipe(entries)
        ]

    def _spacy(self) -> Language:
        nlp = getattr(self._local, "nlp", None)
        if nlp is None:
            import spacy  # here: ~100 MB that processes which never de-identify do not need

            nlp = self._local.nlp = spacy.blank("nl")
        return nlp

    def _split(self, missing: str, chunks: list[str]) -> dict[str, tuple[Piece, ...]]:
        """Split ``missing`` and every other chunk not cached yet, with one call to spaCy, and
        cache them. (Another thread may cache ``missing`` meanwhile; it is split anyway.)"""
        new = list(dict.fromkeys([missing, *(c for c in chunks if c not in self._pieces)]))
        # A line break between chunks is a token of its own, so no exception (':)', 'a.s.')
        # can run from one chunk into the next: each is split as if on its own.
        doc = self._spacy().tokenizer("\n".join(new))
        tokens = [(token.idx, token.text) for token in doc if not token.text.isspace()]
        split: dict[str, tuple[Piece, ...]] = {}
        k = offset = 0
        for chunk in new:
            end = offset + len(chunk)
            pieces = []
            while k < len(tokens) and tokens[k][0] < end:
                idx, piece = tokens[k]
                pieces.append(self._piece(idx - offset, piece))
                k += 1
            split[chunk] = tuple(pieces)
            offset = end + 1
        if len(self._pieces) + len(split) > MAX_CACHED_CHUNKS:
            self._pieces.clear()
        self._pieces.update(split)
        return split

    def _piece(self, a: int, piece: str) -> Piece:
        breaks = piece in SENTENCE_BREAKS or (not piece[-1].isalnum() and ends_sentence(piece))
        flags = self._classify(piece) if self._classify else 0
        return (
            a,
            a + len(piece),
            piece,
            piece.lower(),
            strip_possessive(piece),
            piece[0].isupper(),
            breaks,
            flags,
        )


class PhraseIndex:
    """Every occurrence of phrases from labelled lists, by exact token text."""

    def __init__(self, lists: Mapping[str, Iterable[tuple[str, ...]]]) -> None:
        # First token -> {(label, number of further tokens): the further tokens of each phrase}.
        index: dict[str, dict[tuple[str, int], set[tuple[str, ...]]]] = {}
        for label, phrases in lists.items():
            for phrase in phrases:
                if phrase:
                    rest = phrase[1:]
                    index.setdefault(phrase[0], {}).setdefault((label, len(rest)), set()).add(rest)
        self._by_first = {
            first: tuple((label, n, frozenset(rests)) for (label, n), rests in groups.items())
            for first, groups in index.items()
        }

    def starts(self, text: str) -> bool:
        """Whether some phrase starts with this token."""
        return text in self._by_first

    def find(self, tokens: list[TokenInfo], starts: list[int]) -> list[tuple[str, int, int]]:
        """(label, start, end) with token indices for every match, overlapping ones included;
        ``starts`` are the indices of the tokens that start some phrase."""
        found = []
        by_first = self._by_first
        for i in starts:
            for label, n, rests in by_first[tokens[i].text]:
                if not n:  # a one-word phrase
                    found.append((label, i, i + 1))
                    continue
                following = tokens[i + 1 : i + 1 + n]
                if tuple([t.text for t in following]) in rests and not any(
                    t.after_gap for t in following
                ):
                    found.append((label, i, i + 1 + n))
        return found
