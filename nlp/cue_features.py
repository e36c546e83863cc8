"""Cue lexicon evidence per theme, and the scikit-learn transformer that turns it into features.

For every theme a text gets counts of affirmative cues per category, of negated cues ("niet
meer alleen"), of flatly denied cues ("helemaal niet eenzaam", "eenzaam ben ik nooit geweest"),
of cues inside figurative phrases ("alleen op dinsdag"), of sentences with cues, of category
combinations within one sentence ("niemand" + "belt") and of cue sentences with a relief word
("sinds", "eindelijk"). The classifier learns what each count is worth; nothing here decides a
label.

Combinations may pair a theme category with a context category of modifiers.yaml, so that a
linear model can tell a cue's sense from its sentence: a money amount beside a price, a
contribution or a collection ("we haalden € 87 op") rather than a shortage; "alleen" beside
contentment ("ik woon alleen en geniet van de rust"); health words beside work ("ik werk in de
thuiszorg"). `amount` is such a context: a number next to a currency word ("€ 20", "5 euro");
a sentence with an amount counts for combinations even without a cue of the theme, because
"€ 20" names no theme word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from nlp.cue_lexicon import MODIFIER_OWNER, NEGATION_WINDOW, CueLexicon, CueMatch
from nlp.text_analysis import AnalysedText

FIGURATIVE = "figurative"
DENIAL = "denial"  # modifier category; lexicons without it (older models) have no denied cues
INVERTED_WINDOW = 4  # "eenzaam is ons dorp niet": the negation up to four tokens later
CLAUSE_OPENERS = frozenset({",", ":", ";", "-", "(", "maar", "en", "want", "but", "and"})
KINDS = ("negated", "no_longer", FIGURATIVE, "sentences", "share", "relief")
KINDS_WITH_DENIAL = (*KINDS, "denied")
CURRENCY = "currency"  # modifier category: "€", "euro", "eur", "cent"
AMOUNT = "amount"  # context category: a number next to a currency word (see _amount_sentences)
NUMBER = re.compile(r"^\d+(?:[.,]\d+)*(?:,-{1,2})?$")


@dataclass
class ThemeCues:
    """The cue evidence for one theme in one text."""

    affirmative: list[CueMatch] = field(default_factory=list)
    negated: list[CueMatch] = field(default_factory=list)  # "niet eenzaam": often a denial
    denied: list[CueMatch] = field(default_factory=list)  # "helemaal niet eenzaam": a denial
    no_longer: list[CueMatch] = field(default_factory=list)  # "niet meer eenzaam": relief
    figurative: list[CueMatch] = field(default_factory=list)
    combination_sentences: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    relief_sentences: set[int] = field(default_factory=set)

    @property
    def cue_sentences(self) -> set[int]:
        return {
            match.sentence
            for match in self.affirmative + self.negated + self.denied + self.no_longer
        }


def _positions_after(markers: list[CueMatch], inside: bool) -> set[tuple[int, int]]:
    """(sentence, token) pairs that a marker governs: the NEGATION_WINDOW tokens after it and,
    when `inside`, the tokens within it after its first word ("geen pijn meer")."""
    positions = set()
    for marker in markers:
        first = marker.start + 1 if inside else marker.end
        positions.update((marker.sentence, p) for p in range(first, marker.end + NEGATION_WINDOW))
    return positions


def _inverted_negations(analysed: AnalysedText, negations: list[CueMatch]) -> set[tuple[int, int]]:
    """(sentence, token) of clause-opening words followed by a negation within the window:
    Dutch puts the denied word first ("eenzaam ben ik nooit geweest", "eenzaam is ons dorp
    niet hoor")."""
    positions = set()
    for negation in negations:
        first = analysed.sentence_starts[negation.sentence]
        for position in range(max(first, negation.start - INVERTED_WINDOW), negation.start):
            if position == first or analysed.lower[position - 1] in CLAUSE_OPENERS:
                positions.add((negation.sentence, position))
    return positions


def _amount_sentences(analysed: AnalysedText, currencies: list[CueMatch]) -> set[int]:
    """Sentences in which a currency word stands next to a number ("€ 20", "5 euro",
    "3,50 eur", "€ 87,-")."""
    lower = analysed.lower
    sentences = set()
    for currency in currencies:
        before = lower[currency.start - 1] if currency.start > 0 else ""
        after = lower[currency.end] if currency.end < len(lower) else ""
        if NUMBER.match(before) or NUMBER.match(after):
            sentences.add(currency.sentence)
    return sentences


def theme_cues(lexicon: CueLexicon, analysed: AnalysedText) -> dict[str, ThemeCues]:
    """Sort the lexicon matches of a text into affirmative/negated/denied/figurative cues per
    theme.

    A cue is figurative when a figurative phrase of its theme covers its first word; "no
    longer" when a "niet meer"-type marker starts before it and ends at most two tokens before
    it (or surrounds it); denied when a denial marker ("helemaal niet", "geen last van") governs
    it, when it is negated in a sentence with a denial marker ("niet eenzaam hoor"), or when it
    opens a clause that a negation follows ("eenzaam ben ik nooit"); negated when a negation
    word ends at most two tokens before it.
    """
    by_owner: dict[str, list[CueMatch]] = defaultdict(list)
    for match in dict.fromkeys(lexicon.find_cues(analysed)):  # deduplicated, in text order
        by_owner[match.owner].append(match)
    modifiers = by_owner.get(MODIFIER_OWNER, [])
    negated_at = _positions_after([m for m in modifiers if m.category == "negation"], False)
    no_longer_at = _positions_after([m for m in modifiers if m.category == "no_longer"], True)
    denials = [m for m in modifiers if m.category == DENIAL]
    denied_at = _positions_after(denials, True) if DENIAL in lexicon.modifiers else set()
    if DENIAL in lexicon.modifiers:
        negations = [m for m in modifiers if m.category == "negation"]
        denied_at |= _inverted_negations(analysed, negations)
    denial_sentences = {m.sentence for m in denials}
    modifier_categories: dict[int, set[str]] = defaultdict(set)
    for match in modifiers:
        modifier_categories[match.sentence].add(match.category)
    amount_sentences = _amount_sentences(analysed, [m for m in modifiers if m.category == CURRENCY])
    for sentence in amount_sentences:
        modifier_categories[sentence].add(AMOUNT)

    result: dict[str, ThemeCues] = {}
    for theme, theme_lexicon in lexicon.themes.items():
        own = by_owner.get(theme, [])
        figurative_at = {p for m in own if m.category == FIGURATIVE for p in range(m.start, m.end)}
        cues = ThemeCues()
        sentence_categories: dict[int, set[str]] = defaultdict(set)
        for match in own:
            if match.category == FIGURATIVE:
                continue
            if figurative_at and not figurative_at.isdisjoint(range(match.start, match.end)):
                cues.figurative.append(match)
                continue
            at = (match.sentence, match.start)
            if at in no_longer_at:
                cues.no_longer.append(match)
            elif at in denied_at:
                cues.denied.append(match)
            elif at in negated_at:
                if match.sentence in denial_sentences:
                    cues.denied.append(match)
                else:
                    cues.negated.append(match)
            else:
                cues.affirmative.append(match)
            sentence_categories[match.sentence].add(match.category)
        for sentence in amount_sentences:
            sentence_categories.setdefault(sentence, set())  # combinations only, no cue
        for sentence, categories in sentence_categories.items():
            present = categories | modifier_categories.get(sentence, set())
            if "relief" in present and categories:
                cues.relief_sentences.add(sentence)
            for pair in theme_lexicon.combinations:
                if pair[0] in present and pair[1] in present:
                    cues.combination_sentences.setdefault(pair, set()).add(sentence)
        result[theme] = cues
    return result


class CueFeatures(TransformerMixin, BaseEstimator):
    """Dense lexicon features for each analysed text (see module docstring)."""

    def __init__(self, lexicon: CueLexicon, scale: float = 1.0):
        self.lexicon = lexicon
        self.scale = scale

    def fit(self, analysed_texts: Sequence[AnalysedText], y=None) -> CueFeatures:
        names = []
        for theme, theme_lexicon in self.lexicon.themes.items():
            names += [f"{theme}:cat:{category}" for category in theme_lexicon.categories]
            kinds = KINDS_WITH_DENIAL if DENIAL in self.lexicon.modifiers else KINDS
            names += [f"{theme}:{kind}" for kind in kinds]
            names += [f"{theme}:combo:{a}+{b}" for a, b in theme_lexicon.combinations]
        self.feature_names_ = np.array(names, dtype=object)
        self.n_features_in_ = 1
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.feature_names_

    def transform(self, analysed_texts: Sequence[AnalysedText]) -> np.ndarray:
        rows = np.array([self._features(a) for a in analysed_texts], dtype=np.float64)
        rows = rows.reshape(len(analysed_texts), len(self.feature_names_))
        counts = np.array([not name.endswith(":share") for name in self.feature_names_])
        rows[:, counts] = np.log1p(rows[:, counts])
        return rows * self.scale

    @property
    def _with_denial(self) -> bool:
        # a model saved before denied cues existed keeps its feature layout
        return DENIAL in self.lexicon.modifiers

    def _features(self, analysed: AnalysedText) -> list[float]:
        """Raw counts (and the share of cue sentences); `transform` takes log1p of counts."""
        values: list[float] = []
        sentence_count = max(1, len(analysed.sentence_starts))
        for theme, cues in theme_cues(self.lexicon, analysed).items():
            theme_lexicon = self.lexicon.themes[theme]
            per_category: dict[str, int] = defaultdict(int)
            for match in cues.affirmative:
                per_category[match.category] += 1
            values += [per_category[c] for c in theme_lexicon.categories]
            cue_sentences = len(cues.cue_sentences)
            values += [
                len(cues.negated),
                len(cues.no_longer),
                len(cues.figurative),
                cue_sentences,
                cue_sentences / sentence_count,
                len(cues.relief_sentences),
            ]
            if self._with_denial:
                values.append(len(cues.denied))
            values += [
                len(cues.combination_sentences.get(pair, ())) for pair in theme_lexicon.combinations
            ]
        return values
