"""Context cues around a run of capitalised words: is it a person, a venue or an organisation?"""

from __future__ import annotations

import re

from nlp.deid.lexicon import Lexicon, WordMemo
from nlp.deid.tokens import PARTICLES, TokenInfo, strip_possessive

# '(54)', ', 54,', '(54 jaar)', '(bas@x.nl)', '(06-...)' right after a name.
AGE_AFTER = re.compile(r"^\s*(?:\(\s*\d{1,3}(?:\s*jaar)?\s*\)|,\s*\d{1,3}(?:\s*jaar)?\s*[,.])")
CONTACT_AFTER = re.compile(r"^\s*(?:\(\s*[^()\s]*@|\(\s*(?:\+|0)\d|:\s*(?:\+|0)\d)")
ARTICLES = frozenset({"de", "het", "een", "die", "deze", "onze", "jullie"})
POSSESSIVE_PRONOUNS = frozenset({"zijn", "haar", "hun"})
PUNCTUATION = frozenset({".", ",", ":", "-", "–", ";"})
PLACE_ONLY_PREPS = frozenset({"in", "uit", "vanuit", "nabij", "richting"})


class PersonContext:
    """Predicates over a token view; all lists come from the lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.titles = lexicon.words("titles")
        self.speech = lexicon.words("speech_verbs")
        self.person_verbs = lexicon.words("person_verbs")
        self.intro = lexicon.words("name_intro")
        self.greetings = lexicon.words("greetings")
        self.location_preps = lexicon.words("location_preps")
        self.org_heads = lexicon.words("org_heads")
        self.org_tails = lexicon.words("org_tails")
        self.org_links = lexicon.words("org_links")
        self.non_name_suffixes = tuple(sorted(lexicon.words("non_name_suffixes"), key=len))
        self._long_heads = tuple(h for h in self.org_heads if len(h) >= 4)
        self._known = WordMemo(self._is_known)
        self._unambiguous = WordMemo(self._is_unambiguous)
        self._unknown_name_like = WordMemo(self._is_unknown_name_like)
        self._thing_like = WordMemo(self._is_thing_like)
        self._org_word = WordMemo(self._is_org_word)

    # What the words are.
    def known(self, word: str) -> bool:
        """Listed as a first name, surname or ambiguous name (any part of 'Kees-Jan')."""
        return self._known[word]

    def unambiguous(self, word: str) -> bool:
        """Listed as a name and not an ordinary Dutch word."""
        return self._unambiguous[word]

    def unknown_name_like(self, word: str) -> bool:
        """An unlisted capitalised word that could be a name: no Dutch word, no place ending."""
        return self._unknown_name_like[word]

    def thing_like(self, word: str) -> bool:
        """An unlisted word with a place or organisation ending ('Lansingerland', 'Taalmaatjes')."""
        return self._thing_like[word]

    def _is_known(self, word: str) -> bool:
        parts = word.split("-") if "-" in word else (word,)
        lex = self.lex
        return any(lex.is_listed_name(p) for p in parts if p)

    def _is_unambiguous(self, word: str) -> bool:
        parts = word.split("-") if "-" in word else (word,)
        lex = self.lex
        return any(
            (lex.is_first_name(p) or lex.is_last_name(p)) and not lex.is_ambiguous(p)
            for p in parts
            if p
        )

    def first_name_only(self, word: str) -> bool:
        """A first name that is no surname: 'de Dirk' is a shop, 'de Vries' a person."""
        return self.lex.is_first_name(word) and not self.lex.is_last_name(word)

    def dutch_word(self, word: str) -> bool:
        """An ordinary Dutch word form (lower-cased lookup)."""
        return word.lower() in self.lex.dutch_words

    def _is_unknown_name_like(self, word: str) -> bool:
        lower = word.lower()
        if len(word) < 3 or not word.replace("-", "").isalpha() or word.isupper():
            return False
        if (
            any(c.isupper() for c in word[1:])
            and "-" not in word
            and not word.startswith(("Mc", "Mac", "O'"))
        ):
            return False  # 'NLdoet', 'WhatsApp': brands, not people
        if lower in self.lex.dutch_words or lower.split("-")[-1] in self.lex.dutch_words:
            return False
        return not lower.endswith(self.non_name_suffixes)

    def _is_org_word(self, text: str) -> bool:
        """'Taalmaatjes' in 'Stichting Taalmaatjes': an unlisted word with an organisation ending."""
        lower = text.lower()
        if lower in PARTICLES or len(text) <= 4:
            return False
        return not self.known(strip_possessive(text)) and lower.endswith(self.non_name_suffixes)

    def _is_thing_like(self, word: str) -> bool:
        lower = word.lower()
        return len(word) > 4 and lower.endswith(self.non_name_suffixes) and not self.known(word)

    # What surrounds them.
    def person_before(self, tokens: list[TokenInfo], i: int) -> bool:
        """A title, speech verb, greeting or 'heet' right before token i."""
        prev = previous_word(tokens, i)
        if prev is None:
            return False
        word = tokens[prev].lower.rstrip(".")
        if word in self.titles or word.rsplit("-", 1)[-1] in self.titles:
            return True
        if word in self.speech or word in self.intro or word in self.greetings:
            return True
        if word == "is":
            before = previous_word(tokens, prev)
            return before is not None and tokens[before].lower == "naam"
        return False

    def person_after(
        self, text: str, tokens: list[TokenInfo], end: int, verbs: bool, contact: bool = True
    ) -> bool:
        """An age, 'en zijn/haar', or (if asked) a contact detail or person verb after the name."""
        # Both patterns need '(', ',' or ':' as the next token (the next non-space character).
        if end < len(tokens) and tokens[end].text[0] in "(,:":
            last = tokens[end - 1]
            following = text[last.end : last.end + 24]
            if AGE_AFTER.match(following) or (contact and CONTACT_AFTER.match(following)):
                return True
        if end < len(tokens):
            nxt = tokens[end].lower
            if verbs and (nxt in self.person_verbs or nxt in self.speech):
                return True
            if nxt in ("en", "met") and end + 1 < len(tokens):
                return tokens[end + 1].lower in POSSESSIVE_PRONOUNS
        return False

    def venue_before(self, tokens: list[TokenInfo], i: int) -> bool:
        """'Buurthuis De Ster', 'in De Pluk', 'Installatiebedrijf Visser'."""
        prev = previous_word(tokens, i)
        if prev is None:
            return False
        word = tokens[prev].lower
        if word in self.org_heads or (tokens[prev].cap and word.endswith(self._long_heads)):
            return True
        first = tokens[i]
        return word in self.location_preps and first.cap and first.lower in ("de", "het", "'t")

    def place_before(self, tokens: list[TokenInfo], i: int) -> bool:
        """'uit Lansingerland', 'in de Banne': a place preposition, maybe with an article."""
        prev = previous_word(tokens, i)
        if prev is not None and tokens[prev].lower in ("de", "het", "'t"):
            prev = previous_word(tokens, prev)
        return prev is not None and tokens[prev].lower in self.location_preps

    def in_place(self, tokens: list[TokenInfo], i: int) -> bool:
        """'in Krakau', 'uit Paramaribo': prepositions that take a place, never a person."""
        if tokens[i].core != tokens[i].text:
            return False  # 'in Rignald's tuin': a possessive is a person's
        prev = previous_word(tokens, i)
        return prev is not None and tokens[prev].lower in PLACE_ONLY_PREPS

    def article_before(self, tokens: list[TokenInfo], i: int) -> bool:
        """'de Dirk', 'het Zuiderpark': Dutch puts no article before a first name."""
        return i > 0 and tokens[i - 1].lower in ARTICLES and not tokens[i - 1].cap

    def organisation_after(self, tokens: list[TokenInfo], i: int, end: int) -> bool:
        """'Visser & Zonen', 'Anne Frankschool', 'Marie Curie-lyceum', 'Hans Anders-winkel'."""
        last = tokens[end - 1].lower
        if "-" in last and last.rsplit("-", 1)[-1] in self.org_heads | self.org_tails:
            return True
        if end < len(tokens):
            nxt = tokens[end].lower
            if nxt in self.org_links or nxt in self.org_tails:
                return True
        if i > 0 and tokens[i - 1].lower in self.org_links:
            return True
        return any(self._org_word[t.text] for t in tokens[i:end])


def previous_word(tokens: list[TokenInfo], i: int) -> int | None:
    """Index of the previous word, skipping ',' ':' '-' and the '.' of an abbreviation ('Mw.')."""
    k = i - 1
    while k >= 0 and tokens[k].text in PUNCTUATION:
        if tokens[k].text == "." and not _abbreviation(tokens, k - 1):
            return None  # a full stop ends the sentence: what came before is no context
        k -= 1
    return k if k >= 0 else None


ABBREVIATED_TITLES = frozenset(
    {
        "mw",
        "mevr",
        "mvr",
        "dhr",
        "hr",
        "dr",
        "drs",
        "ir",
        "mr",
        "prof",
        "ing",
        "zr",
        "ds",
        "st",
        "fam",
    }
)


def _abbreviation(tokens: list[TokenInfo], k: int) -> bool:
    """'Mw .' and 'J .': a full stop that closes an abbreviation, not a sentence."""
    if k < 0:
        return False
    word = tokens[k].text
    return word.lower() in ABBREVIATED_TITLES or (len(word) == 1 and word.isupper())
