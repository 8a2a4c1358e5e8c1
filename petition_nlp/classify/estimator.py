"""A single-target petition classifier with the scikit-learn estimator interface."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError

from .feature_transform import FeatureConfig
from .model import PetitionModel, _has_label, label_text
from .scoring import HeadConfig

__all__ = ["PetitionClassifier"]


class PetitionClassifier(ClassifierMixin, BaseEstimator):
    """A single-target petition classifier with the scikit-learn estimator interface.

    >>> clf = PetitionClassifier().fit(texts, labels)   # doctest: +SKIP
    >>> clf.predict_proba(["派出所不给立案"])             # columns follow clf.classes_  # doctest: +SKIP
    """

    def __init__(self, features: FeatureConfig | None = None, head: HeadConfig | None = None) -> None:
        self.features = features
        self.head = head

    def fit(self, X: Sequence[str], y: Sequence[Any]) -> PetitionClassifier:
        """Fit on texts ``X`` and labels ``y``; ``classes_`` keeps the labels' own type (ints stay ints)."""
        labels = list(y)
        kinds = {"number" if isinstance(v, numbers.Number) and not isinstance(v, bool) else type(v).__name__
                 for v in labels if _has_label(v)}
        if len(kinds) > 1:
            raise ValueError(f"labels mix types {sorted(kinds)} (1 and '1' would become one class); use one type")
        self.model_ = PetitionModel(self.features, self.head).fit(_raw_documents(X), {"label": labels})
        self.classes_ = np.unique(np.asarray([v for v in labels if _has_label(v)]))
        # The head works on the labels' text; its columns are reordered to follow classes_.
        head_column = {c: i for i, c in enumerate(self.model_.heads_["label"].classes_)}
        if len(head_column) != len(self.classes_):
            raise ValueError(f"labels {self.classes_.tolist()} are distinct values with the same text; use one type")
        self.columns_ = np.array([head_column[label_text(c)] for c in self.classes_])
        return self

    def _check(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError("this PetitionClassifier is not fitted yet; call fit() first")

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities; columns follow ``classes_``."""
        self._check()
        return self.model_.predict_proba(_raw_documents(X), "label")[:, self.columns_]

    def predict(self, X: Sequence[str]) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated scores, so that they rank classes as :meth:`predict` does: one column per class in
        ``classes_`` order (log-probabilities up to a constant per row), or, with two classes, one score for the
        second class, positive where it is predicted (as scikit-learn's binary classifiers give)."""
        self._check()
        scores = self.model_.heads_["label"].calibrated_scores(self.model_.featurizer_.transform(_raw_documents(X)))
        scores = scores[:, self.columns_]
        return scores[:, 1] - scores[:, 0] if len(self.classes_) == 2 else scores


def _raw_documents(X: Any) -> list[str]:
    """``X`` as a list of texts; one str is refused as scikit-learn's text vectorizers refuse it, since iterating
    it would classify each character."""
    if isinstance(X, str):
        raise ValueError("an iterable of texts was expected, got one str; pass [text] (or use PetitionModel.predict)")
    return list(X)
