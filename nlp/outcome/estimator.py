"""The outcome estimator: texts -> beter / slechter / gemengd / geen, with probabilities.

Features: lemma unigrams and bigrams (function words kept: "niet meer", "weer" and "sinds"
carry the change), per-word character n-grams (typos, compounds) and the change-cue features
of nlp/outcome/cues.py, which carry what generalises beyond the corpus phrasing, and (builder
v2) the clause, modality and time features of nlp/outcome/clauses.py. One
multinomial logistic regression over all blocks; its probabilities are calibrated by
temperature scaling on out-of-fold scores of the training data (it keeps the ranking and the
explanation, and makes "70 %" mean about 70 %). Everything is seeded.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from nlp.outcome.clauses import ClauseFeatures
from nlp.outcome.cues import OutcomeCueFeatures
from nlp.outcome.labels import OUTCOMES
from nlp.text_analysis import AnalysedText, DutchTextAnalyzer
from nlp.vectorizers import LemmaNgrams, TokenCharNgrams

TOP_NGRAMS = 5


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exponents = np.exp(shifted)
    return exponents / exponents.sum(axis=1, keepdims=True)


def _log_loss(logits: np.ndarray, truth: np.ndarray) -> float:
    probabilities = _softmax(logits)
    return float(-np.mean(np.log(probabilities[np.arange(len(truth)), truth] + 1e-12)))


class OutcomeClassifier(ClassifierMixin, BaseEstimator):
    """Estimator over raw texts: fit(texts, outcomes), predict, predict_proba, explain."""

    def __init__(
        self,
        analyzer: DutchTextAnalyzer,
        lexicon,
        C: float = 2.0,
        lemma_weight: float = 1.0,
        char_weight: float = 0.5,
        cue_weight: float = 1.0,
        clause_weight: float = 1.0,
        calibration_folds: int = 5,
        random_state: int = 0,
    ):
        self.analyzer = analyzer
        self.lexicon = lexicon
        self.C = C
        self.lemma_weight = lemma_weight
        self.char_weight = char_weight
        self.cue_weight = cue_weight
        self.clause_weight = clause_weight
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    # -- features ----------------------------------------------------------------------------
    def analyse(self, texts: Sequence[str]) -> list[AnalysedText]:
        return list(self.analyzer.analyse_many(list(texts)))

    def _blocks(self) -> list[tuple[str, object, float]]:
        blocks = [
            ("lemma", self.lemma_ngrams_, self.lemma_weight),
            ("char", self.char_ngrams_, self.char_weight),
            ("cues", self.cue_features_, self.cue_weight),
        ]
        # Models saved before the clause block (builder v1) have none and keep working.
        if getattr(self, "clause_features_", None) is not None:
            blocks.append(("clauses", self.clause_features_, self.clause_weight))
        return blocks

    def features(self, analysed: list[AnalysedText]) -> sp.csr_matrix:
        blocks = [
            sp.csr_matrix(step.transform(analysed)) * weight for _, step, weight in self._blocks()
        ]
        return sp.hstack(blocks, format="csr")

    def _regression(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=3000, random_state=self.random_state
        )

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], outcomes: Sequence[str]) -> OutcomeClassifier:
        truth = np.array([OUTCOMES.index(outcome) for outcome in outcomes])
        analysed = self.analyse(texts)
        self.lemma_ngrams_ = LemmaNgrams(min_df=2).fit(analysed)
        self.char_ngrams_ = TokenCharNgrams(min_df=2, max_features=30_000).fit(analysed)
        self.cue_features_ = OutcomeCueFeatures(self.lexicon).fit(analysed)
        self.clause_features_ = (
            ClauseFeatures(self.lexicon).fit(analysed) if self.clause_weight else None
        )
        X = self.features(analysed)
        self.classes_ = np.array(OUTCOMES)
        self.regression_ = self._regression().fit(X, truth)
        self.temperature_ = self._temperature(X, truth)
        return self

    def _temperature(self, X: sp.csr_matrix, truth: np.ndarray) -> float:
        """The temperature that minimises the log loss of out-of-fold logits."""
        folds = min(self.calibration_folds, int(np.bincount(truth, minlength=4).min()))
        if folds < 2:
            return 1.0
        logits = np.zeros((len(truth), len(OUTCOMES)))
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        for train, test in splitter.split(X, truth):
            fold_model = self._regression().fit(X[train], truth[train])
            logits[test] = _full_logits(fold_model, X[test])
        result = minimize_scalar(
            lambda t: _log_loss(logits / t, truth), bounds=(0.05, 20.0), method="bounded"
        )
        self.validation_logits_ = logits
        return float(result.x)

    # -- predicting --------------------------------------------------------------------------
    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated logits, shape (n_texts, 4) in OUTCOMES order."""
        return self._logits(self.analyse(texts))

    def _logits(self, analysed: list[AnalysedText]) -> np.ndarray:
        if not analysed:
            return np.zeros((0, len(OUTCOMES)))
        return _full_logits(self.regression_, self.features(analysed)) / self.temperature_

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability per outcome, shape (n_texts, 4) in OUTCOMES order."""
        return _softmax(self.decision_function(texts))

    def predict_proba_analysed(self, analysed: list[AnalysedText]) -> np.ndarray:
        return _softmax(self._logits(analysed)) if analysed else np.zeros((0, len(OUTCOMES)))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def directions(self, text: str) -> set[str]:
        """The directions ("beter", "slechter") of the change cues in a text."""
        cues, _ = self.cue_features_.cues_of(self.analyzer.analyse(text))
        return {cue.direction for cue in cues if cue.direction}

    # -- explaining --------------------------------------------------------------------------
    def explain(self, text: str, outcome: str | None = None) -> list[dict]:
        """Evidence for an outcome (default: the predicted one): change cues, then words.

        Each item is {"kind", "text", "start", "end", "weight", "detail"}: "cue" items are
        change cues read in context (detail says how, e.g. "no_longer_bad -> beter"); "ngram"
        items are content words that pushed the outcome's score most. Function words and
        numbers are never shown as word evidence: they mean nothing to a reader on their own.
        """
        analysed = self.analyzer.analyse(text)
        if outcome is None:
            outcome = OUTCOMES[int(self.predict_proba_analysed([analysed])[0].argmax())]
        cues, _ = self.cue_features_.cues_of(analysed)
        evidence = [
            {
                "kind": "cue",
                "text": cue.text,
                "start": cue.start,
                "end": cue.end,
                "weight": 1.0 if cue.direction else 0.5,
                "detail": f"{cue.reading} -> {cue.direction}" if cue.direction else cue.reading,
            }
            for cue in cues
        ]
        return evidence + self._word_evidence(analysed, outcome)

    def _word_evidence(self, analysed: AnalysedText, outcome: str) -> list[dict]:
        from nlp.explain import explains_something
        from nlp.language import stop_words

        names, centred = _word_tables(self)
        row = self.lemma_ngrams_.transform([analysed]).tocsr()
        contributions = row.data * centred[OUTCOMES.index(outcome)][row.indices] * self.lemma_weight
        function_words = stop_words(("nl", "en"))
        evidence = []
        for position in np.argsort(-contributions):
            if contributions[position] <= 0 or len(evidence) >= TOP_NGRAMS:
                break
            gram = names[row.indices[position]].split(" ")
            if not explains_something(gram, function_words):
                continue
            for first in range(len(analysed.lemmas) - len(gram) + 1):
                if list(analysed.lemmas[first : first + len(gram)]) == gram:
                    start, end = analysed.starts[first], analysed.ends[first + len(gram) - 1]
                    evidence.append(
                        {
                            "kind": "ngram",
                            "text": analysed.text[start:end],
                            "start": start,
                            "end": end,
                            "weight": round(float(contributions[position]), 4),
                            "detail": "word",
                        }
                    )
                    break
        return evidence


# Per fitted estimator, computed on its first explanation: rebuilding the feature names from the
# vocabulary on every call cost most of an explanation's time. Not kept on the estimator itself,
# so a saved model does not carry them.
_WORD_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _word_tables(estimator: OutcomeClassifier) -> tuple[np.ndarray, np.ndarray]:
    """The lemma n-gram names, and per outcome its lemma coefficients minus their mean over the
    outcomes (what pushes this outcome rather than the others)."""
    tables = _WORD_TABLES.get(estimator)
    if tables is None:
        names = estimator.lemma_ngrams_.get_feature_names_out()
        coef = estimator.regression_.coef_
        centred = (coef - coef.mean(axis=0))[:, : len(names)]
        tables = _WORD_TABLES[estimator] = (names, centred)
    return tables


def _full_logits(model: LogisticRegression, X) -> np.ndarray:
    """Logits for all four outcomes, also when a fold lacked a class (that one gets -inf-ish)."""
    logits = np.full((X.shape[0], len(OUTCOMES)), -30.0)
    raw = model.decision_function(X)
    if raw.ndim == 1:  # two classes seen
        raw = np.column_stack([-raw / 2, raw / 2])
    logits[:, model.classes_] = raw
    return logits
