"""Multi-label theme classifier: per theme a calibrated logistic regression with a decision
threshold chosen on out-of-fold (validation) predictions of the training data.

Per theme: cross-validated decision scores of the training examples (5 folds, averaged over a
few shuffles) are the validation data; a logistic regression on them (Platt scaling) turns
scores into calibrated probabilities, and the threshold with the best smoothed F1 on them
becomes the theme's decision threshold. The final regression is fitted on all training
examples and the calibration folded into its coefficients. Everything is seeded, so the same
data gives the same model.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold, cross_val_predict

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
    probabilities: np.ndarray, truth: np.ndarray, window: int = SMOOTHING, tolerance: float = 0.0
) -> float:
    """The grid threshold with the highest F1 averaged over its neighbours (+-`window` steps).

    Averaging keeps the choice away from narrow, lucky peaks of small validation sets; ties go
    to the threshold nearest 0.5. With a `tolerance`, every threshold whose smoothed F1 is
    within it of the best counts as tied: a flat F1 curve then gives a threshold near 0.5, so
    "toegekend" means "more likely than not" wherever that costs (almost) nothing.
    """
    f1 = f1_by_threshold(probabilities, truth.astype(bool))
    kernel = np.ones(2 * window + 1) / (2 * window + 1)
    smoothed = np.convolve(np.pad(f1, window, mode="edge"), kernel, mode="valid")
    level = np.round(smoothed, 6)
    if tolerance > 0:
        level = np.where(level >= level.max() - tolerance, level.max(), level)
    best = max(
        range(len(THRESHOLD_GRID)),
        key=lambda i: (float(level[i]), -abs(THRESHOLD_GRID[i] - 0.5)),
    )
    return float(THRESHOLD_GRID[best])


class CalibratedThemeClassifier(ClassifierMixin, BaseEstimator):
    """Per theme (column of Y): logistic regressions over blocks of features, stacked and
    calibrated by a logistic regression on their out-of-fold scores, with a threshold.

    With one block this is a Platt-calibrated logistic regression. With several blocks (e.g.
    n-grams and cue features) each block is regularised on its own and the stacking weights are
    learned on validation scores, so no block can crowd out the others. Because every step is
    linear, the fitted model folds into one coefficient vector and intercept per theme.
    """

    threshold_tolerance = 0.0  # class default: models saved before the setting existed load

    def __init__(
        self,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        folds: int = 5,
        random_state: int = 0,
        ignored_columns: dict[int, list[int]] | None = None,
        feature_blocks: dict[str, list[int]] | None = None,
        block_C: dict[str, float] | None = None,
        repeats: int = 1,
        n_jobs: int | None = None,
        threshold_tolerance: float = 0.0,
    ):
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.random_state = random_state
        self.ignored_columns = ignored_columns  # per theme index: feature columns it must not use
        self.feature_blocks = feature_blocks  # block name -> feature columns; None: one block
        self.block_C = block_C  # block name -> C; default self.C
        self.repeats = repeats  # k-fold runs averaged for the validation scores
        self.n_jobs = n_jobs  # processes for the cross-validation fits (results do not change)
        self.threshold_tolerance = threshold_tolerance  # see best_f1_threshold

    def _regression(self, C: float) -> LogisticRegression:
        return LogisticRegression(
            C=C,
            class_weight=self.class_weight,
            solver="liblinear",
            max_iter=1000,
            random_state=self.random_state,
        )

    def fit(self, X, Y, groups=None) -> CalibratedThemeClassifier:
        """Fit per theme. With `groups` (e.g. the writer of each example) the validation scores
        come from leaving one group out at a time, so calibration and thresholds reflect texts
        of a writer the model has not seen rather than more texts of the same writers."""
        X = sp.csr_matrix(X)
        Y = np.asarray(Y, dtype=bool)
        self._groups = np.asarray(groups) if groups is not None else None
        n_themes = Y.shape[1]
        self.coef_ = np.zeros((X.shape[1], n_themes), dtype=np.float64)
        self.intercept_ = np.zeros(n_themes)
        self.stacking_weights_: dict[int, list[float]] = {}
        self.thresholds_ = np.full(n_themes, DEFAULT_THRESHOLD)
        self.validation_probabilities_ = np.zeros(Y.shape)
        for theme in range(n_themes):
            self._fit_theme(self._visible_columns(X, theme), Y[:, theme], theme)
        del self._groups  # only needed while fitting; not saved with the model
        return self

    def _visible_columns(self, X: sp.csr_matrix, theme: int) -> sp.csr_matrix:
        ignored = (self.ignored_columns or {}).get(theme)
        if not ignored:
            return X
        mask = np.ones(X.shape[1])
        mask[ignored] = 0.0
        return (X @ sp.diags(mask)).tocsr()

    def _blocks(self, n_features: int) -> list[tuple[np.ndarray, float]]:
        if not self.feature_blocks:
            return [(np.arange(n_features), self.C)]
        return [
            (np.asarray(columns), (self.block_C or {}).get(name, self.C))
            for name, columns in self.feature_blocks.items()
        ]

    def _fit_theme(self, X: sp.csr_matrix, truth: np.ndarray, theme: int) -> None:
        positives, negatives = int(truth.sum()), int((~truth).sum())
        if positives == 0 or negatives == 0:
            self.intercept_[theme] = 10.0 if positives else -10.0
            return
        folds = min(self.folds, positives, negatives)
        blocks = self._blocks(X.shape[1])
        validation_scores, fitted = [], []
        for columns, C in blocks:
            block = X[:, columns]
            if folds >= 2:
                validation_scores.append(self._validation_scores(block, truth, folds, C))
            fitted.append(self._regression(C).fit(block, truth))
        weights, offset = [1.0] * len(blocks), 0.0
        if validation_scores:
            scores = np.column_stack(validation_scores)
            stacker = LogisticRegression(C=1e4, solver="lbfgs").fit(scores, truth)
            weights, offset = stacker.coef_[0].tolist(), float(stacker.intercept_[0])
            probabilities = stacker.predict_proba(scores)[:, 1]
            self.validation_probabilities_[:, theme] = probabilities
            self.thresholds_[theme] = best_f1_threshold(
                probabilities, truth, tolerance=self.threshold_tolerance
            )
        self.stacking_weights_[theme] = weights
        for (columns, _), regression, weight in zip(blocks, fitted, weights, strict=True):
            self.coef_[columns, theme] += weight * regression.coef_[0]
            offset += weight * regression.intercept_[0]
        self.intercept_[theme] = offset

    def _validation_scores(self, X, truth: np.ndarray, folds: int, C: float) -> np.ndarray:
        """Out-of-fold decision scores: leave-one-group-out when fitted with groups, else
        averaged over `repeats` differently shuffled k-folds."""
        if self._groups is not None and _groups_can_be_left_out(self._groups, truth):
            return cross_val_predict(
                self._regression(C),
                X,
                truth,
                cv=LeaveOneGroupOut(),
                groups=self._groups,
                method="decision_function",
                n_jobs=self.n_jobs,
            )
        runs = []
        for repeat in range(self.repeats):
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state + repeat)
            runs.append(
                cross_val_predict(
                    self._regression(C),
                    X,
                    truth,
                    cv=splitter,
                    method="decision_function",
                    n_jobs=self.n_jobs,
                )
            )
        return np.mean(runs, axis=0)

    def decision_function(self, X) -> np.ndarray:
        """Calibrated log-odds per theme."""
        return np.asarray(X @ self.coef_) + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probability per theme, shape (n_texts, n_themes)."""
        return _sigmoid(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """Boolean label matrix: probability at or above each theme's threshold."""
        return self.predict_proba(X) >= self.thresholds_


def _groups_can_be_left_out(groups: np.ndarray, truth: np.ndarray) -> bool:
    """Whether leaving out any one group keeps both classes in the rest (a theme whose examples
    all come from one writer cannot be validated that way)."""
    return len(set(groups[truth])) >= 2 and len(set(groups[~truth])) >= 2


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -35, 35)))
