"""The per-token view that the person and address finders share (built by nlp.deid.tokenizer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens after which the next word starts a sentence, so its capital says nothing.
SENTENCE_BREAKS = frozenset(
    {
        ".",
        "!",
        "?",
        "…",
        ":",
        ";",
        '"',
        "'",
        "“",
        "”",
        "‘",
        "’",
        "(",
        "-",
        "–",
        "—",
        "*",
        "•",
        "...",
        "«",
        "»",
    }
)
PARTICLES = frozenset(
    {
        "van", "de", "der", "den", "'t", "te", "ter", "ten", "in", "op", "uit", "vd", "v.d.",
        "v/d", "d'", "el", "al", "ben", "bin", "ibn", "abu", "da", "dos", "du", "le", "la",
        "von", "zu", "mc", "mac", "ait", "aït", "ou", "del", "di", "het",
    }
)  # fmt: skip
INITIALS = re.compile(r"^(?:[A-Z]\.){1,4}$|^[A-Z]\.?[A-Z]\.?$")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’|s')$")
HOUSE_NUMBER = re.compile(r"^\d{1,5}(?:[-/]?[A-Za-z]{1,2}|-\d{1,4}|/\d{1,4})?$")
HOUSE_ADDITION = re.compile(
    r"^(?:[A-Za-z]|[IVX]{1,4}|\d{1,2}-?(?:hoog|hg|h)|hoog|bis|huis|hs|bg|zw|rd|boven|beneden)$",
)


@dataclass(slots=True)
class TokenInfo:
    """What the finders need to know about one token.

    Built by nlp.deid.tokenizer, which sets every field directly (no __init__ call, for speed).
    """

    text: str
    start: int
    end: int
    lower: str
    core: str  # the text without a possessive ending: "Fatima's" -> "Fatima"
    cap: bool
    sentence_start: bool
    line_start: bool = False
    blocked: bool = False
    after_gap: bool = False  # whitespace other than one space before it: phrases stop here


def ends_sentence(text: str) -> bool:
    """'etc.!' style tokens and emoji or symbols ('🎉', '☀️') end a sentence; ',' and '&' do not."""
    if not any(c.isalnum() for c in text):
        return text not in {",", "&", "+", "/"}
    return (
        text[-1] in ".!?" and len(text) > 1 and not INITIALS.match(text) and not text[:-1].isalpha()
    )


def name_core(token: TokenInfo) -> tuple[str, int]:
    """The token text without a possessive ending ("Fatima's" -> "Fatima") and its end offset."""
    return token.core, token.start + len(token.core)


def strip_possessive(text: str) -> str:
    """ "Fatima's" -> "Fatima", "Fatima'" -> "Fatima"; other words as they are."""
    match = POSSESSIVE.search(text)
    if match and len(text) - len(match.group()) >= 2 and text[0].isupper():
        return text[: match.start()]
    return text


def is_initials(text: str) -> bool:
    """'J.', 'J.P.', 'A.B.C.' and the like."""
    return bool(INITIALS.match(text))
