"""A fitted head's weights, calibration and review threshold: scores, probabilities and explanation terms.

What a loaded model labels with. It needs no scikit-learn, so a labelling run or a service starts quickly;
:class:`~petition_nlp.classify.LinearHead` is the trainable scikit-learn estimator built on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["HeadConfig", "LinearScorer", "explanation_candidates", "softmax"]


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


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax (as ``scipy.special.softmax(scores, axis=1)``, whose import alone costs more than labelling
    a thousand petitions)."""
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


class LinearScorer:
    """A fitted linear head: ``coef_``, ``intercept_``, the calibration (``temperature_``, ``bias_``) and
    ``review_threshold_``, with ``classes_`` giving the order of every score column."""

    def __init__(self, config: HeadConfig | None = None) -> None:
        self.config = config

    def _cfg(self) -> HeadConfig:
        return self.config if self.config is not None else HeadConfig()

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError  # only an unfitted estimator gets here

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

    def calibrated_scores(self, X: sp.spmatrix) -> np.ndarray:
        """The scores whose softmax is :meth:`predict_proba`: log-probabilities up to a constant per row."""
        return (self.decision_function(X) + self.bias_) / self.temperature_

    def predict_proba(self, X: sp.spmatrix) -> np.ndarray:
        """Calibrated probabilities; columns follow ``classes_``."""
        return softmax(self.calibrated_scores(X))

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
    def from_state(cls, name: str, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> LinearScorer:
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
