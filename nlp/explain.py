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

from dataclasses import asdict, dataclass
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
        return asdict(self)


def _feature_weights(classifier: ThemeClassifier, theme_index: int) -> dict[str, np.ndarray]:
    """The theme's coefficient slice for each feature block, already multiplied by its weight."""
    estimator = classifier.estimator
    union = classifier.features
    weights = union.transformer_weights or {}
    blocks, offset = {}, 0
    for name, transformer in union.transformer_list:
        size = len(transformer.get_feature_names_out())
        blocks[name] = estimator.coef_[offset : offset + size, theme_index] * weights.get(name, 1.0)
        offset += size
    return blocks


def _span(analysed: AnalysedText, first_token: int, end_token: int) -> tuple[int, int]:
    return analysed.starts[first_token], analysed.ends[end_token - 1]


def cue_words(classifier: ThemeClassifier) -> set[str]:
    """The one-word cues of the model's lexicon."""
    return classifier.features.named_transformers["cues"].lexicon.single_word_cues()


def cue_evidence(classifier: ThemeClassifier, analysed: AnalysedText, theme: str) -> list[Evidence]:
    """Lexicon cues of the theme with their category weights (figurative cues weigh 0)."""
    cue_step = classifier.features.named_transformers["cues"]
    names = list(cue_step.get_feature_names_out())
    weights = _feature_weights(classifier, classifier.theme_keys.index(theme))["cues"]
    cues = theme_cues(cue_step.lexicon, analysed).get(theme)
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
            weight = (
                float(weights[names.index(feature)]) * cue_step.scale if feature in names else 0.0
            )
            start, end = _span(analysed, match.start, match.end)
            detail = f"{kind}:{match.category}"
            evidence.append(
                Evidence("cue", analysed.text[start:end], start, end, round(weight, 4), detail)
            )
    return evidence


def ngram_evidence(
    classifier: ThemeClassifier, analysed: AnalysedText, theme: str
) -> list[Evidence]:
    """The lemma n-grams that pushed the theme's score up most, located in the text."""
    vectorizer = classifier.features.named_transformers["lemma_ngrams"]
    weights = _feature_weights(classifier, classifier.theme_keys.index(theme))["lemma_ngrams"]
    row = vectorizer.transform([analysed]).tocsr()
    contributions = row.data * weights[row.indices]
    names = vectorizer.get_feature_names_out()
    order = np.argsort(-contributions)[: TOP_NGRAMS * 3]
    evidence = []
    function_words = stop_words(("nl", "en")) | _modifier_words(classifier)
    for position in order:
        if contributions[position] <= 0:
            break
        gram = names[row.indices[position]].split(" ")
        if not all(word.isalpha() and word not in function_words for word in gram):
            continue  # "ik", "de", "41": true signal for the model, meaningless to a reader
        for first in range(len(analysed.lemmas) - len(gram) + 1):
            if list(analysed.lemmas[first : first + len(gram)]) == gram:
                start, end = _span(analysed, first, first + len(gram))
                weight = round(float(contributions[position]), 4)
                evidence.append(
                    Evidence("ngram", analysed.text[start:end], start, end, weight, "lemma n-gram")
                )
    return evidence


def _modifier_words(classifier: ThemeClassifier) -> set[str]:
    """One-word negation, absence and relief markers ("niks", "nooit", "weer"): they shift a
    score only together with a theme word, so alone they explain nothing to a reader."""
    modifiers = classifier.features.named_transformers["cues"].lexicon.modifiers
    return {entry for entries in modifiers.values() for entry in entries if entry.isalpha()}


def _sentence_probabilities(
    classifier: ThemeClassifier, analysed: AnalysedText, theme: str
) -> list[tuple[int, int, float]]:
    """(start, end, probability of the theme) for each sentence scored on its own."""
    spans = [_span(analysed, first, end) for first, end in analysed.sentence_spans() if end > first]
    if not spans:
        return []
    probabilities, _ = classifier.probabilities([analysed.text[s:e] for s, e in spans])
    column = classifier.theme_keys.index(theme)
    return [(s, e, float(row[column])) for (s, e), row in zip(spans, probabilities, strict=True)]


def explain_theme(classifier: ThemeClassifier, text: str, theme: str) -> list[Evidence]:
    """All evidence for `theme` in `text`: phrases strongest first, then sentences.

    A phrase's weight is its weighted feature value times the probability of its sentence, so
    a word that counts for the theme in general ("niets") ranks low in a sentence that is not
    about the theme.
    """
    if theme not in classifier.theme_keys:
        raise KeyError(f"unknown theme {theme!r}; known: {', '.join(classifier.theme_keys)}")
    analysed = classifier.analyzer.analyse(text)
    sentences = _sentence_probabilities(classifier, analysed, theme)
    denials = denial_evidence(classifier, analysed, theme)
    phrases = cue_evidence(classifier, analysed, theme) + ngram_evidence(
        classifier, analysed, theme
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
    denials = [d for d in classifier.denials_in(analysed) if d.theme == theme]
    if not denials:
        return []
    column = classifier.theme_keys.index(theme)
    with_clauses = classifier.estimator.predict_proba(classifier.feature_matrix([analysed]))
    without, _ = classifier.probabilities([analysed.text])
    weight = round(max(0.0, float(with_clauses[0, column] - without[0, column])), 4)
    evidence = []
    for denial in denials:
        last = denial.end_token
        while last - 1 > denial.first_token and not analysed.lower[last - 1].isalnum():
            last -= 1  # the clause's closing comma or full stop is not shown
        start, end = _span(analysed, denial.first_token, last)
        phrase_start, phrase_end = _span(analysed, denial.phrase_start, denial.phrase_end)
        detail = f"denial:{analysed.text[phrase_start:phrase_end]}"
        evidence.append(Evidence("denial", analysed.text[start:end], start, end, weight, detail))
    return evidence
