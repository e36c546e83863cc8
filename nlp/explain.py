"""Why a story got a theme: evidence with character offsets for highlighting in review screens.

Four kinds of evidence, each {"kind", "text", "start", "end", "weight", "detail"}:
  - "denial": a clause that denies the theme ("ik ben helemaal niet eenzaam", nlp/denials.py),
    left out when the theme was scored; its weight is the score it would have added (<= 0
    shown as 0), its detail names the denial phrase;
  - "cue": a lexicon cue (affirmative, negated or figurative) with the model's weight for its
    category feature;
  - "ngram": a lemma word or word pair whose weighted TF-IDF value pushed the theme's score most;
  - "sentence": each sentence scored on its own, its calibrated probability as weight.
Denials come first, then phrases (strongest first, weighted by how likely their sentence is
about the theme; none from a denying clause), then sentences (most likely first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nlp.cue_features import theme_cues
from nlp.language import stop_words
from nlp.text_analysis import AnalysedText

if TYPE_CHECKING:
    from nlp.classify import ThemeClassifier

TOP_NGRAMS = 6
MIN_SENTENCE_PROBABILITY = 0.2
# A supporting phrase whose weight (times its sentence's probability) is below this is noise to
# a reader: "gratis" or "niks" in a diabetes story push poverty by a few thousandths.
MIN_PHRASE_WEIGHT = 0.05
SUPPORTING = ("cue:", "lemma n-gram")  # details of evidence that pushes the score up
# Words that can carry weight for the model (health stories count visits and days) but tell a
# staff member nothing about why a story is about a theme: counting words, units of time and
# frequency, light verbs. A phrase made only of these (and function words) is not shown.
WORDS_THAT_EXPLAIN_NOTHING = frozenset(
    """
    een twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig
    vijftig honderd duizend half halve paar keer maal per elke iedere ieder
    seconde minuut minuten uur uren dag dagen week weken maand maanden jaar jaren
    ochtend middag avond nacht weekend maandag dinsdag woensdag donderdag vrijdag zaterdag
    zondag vandaag gisteren morgen
    gaan ga gaat ging gingen komen kom komt kwam kwamen doen doe doet deed liggen lig ligt lag
    staan sta staat stond zitten zit zat zeggen zeg zegt zei
    one two three four five six seven eight nine ten twenty hundred thousand half couple
    once twice times time per every each second minute hour day week month year morning
    afternoon evening night weekend today yesterday tomorrow
    go goes went come comes came do does did lie lies lay sit sits sat stand stands say says
    said
    """.split()
)


@dataclass
class Evidence:
    """One highlighted span of a text and how much it counted for a theme."""

    kind: str
    text: str
    start: int
    end: int
    weight: float
    detail: str = ""

    def to_dict(self) -> dict:
        # by hand: dataclasses.asdict deep-copies, a tenth of a stored explanation's time
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "weight": self.weight,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class _ModelTables:
    """What explaining reads from a model on every call, computed once per loaded model: the
    feature names are rebuilt from the vocabulary on each `get_feature_names_out`, which cost
    three quarters of an explanation's time."""

    blocks: dict[str, tuple[int, int, float]]  # block name -> (first column, size, weight)
    cue_columns: dict[str, int]  # cue feature name -> its column within the cue block
    ngram_names: np.ndarray
    modifier_words: frozenset[str]


def _tables(classifier: ThemeClassifier) -> _ModelTables:
    tables = classifier.__dict__.get("_explain_tables")
    if tables is None:
        union = classifier.features
        weights = union.transformer_weights or {}
        blocks, offset = {}, 0
        for name, transformer in union.transformer_list:
            size = len(transformer.get_feature_names_out())
            blocks[name] = (offset, size, weights.get(name, 1.0))
            offset += size
        cue_names = union.named_transformers["cues"].get_feature_names_out()
        lexicon = union.named_transformers["cues"].lexicon
        # context categories ("subsidie", "werk") are content words a reader needs to see
        modifiers = {k: v for k, v in lexicon.modifiers.items() if k not in lexicon.contexts}
        tables = _ModelTables(
            blocks,
            {name: column for column, name in enumerate(cue_names)},
            union.named_transformers["lemma_ngrams"].get_feature_names_out(),
            frozenset(
                entry for entries in modifiers.values() for entry in entries if entry.isalpha()
            ),
        )
        classifier.__dict__["_explain_tables"] = tables
    return tables


def _feature_weights(classifier: ThemeClassifier, theme_index: int, block: str) -> np.ndarray:
    """The theme's coefficient slice for one feature block, already multiplied by its weight."""
    first, size, weight = _tables(classifier).blocks[block]
    return classifier.estimator.coef_[first : first + size, theme_index] * weight


def _span(analysed: AnalysedText, first_token: int, end_token: int) -> tuple[int, int]:
    return analysed.starts[first_token], analysed.ends[end_token - 1]


def cue_words(classifier: ThemeClassifier) -> set[str]:
    """The one-word cues of the model's lexicon."""
    return classifier.features.named_transformers["cues"].lexicon.single_word_cues()


