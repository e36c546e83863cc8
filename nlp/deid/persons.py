"""Finds person names: known first and last names, plus unknown capitalised words that the
context marks as a name (a title, a speech verb, an age in brackets, a greeting)."""

from __future__ import annotations

import re

from nlp.deid.lexicon import Lexicon
from nlp.deid.tokens import PARTICLES, TokenInfo, is_initials, name_core
from nlp.deid.types import PiiType, Span

AGE_AFTER = re.compile(r"^\s*(?:\(\s*\d{1,3}(?:\s*jaar)?\s*\)|,\s*\d{1,3}(?:\s*jaar)?\s*,)")
LETTERS = re.compile(r"^[^\W\d_][^\W\d_'’\-.]*(?:[-'’][^\W\d_]+)*[.]?$")
LOWER_STOP = frozenset({"en", "of", "met", "van", "de", "het", "een"})
# Capitalised particles only start a surname ("De Vries"), they are never a name on their own.
CAP_PARTICLES = frozenset(
    {"de", "van", "der", "den", "el", "al", "ter", "ten", "ben", "ait", "aït", "abu", "'t", "in"}
)
JOINERS = frozenset({"en", "&", ",", "of"})


class PersonFinder:
    """Rule-based PERSOON detection over a token view; stateless apart from the lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.titles = lexicon.words("titles")
        self.speech = lexicon.words("speech_verbs")
        self.person_verbs = lexicon.words("person_verbs")
        self.intro = lexicon.words("name_intro")
        self.greetings = lexicon.words("greetings")
        self.location_preps = lexicon.words("location_preps")
        self.org_heads = lexicon.words("org_heads")

    def find(self, text: str, tokens: list[TokenInfo]) -> list[Span]:
        """PERSOON spans in ``text``; tokens marked ``blocked`` are never part of a name."""
        spans: list[Span] = []
        i = 0
        n = len(tokens)
        while i < n:
            end = self._chain_end(tokens, i)
            if end > i:
                span = self._judge_chain(text, tokens, i, end)
                if span is not None:
                    spans.append(span)
                i = end
            else:
                span = self._lowercase_name(text, tokens, i)
                if span is not None:
                    spans.append(span)
                i += 1
        return self._coordinated(text, tokens, spans)

    # A chain is a run of capitalised words, initials and particles between them.
    def _chain_end(self, tokens: list[TokenInfo], i: int) -> int:
        if not self._starts_chain(tokens, i):
            return i
        j = i
        last_name_token = i - 1
        while j < len(tokens):
            tok = tokens[j]
            if tok.blocked:
                break
            if self._is_name_word(tok, _shouting(tokens, j)) or is_initials(tok.text):
                last_name_token = j
                j += 1
                if tok.text.endswith(("'s", "’s")):
                    break
                continue
            if tok.lower in PARTICLES and j + 1 < len(tokens):
                j += 1
                continue
            break
        return last_name_token + 1

    def _starts_chain(self, tokens: list[TokenInfo], i: int) -> bool:
        tok = tokens[i]
        if tok.blocked:
            return False
        if tok.lower in CAP_PARTICLES and tok.cap:
            return True
        return self._is_name_word(tok, _shouting(tokens, i)) or is_initials(tok.text)

    def _is_name_word(self, tok: TokenInfo, shouting: bool = False) -> bool:
        if not tok.cap or tok.lower in self.titles and not self._known(tok.text):
            return False
        if len(tok.text) > 1 and tok.text.isupper() and not is_initials(tok.text):
            # 'IBAN', 'GGD': all-capitals words are names only in an all-capitals name.
            return shouting and self._unambiguous(tok.text)
        if tok.lower in PARTICLES and tok.lower not in ("el", "al"):
            return False
        return bool(LETTERS.match(tok.text)) and not tok.text.endswith(".") or is_initials(tok.text)

    def _known(self, word: str) -> bool:
        core = word.rstrip(".")
        parts = re.split(r"[-]", core) if "-" in core else [core]
        return any(self.lex.is_first_name(p) or self.lex.is_last_name(p) for p in parts if p)

    def _unambiguous(self, word: str) -> bool:
        core = re.sub(r"(?:'s|’s)$", "", word)
        parts = core.split("-") if "-" in core else [core]
        return any(
            (self.lex.is_first_name(p) or self.lex.is_last_name(p)) and not self.lex.is_ambiguous(p)
            for p in parts
            if p
        )

    def _judge_chain(self, text: str, tokens: list[TokenInfo], i: int, end: int) -> Span | None:
        # Drop capitalised particles and sentence-initial common words from the front.
        while i < end:
            tok = tokens[i]
            if tok.lower in PARTICLES and not self._is_name_word(tok):
                if i + 1 < end and tok.cap and self._known(tokens[i + 1].text):
                    break
                i += 1
            elif tok.sentence_start and self._common_word(tok):
                i += 1
            else:
                break
        if i >= end:
            return None
        words = [t for t in tokens[i:end] if t.lower not in PARTICLES or self._is_name_word(t)]
        initials = any(is_initials(t.text) for t in words)
        known = [t for t in words if self._known(_core_text(t))]
        strong = [t for t in known if self._unambiguous(_core_text(t))]
        first = tokens[i]
        sentence_start = first.sentence_start or (
            i > 0 and tokens[i - 1].sentence_start and tokens[i - 1].lower in PARTICLES
        )
        context = self._person_context(text, tokens, i, end)
        venue = self._venue_context(tokens, i)

        if venue and not context:
            return None
        if sentence_start and not context and not strong:
            if len(known) < 2 and not (initials and len(words) > 1):
                return self._trim_sentence_start(text, tokens, i, end)
        if strong or context or len(known) >= 2:
            return self._make_span(text, tokens, i, end)
        if known and not sentence_start:
            return self._make_span(text, tokens, i, end)
        if initials and len(words) > 1:
            return self._make_span(text, tokens, i, end)
        if not sentence_start and len(words) == 1 and self._followed_by_person_verb(tokens, end):
            return self._make_span(text, tokens, i, end)
        return None

    def _common_word(self, tok: TokenInfo) -> bool:
        """A sentence-initial ordinary Dutch word ('Gisteren', 'Soms'), not a listed name."""
        return tok.lower in self.lex.dutch_words and not self._known(_core_text(tok))

    def _trim_sentence_start(
        self, text: str, tokens: list[TokenInfo], i: int, end: int
    ) -> Span | None:
        """'Gisteren Fatima' style chains: drop the sentence-initial word, judge the rest."""
        if end - i < 2 or tokens[i].lower in PARTICLES:
            return None
        rest = i + 1
        while rest < end and tokens[rest].lower in PARTICLES and not tokens[rest].cap:
            rest += 1
        words = tokens[rest:end]
        if any(self._known(_core_text(t)) for t in words) and words[0].cap:
            return self._make_span(text, tokens, rest, end)
        return None

    def _person_context(self, text: str, tokens: list[TokenInfo], i: int, end: int) -> bool:
        prev = _previous_word(tokens, i)
        prev2 = _previous_word(tokens, i - 1) if prev is not None else None
        for candidate in (prev, prev2):
            if candidate is None:
                continue
            word = tokens[candidate].lower.rstrip(".")
            last_part = word.rsplit("-", 1)[-1]
            if candidate == prev and (word in self.titles or last_part in self.titles):
                return True
            if word in self.speech or word in self.intro or word in self.greetings:
                return True
        if prev is not None and tokens[prev].lower == "is" and prev2 is not None:
            if tokens[prev2].lower == "naam":
                return True
        if end < len(tokens) and tokens[end].lower in self.person_verbs:
            return any(self._known(_core_text(t)) for t in tokens[i:end])
        return bool(AGE_AFTER.match(text[tokens[end - 1].end : tokens[end - 1].end + 16]))

    def _venue_context(self, tokens: list[TokenInfo], i: int) -> bool:
        prev = _previous_word(tokens, i)
        if prev is None:
            return False
        word = tokens[prev].lower
        if word in self.org_heads:
            return True
        # 'in De Pluk', 'naar Het Kasteel': a capitalised article after a place preposition.
        first = tokens[i]
        return word in self.location_preps and first.cap and first.lower in ("de", "het", "'t")

    def _followed_by_person_verb(self, tokens: list[TokenInfo], end: int) -> bool:
        return end < len(tokens) and tokens[end].lower in self.person_verbs

    def _lowercase_name(self, text: str, tokens: list[TokenInfo], i: int) -> Span | None:
        tok = tokens[i]
        if tok.cap or tok.blocked or len(tok.text) < 3 or not tok.text.isalpha():
            return None
        if not self.lex.is_first_name(tok.text) or self.lex.is_ambiguous(tok.text):
            return None
        if tok.lower in self.lex.lowercase_names or self._person_context(text, tokens, i, i + 1):
            return Span(tok.start, tok.end, PiiType.PERSOON, tok.text)
        return None

    def _coordinated(self, text: str, tokens: list[TokenInfo], spans: list[Span]) -> list[Span]:
        """'Fatima en Yusuf': a capitalised word joined to a found name is a name too."""
        if not spans:
            return spans
        starts = {s.start for s in spans}
        ends = {s.end for s in spans}
        extra: list[Span] = []
        for k in range(1, len(tokens) - 1):
            tok = tokens[k]
            if tok.lower not in JOINERS:
                continue
            left, right = tokens[k - 1], tokens[k + 1]
            if left.end in ends and right.start not in starts and self._lone_name(tokens, k + 1):
                core, core_end = name_core(right)
                extra.append(Span(right.start, core_end, PiiType.PERSOON, core))
            elif right.start in starts and left.end not in ends and self._lone_name(tokens, k - 1):
                if not left.sentence_start or self._known(_core_text(left)):
                    core, core_end = name_core(left)
                    extra.append(Span(left.start, core_end, PiiType.PERSOON, core))
        return spans + extra

    def _lone_name(self, tokens: list[TokenInfo], k: int) -> bool:
        tok = tokens[k]
        return (
            not tok.blocked
            and tok.cap
            and self._is_name_word(tok)
            and tok.lower not in PARTICLES
            and (k + 1 >= len(tokens) or not tokens[k + 1].cap)
        )

    def _make_span(self, text: str, tokens: list[TokenInfo], i: int, end: int) -> Span | None:
        while end > i and tokens[end - 1].lower in PARTICLES and not tokens[end - 1].cap:
            end -= 1
        if end <= i:
            return None
        start = tokens[i].start
        _core, stop = name_core(tokens[end - 1])
        return Span(start, stop, PiiType.PERSOON, text[start:stop])


def _shouting(tokens: list[TokenInfo], k: int) -> bool:
    """True when a neighbouring word is in capitals too ('FATIMA EL AMRANI')."""
    for j in (k - 1, k + 1):
        if 0 <= j < len(tokens) and len(tokens[j].text) > 1 and tokens[j].text.isupper():
            return tokens[j].text.isalpha()
    return False


def _previous_word(tokens: list[TokenInfo], i: int) -> int | None:
    """Index of the previous token that is not punctuation such as '.' or ','."""
    k = i - 1
    while k >= 0 and tokens[k].text in {".", ",", ":", "-"}:
        k -= 1
    return k if k >= 0 else None


def _core_text(tok: TokenInfo) -> str:
    return name_core(tok)[0]
