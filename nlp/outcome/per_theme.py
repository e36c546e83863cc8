"""Which sentences of a story are about which theme, so each theme can get its own outcome.

"Ik heb nu vrienden, maar het geld is op" is `gemengd` as a story, `beter` for loneliness and
`slechter` for money. The theme model scores each sentence on its own; a theme's outcome is
read from the sentences it scores as about that theme. When no sentence stands out (a theme
carried by the whole story), the story's outcome is used for the theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nlp.outcome.labels import MIXED

if TYPE_CHECKING:
    from nlp.classify import ThemeClassifier, ThemeResult
    from nlp.outcome.model import OutcomeModel, OutcomeResult

SENTENCE_SHARE_OF_THRESHOLD = 0.6  # a sentence counts for a theme at 60 % of its threshold


def theme_sentences(
    classifier: ThemeClassifier, texts: Sequence[str], labels: Sequence[Sequence[str]]
) -> list[dict[str, list[str]]]:
    """Per text, per assigned theme: the sentences about it (possibly none)."""
    result = []
    for text, themes in zip(texts, labels, strict=True):
        if not themes:
            result.append({})
            continue
        analysed = classifier.analyzer.analyse(text)
        spans = [
            (analysed.starts[first], analysed.ends[end - 1])
            for first, end in analysed.sentence_spans()
            if end > first
        ]
        if len(spans) < 2:
            result.append({theme: [] for theme in themes})
            continue
        sentences = [text[start:end] for start, end in spans]
        probabilities, _ = classifier.probabilities(sentences)
        by_theme = {}
        for theme in themes:
            column = classifier.theme_keys.index(theme)
            cutoff = classifier.thresholds[theme] * SENTENCE_SHARE_OF_THRESHOLD
            by_theme[theme] = [
                sentence
                for sentence, row in zip(sentences, probabilities, strict=True)
                if row[column] >= cutoff
            ]
        result.append(by_theme)
    return result


def read_outcomes(
    outcome_model: OutcomeModel, classifier: ThemeClassifier, theme_results: Sequence[ThemeResult]
) -> list[OutcomeResult | None]:
    """The outcome of each story the theme model read, and of each of its assigned themes.

    The outcome model reads what the theme model read (`ThemeResult.text_read`: the story's
    Dutch and English sentences); a story with nothing readable gets None: its language marks
    it for a human reader. Only a mixed story differs per theme; the others changed the same
    way for every theme, which saves scoring each sentence of every submission.
    """
    readable = [i for i, result in enumerate(theme_results) if result.readable]
    texts = [theme_results[i].text_read for i in readable]
    outcomes = outcome_model.predict(texts)
    mixed = [j for j, outcome in enumerate(outcomes) if outcome.outcome == MIXED]
    sentences = theme_sentences(
        classifier, [texts[j] for j in mixed], [theme_results[readable[j]].labels for j in mixed]
    )
    by_index = dict(zip(mixed, sentences, strict=True))
    read: list[OutcomeResult | None] = [None] * len(theme_results)
    for j, (index, outcome) in enumerate(zip(readable, outcomes, strict=True)):
        labels = theme_results[index].labels
        sentences_by_theme = by_index.get(j, {theme: [] for theme in labels})
        outcome.theme_outcomes = outcome_model.theme_outcomes(outcome.outcome, sentences_by_theme)
        read[index] = outcome
    return read