def cue_evidence(
    classifier: ThemeClassifier, analysed: AnalysedText, theme: str, found: dict | None = None
) -> list[Evidence]:
    """Lexicon cues of the theme with their category weights (figurative cues weigh 0);
    `found`: the text's `theme_cues`, when already computed for another theme."""
    cue_step = classifier.features.named_transformers["cues"]
    columns = _tables(classifier).cue_columns
    weights = _feature_weights(classifier, classifier.theme_keys.index(theme), "cues")
    if found is None:
        found = theme_cues(cue_step.lexicon, analysed)
    cues = found.get(theme)
    if cues is None:
        return []
    function_words = stop_words(("nl", "en"))
    evidence = []
    for kind, matches in (
        ("cue", cues.affirmative),
        ("negated", cues.negated),
        ("denied", cues.denied),
        ("no_longer", cues.no_longer),
        ("figurative", cues.figurative),
    ):
        for match in matches:
            if match.end - match.start == 1 and analysed.lower[match.start] in function_words:
                continue  # "niks", "geen" alone mean nothing to a reader; phrases stay
            feature = f"{theme}:cat:{match.category}" if kind == "cue" else f"{theme}:{kind}"
            column = columns.get(feature)
            weight = float(weights[column]) * cue_step.scale if column is not None else 0.0
            start, end = _span(analysed, match.start, match.end)
            detail = f"{kind}:{match.category}"
            evidence.append(
                Evidence("cue", analysed.text[start:end], start, end, round(weight, 4), detail)
            )
    return _without_nested(evidence)


def _without_nested(evidence: list[Evidence]) -> list[Evidence]:
    """One mark per cue: a match inside a longer match of the same kind and category ("huur"
    inside "De huur") or at the same place again tells a reader nothing more."""
    kept: list[Evidence] = []
    for item in sorted(evidence, key=lambda e: (e.start, -(e.end - e.start))):
        if not any(
            other.detail == item.detail and other.start <= item.start and item.end <= other.end
            for other in kept
        ):
            kept.append(item)
    return kept


def explains_something(gram: Sequence[str], function_words: frozenset[str]) -> bool:
    """Whether a word n-gram (lemmas) tells a reader something as evidence, for the theme and
    the outcome model alike. "ik", "de", "41", "twee keer", "week", "ga" may be true signal for
    a model but mean nothing to a reader on their own."""
    return all(word.isalpha() and word not in function_words for word in gram) and not all(
        word in WORDS_THAT_EXPLAIN_NOTHING for word in gram
    )


def ngram_evidence(
    classifier: ThemeClassifier, analysed: AnalysedText, theme: str, row=None
) -> list[Evidence]:
    """The lemma n-grams that pushed the theme's score up most, located in the text (`row`:
    the text's lemma n-gram row, when already computed for another theme)."""
    if row is None:
        row = classifier.features.named_transformers["lemma_ngrams"].transform([analysed]).tocsr()
    weights = _feature_weights(classifier, classifier.theme_keys.index(theme), "lemma_ngrams")
    contributions = row.data * weights[row.indices]
    names = _tables(classifier).ngram_names
    order = np.argsort(-contributions)[: TOP_NGRAMS * 3]
    evidence = []
    function_words = stop_words(("nl", "en")) | _tables(classifier).modifier_words
    for position in order:
        if contributions[position] <= 0:
            break
        gram = names[row.indices[position]].split(" ")
        if not explains_something(gram, function_words):
            continue
        for first in range(len(analysed.lemmas) - len(gram) + 1):
            if list(analysed.lemmas[first : first + len(gram)]) == gram:
                start, end = _span(analysed, first, first + len(gram))
                weight = round(float(contributions[position]), 4)
                evidence.append(
                    Evidence("ngram", analysed.text[start:end], start, end, weight, "lemma n-gram")
                )
    return evidence


def _sentence_spans(analysed: AnalysedText) -> list[tuple[int, int]]:
    return [_span(analysed, first, end) for first, end in analysed.sentence_spans() if end > first]


def _sentence_probabilities(
    classifier: ThemeClassifier, analysed_texts: Sequence[AnalysedText]
) -> list[list[tuple[int, int, np.ndarray]]]:
    """Per text, (start, end, probability of each theme) for each sentence scored on its own;
    the sentences of all texts are scored in one call."""
    spans = [_sentence_spans(analysed) for analysed in analysed_texts]
    sentences = [
        analysed.text[s:e]
        for analysed, text_spans in zip(analysed_texts, spans, strict=True)
        for s, e in text_spans
    ]
    probabilities, _ = classifier.probabilities(sentences) if sentences else ([], [])
    rows = iter(probabilities)
    return [[(s, e, next(rows)) for s, e in text_spans] for text_spans in spans]


def explain_theme(classifier: ThemeClassifier, text: str, theme: str) -> list[Evidence]:
    """All evidence for `theme` in `text`: phrases strongest first, then sentences.

    A phrase's weight is its weighted feature value times the probability of its sentence, so
    a word that counts for the theme in general ("niets") ranks low in a sentence that is not
    about the theme.
    """
    return explain_themes(classifier, text, [theme])[theme]


