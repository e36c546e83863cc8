"""The Deidentifier: loads the lists once and finds personal data in Dutch text."""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from pathlib import Path

from nlp.deid.addresses import AddressFinder
from nlp.deid.lexicon import NAMES_DIR, Lexicon, load_lexicon
from nlp.deid.patterns import find_structured
from nlp.deid.persons import PersonFinder
from nlp.deid.tokenizer import PhraseIndex, Tokenizer
from nlp.deid.tokens import TokenInfo
from nlp.deid.types import Span, resolve_overlaps

MAX_TEXT_CHARS = 100_000
# Phrase lists: places and organisations are never a name; streets without a street ending.
BLOCK = "block"
STREET = "street"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnsafeTextError(ValueError):
    """A text the de-identifier refuses to process."""


class TextTooLongError(UnsafeTextError):
    """The text is longer than MAX_TEXT_CHARS characters."""


class BinaryTextError(UnsafeTextError):
    """The text holds NUL bytes or is mostly control characters: not a story."""


def check_text(text: object) -> str:
    """Return ``text`` if it is a processable story, else raise an UnsafeTextError."""
    if not isinstance(text, str):
        raise UnsafeTextError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLongError(f"text has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    if "\x00" in text:
        raise BinaryTextError("text contains NUL bytes; it looks like binary data")
    controls = len(CONTROL_CHARS.findall(text)) if CONTROL_CHARS.search(text) else 0
    if controls and controls * 2 > len(text.strip()):
        raise BinaryTextError("text is mostly control characters; it looks like binary data")
    return text


class Deidentifier:
    """Finds personal data; create one and reuse it (lists load lazily on first use).

    Safe to share between threads: the lists are immutable and the tokenizer gives each thread
    its own spaCy tokenizer.
    """

    def __init__(self, names_dir: Path = NAMES_DIR) -> None:
        self.names_dir = names_dir
        self._lexicon: Lexicon | None = None
        self._persons: PersonFinder | None = None
        self._addresses: AddressFinder | None = None
        self._phrases: PhraseIndex | None = None
        self._tokenizer = Tokenizer()
        self._lock = threading.Lock()

    @property
    def lexicon(self) -> Lexicon:
        """The loaded lists (loaded on first access)."""
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    lexicon = load_lexicon(self.names_dir)
                    phrases = self._tokenizer.phrases
                    self._persons = PersonFinder(lexicon)
                    self._addresses = AddressFinder(lexicon)
                    self._phrases = PhraseIndex(
                        {
                            BLOCK: phrases(
                                lexicon.places + lexicon.organisations + lexicon.other_proper_nouns
                            ),
                            STREET: phrases(lexicon.streets_without_suffix),
                        }
                    )
                    self._lexicon = lexicon
        return self._lexicon

    def detect(self, text: str) -> list[Span]:
        """Non-overlapping personal-data spans, sorted by start, offsets into ``text``."""
        check_text(text)
        if not text or text.isspace():
            return []
        lexicon = self.lexicon
        assert self._persons is not None and self._addresses is not None
        assert self._phrases is not None
        tokens = self._tokenizer(text)
        structured = find_structured(text)

        phrases = self._phrases.find(tokens)
        blocked_ranges = [(s.start, s.end) for s in structured]
        blocked_ranges += [
            (tokens[a].start, tokens[b - 1].end) for label, a, b in phrases if label == BLOCK
        ]
        _block(tokens, blocked_ranges)
        place_words = lexicon.place_words
        for tok in [tok for tok in tokens if "-" in tok.text]:
            # 'Bospolder-Tussendijken', 'Rotterdam-Zuid': compounds of places.
            if any(p in place_words for p in tok.text.split("-")):
                tok.blocked = True
        street_starts = {a for label, a, _ in phrases if label == STREET}

        addresses = self._addresses.find(text, tokens, street_starts)
        _block(tokens, [(s.start, s.end) for s in addresses])
        persons = self._persons.find(text, tokens)
        return resolve_overlaps(structured + addresses + persons)


def _block(tokens: list[TokenInfo], ranges: list[tuple[int, int]]) -> None:
    """Mark tokens that overlap any of the character ranges."""
    if not ranges:
        return
    token_ends = [tok.end for tok in tokens]
    for start, end in ranges:
        # The first token ending after the range starts, then every token starting before its end.
        k = bisect_right(token_ends, start)
        while k < len(tokens) and tokens[k].start < end:
            tokens[k].blocked = True
            k += 1
