"""Residents' own words: a few representative, varied and shortened quotes per theme.

Candidates arrive consented and anonymised; only those whose printed excerpt still reads well
with its personal data replaced are eligible (`reads_well_deidentified`: no contact details, at
most one tag, counted in the shortened text a reader sees).
Selection is greedy (confidence, plus a bonus when the story reports a change, minus similarity to
quotes already chosen, minus a little for a repeated wijk or month), near-duplicates are skipped,
and every quote goes through the one de-identification path (``nlp.anonymise``) once more as a
last safety net, with the tags in the report's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nlp.anonymise import LabelStyle, PiiType, deidentified_text
from nlp.outcome.labels import NONE as NO_CHANGE

from .data import QuoteCandidate

MAX_WORDS = 40
MIN_QUOTES = 2
MAX_QUOTES = 4
NEAR_DUPLICATE = 0.6
SIMILARITY_WEIGHT = 1.0
SAME_PLACE_PENALTY = 0.15
SAME_MONTH_PENALTY = 0.05
# A quote of a story that reports a change (better, worse, mixed) is worth this much confidence:
# an impact quote should show an effect, not only a situation or a request for help.
REPORTS_CHANGE_BONUS = 0.3
MAX_TAGS = 1
# Only a name may be left as a tag: a quote about someone's phone, address or account is a
# message to staff, not an impact quote, and reads as a row of brackets once de-identified.
TAGS_A_QUOTE_MAY_HOLD = frozenset({PiiType.PERSOON.value})
ELLIPSIS = "…"

# The tags `nlp.anonymise.anonymise` leaves in a candidate's text: "[PERSOON-1]", "[TELEFOON]".
_TAG_RE = re.compile(r"\[(" + "|".join(kind.value for kind in PiiType) + r")(?:-(\d+))?\]")
_TOKEN_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_STOPWORDS = frozenset(
    "de het een en van in op te dat die is ik je we wij ze zij hij mijn me mij er niet met voor"
    " aan om als maar ook was zijn heb hebben ben bij nog dan wel naar uit of door zo"
    " the a an and of to in is it i we my me was for on with that this".split()
)


@dataclass(frozen=True)
class Quote:
    """A quote as printed: shortened text and where and when it was told (no names)."""

    story_id: int | str
    theme: str
    text: str
    month: str
    wijk: str | None
    shortened: bool


def quote_labels(_: Callable[[str], str] = lambda s: s) -> LabelStyle:
    """Tags a council member can read, in the report's language: '[telefoonnummer]'."""
    return LabelStyle(
        {
            PiiType.PERSOON: _("name"),
            PiiType.ADRES: _("address"),
            PiiType.POSTCODE: _("postcode"),
            PiiType.TELEFOON: _("phone number"),
            PiiType.EMAIL: _("e-mail"),
            PiiType.IBAN: _("bank account"),
            PiiType.BSN: _("citizen service number"),
            PiiType.GEBOORTEDATUM: _("date of birth"),
            PiiType.URL: _("web address"),
            PiiType.HANDLE: _("social media name"),
        }
    )


def deidentified_quote(text: str, _: Callable[[str], str] = lambda s: s) -> str:
    """``text`` through nlp's de-identification (the only pattern set), tags in ``_``'s language:
    what is still found is replaced, and the type tags an earlier pass left ("[PERSOON-1]")
    become words a reader understands ("[naam 1]")."""
    labels = quote_labels(_).labels

    def readable(match: re.Match) -> str:
        label = labels.get(PiiType(match.group(1)), match.group(1))
        return f"[{label} {match.group(2)}]" if match.group(2) else f"[{label}]"

    return _TAG_RE.sub(readable, deidentified_text(text, quote_labels(_)))


