"""One classification head: a linear SVM over shared features, calibrated to probabilities on held-out folds."""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import accuracy_score, f1_score, log_loss, recall_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.svm import LinearSVC

from .scoring import HeadConfig, LinearScorer, explanation_candidates, softmax

__all__ = ["HeadConfig", "LinearHead", "explanation_candidates"]

logger = logging.getLogger(__name__)

# A label that cross-validation recalls less often than this is named in a warning at training.
MISSED_LABEL_RECALL = 0.5


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


def _folds(n_folds: int, y_index: np.ndarray, groups: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds; grouped (a group in one fold) where some rows share a group."""
    with warnings.catch_warnings():  # the rare labels were named before
        warnings.filterwarnings("ignore", message="The least populated class")
        if len(np.unique(groups)) < len(groups):
            splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
            return list(splitter.split(np.zeros(len(y_index)), y_index, groups))
        splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
        return list(splitter.split(np.zeros(len(y_index)), y_index))


def _warn_missed_labels(classes: np.ndarray, truth: np.ndarray, predicted: np.ndarray) -> None:
    """Name the labels that cross-validation mostly misses: the review threshold is set on all rows together,
    so a small label's petitions can be given a big label's name confidently, and go unflagged."""
    present = np.unique(truth)
    recall = recall_score(truth, predicted, labels=present, average=None, zero_division=0)
    missed = [f"{classes[c]} ({r:.2f})" for c, r in zip(present, recall) if r < MISSED_LABEL_RECALL]
    if missed:
        logger.warning("labels whose cross-validated recall is below %.1f: %s; most of their petitions get another "
                       "label, often without a review flag: add examples of them or check their labelling",
                       MISSED_LABEL_RECALL, ", ".join(missed[:10]))


class LinearHead(ClassifierMixin, BaseEstimator, LinearScorer):
    """Calibrated linear classifier on a feature matrix (scikit-learn estimator conventions); what it learns is
    a :class:`LinearScorer`, which a saved model loads as."""

    def __init__(self, config: HeadConfig | None = None) -> None:
        self.config = config

    def _svm(self) -> LinearSVC:
        cfg = self._cfg()
        return LinearSVC(C=cfg.C, class_weight=cfg.class_weight, random_state=cfg.random_state)

    def fit(
        self, X: sp.spmatrix, y: Any, calibration_rows: np.ndarray | None = None, groups: np.ndarray | None = None
    ) -> LinearHead:
        """Fit on ``X``, ``y``; ``calibration_rows`` (a boolean mask) limits which rows' out-of-fold scores fit
        the calibration and the review threshold, e.g. hand-written petitions only when generated ones, which
        are easier, are part of the training data. Rows sharing a ``groups`` value (copies of one petition) stay
        in one cross-validation fold."""
        cfg = self._cfg()
        y = np.asarray([str(v) for v in y], dtype=object)
        classes, y_index = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"a head needs at least 2 classes in its training labels, got {list(classes)}")
        groups = np.arange(len(y_index)) if groups is None else np.asarray(groups)
        # What cross-validation can spread over folds is distinct texts, not rows: copies share a fold.
        pairs = np.unique(pd.factorize(groups)[0].astype(np.int64) * len(classes) + y_index)
        examples = np.bincount(pairs % len(classes), minlength=len(classes))
        rare = [str(c) for c, n in zip(classes, examples) if n < cfg.calibration_folds]
        if rare:
            logger.warning("labels with fewer than %d examples (distinct texts): %s; their probabilities are less "
                           "reliable", cfg.calibration_folds, rare[:10])
        # A rare label does not stop calibration: with three labels or more, a fold that misses one still scores
        # the others (its column keeps a very low score). Two labels need both in every fold.
        folds = min(cfg.calibration_folds, int(examples.min()) if len(classes) == 2 else int(examples.max()))
        oof = np.zeros((X.shape[0], len(classes)))
        if folds >= 2:
            for train_idx, test_idx in _folds(folds, y_index, groups, cfg.random_state):
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
            common = examples >= folds
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
                           "this head needs review", str(classes[examples.argmin()]), examples.min())
            self.temperature_, self.bias_ = 1.0, np.zeros(len(classes))
        svm = self._svm().fit(X, y_index)
        coef = svm.coef_ if len(classes) > 2 else np.vstack([-svm.coef_[0] / 2, svm.coef_[0] / 2])
        intercept = svm.intercept_ if len(classes) > 2 else np.array([-svm.intercept_[0] / 2, svm.intercept_[0] / 2])
        self.classes_ = classes
        self.coef_ = coef.astype(np.float32)
        self.intercept_ = intercept.astype(np.float32)
        if folds >= 2:
            proba = softmax((oof[calibrate] + self.bias_) / self.temperature_)
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
            _warn_missed_labels(classes, truth, predicted)
        else:
            self.review_threshold_ = 1.0
            self.calibration_log_loss_ = float("nan")
            self.cv_scores_ = {}
        return self

