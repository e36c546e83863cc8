"""Diseases named after people stay in the text: 'de ziekte van Parkinson', 'Alzheimer',
'het syndroom van Down', 'Wilson's disease' describe a condition, not a person."""

from __future__ import annotations

from nlp.deid.lexicon import Lexicon
from nlp.deid.tokens import TokenInfo
from nlp.deid.world_names import CONDITION_WORDS

# 'syndroom van X', 'X syndrome': a syndrome is never named after the resident's neighbour.
SYNDROME_WORDS = frozenset({"syndroom", "sindroom", "syndrome"})
LINKS = frozenset({"van", "of"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


class Conditions:
    """Which condition names to block everywhere, and blocking the others in context."""

    def __init__(self, lexicon: Lexicon | None) -> None:
        names = lexicon.conditions if lexicon else ()
        # A condition that is also a person name ('Turner', 'Wilson') needs a disease word.
        ambiguous = {n for n in names if lexicon and lexicon.is_listed_name(n)}
        plain = [n for n in names if n not in ambiguous]
        self.never_persons = tuple(plain + [n + "'s" for n in plain] + [n + "’s" for n in plain])
        self.names = frozenset(n.lower() for n in names)

    def block_named(self, text: str, tokens: list[TokenInfo]) -> None:
        """Block 'Turner' in 'syndroom van Turner', 'Wilson' in 'Wilson's disease'."""
        lower = text.lower()
        if not any(word in lower for word in CONDITION_WORDS):
            return
        for k, tok in enumerate(tokens):
            if tok.lower not in CONDITION_WORDS:
                continue
            syndrome = tok.lower in SYNDROME_WORDS
            after = k + 2
            if after < len(tokens) and tokens[k + 1].lower in LINKS:
                self._block_if(tokens[after], syndrome)
            before = k - 1
            if before >= 0 and tokens[before].text in POSSESSIVE:
                before -= 1
            if before >= 0 and tokens[before].cap:
                self._block_if(tokens[before], syndrome)

    def _block_if(self, tok: TokenInfo, syndrome: bool) -> None:
        if tok.cap and (syndrome or tok.core.lower() in self.names):
            tok.blocked = True