def shorten(text: str, max_words: int = MAX_WORDS) -> tuple[str, bool]:
    """Cut `text` at a sentence boundary to at most ~max_words words; '…' marks a cut."""
    clean = " ".join(text.split())
    sentences = [part for part in _SENTENCE_END_RE.split(clean) if part]
    kept: list[str] = []
    words = 0
    for sentence in sentences:
        count = len(sentence.split())
        if kept and words + count > max_words:
            break
        kept.append(sentence)
        words += count
    result = " ".join(kept)
    if len(result.split()) > max_words:
        result = " ".join(result.split()[:max_words]).rstrip(",;:-") + " " + ELLIPSIS
        return result, True
    if len(kept) < len(sentences):
        return result + " " + ELLIPSIS, True
    return result, False


def tokens(text: str) -> frozenset[str]:
    """Content words of a text, lower-cased, for similarity between quotes."""
    return frozenset(
        word for word in _TOKEN_RE.findall(text.lower()) if word not in _STOPWORDS and len(word) > 1
    )


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    """Overlap of two token sets: 0 (nothing shared) to 1 (same words)."""
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def tags_in(text: str) -> list[str]:
    """The kinds of personal data replaced in an anonymised text, one per tag."""
    return [match.group(1) for match in _TAG_RE.finditer(text)]


def reads_well_deidentified(candidate: QuoteCandidate) -> bool:
    """True when the excerpt a report prints of the candidate can stand as a quote: at most
    `MAX_TAGS` replaced pieces of personal data, and none of them a contact detail or other
    identifier. Contact details later in a long story, beyond the excerpt, do not count."""
    tags = tags_in(shorten(candidate.text)[0])
    return len(tags) <= MAX_TAGS and set(tags) <= TAGS_A_QUOTE_MAY_HOLD


def reports_change(candidate: QuoteCandidate) -> bool:
    """True when the story's outcome for the theme is known and is a change."""
    return candidate.outcome is not None and candidate.outcome != NO_CHANGE


def select_quotes(
    candidates: Iterable[QuoteCandidate],
    theme: str,
    *,
    max_quotes: int = MAX_QUOTES,
) -> list[QuoteCandidate]:
    """Pick up to `max_quotes` confident, mutually different candidates for one theme, among
    those that read well de-identified, preferring stories that report a change."""
    pool = [
        c for c in candidates if c.theme == theme and c.text.strip() and reads_well_deidentified(c)
    ]
    pool.sort(key=lambda c: (-_worth(c), str(c.story_id)))
    token_sets = {id(c): tokens(c.text) for c in pool}
    chosen: list[QuoteCandidate] = []
    while pool and len(chosen) < max_quotes:
        best, best_value = None, float("-inf")
        for candidate in pool:
            similarity = max(
                (jaccard(token_sets[id(candidate)], token_sets[id(c)]) for c in chosen), default=0
            )
            if similarity >= NEAR_DUPLICATE:
                continue
            value = _worth(candidate) - SIMILARITY_WEIGHT * similarity
            if candidate.wijk and any(c.wijk == candidate.wijk for c in chosen):
                value -= SAME_PLACE_PENALTY
            if any(c.month == candidate.month for c in chosen):
                value -= SAME_MONTH_PENALTY
            if value > best_value:
                best, best_value = candidate, value
        if best is None:
            break
        chosen.append(best)
        pool.remove(best)
    return chosen


def _worth(candidate: QuoteCandidate) -> float:
    return candidate.score + (REPORTS_CHANGE_BONUS if reports_change(candidate) else 0.0)


def quotes_for_themes(
    candidates: list[QuoteCandidate],
    themes: Iterable[str],
    _: Callable[[str], str] = lambda s: s,
) -> dict[str, list[Quote]]:
    """For each theme, its selected quotes, shortened and de-identified."""
    result = {}
    for theme in themes:
        picked = select_quotes(candidates, theme)
        quotes = []
        for candidate in picked:
            text, cut = shorten(deidentified_quote(candidate.text, _))
            quotes.append(
                Quote(candidate.story_id, theme, text, candidate.month, candidate.wijk, cut)
            )
        result[theme] = quotes
    return result
