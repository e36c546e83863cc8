"""Multi-label theme classifier: per theme a logistic regression, Platt-calibrated, with a
decision threshold chosen on out-of-fold (validation) predictions of the training data.

Per theme: 5-fold cross-validated decision scores of the training examples are the validation
data; a sigmoid fitted on them turns scores into calibrated probabilities, and the threshold
that maximises F1 on them becomes the theme's decision threshold. The final regression is then
fitted on all training examples. Everything is seeded, so the same data gives the same model.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
DEFAULT_THRESHOLD = 0.5
SMOOTHING = 5  # grid steps on each side averaged when choosing a threshold


def f1_by_threshold(probabilities: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """F1 of `probabilities >= t` against `truth` for each t on THRESHOLD_GRID."""
    predicted = probabilities[None, :] >= THRESHOLD_GRID[:, None]
    true_positives = np.logical_and(predicted, truth[None, :]).sum(axis=1)
    denominators = predicted.sum(axis=1) + truth.sum()
    return np.divide(
        2 * true_positives, denominators, out=np.zeros(len(THRESHOLD_GRID)), where=denominators > 0
    )


def best_f1_threshold(
    probabilities: np.ndarray, truth: np.ndarray, window: int = SMOOTHING
) -> float:
    """The grid threshold with the highest F1 averaged over its neighbours (+-`window` steps).

    Averaging keeps the choice away from narrow, lucky peaks of small validation sets; ties go
    to the threshold nearest 0.5.
    """
    f1 = f1_by_threshold(probabilities, truth.astype(bool))
    kernel = np.ones(2 * window + 1) / (2 * window + 1)
    smoothed = np.convolve(np.pad(f1, window, mode="edge"), kernel, mode="valid")
    best = max(
        range(len(THRESHOLD_GRID)),
        key=lambda i: (round(float(smoothed[i]), 6), -abs(THRESHOLD_GRID[i] - 0.5)),
    )
    return float(THRESHOLD_GRID[best])


class CalibratedThemeClassifier(ClassifierMixin, BaseEstimator):
    """One calibrated, thresholded logistic regression per theme (columns of Y)."""

    def __init__(
        self,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        folds: int = 5,
        random_state: int = 0,
        ignored_columns: dict[int, list[int]] | None = None,
    ):
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.random_state = random_state
        self.ignored_columns = ignored_columns  # per theme index: feature columns it must not use

    def _regression(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            solver="liblinear",
            max_iter=1000,
            random_state=self.random_state,
        )

    def fit(self, X, Y) -> CalibratedThemeClassifier:
        Y = np.asarray(Y, dtype=bool)
        n_themes = Y.shape[1]
        self.coef_ = np.zeros((X.shape[1], n_themes), dtype=np.float64)
        self.intercept_ = np.zeros(n_themes)
        self.calibration_ = np.tile([1.0, 0.0], (n_themes, 1))  # slope, offset of the sigmoid
        self.thresholds_ = np.full(n_themes, DEFAULT_THRESHOLD)
        self.validation_probabilities_ = np.zeros(Y.shape)
        for theme in range(n_themes):
            self._fit_theme(self._visible_columns(X, theme), Y[:, theme], theme)
        return self

    def _visible_columns(self, X, theme: int):
        ignored = (self.ignored_columns or {}).get(theme)
        if not ignored:
            return X
        mask = np.ones(X.shape[1])
        mask[ignored] = 0.0
        return sp.csr_matrix(X) @ sp.diags(mask) if sp.issparse(X) else X * mask

    def _visible_columns(self, X, theme: int):
        ignored = (self.ignored_columns or {}).get(theme)
        if not ignored:
            return X
        mask = np.ones(X.shape[1])
        mask[ignored] = 0.0
        return sp.csr_matrix(X) @ sp.diags(mask) if sp.issparse(X) else X * mask

    def _fit_theme(self, X, truth: np.ndarray, theme: int) -> None:
        positives, negatives = int(truth.sum()), int((~truth).sum())
        if positives == 0 or negatives == 0:
            self.intercept_[theme] = 10.0 if positives else -10.0
            return
        folds = min(self.folds, positives, negatives)
        if folds >= 2:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            scores = cross_val_predict(
                self._regression(), X, truth, cv=splitter, method="decision_function"
            )
            sigmoid = LogisticRegression(C=1e4, solver="lbfgs").fit(scores.reshape(-1, 1), truth)
            slope, offset = float(sigmoid.coef_[0, 0]), float(sigmoid.intercept_[0])
            if slope > 0:
                self.calibration_[theme] = (slope, offset)
                probabilities = _sigmoid(slope * scores + offset)
                self.validation_probabilities_[:, theme] = probabilities
                self.thresholds_[theme] = best_f1_threshold(probabilities, truth)
        regression = self._regression().fit(X, truth)
        self.coef_[:, theme] = regression.coef_[0]
        self.intercept_[theme] = regression.intercept_[0]

    def decision_function(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef_) + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probability per theme, shape (n_texts, n_themes)."""
        scores = self.decision_function(X)
        return _sigmoid(scores * self.calibration_[:, 0] + self.calibration_[:, 1])

    def predict(self, X) -> np.ndarray:
        """Boolean label matrix: probability at or above each theme's threshold."""
        return self.predict_proba(X) >= self.thresholds_


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -35, 35)))
