"""Which sentences of a story are about which theme, so each theme can get its own outcome.

"Ik heb nu vrienden, maar het geld is op" is `gemengd` as a story, `beter` for loneliness and
`slechter` for money. The theme model scores each sentence on its own; a theme's outcome is
read from the sentences it scores as about that theme. When no sentence stands out (a theme
carried by the whole story), the story's outcome is used for the theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.classify import ThemeClassifier

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
