"""Finds person names: listed first and last names, unlisted capitalised words that look like
names, names in lower case, and every later mention of a name found once in the text."""

from __future__ import annotations

from bisect import bisect_left

from nlp.deid.lexicon import Lexicon
from nlp.deid.name_words import STOP_WORDS, NameWords
from nlp.deid.person_context import PersonContext, previous_word
from nlp.deid.tokens import PARTICLES, TokenInfo, is_initials, name_core
from nlp.deid.types import PiiType, Span

# Capitalised particles only start a surname ("De Vries"), they are never a name on their own.
CAP_PARTICLES = frozenset({"de", "van", "der", "den", "el", "al", "ter", "ten", "ben", "ait", "aït", "abu", "'t", "in"})  # fmt: skip
JOINERS = frozenset({"en", "&", ",", "of"})
SURNAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "'t", "te"})
# Lower-case words that are prepositions far more often than part of a surname.
PREPOSITION_PARTICLES = frozenset({"in", "op", "uit", "het"})


class PersonFinder:
    """Rule-based PERSOON detection over a token view; stateless apart from the lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.ctx = PersonContext(lexicon)
        self.titles = lexicon.words("titles")
        self.words = NameWords(lexicon, self.ctx)
        self._name_words = self.words.name_words
        self._chains = self.words.chains
        self._lowercase_words = self.words.lowercase

    def may_start(self, text: str) -> bool:
        """Whether a name can start at a token with this text (see NameWords.may_start)."""
        return self.words.may_start(text)

    def find(
        self, text: str, tokens: list[TokenInfo], candidates: list[int], joiners: list[int]
    ) -> list[Span]:
        """PERSOON spans in ``text``; ``candidates`` are the indices of the tokens that
        ``may_start`` a name, ``joiners`` those of the JOINERS ('en', ','); tokens marked
        ``blocked`` are never part of a name."""
        lowercase_style = _LowercaseStyle(tokens)
        spans: list[Span] = []
        pending: list[tuple[int, int]] = []  # sentence-initial chains that need confirming
        i = 0
        for k in candidates:
            if k < i:
                continue  # inside the chain or name just judged
            i = k
            end = self._chain_end(tokens, i)
            if end > i:
                span = self._judge_chain(text, tokens, i, end, pending)
                i = end
            elif tokens[i].cap:
                continue  # a capitalised word that is no name: the next candidate
            else:
                span, i = self._lowercase_name(text, tokens, i, lowercase_style)
            if span is not None:
                spans.append(span)
        spans += self._coordinated(tokens, spans, joiners, lowercase_style)
        spans += self._confirmed_openers(text, tokens, spans, pending)
        spans += self._later_mentions(text, tokens, spans)
        return spans

    def _confirmed_openers(
        self, text: str, tokens: list[TokenInfo], spans: list[Span], pending: list[tuple[int, int]]
    ) -> list[Span]:
        """'Zorano Ivić opende ... Later bracht Zorano': a sentence-initial chain is a name when
        one of its words is found as a name elsewhere in the text."""
        if not pending:
            return []
        found = {text[s.start : s.end] for s in spans}
        words = {w for name in found for w in name.split() if len(w) > 1}
        extra = []
        for i, end in pending:
            if any(name_core(t)[0] in words for t in tokens[i:end]):
                span = self._make_span(text, tokens, i, end)
                if span is not None and span.text not in found:
                    extra.append(span)
        return extra

    # A chain is a run of capitalised words, initials and the particles between them.
    def _chain_end(self, tokens: list[TokenInfo], i: int) -> int:
        tok = tokens[i]
        if tok.blocked or not (tok.cap or "-" in tok.text):
            return i
        if not (self._is_name_word(tokens, i) or (tok.cap and tok.lower in CAP_PARTICLES)):
            return i
        j, last = i, i - 1
        count = len(tokens)
        name_words = self._name_words
        while j < count and not tokens[j].blocked:
            name_word = name_words[tokens[j].text]
            if name_word is None:  # capitals: a name only beside other capitals
                name_word = _shouting(tokens, j)
            if name_word:
                last = j
                if tokens[j].text.endswith(("'s", "’s")):
                    break
            elif tokens[j].lower not in PARTICLES or tokens[j].text in PREPOSITION_PARTICLES:
                break
            elif last >= i and self._of_person(tokens, j):
                break  # 'De Ster van Fatima': 'van' + a first name means 'of', not a surname
            j += 1
        return last + 1

    def _of_person(self, tokens: list[TokenInfo], j: int) -> bool:
        """'van' followed by a first name that is no surname."""
        if tokens[j].text != "van" or j + 1 >= len(tokens):
            return False
        nxt = name_core(tokens[j + 1])[0]
        return tokens[j + 1].cap and self.ctx.first_name_only(nxt)

    def _is_name_word(self, tokens: list[TokenInfo], k: int) -> bool:
        tok = tokens[k]
        answer = self._name_words[tok.text]
        if answer is None:  # 'IBAN', 'GGD': capitals are a name only inside a name in capitals.
            return _shouting(tokens, k)
        return answer

    def _judge_chain(
        self, text: str, tokens: list[TokenInfo], i: int, end: int, pending: list[tuple[int, int]]
    ) -> Span | None:
        ctx = self.ctx
        i = self._trim_front(tokens, i, end)
        if i >= end:
            return None
        facts = self._chains[
            tuple(
                [
                    t.core
                    for t in tokens[i:end]
                    if t.lower not in PARTICLES or t.lower in ("el", "al")
                ]
            )
        ]
        known, strong, initials = facts.known, facts.strong, facts.initials
        before = ctx.person_before(tokens, i)
        if not before and self._ordinary_opening(tokens, i, end):
            return None
        if not facts.name_like and not before:
            # No word looks like a name ('Gisteren', 'Ik'): only a title or an age says person.
            if not ctx.person_after(text, tokens, end, verbs=False, contact=False):
                return None
        sentence_start = tokens[i].sentence_start or (
            i > 0 and tokens[i - 1].sentence_start and tokens[i - 1].lower in PARTICLES
        )
        if not before:
            if ctx.venue_before(tokens, i) or ctx.organisation_after(tokens, i, end):
                return None
            if ctx.article_before(tokens, i) and not facts.last_name:
                return None
        if facts.thing_like:
            return None  # 'Coördinator Taalmaatjes', 'Anne Frankschool'
        if not known and not strong and not before and ctx.in_place(tokens, i):
            return None  # 'haar zus in Krakau heeft': an unlisted word after 'in' is a place
        unknown_ok = facts.unknown_ok
        verbs = bool(known) or (unknown_ok and not sentence_start)
        after = ctx.person_after(text, tokens, end, verbs=verbs, contact=verbs)
        if before or after or strong or known >= 2 or (initials and facts.words > 1):
            return self._make_span(text, tokens, i, end)
        if known and not sentence_start:
            return self._make_span(text, tokens, i, end)
        if tokens[i].lower == "van" and (known or unknown_ok):
            return self._make_span(text, tokens, i, end)  # "Van der Linden belde"
        if unknown_ok and not sentence_start and not ctx.place_before(tokens, i):
            return self._make_span(text, tokens, i, end)
        if sentence_start and (known or unknown_ok):
            pending.append((i, end))
        return None

    def _ordinary_opening(self, tokens: list[TokenInfo], i: int, end: int) -> bool:
        """'Meer is er niet', 'De Ster is open': a sentence-initial function word alone, or an
        article before ordinary words that are no listed surname, names nobody."""
        first = tokens[i]
        if end - i == 1 and first.sentence_start and self._function_word(first):
            return True
        if first.lower not in CAP_PARTICLES or not first.cap:
            return False
        words = [t for t in tokens[i + 1 : end] if t.lower not in PARTICLES]
        return bool(words) and all(
            self.ctx.dutch_word(t.core) and not self.lex.is_last_name(t.core) for t in words
        )

    def _word_before_first_name(self, tokens: list[TokenInfo], i: int) -> bool:
        """'Zomer Fatima kwam': an ordinary word that is no first name, before a first name
        that is no surname; Dutch writes the first name first."""
        tok = tokens[i]
        if i + 1 >= len(tokens) or self.lex.is_first_name(tok.core):
            return False
        nxt = tokens[i + 1]
        return (
            self.ctx.dutch_word(tok.core)
            and nxt.cap
            and self.ctx.first_name_only(name_core(nxt)[0])
        )

    def _function_word(self, tok: TokenInfo) -> bool:
        """A stop word or closed-class word ('Meer', 'Toen', 'Soms') that is no first name."""
        return tok.lower in self.lex.function_words and not self.lex.is_first_name(tok.core)

    def _trim_front(self, tokens: list[TokenInfo], i: int, end: int) -> int:
        """Drop capitalised particles not followed by a name, and 'Gisteren' in 'Gisteren Fatima'."""
        while i < end:
            tok = tokens[i]
            if tok.lower in PARTICLES and not self._is_name_word(tokens, i):
                nxt = next((k for k in range(i + 1, end) if tokens[k].lower not in PARTICLES), None)
                if tok.cap and nxt is not None and self.ctx.known(name_core(tokens[nxt])[0]):
                    return i
                i += 1
            elif (
                tok.sentence_start
                and end - i > 1
                and (
                    self._common_word(tok)
                    or self._address_word(tok)
                    or self._function_word(tok)
                    or self._word_before_first_name(tokens, i)
                )
            ):
                i += 1
                while i < end and tokens[i].lower in PARTICLES and not tokens[i].cap:
                    i += 1
            else:
                return i
        return i

    def _address_word(self, tok: TokenInfo) -> bool:
        """'Beste Yvonne', 'Mevrouw Jansen': a greeting or title that opens the sentence."""
        return tok.lower in self.ctx.greetings or tok.lower in self.titles

    def _common_word(self, tok: TokenInfo) -> bool:
        core = name_core(tok)[0]
        return self.ctx.dutch_word(core) and not self.ctx.known(core)

    def _lowercase_name(
        self, text: str, tokens: list[TokenInfo], i: int, lowercase_style: _LowercaseStyle
    ) -> tuple[Span | None, int]:
        """'ik sprak met fatima', 'jan van der berg heeft gebeld'."""
        tok = tokens[i]
        word = self._lowercase_words[tok.text]
        if word is None or tok.blocked:
            return None, i + 1
        # Writers who capitalise sentences capitalise names too: there a lower-case word is a
        # name only with a person cue; in chat-style text a listed first name is enough.
        ctx, safe = self.ctx, word.safe
        cue = word.cue_word and (
            ctx.person_before(tokens, i)
            or ctx.person_after(text, tokens, i + 1, verbs=safe, contact=safe)
        )
        if not (cue or ((safe or word.listed) and lowercase_style.holds())):
            return None, i + 1
        end = self._lowercase_surname_end(tokens, i + 1)
        span = Span(
            tok.start, tokens[end - 1].end, PiiType.PERSOON, text[tok.start : tokens[end - 1].end]
        )
        return span, end

    def _lowercase_surname_end(self, tokens: list[TokenInfo], k: int) -> int:
        """Extend 'jan' over 'van der berg' or 'jolanda' over 'bakker' when the surname is listed."""
        j = k
        while j < len(tokens) and tokens[j].lower in PARTICLES and not tokens[j].cap:
            j += 1
        if j < len(tokens) and not tokens[j].blocked and tokens[j].text.isalpha():
            word = tokens[j]
            if self.lex.is_last_name(word.text) and not word.cap and word.lower not in STOP_WORDS:
                return j + 1
        return k

    def _coordinated(
        self,
        tokens: list[TokenInfo],
        spans: list[Span],
        joiners: list[int],
        lowercase_style: _LowercaseStyle,
    ) -> list[Span]:
        """'Fatima en Yusuf', 'Hans en Marja Hoek': a name-like word joined to a found name."""
        if not spans:
            return []
        starts = {s.start for s in spans}
        ends = {s.end for s in spans}
        extra: list[Span] = []
        for k in [k for k in joiners if 0 < k < len(tokens) - 1]:
            left, right = tokens[k - 1], tokens[k + 1]
            if (
                left.end in ends
                and right.start not in starts
                and self._joined_name(tokens, k + 1, lowercase_style)
            ):
                extra.append(_token_span(right))
            elif (
                right.start in starts
                and left.end not in ends
                and self._joined_name(tokens, k - 1, lowercase_style)
            ):
                extra.append(_token_span(left))
        return extra

    def _joined_name(
        self, tokens: list[TokenInfo], k: int, lowercase_style: _LowercaseStyle
    ) -> bool:
        tok = tokens[k]
        core = name_core(tok)[0]
        if tok.blocked or tok.lower in PARTICLES or not core.isalpha():
            return False
        if not tok.cap:
            return self.ctx.known(core) and lowercase_style.holds()
        if tok.sentence_start and not self.ctx.known(core):
            return self.ctx.unknown_name_like(core)
        return self.ctx.known(core) or self.ctx.unknown_name_like(core)

    def _later_mentions(self, text: str, tokens: list[TokenInfo], spans: list[Span]) -> list[Span]:
        """Every other mention of a name word found once ('Rignald Isenia' ... 'Rignald's')."""
        if not spans:
            return []
        covered = {
            k
            for s in spans
            for k in range(
                bisect_left(tokens, s.start, key=_token_start),
                bisect_left(tokens, s.end, key=_token_start),
            )
        }
        names = set()
        for k in covered:
            tok = tokens[k]
            if tok.lower not in PARTICLES and len(tok.core) > 1 and not is_initials(tok.core):
                names.add(tok.core)
        # Tokens do not overlap, so a name that occurs once in the whole text has no other
        # mention; usually that is every name.
        names = {name for name in names if text.count(name) > 1}
        if not names:
            return []
        extra = []
        # A lower-case token's core is its text, so this is every capitalised or lower-case
        # mention of a found name word.
        for k in [k for k, tok in enumerate(tokens) if tok.core in names]:
            tok = tokens[k]
            core = tok.core
            if tok.blocked or k in covered:
                continue
            if tok.sentence_start and self.ctx.dutch_word(core) and self.lex.is_ambiguous(core):
                continue
            if self.ctx.article_before(tokens, k) or self.ctx.venue_before(tokens, k):
                continue
            if k + 1 < len(tokens) and tokens[k + 1].cap and tokens[k + 1].lower not in PARTICLES:
                continue  # 'Hans Anders' when only 'Hans' was found: another name or a shop
            extra.append(_token_span(tok))
        return extra

    def _make_span(self, text: str, tokens: list[TokenInfo], i: int, end: int) -> Span | None:
        while end > i and tokens[end - 1].lower in PARTICLES and not tokens[end - 1].cap:
            end -= 1
        if end <= i:
            return None
        i = self._lowercase_particles_before(tokens, i)
        start = tokens[i].start
        stop = name_core(tokens[end - 1])[1]
        return Span(start, stop, PiiType.PERSOON, text[start:stop])

    def _lowercase_particles_before(self, tokens: list[TokenInfo], i: int) -> int:
        """'meneer van den Heuvel', 'de Vries zei': lower-case particles of a listed surname."""
        k = i
        while k > 0 and tokens[k - 1].lower in SURNAME_PARTICLES and not tokens[k - 1].cap:
            k -= 1
        if k == i:
            return i
        prev = previous_word(tokens, k)
        title = prev is not None and tokens[prev].lower.rstrip(".") in self.titles
        return k if title or tokens[k].sentence_start else i


def _token_span(tok: TokenInfo) -> Span:
    core, end = name_core(tok)
    return Span(tok.start, end, PiiType.PERSOON, core)


class _LowercaseStyle:
    """Whether a text is written without capitals at sentence starts (chat style), worked out
    only when a rule asks, which most texts never do."""

    def __init__(self, tokens: list[TokenInfo]) -> None:
        self.tokens = tokens
        self._holds: bool | None = None

    def holds(self) -> bool:
        if self._holds is None:
            starts = [t.cap for t in self.tokens if t.sentence_start and t.text[0].isalpha()]
            self._holds = bool(starts) and starts.count(False) * 2 >= len(starts)
        return self._holds


def _shouting(tokens: list[TokenInfo], k: int) -> bool:
    """True when a neighbouring word is in capitals too ('FATIMA EL AMRANI')."""
    for j in (k - 1, k + 1):
        if 0 <= j < len(tokens) and len(tokens[j].text) > 1 and tokens[j].text.isupper():
            return tokens[j].text.isalpha()
    return False


def _token_start(token: TokenInfo) -> int:
    return token.start
