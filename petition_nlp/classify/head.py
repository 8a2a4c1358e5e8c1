"""One classification head: a linear SVM over shared features, calibrated to probabilities on held-out folds."""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

__all__ = ["HeadConfig", "LinearHead", "explanation_candidates"]

logger = logging.getLogger(__name__)


@dataclass
class HeadConfig:
    """Settings of one head.

    C: inverse regularisation strength of the linear SVM.
    class_weight: ``"balanced"`` weighs classes inversely to their frequency; None weighs rows equally.
    calibration_folds: folds for out-of-fold scores, on which the probability calibration and the review
        threshold are fitted (the training rows never calibrate themselves).
    review_precision: the review threshold is the lowest confidence at which out-of-fold predictions at or
        above it are right at least this often; predictions below it get ``needs_review``.
    """

    C: float = 1.0
    class_weight: str | None = "balanced"
    calibration_folds: int = 3
    review_precision: float = 0.95
    random_state: int = 0

    def __post_init__(self) -> None:
        if self.C <= 0:
            raise ValueError(f"C must be positive, got {self.C}")
        if self.class_weight not in (None, "balanced"):
            raise ValueError(f"class_weight must be None or 'balanced', got {self.class_weight!r}")
        if self.calibration_folds < 2:
            raise ValueError(f"calibration_folds must be at least 2, got {self.calibration_folds}")
        if not 0 < self.review_precision <= 1:
            raise ValueError(f"review_precision must be in (0, 1], got {self.review_precision}")


