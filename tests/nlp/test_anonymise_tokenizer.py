"""The cached tokenizer splits like spaCy, phrases stop at line breaks, caches change no result."""

from __future__ import annotations

import pytest
import spacy

from nlp.anonymise import Deidentifier
from nlp.deid.lexicon import WordMemo
from nlp.deid.tokenizer import PhraseIndex, Tokenizer

TEXTS = [
    "Mevr. de Vries (54) woont aan de Kerkstraat 12a, 3012 AB Rotterdam.",
    "Bel me: 06-12345678 of mail j.devries@gmail.com :) groetjes!!",
    "Zorano's  buurman\n\nwoont in Rotterdam-Zuid\u00a0sinds 1-1-2020…",
    "  'Kom gerust,' zei ze. \"Echt?\" (ja) z.s.m. a.s. maandag om 10.00 uur",
    "www.voedselbank.nl/aanmelden?x=1&y=2 — of https://x.nl.",
]


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_are_where_spacy_puts_them(tokenizer: Tokenizer, text: str) -> None:
    nlp = spacy.blank("nl")
    expected = [(t.idx, t.idx + len(t)) for t in nlp.tokenizer(text) if not t.is_space]
    tokens = tokenizer(text).tokens
    assert [(t.start, t.end) for t in tokens] == expected
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_a_line_break_starts_a_sentence_and_a_line(tokenizer: Tokenizer) -> None:
    tokens = tokenizer("groeten van\nFatima").tokens
    assert [(t.text, t.sentence_start, t.line_start) for t in tokens] == [
        ("groeten", True, True),
        ("van", False, False),
        ("Fatima", True, True),
    ]


def test_phrases_match_across_one_space_but_not_across_a_line_break(tokenizer: Tokenizer) -> None:
    index = PhraseIndex({"place": tokenizer.phrases(["Den Haag"])})

    def matches(text: str) -> list[tuple[str, int, int]]:
        tokens = tokenizer(text).tokens
        return index.find(tokens, [k for k, t in enumerate(tokens) if t.text == "Den"])

    assert matches("naar Den Haag") == [("place", 1, 3)]
    assert matches("naar Den\nHaag") == []


def test_word_memo_forgets_everything_when_full() -> None:
    calls: list[str] = []

    def length(word: str) -> int:
        calls.append(word)
        return len(word)

    memo = WordMemo(length, max_size=2)
    assert [memo["a"], memo["bb"], memo["a"], memo["ccc"], memo["a"]] == [1, 2, 1, 3, 1]
    assert calls == ["a", "bb", "ccc", "a"]


def test_results_do_not_depend_on_what_was_read_before() -> None:
    text = "Gisteren belde Fatima el Amrani over de Kerkstraat 12. Fatima's zoon kwam mee."
    fresh = Deidentifier().detect(text)
    warmed = Deidentifier()
    for other in TEXTS:
        warmed.detect(other)
    assert warmed.detect(text) == fresh
    assert [s.text for s in fresh] == ["Fatima el Amrani", "Kerkstraat 12", "Fatima"]
