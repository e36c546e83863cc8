"""What the lists say about words that may be (part of) a person name, cached per word."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from nlp.deid.lexicon import Lexicon, WordMemo
from nlp.deid.person_context import PersonContext
from nlp.deid.tokens import PARTICLES, is_initials, strip_possessive
from nlp.language import stop_words

# spaCy's Dutch stop list, from nlp/data/language_profiles.json (importing spaCy for it cost
# every process that imports the de-identification about 100 MB).
STOP_WORDS = stop_words(["nl"])


@dataclass(frozen=True, slots=True)
class CoreFacts:
    """What the lists say about one word of a candidate name (its possessive stripped)."""

    known: bool  # a listed name, or a listed surname in the plural ('de Jansens')
    strong: bool  # the same, and not an ordinary Dutch word
    initials: bool
    last_name: bool
    thing_like: bool  # a place or organisation ending ('Lansingerland')
    unknown_ok: bool  # unlisted but name-like, or initials


@dataclass(frozen=True, slots=True)
class ChainFacts:
    """The same for all words of a chain of capitalised words, particles left out."""

    words: int
    known: int  # how many words are known
    strong: bool  # any word
    initials: bool  # any word
    last_name: bool  # any word
    thing_like: bool  # any word
    unknown_ok: bool  # every word
    name_like: bool  # some word is known, strong, initials or unknown but name-like


class LowercaseName(NamedTuple):
    """A listed name written in lower case ('fatima')."""

    listed: bool  # a first name that is no ordinary word: enough in chat-style text
    safe: bool  # on the list of names safe to take in lower case
    cue_word: bool  # a name that is no ordinary word: a name with a person cue around it


class NameWords:
    """Per-word facts for the person finder; each is computed once per distinct word.

    The caches are bounded (see WordMemo) and only read immutable lists, so one instance can
    serve several threads.
    """

    def __init__(self, lexicon: Lexicon, context: PersonContext) -> None:
        self.lex = lexicon
        self.ctx = context
        self.titles = lexicon.words("titles")
        # Token text -> part of a name by itself (None: only beside other capitals).
        self.name_words = WordMemo(self._name_word)
        # Possessive-stripped word -> CoreFacts; tuple of such words -> ChainFacts.
        self.cores = WordMemo(self._core_facts)
        self.chains = WordMemo(self._chain_facts)
        # Token text -> LowercaseName, or None for a word that is never a lower-case name.
        self.lowercase = WordMemo(self._lowercase_word)

    def may_start(self, text: str) -> bool:
        """Whether a name can start at a token with this text: ordinary lower-case words, most
        of any text, can neither start nor be a name."""
        return text[0].isupper() or "-" in text or text.lower() in self.lex.name_keys

    def _name_word(self, text: str) -> bool | None:
        """Whether a token could be part of a name by its own text; None: only if a neighbour
        is in capitals too."""
        if is_initials(text):
            return True
        if _particle_compound(text):
            return True  # 'al-Hassan', 'el-Amrani'
        if not text[0].isupper() or text.endswith(".") or not text[0].isalpha():
            return False
        lower = text.lower()
        core = strip_possessive(text)
        if lower.rstrip(".") in self.titles and not self.ctx.known(core):
            return False
        if lower in PARTICLES and lower not in ("el", "al"):
            return False
        if len(core) > 1 and core.isupper():
            return None if self.ctx.unambiguous(core) else False
        return core.replace("-", "").replace("'", "").replace("’", "").isalpha()

    def _chain_facts(self, cores: tuple[str, ...]) -> ChainFacts:
        facts = [self.cores[core] for core in cores]
        return ChainFacts(
            words=len(facts),
            known=sum(f.known for f in facts),
            strong=any(f.strong for f in facts),
            initials=any(f.initials for f in facts),
            last_name=any(f.last_name for f in facts),
            thing_like=any(f.thing_like for f in facts),
            unknown_ok=all(f.unknown_ok for f in facts),
            name_like=not facts
            or any(f.known or f.strong or f.initials or f.unknown_ok for f in facts),
        )

    def _core_facts(self, core: str) -> CoreFacts:
        ctx = self.ctx
        initials = is_initials(core)
        return CoreFacts(
            known=ctx.known(core) or self._family_plural(core),
            strong=ctx.unambiguous(core) or self._family_plural(core),
            initials=initials,
            last_name=self.lex.is_last_name(core),
            thing_like=ctx.thing_like(core),
            unknown_ok=ctx.unknown_name_like(core) or initials,
        )

    def _family_plural(self, word: str) -> bool:
        """'de Jansens': a listed surname with a plural -s."""
        return word.endswith("s") and len(word) > 4 and self.ctx.unambiguous(word[:-1])

    def _lowercase_word(self, text: str) -> LowercaseName | None:
        """What the lists say about a lower-case word as a name; None if it can never be one."""
        lex = self.lex
        lower = text.lower()
        if text[0].isupper() or lower in STOP_WORDS or not lex.is_listed_name(text):
            return None
        if not text.isalpha() or len(text) < 2:
            return None
        ambiguous = lex.is_ambiguous(text)
        return LowercaseName(
            listed=lex.is_first_name(text) and not ambiguous,
            safe=lower in lex.lowercase_names,
            cue_word=self.ctx.known(text) and not ambiguous,
        )


def _particle_compound(text: str) -> bool:
    head, _, rest = text.partition("-")
    return (
        head in ("al", "el", "ben", "bin", "abu", "ibn", "ait")
        and rest[:1].isupper()
        and rest.isalpha()
    )