def explanation_candidates(X: sp.spmatrix, usable: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``k`` usable features with the highest values (the text's most salient terms), padded.

    Explanations are then chosen among these for every head: one sort for the whole batch, and each head
    only weighs ``k`` terms per row.
    """
    X = sp.csr_matrix(X)
    n_rows = X.shape[0]
    row_of = np.repeat(np.arange(n_rows), np.diff(X.indptr))
    keep = usable[X.indices]
    rows, features, values = row_of[keep], X.indices[keep], X.data[keep]
    top_value = values.max(initial=0.0) * 1.000001 or 1.0
    # One float key sorts by row, then by value descending.
    order = np.argsort(rows + (1 - values / top_value) * 0.999, kind="stable")
    rows, features, values = rows[order], features[order], values[order]
    starts = np.searchsorted(rows, np.arange(n_rows))
    rank = np.arange(len(rows)) - starts[rows]
    take = rank < k
    out_features = np.full((n_rows, k), -1, dtype=np.int64)
    out_values = np.zeros((n_rows, k), dtype=np.float64)
    out_features[rows[take], rank[take]] = features[take]
    out_values[rows[take], rank[take]] = values[take]
    return out_features, out_values


def _scores_matrix(decision: np.ndarray) -> np.ndarray:
    # A binary LinearSVC returns one score for the second class; give both classes a column.
    return np.column_stack([-decision / 2, decision / 2]) if decision.ndim == 1 else decision


def _fit_calibration(scores: np.ndarray, y_index: np.ndarray) -> tuple[float, np.ndarray]:
    """Temperature and per-class bias minimising the log loss of softmax((scores + bias) / temperature)."""
    n_classes = scores.shape[1]

    def loss(params: np.ndarray) -> float:
        temperature, bias = np.exp(params[0]), params[1:]
        logp = log_softmax((scores + bias) / temperature, axis=1)
        return -float(logp[np.arange(len(y_index)), y_index].mean()) + 1e-3 * float(bias @ bias)

    result = minimize(loss, np.zeros(n_classes + 1), method="L-BFGS-B")
    return float(np.exp(result.x[0])), result.x[1:].astype(np.float64)


def _review_threshold(confidence: np.ndarray, correct: np.ndarray, precision: float) -> float:
    """Lowest confidence t such that predictions with confidence >= t are right at least ``precision`` often."""
    order = np.argsort(-confidence)
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(running >= precision)[0]
    if len(ok) == 0:
        return 1.0
    return float(confidence[order][ok[-1]])


class LinearHead(ClassifierMixin, BaseEstimator):
    """Calibrated linear classifier on a feature matrix (scikit-learn estimator conventions)."""

    def __init__(self, config: HeadConfig | None = None) -> None:
        self.config = config

    def _cfg(self) -> HeadConfig:
        return self.config if self.config is not None else HeadConfig()

    def _svm(self) -> LinearSVC:
        cfg = self._cfg()
        return LinearSVC(C=cfg.C, class_weight=cfg.class_weight, random_state=cfg.random_state)

    def fit(self, X: sp.spmatrix, y: Any, calibration_rows: np.ndarray | None = None) -> LinearHead:
        """Fit on ``X``, ``y``; ``calibration_rows`` (a boolean mask) limits which rows' out-of-fold scores fit
        the calibration and the review threshold, e.g. hand-written petitions only when generated ones, which
        are easier, are part of the training data."""
        cfg = self._cfg()
        y = np.asarray([str(v) for v in y], dtype=object)
        classes, y_index = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"a head needs at least 2 classes in its training labels, got {list(classes)}")
        counts = np.bincount(y_index)
        rare = [str(c) for c, n in zip(classes, counts) if n < cfg.calibration_folds]
        if rare:
            logger.warning("labels with fewer than %d examples: %s; their probabilities are less reliable",
                           cfg.calibration_folds, rare[:10])
        # A rare label does not stop calibration: with three labels or more, a fold that misses one still scores
        # the others (its column keeps a very low score). Two labels need both in every fold.
        folds = min(cfg.calibration_folds, int(counts.min()) if len(classes) == 2 else int(counts.max()))
        oof = np.zeros((X.shape[0], len(classes)))
        if folds >= 2:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=cfg.random_state)
            with warnings.catch_warnings():  # the rare labels were named above
                warnings.filterwarnings("ignore", message="The least populated class")
                splits = list(splitter.split(np.zeros(len(y_index)), y_index))
            for train_idx, test_idx in splits:
                svm = self._svm().fit(X[train_idx], y_index[train_idx])
                fold_scores = _scores_matrix(svm.decision_function(X[test_idx]))
                # A fold may lack a rare class; its column then keeps a very low score.
                full = np.full((len(test_idx), len(classes)), -10.0)
                full[:, svm.classes_] = fold_scores
                oof[test_idx] = full
            calibrate = np.ones(len(y_index), dtype=bool) if calibration_rows is None else np.asarray(calibration_rows, bool)
            if calibrate.sum() < 2 * len(classes):
                logger.warning("only %d calibration rows; calibrating on all rows", calibrate.sum())
                calibrate = np.ones(len(y_index), dtype=bool)
            # A label rarer than the folds was missing from the fold that scored its own rows (their score is the
            # -10 filler): calibrating on them would drag every label's bias. The calibration, review threshold and
            # cross-validated scores use the other labels' rows; a rare label keeps its raw score (bias 0).
            common = counts >= folds
            if common.sum() >= 2:
                calibrate = calibrate & common[y_index]
                position = np.cumsum(common) - 1
                temperature, bias = _fit_calibration(oof[calibrate][:, common], position[y_index[calibrate]])
                self.temperature_, self.bias_ = temperature, np.zeros(len(classes))
                self.bias_[common] = bias
            else:
                folds = 0  # nothing left to calibrate on
        if folds < 2:
            logger.warning("label %r has %d example(s): probabilities are not calibrated and every prediction of "
                           "this head needs review", str(classes[counts.argmin()]), counts.min())
            self.temperature_, self.bias_ = 1.0, np.zeros(len(classes))
        svm = self._svm().fit(X, y_index)
        coef = svm.coef_ if len(classes) > 2 else np.vstack([-svm.coef_[0] / 2, svm.coef_[0] / 2])
        intercept = svm.intercept_ if len(classes) > 2 else np.array([-svm.intercept_[0] / 2, svm.intercept_[0] / 2])
        self.classes_ = classes
        self.coef_ = coef.astype(np.float32)
        self.intercept_ = intercept.astype(np.float32)
        if folds >= 2:
            proba = softmax((oof[calibrate] + self.bias_) / self.temperature_, axis=1)
            truth = y_index[calibrate]
            confidence, predicted = proba.max(axis=1), proba.argmax(axis=1)
            self.review_threshold_ = _review_threshold(confidence, predicted == truth, cfg.review_precision)
            self.calibration_log_loss_ = float(log_loss(truth, proba, labels=np.arange(len(classes))))
            self.cv_scores_ = {
                "cv_rows": int(calibrate.sum()),
                "cv_accuracy": float(accuracy_score(truth, predicted)),
                "cv_macro_f1": float(f1_score(truth, predicted, average="macro")),
                "cv_review_share": float((confidence < self.review_threshold_).mean()),
            }
        else:
            self.review_threshold_ = 1.0
            self.calibration_log_loss_ = float("nan")
            self.cv_scores_ = {}
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("this head is not fitted yet; call fit() first")

    def calibration_log_loss_json(self) -> float | None:
        """The calibration log loss as JSON holds it: None, not NaN, for an uncalibrated head."""
        return None if math.isnan(self.calibration_log_loss_) else self.calibration_log_loss_

    def decision_function(self, X: sp.spmatrix) -> np.ndarray:
        self._check()
        if X.shape[1] != self.coef_.shape[1]:
            raise ValueError(f"expected {self.coef_.shape[1]} features, got {X.shape[1]}")
        # A C-contiguous transposed copy, made once: scipy would otherwise copy coef_.T on every call, which
        # costs more than the whole prediction of one petition.
        coef_t = getattr(self, "_coef_t", None)
        if coef_t is None or coef_t.shape[::-1] != self.coef_.shape:
            coef_t = self._coef_t = np.ascontiguousarray(self.coef_.T)
        return np.asarray(X @ coef_t) + self.intercept_

    def predict_proba(self, X: sp.spmatrix) -> np.ndarray:
        """Calibrated probabilities; columns follow ``classes_``."""
        return softmax((self.decision_function(X) + self.bias_) / self.temperature_, axis=1)

    def predict(self, X: sp.spmatrix) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def contributions(
        self, candidates: tuple[np.ndarray, np.ndarray], class_index: np.ndarray, top: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each row, up to ``top`` candidate features pushing hardest towards the given class.

        ``candidates`` is (features, values): two (rows × K) arrays of feature indices (-1 for none) and their
        values in the row, as made by :func:`explanation_candidates`. Returns (features, weights), two
        (rows × top) arrays ordered by weight, strongest first; feature -1 marks an empty slot.
        """
        self._check()
        features, values = candidates
        safe = np.where(features >= 0, features, 0)
        weights = values * self.coef_[np.asarray(class_index)[:, None], safe]
        weights[(features < 0) | (weights <= 0)] = -np.inf
        order = np.argsort(-weights, axis=1, kind="stable")[:, :top]
        chosen_weights = np.take_along_axis(weights, order, axis=1)
        chosen_features = np.where(np.isfinite(chosen_weights), np.take_along_axis(features, order, axis=1), -1)
        return chosen_features, chosen_weights

    # --- persistence ---------------------------------------------------------------------------------------
    def to_state(self, name: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        self._check()
        cfg = self._cfg()
        state = {
            "labels": [str(c) for c in self.classes_],
            "temperature": self.temperature_,
            "review_threshold": self.review_threshold_,
            "calibration_log_loss": self.calibration_log_loss_json(),
            "config": cfg.__dict__.copy(),
        }
        arrays = {f"{name}.coef": self.coef_, f"{name}.intercept": self.intercept_, f"{name}.bias": self.bias_.astype(np.float64)}
        return state, arrays

    @classmethod
    def from_state(cls, name: str, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearHead:
        head = cls(HeadConfig(**state["config"]))
        head.classes_ = np.asarray(state["labels"], dtype=object)
        head.temperature_ = float(state["temperature"])
        head.review_threshold_ = float(state["review_threshold"])
        loss = state["calibration_log_loss"]
        head.calibration_log_loss_ = float("nan") if loss is None else float(loss)
        head.coef_, head.intercept_, head.bias_ = arrays[f"{name}.coef"], arrays[f"{name}.intercept"], arrays[f"{name}.bias"]
        if head.coef_.shape[0] != len(head.classes_):
            raise ValueError(f"head {name!r}: {head.coef_.shape[0]} weight rows for {len(head.classes_)} labels")
        return head
