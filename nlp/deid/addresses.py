"""Finds street addresses: a street name (by its Dutch ending or from the list of streets
without one) with an optional house number such as '12a', '125-3' or '12 3-hoog'."""

from __future__ import annotations

from nlp.deid.lexicon import Lexicon, WordMemo
from nlp.deid.tokens import HOUSE_ADDITION, HOUSE_NUMBER, TokenInfo, is_initials
from nlp.deid.types import PiiType, Span

STREET_HEADS = frozenset(
    {"laan", "plein", "kade", "singel", "dreef", "weg", "gracht", "straat", "hof"}
)
LOWER_LINKS = frozenset({"van", "de", "der", "den", "het", "'t", "op", "aan", "ter", "ten"})
LEFT_STOP = frozenset(
    {
        "in",
        "aan",
        "op",
        "bij",
        "naar",
        "via",
        "uit",
        "richting",
        "langs",
        "over",
        "vanaf",
        "de",
        "het",
        "een",
    }
)
NUMBER_WORDS = frozenset({"nr", "nr.", "nummer", "no", "no."})
ORDINAL = ("1e", "2e", "3e", "4e", "5e", "eerste", "tweede", "derde")


class AddressFinder:
    """ADRES detection over a token view."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.strong = lexicon.strong_street_suffixes
        self.weak = lexicon.weak_street_suffixes
        self.all_suffixes = self.strong + self.weak
        self._street_ending = WordMemo(lambda lower: lower.endswith(self.all_suffixes))
        self._strong_street = WordMemo(lambda lower: self._suffix(lower, self.strong))
        self._weak_street = WordMemo(lambda lower: self._suffix(lower, self.weak))
        self.titles = lexicon.words("titles")
        self.intro = lexicon.words("address_intro")
        self.preps = lexicon.words("location_preps")
        self.org_heads = lexicon.words("org_heads")
        self.lex = lexicon

    def may_start(self, text: str) -> bool:
        """Whether an address can start at a token with this text (capitalised or a street
        ending); a listed street name can start anywhere."""
        return text[0].isupper() or self._street_ending[text.lower()]

    def find(
        self, text: str, tokens: list[TokenInfo], street_starts: set[int], maybe: list[int]
    ) -> list[Span]:
        """ADRES spans; ``street_starts`` are token indices where a listed street name starts,
        ``maybe`` those of the tokens that ``may_start`` an address."""
        spans: list[Span] = []
        ending = self._street_ending
        # A cheap test that rules out almost every token before the real checks run.
        candidates = [
            k
            for k in maybe
            if ending[tokens[k].lower] or (tokens[k].cap and _head_or_number(tokens, k))
        ]
        if street_starts:
            candidates = sorted(street_starts.union(candidates))
        candidates = [k for k in candidates if not tokens[k].blocked]
        resume = 0
        for k in candidates:
            if k < resume:
                continue  # inside the address just found
            found = self._address_at(text, tokens, k, street_starts)
            if found is None:
                continue
            start, end = found
            spans.append(Span(tokens[start].start, tokens[end - 1].end, PiiType.ADRES,
                              text[tokens[start].start : tokens[end - 1].end]))  # fmt: skip
            resume = end
        return spans

    def _address_at(
        self, text: str, tokens: list[TokenInfo], k: int, street_starts: set[int]
    ) -> tuple[int, int] | None:
        tok = tokens[k]
        street_end = self._street_end(tokens, k, street_starts)
        if street_end is None:
            return None
        number_end = self._number_end(tokens, street_end)
        start = self._extend_left(tokens, k)
        if number_end > street_end:
            return start, number_end
        if self._surname_use(tokens, start):
            return None
        strong = self._strong_street[tok.lower] and tok.cap
        listed = k in street_starts
        if (strong or listed) and self._street_context(tokens, start, strong):
            return start, street_end
        return None

    def _street_end(self, tokens: list[TokenInfo], k: int, street_starts: set[int]) -> int | None:
        """Index after the street name that starts or ends at token k, or None."""
        tok = tokens[k]
        if k in street_starts:
            if k > 0 and tokens[k - 1].lower in ("van", "der", "den", "ter", "ten"):
                return None  # 'Truus van Dam': a surname, not the Dam
            end = k + 1
            while end < len(tokens) and tokens[end].cap and not tokens[end].blocked:
                end += 1
            return end
        if not tok.text[0].isalpha():
            return None
        if self._strong_street[tok.lower]:
            return k + 1 if tok.cap or self._number_end(tokens, k + 1) > k + 1 else None
        if tok.cap and self._weak_street[tok.lower] and self._number_end(tokens, k + 1) > k + 1:
            return k + 1
        if tok.cap and tok.lower in STREET_HEADS and k + 2 < len(tokens):
            # 'Laan van Meerdervoort', 'Plein 1940-1945' style names.
            if tokens[k + 1].lower in LOWER_LINKS:
                end = k + 2
                while end < len(tokens) and (tokens[end].lower in LOWER_LINKS or tokens[end].cap):
                    end += 1
                if tokens[end - 1].cap:
                    return end
        if tok.cap and self._after_address_word(tokens, k):
            if self._number_end(tokens, k + 1) > k + 1 and tok.lower not in self.org_heads:
                return k + 1
        return None

    def _suffix(self, lower: str, suffixes: tuple[str, ...]) -> bool:
        if not lower.endswith(suffixes):
            return False
        if "-" in lower:
            lower = lower.rsplit("-", 1)[-1] if len(lower.rsplit("-", 1)[-1]) > 2 else lower
        return any(lower.endswith(s) and len(lower) >= len(s) + 3 for s in suffixes)

    def _number_end(self, tokens: list[TokenInfo], k: int) -> int:
        """Index after a house number (with additions) starting at k; k if there is none."""
        if k < len(tokens) and tokens[k].lower in NUMBER_WORDS:
            if k + 1 < len(tokens) and tokens[k + 1].text == ".":
                k += 1
            k += 1
        if k < len(tokens) and tokens[k].line_start:
            return k  # a number on the next line is a list item, not a house number
        if k >= len(tokens) or not HOUSE_NUMBER.match(tokens[k].text):
            return k if k < len(tokens) and tokens[k - 1].lower in NUMBER_WORDS else k
        end = k + 1
        for _ in range(2):
            if end < len(tokens) and HOUSE_ADDITION.match(tokens[end].text):
                if (
                    len(tokens[end].text) == 1
                    and end + 1 < len(tokens)
                    and tokens[end + 1].text == "."
                ):
                    break  # 'Kerkstraat 12 A. de Vries' - an initial, not an addition
                end += 1
        return end

    def _extend_left(self, tokens: list[TokenInfo], k: int) -> int:
        """Include 'Oude', 'Burgemeester de', 'Jan van', '1e' before the street word."""
        start = k
        j = k - 1
        while j >= 0:
            tok = tokens[j]
            if tok.blocked or tok.text in {",", ".", ":", ";", "(", ")"}:
                break
            if (
                tok.cap
                and tok.lower not in LEFT_STOP
                and (tok.text.isalpha() or "-" in tok.text or is_initials(tok.text))
            ):
                start = j
            elif tok.lower in ORDINAL and j == start - 1:
                start = j
                break
            elif (
                tok.lower in LOWER_LINKS
                and j > 0
                and tokens[j - 1].cap
                and tokens[j - 1].lower not in LEFT_STOP
            ):
                pass  # decided by the capitalised word before it
            else:
                break
            j -= 1
        return start

    def _surname_use(self, tokens: list[TokenInfo], start: int) -> bool:
        """'mevrouw Hoogendijk', 'Jan Westdijk': a surname that looks like a street."""
        if start == 0:
            return False
        prev = tokens[start - 1]
        if prev.lower.rstrip(".") in self.titles or is_initials(prev.text):
            return True
        return prev.cap and self.lex.is_first_name(prev.text) and not prev.sentence_start

    def _street_context(self, tokens: list[TokenInfo], start: int, strong: bool) -> bool:
        if strong:
            return True
        prev = tokens[start - 1].lower if start > 0 else ""
        prev2 = tokens[start - 2].lower if start > 1 else ""
        return prev in self.intro or (
            prev in ("de", "het", "'t") and (prev2 in self.intro or prev2 in self.preps)
        )

    def _after_address_word(self, tokens: list[TokenInfo], k: int) -> bool:
        j = k - 1
        while j >= 0 and tokens[j].text in {":", ",", "de", "het"}:
            j -= 1
        return j >= 0 and tokens[j].lower in {
            "adres",
            "woonadres",
            "postadres",
            "woont",
            "woon",
            "wonen",
            "woonde",
            "woonachtig",
        }


def _head_or_number(tokens: list[TokenInfo], k: int) -> bool:
    """'Laan (van Meerdervoort)', or a word followed by what may be a house number."""
    if tokens[k].lower in STREET_HEADS:
        return True
    return k + 1 < len(tokens) and tokens[k + 1].text[0].isdigit()
