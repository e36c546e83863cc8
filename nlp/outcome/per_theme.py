"""Which parts of a story are about which theme, so each theme can get its own outcome.

"Ik heb nu vrienden, maar het geld is op" is `gemengd` as a story, `beter` for loneliness and
`slechter` for money. A story is cut into passages: its sentences, each split again before a
contrast word that starts a clause ("maar", "helaas", "but"). A passage is about a theme when
the theme model scores it, on its own, at SENTENCE_SHARE_OF_THRESHOLD of the theme's threshold
or more, or when it holds one of the theme's cue words or phrases (nlp/data/lexicons:
"schulden", "niemand om mee te praten"), which catches the short passages the model is unsure
of; a theme no passage points to is read from the whole story. A theme's outcome is read from
its passages (`OutcomeModel.theme_outcomes`); a mixed story with one theme stays mixed for it.
The share, the cues, the clause split and the one-theme rule were
chosen by 5-fold cross-validation on the outcome corpus's per-theme labels
(docs/benchmarks.md), never on the independent set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nlp.outcome.labels import MIXED

if TYPE_CHECKING:
    from nlp.classify import ThemeClassifier, ThemeResult
    from nlp.outcome.model import OutcomeModel, OutcomeResult

SENTENCE_SHARE_OF_THRESHOLD = 0.4  # a passage counts for a theme at 40 % of its threshold
# Words that start a clause turning the other way; a sentence is split before them.
CLAUSE_BREAKS = frozenset({"maar", "echter", "helaas", "terwijl", "but", "however", "whereas"})
MIN_CLAUSE_TOKENS = 3
FIGURATIVE = "figurative"  # the lexicon's category for a cue not meant in the theme's sense


def _theme_cue_passages(
    classifier: ThemeClassifier, analysed, spans: list[tuple[int, int]]
) -> dict[str, set[int]]:
    """Per theme, the indexes of the passages holding one of its cues (not figurative)."""
    cues = classifier.features.named_transformers["cues"]
    found: dict[str, set[int]] = {}
    for match in cues.lexicon.find_cues(analysed):
        if match.owner not in classifier.theme_keys or match.category == FIGURATIVE:
            continue
        for index, (first, end) in enumerate(spans):
            if first <= match.start < end:
                found.setdefault(match.owner, set()).add(index)
    return found


def _passages(analysed) -> list[tuple[int, int]]:
    """Token spans of the sentences, each split again before a contrast word that starts a
    clause ("Ik heb nu vrienden, | maar het geld is op"), when both sides have a few words."""
    passages = []
    for first, end in analysed.sentence_spans():
        if end <= first:
            continue
        cuts = [first]
        for index in range(first + MIN_CLAUSE_TOKENS, end - MIN_CLAUSE_TOKENS + 1):
            if analysed.lower[index] in CLAUSE_BREAKS and index - cuts[-1] >= MIN_CLAUSE_TOKENS:
                cuts.append(index)
        cuts.append(end)
        passages += list(zip(cuts, cuts[1:], strict=False))
    return passages


def theme_sentences(
    classifier: ThemeClassifier, texts: Sequence[str], labels: Sequence[Sequence[str]]
) -> list[dict[str, list[str]]]:
    """Per text, per assigned theme: the sentences (or clauses) about it; all of them when
    none points to it, none when the text is one clause (it cannot be split)."""
    result = []
    for text, themes in zip(texts, labels, strict=True):
        if not themes:
            result.append({})
            continue
        analysed = classifier.analyzer.analyse(text)
        spans = _passages(analysed)
        if len(spans) < 2:
            result.append({theme: [] for theme in themes})
            continue
        passages = [text[analysed.starts[first] : analysed.ends[end - 1]] for first, end in spans]
        probabilities, _ = classifier.probabilities(passages)
        with_cues = _theme_cue_passages(classifier, analysed, spans)
        by_theme = {}
        for theme in themes:
            column = classifier.theme_keys.index(theme)
            cutoff = classifier.thresholds[theme] * SENTENCE_SHARE_OF_THRESHOLD
            # A theme no passage points to (an implicit one) is read from the whole story.
            by_theme[theme] = [
                passage
                for index, (passage, row) in enumerate(zip(passages, probabilities, strict=True))
                if row[column] >= cutoff or index in with_cues.get(theme, ())
            ] or passages
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
    mixed = [
        j
        for j, outcome in enumerate(outcomes)
        if outcome.outcome == MIXED and len(theme_results[readable[j]].labels) > 1
    ]
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