def explain_themes(
    classifier: ThemeClassifier, text: str, themes: Sequence[str] | None = None
) -> dict[str, list[Evidence]]:
    """`explain_theme` for several themes (default: all of the model's) at the cost of little
    more than one: the text is analysed and its sentences scored once for all of them."""
    return explain_texts(classifier, [text], themes)[0]


def explain_texts(
    classifier: ThemeClassifier, texts: Sequence[str], themes: Sequence[str] | None = None
) -> list[dict[str, list[Evidence]]]:
    """`explain_themes` for each of several texts, their sentences scored in one batch."""
    themes = list(classifier.theme_keys if themes is None else themes)
    for theme in themes:
        if theme not in classifier.theme_keys:
            raise KeyError(f"unknown theme {theme!r}; known: {', '.join(classifier.theme_keys)}")
    analysed_texts = list(classifier.analyzer.analyse_many(list(texts)))
    vectorizer = classifier.features.named_transformers["lemma_ngrams"]
    lexicon = classifier.features.named_transformers["cues"].lexicon
    result = []
    for analysed, scored in zip(
        analysed_texts, _sentence_probabilities(classifier, analysed_texts), strict=True
    ):
        denied = _DenialScores(classifier, analysed)
        ngrams = vectorizer.transform([analysed]).tocsr()
        cues = theme_cues(lexicon, analysed)
        evidence = {}
        for theme in themes:
            column = classifier.theme_keys.index(theme)
            sentences = [(s, e, float(row[column])) for s, e, row in scored]
            evidence[theme] = _theme_evidence(
                classifier, analysed, theme, sentences, denied, ngrams, cues
            )
        result.append(evidence)
    return result


def _theme_evidence(
    classifier: ThemeClassifier,
    analysed: AnalysedText,
    theme: str,
    sentences: list[tuple[int, int, float]],
    denied: _DenialScores,
    ngrams,
    cues: dict,
) -> list[Evidence]:
    text = analysed.text
    denials = denied.evidence(theme)
    phrases = cue_evidence(classifier, analysed, theme, cues) + ngram_evidence(
        classifier, analysed, theme, ngrams
    )
    phrases = [p for p in phrases if not any(d.start <= p.start < d.end for d in denials)]
    for phrase in phrases:
        probability = next((p for s, e, p in sentences if s <= phrase.start < e), 1.0)
        phrase.weight = round(phrase.weight * probability, 4)
    phrases = [
        phrase
        for phrase in phrases
        if phrase.weight >= MIN_PHRASE_WEIGHT or not phrase.detail.startswith(SUPPORTING)
    ]
    phrases.sort(key=lambda item: (-item.weight, item.start))
    sentence_items = [
        Evidence("sentence", text[s:e], s, e, round(p, 4), "sentence probability")
        for s, e, p in sorted(sentences, key=lambda item: -item[2])
        if p >= MIN_SENTENCE_PROBABILITY
    ]
    return denials + phrases + sentence_items


def denial_evidence(
    classifier: ThemeClassifier, analysed: AnalysedText, theme: str
) -> list[Evidence]:
    """The clauses that deny `theme`, left out when it was scored: weight = how much the
    theme's score went down by leaving them out."""
    return _DenialScores(classifier, analysed).evidence(theme)


class _DenialScores:
    """The text's denials, and its scores with and without them, computed once per text and
    only when some theme is denied."""

    def __init__(self, classifier: ThemeClassifier, analysed: AnalysedText):
        self.classifier, self.analysed = classifier, analysed
        self.denials = classifier.denials_in(analysed)
        self._scores: tuple[np.ndarray, np.ndarray] | None = None

    def _weight(self, theme: str) -> float:
        if self._scores is None:
            classifier, analysed = self.classifier, self.analysed
            with_clauses = classifier.estimator.predict_proba(classifier.feature_matrix([analysed]))
            without, _ = classifier.probabilities([analysed.text])
            self._scores = (with_clauses[0], without[0])
        column = self.classifier.theme_keys.index(theme)
        with_clauses, without = self._scores
        return round(max(0.0, float(with_clauses[column] - without[column])), 4)

    def evidence(self, theme: str) -> list[Evidence]:
        denials = [d for d in self.denials if d.theme == theme]
        if not denials:
            return []
        analysed, weight = self.analysed, self._weight(theme)
        evidence = []
        for denial in denials:
            last = denial.end_token
            while last - 1 > denial.first_token and not analysed.lower[last - 1].isalnum():
                last -= 1  # the clause's closing comma or full stop is not shown
            start, end = _span(analysed, denial.first_token, last)
            phrase_start, phrase_end = _span(analysed, denial.phrase_start, denial.phrase_end)
            detail = f"denial:{analysed.text[phrase_start:phrase_end]}"
            evidence.append(
                Evidence("denial", analysed.text[start:end], start, end, weight, detail)
            )
        return evidence
