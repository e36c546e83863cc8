"""The theme classification pipeline: texts -> analysed texts -> features -> calibrated labels.

`build_theme_pipeline` is the model builder; a released configuration is never edited in place:
add a new builder version and record it in the model card (see BUILDER_VERSION).
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from nlp.cue_features import CueFeatures
from nlp.cue_lexicon import CueLexicon
from nlp.text_analysis import AnalysedText, DutchTextAnalyzer
from nlp.theme_estimator import CalibratedThemeClassifier
from nlp.vectorizers import LemmaNgrams, TokenCharNgrams

BUILDER_VERSION = "weefsel.ThemePipeline.v1"


class AnalyseTexts(TransformerMixin, BaseEstimator):
    """Pipeline step: raw strings -> `AnalysedText`s (tokens, lemmas, sentences)."""

    def __init__(self, analyzer: DutchTextAnalyzer):
        self.analyzer = analyzer

    def fit(self, texts: Sequence[str], y=None) -> AnalyseTexts:
        return self

    def transform(self, texts: Sequence[str]) -> list[AnalysedText]:
        return list(self.analyzer.analyse_many(list(texts)))


def build_theme_pipeline(
    analyzer: DutchTextAnalyzer,
    lexicon: CueLexicon,
    C: float = 4.0,
    cue_scale: float = 1.0,
    char_weight: float = 1.0,
    lemma_weight: float = 1.0,
    random_state: int = 0,
) -> Pipeline:
    """A fresh, unfitted pipeline; fit it with texts and a (n_texts, n_themes) 0/1 matrix."""
    features = FeatureUnion(
        [
            ("lemma_ngrams", LemmaNgrams()),
            ("char_ngrams", TokenCharNgrams()),
            ("cues", CueFeatures(lexicon, scale=cue_scale)),
        ],
        transformer_weights={"lemma_ngrams": lemma_weight, "char_ngrams": char_weight, "cues": 1.0},
    )
    return Pipeline(
        [
            ("analyse", AnalyseTexts(analyzer)),
            ("features", features),
            ("classify", CalibratedThemeClassifier(C=C, random_state=random_state)),
        ]
    )
