"""The Deidentifier: loads the lists once and finds personal data in Dutch text."""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from pathlib import Path

from nlp.deid.addresses import AddressFinder
from nlp.deid.conditions import Conditions
from nlp.deid.lexicon import NAMES_DIR, Lexicon, load_lexicon
from nlp.deid.patterns import find_structured
from nlp.deid.persons import JOINERS, PersonFinder
from nlp.deid.spoken import find_cued_handles
from nlp.deid.tokenizer import PhraseIndex, Tokenizer
from nlp.deid.tokens import TokenInfo
from nlp.deid.types import Span, resolve_overlaps

MAX_TEXT_CHARS = 100_000
# Phrase lists: places and organisations are never a name; streets without a street ending.
BLOCK = "block"
STREET = "street"
# What the tokenizer flags, once per distinct token text, so each finder visits only its tokens.
NAME_START = 1  # a name may start here
PHRASE_START = 2  # a listed phrase starts here
ADDRESS_START = 4  # an address may start here
PLACE_COMPOUND = 8  # 'Bospolder-Tussendijken', 'Rotterdam-Zuid': never a name
JOINER = 16  # 'en', ',': 'Fatima en Yusuf'
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
    if text.isprintable():
        return text  # most stories: one line, no NUL or other control characters
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
        self._tokenizer: Tokenizer | None = None
        self._place_words: frozenset[str] = frozenset()
        self._conditions = Conditions(None)
        self._lock = threading.Lock()

    @property
    def lexicon(self) -> Lexicon:
        """The loaded lists (loaded on first access)."""
        if self._lexicon is None:
            self._load()
        assert self._lexicon is not None
        return self._lexicon

    def _load(self) -> None:
        """Load the lists and build the finders, once, whichever thread comes first."""
        with self._lock:
            if self._lexicon is None:
                lexicon = load_lexicon(self.names_dir)
                tokenizer = Tokenizer(self._classify)
                phrases = tokenizer.phrases
                self._persons = PersonFinder(lexicon)
                self._addresses = AddressFinder(lexicon)
                self._conditions = Conditions(lexicon)
                self._phrases = PhraseIndex(
                    {
                        BLOCK: phrases(
                            lexicon.places
                            + lexicon.organisations
                            + lexicon.other_proper_nouns
                            + lexicon.never_persons
                            + self._conditions.never_persons
                        ),
                        STREET: phrases(lexicon.streets_without_suffix),
                    }
                )
                self._tokenizer = tokenizer
                self._place_words = lexicon.place_words
                self._lexicon = lexicon

    def detect(self, text: str) -> list[Span]:
        """Non-overlapping personal-data spans, sorted by start, offsets into ``text``."""
        check_text(text)
        if not text or text.isspace():
            return []
        if self._lexicon is None:
            self._load()
        assert self._persons is not None and self._addresses is not None
        assert self._phrases is not None and self._tokenizer is not None
        tokens, flagged = self._tokenizer(text)
        structured = find_structured(text)
        structured += find_cued_handles(text, self._ordinary_word)

        phrases = self._phrases.find(tokens, [k for k, f in flagged if f & PHRASE_START])
        blocked_ranges = [(s.start, s.end) for s in structured]
        blocked_ranges += [
            (tokens[a].start, tokens[b - 1].end) for label, a, b in phrases if label == BLOCK
        ]
        _block(tokens, blocked_ranges)
        self._conditions.block_named(text, tokens)
        for k, flags in flagged:
            if flags & PLACE_COMPOUND:
                tokens[k].blocked = True
        street_starts = {a for label, a, _ in phrases if label == STREET}

        address_starts = [k for k, f in flagged if f & ADDRESS_START]
        addresses = self._addresses.find(text, tokens, street_starts, address_starts)
        _block(tokens, [(s.start, s.end) for s in addresses])
        name_starts = [k for k, f in flagged if f & NAME_START]
        joiners = [k for k, f in flagged if f & JOINER]
        persons = self._persons.find(text, tokens, name_starts, joiners)
        return resolve_overlaps(structured + addresses + persons)

    def _ordinary_word(self, word: str) -> bool:
        """A lower-case word of ordinary Dutch (or a stop word): no one's account name."""
        assert self._lexicon is not None
        return word in self._lexicon.dutch_words

    def _classify(self, text: str) -> int:
        """The flags of a token text (see NAME_START and the others)."""
        assert self._persons is not None and self._addresses is not None
        assert self._phrases is not None
        flags = 0
        if self._persons.may_start(text):
            flags |= NAME_START
        if self._phrases.starts(text):
            flags |= PHRASE_START
        if self._addresses.may_start(text):
            flags |= ADDRESS_START
        if "-" in text and any(p in self._place_words for p in text.split("-")):
            flags |= PLACE_COMPOUND
        if text.lower() in JOINERS:
            flags |= JOINER
        return flags


def _block(tokens: list[TokenInfo], ranges: list[tuple[int, int]]) -> None:
    """Mark tokens that overlap any of the character ranges."""
    for start, end in ranges:
        # The first token ending after the range starts, then every token starting before its end.
        k = bisect_right(tokens, start, key=_token_end)
        while k < len(tokens) and tokens[k].start < end:
            tokens[k].blocked = True
            k += 1


def _token_end(token: TokenInfo) -> int:
    return token.end
