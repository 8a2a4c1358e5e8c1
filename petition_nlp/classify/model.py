"""A multi-head petition classifier: shared text features, one calibrated linear head per target column."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from ..taxonomy import LITIGATION_IDS, STAGE_IDS
from .fast_tfidf import KeyIndex
from .feature_transform import FeatureConfig, FeatureTransform
from .results import HeadPrediction, Prediction
from .scoring import HeadConfig, LinearScorer, explanation_candidates

if TYPE_CHECKING:
    from .features import PersonalTerms

__all__ = ["PetitionModel"]

logger = logging.getLogger(__name__)

# The explanation shows whole words in preference to character n-grams, which read as fragments.
_EXPLANATION_POOL = 12
# Explanations are drawn from a petition's most salient words (highest tf-idf), weighed per head.
_EXPLANATION_CANDIDATES = 32
# A text with fewer of the model's words and word pairs than this ("12345", "abc", "您好") is labelled
# from character fragments alone, however confident the heads are: it goes to a person.
MIN_KNOWN_WORDS = 2
UNFAMILIAR_REASON = f"fewer than {MIN_KNOWN_WORDS} words the model knows"


class PetitionModel:
    """Shared features plus one calibrated linear head per target (e.g. ``domain``, ``litigation``, ``stage``).

    A fitted model holds a :class:`TextFeaturizer` and :class:`LinearHead` estimators; a loaded one holds what
    they learnt (a :class:`FeatureTransform` and :class:`LinearScorer` objects), which label without importing
    scikit-learn.

    ``predict`` takes one text (gives one :class:`Prediction`) or a list (gives a list).
    """

    def __init__(
        self,
        features: FeatureConfig | None = None,
        head: HeadConfig | None = None,
        explanation_words: int = 6,
    ) -> None:
        self.features = features
        self.head = head
        self.explanation_words = explanation_words
        self.meta: dict[str, Any] = {}

    # --- training ------------------------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        targets: Mapping[str, Sequence[Any]],
        calibration_rows: Sequence[bool] | None = None,
        forbidden_terms: PersonalTerms | None = None,
    ) -> PetitionModel:
        """Fit the features on ``texts`` and one head per entry of ``targets`` (labels aligned with texts).

        Rows whose label is missing (None, NaN or empty) are left out of that head only. ``calibration_rows``
        marks the rows whose out-of-fold scores calibrate the heads and set the review thresholds (default all).
        ``forbidden_terms`` (personal data such as the petitioners' names) never enter the vocabulary.
        """
        texts = list(texts)
        if not targets:
            raise ValueError("fit() needs at least one target column")
        check_head_names(list(targets))
        for name, labels in targets.items():
            if len(labels) != len(texts):
                raise ValueError(f"target {name!r} has {len(labels)} labels for {len(texts)} texts")
        from .features import TextFeaturizer
        from .head import LinearHead

        self.featurizer_: FeatureTransform = TextFeaturizer(self.features)
        X = self.featurizer_.fit_transform(texts, forbidden=forbidden_terms)
        same_text = same_text_groups(texts)
        self.heads_: dict[str, LinearScorer] = {}
        for name, labels in targets.items():
            present = np.array([_has_label(v) for v in labels])
            if present.sum() < 2:
                raise ValueError(f"target {name!r} has fewer than 2 labelled rows")
            y = [label_text(v) for v, keep in zip(labels, present) if keep]
            logger.info("fitting head %r on %d rows, %d labels", name, len(y), len(set(y)))
            rows = np.nonzero(present)[0]
            _warn_conflicting_duplicates(name, same_text[rows], y)
            calibrate = None if calibration_rows is None else np.asarray(calibration_rows, dtype=bool)[rows]
            try:
                self.heads_[name] = LinearHead(self.head).fit(X[rows], y, calibrate, groups=same_text[rows])
            except ValueError as exc:
                raise ValueError(f"target {name!r}: {exc}") from exc
        return self

    def _check(self) -> None:
        if not hasattr(self, "heads_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this PetitionModel is not fitted yet; call fit() or load a saved model")

    @property
    def head_names(self) -> list[str]:
        self._check()
        return list(self.heads_)

    def labels(self, head: str) -> list[str]:
        self._check()
        return [str(c) for c in self.heads_[head].classes_]

    # --- prediction ----------------------------------------------------------------------------------------
    def predict_proba(self, texts: str | Sequence[str], head: str) -> np.ndarray:
        """Calibrated probabilities of one head; columns follow :meth:`labels` (the head's ``classes_``).

        A list of texts gives one row per text; one text gives one vector.
        """
        self._check()
        if head not in self.heads_:
            raise KeyError(f"no head {head!r}; this model has {sorted(self.heads_)}")
        if isinstance(texts, str):
            return self.predict_proba([texts], head)[0]
        return self.heads_[head].predict_proba(self.featurizer_.transform(list(texts)))

    @overload
    def predict(self, texts: str, explain: bool = True) -> Prediction: ...

    @overload
    def predict(self, texts: Sequence[str], explain: bool = True) -> list[Prediction]: ...

    def predict(self, texts: str | Sequence[str], explain: bool = True) -> Prediction | list[Prediction]:
        """Labels, calibrated confidence, explanation words and the review flag for one text or a list."""
        self._check()
        if isinstance(texts, str):
            return self._predict_batch([texts], explain)[0]
        return self._predict_batch(list(texts), explain)

    def _head_outputs(self, texts: list[str], explain: bool, words: int | None = None) -> dict[str, dict[str, Any]]:
        """Per head: labels, probabilities, confidences, review flags and explanation terms (up to ``words``):
        either ``explanation_features`` / ``explanation_weights`` arrays (feature indices, -1 for none) or an
        ``explanation`` list of (term, weight) tuples per text."""
        X, prepared = self.featurizer_.transform_prepared(texts)
        unfamiliar = self._known_words(X) < MIN_KNOWN_WORDS
        vocabulary = self._explanation_vocabulary()
        candidates = explanation_candidates(X, vocabulary.usable, _EXPLANATION_CANDIDATES) if explain else None
        words = self.explanation_words if words is None else words
        outputs = {}
        contributions = []
        for name, head in self.heads_.items():
            proba = head.predict_proba(X)
            best = proba.argmax(axis=1)
            confidence = proba[np.arange(len(texts)), best]
            if explain:
                contributions.append(head.contributions(candidates, best, _EXPLANATION_POOL))
            outputs[name] = {
                "labels": np.asarray([str(c) for c in head.classes_], dtype=object)[best],
                "proba": proba,
                "confidence": confidence,
                "review": confidence < head.review_threshold_,
                "unfamiliar": unfamiliar,
                "explanation_features": np.full((len(texts), 0), -1),
                "explanation_weights": np.zeros((len(texts), 0)),
            }
        if explain:
            # All heads' candidates in one pass: the fixed cost per call matters when one petition is labelled.
            candidate_features = np.vstack([f for f, _ in contributions])
            _drop_gapped_pairs(candidate_features, prepared, vocabulary)
            features, weights = _readable_terms(candidate_features, np.vstack([w for _, w in contributions]),
                                                vocabulary.containment, len(vocabulary.names), words)
            for k, out in enumerate(outputs.values()):
                rows = slice(k * len(texts), (k + 1) * len(texts))
                out["explanation_features"], out["explanation_weights"] = features[rows], weights[rows]
        return outputs

    def _known_words(self, X: Any) -> np.ndarray:
        """Per row, how many of the model's words and word pairs the text has (a model without word features
        knows every text)."""
        if "word" not in self.featurizer_.part_ranges_:
            return np.full(X.shape[0], MIN_KNOWN_WORDS)
        start, end = self.featurizer_.part_ranges_["word"]
        X = X.tocsr()
        return np.diff(X[:, start:end].indptr)

    def _predict_batch(self, texts: list[str], explain: bool) -> list[Prediction]:
        if not texts:
            return []
        outputs = self._head_outputs(texts, explain)
        for out in outputs.values():
            if "explanation" not in out:
                out["explanation"] = _term_tuples(out["explanation_features"], out["explanation_weights"],
                                                  self._explanation_vocabulary().names)
        checks_taxonomy = self._follows_taxonomy()
        results = []
        for i in range(len(texts)):
            heads = {
                name: HeadPrediction(
                    label=out["labels"][i],
                    confidence=float(out["confidence"][i]),
                    probabilities=dict(zip(self.labels(name), out["proba"][i].tolist())),
                    explanation=out["explanation"][i],
                    needs_review=bool(out["review"][i]),
                )
                for name, out in outputs.items()
            }
            reasons = [_below_threshold(name, h.confidence, self.heads_[name].review_threshold_)
                       for name, h in heads.items() if h.needs_review]
            if checks_taxonomy:
                reasons += _inconsistencies({name: h.label for name, h in heads.items()})
            if not texts[i].strip():
                reasons.append("empty text")
            elif _unfamiliar(outputs)[i]:
                reasons.append(UNFAMILIAR_REASON)
            results.append(Prediction(heads=heads, needs_review=bool(reasons), review_reasons=tuple(reasons)))
        return results

    def predict_columns(self, texts: Sequence[str], words_per_head: int = 5) -> dict[str, list[Any]]:
        """Table columns for many texts, without building one object per text (the batch-labelling path).

        The same values as ``[p.to_record() for p in predict(texts)]``, column by column.
        """
        self._check()
        texts = list(texts)
        columns: dict[str, list[Any]] = {}
        if not texts:
            return {**{c: [] for n in self.heads_ for c in (n, f"{n}_confidence")}, "needs_review": [], "explanation": []}
        outputs = self._head_outputs(texts, explain=True, words=words_per_head)
        review = np.zeros(len(texts), dtype=bool)
        for name, out in outputs.items():
            columns[name] = out["labels"].tolist()
            columns[f"{name}_confidence"] = np.round(out["confidence"], 4).tolist()
            review |= out["review"]
        if self._follows_taxonomy():
            review |= _inconsistent_rows({name: out["labels"] for name, out in outputs.items()})
        review |= np.array([not t.strip() for t in texts])
        review |= _unfamiliar(outputs)
        columns["needs_review"] = review.tolist()
        explanation = np.full(len(texts), "", dtype=object)
        for name, out in outputs.items():
            if "explanation_features" in out:
                part = _joined_terms(out["explanation_features"], self._explanation_vocabulary().name_array, f"{name}: ")
            else:  # models that explain with term tuples (the transformer)
                part = np.array([f"{name}: {', '.join(term for term, _ in terms[:words_per_head])}" if terms else ""
                                 for terms in out["explanation"]], dtype=object)
            both = (explanation != "") & (part != "")
            explanation = explanation + np.where(both, "; ", "") + part
        columns["explanation"] = explanation.tolist()
        return columns

    def _follows_taxonomy(self) -> bool:
        """Whether the ``litigation`` and ``stage`` heads use the shipped taxonomy's labels, so that its rule
        across them (an ordinary petition has stage ``none``) holds; a bureau's own label sets are not checked."""
        if "litigation" not in self.heads_ or "stage" not in self.heads_:
            return False
        stages = set(self.labels("stage"))
        return set(self.labels("litigation")) == set(LITIGATION_IDS) and "none" in stages and stages <= set(STAGE_IDS)

    def _explanation_vocabulary(self) -> _ExplanationVocabulary:
        """What explanations draw on, built once per fitted featurizer."""
        cached = getattr(self, "_explanation_cache", None)
        if cached is None or cached.featurizer is not self.featurizer_:
            cached = self._explanation_cache = _ExplanationVocabulary(self.featurizer_)
        return cached

    def __repr__(self) -> str:
        heads = ", ".join(f"{n}[{len(h.classes_)}]" for n, h in self.heads_.items()) if hasattr(self, "heads_") else "unfitted"
        return f"PetitionModel({heads})"


# Columns that labelling writes besides each head's own two (H, H_confidence): no head may take these names.
LABEL_COLUMNS = ("needs_review", "explanation", "error")


def check_head_names(names: Sequence[str]) -> None:
    """Refuse head names that would overwrite another output column of ``label``."""
    for name in names:
        if name in LABEL_COLUMNS or name in {f"{other}_confidence" for other in names}:
            raise ValueError(f"a target cannot be named {name!r}: labelling writes a column of that name itself "
                             f"({', '.join(LABEL_COLUMNS)} and H_confidence for each head H); rename the column")


def same_text_groups(texts: Sequence[str]) -> np.ndarray:
    """One group number per text, shared by texts that are the same but for spacing: a petition filed or
    registered twice. Cross-validation keeps a group in one fold, or the copy in the training folds would make
    the out-of-fold scores, the calibration and the review threshold look better than they are."""
    keys = ["".join(text.split()) for text in texts]
    return pd.factorize(pd.Series(keys, dtype=object))[0] if keys else np.zeros(0, dtype=np.int64)


def _warn_conflicting_duplicates(head: str, groups: np.ndarray, labels: list[str]) -> None:
    # Rows are named by number: a petition's text is personal data and never goes to a log.
    frame = pd.DataFrame({"group": groups, "label": labels})
    conflicting = frame.groupby("group")["label"].nunique()
    conflicting = conflicting[conflicting > 1]
    if len(conflicting):
        rows = np.flatnonzero(groups == conflicting.index[0])
        logger.warning("target %r: %d text(s) occur more than once with different labels (e.g. labelled rows %s: %s); "
                       "check them: a model cannot learn both", head, len(conflicting),
                       ", ".join(str(r + 1) for r in rows[:5]), sorted(set(frame["label"].iloc[rows])))


def label_text(value: Any) -> str:
    """A label as the model stores it: its text, with whole floats written as integers (1.0 → "1"), since a
    column of integer codes with a gap reads as floats but the same codes in a CSV read as "1"."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _has_label(value: Any) -> bool:
    """Whether a cell holds a label: not None, NaN, ``pd.NA``/``NaT`` (nullable columns) or blank text."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return False
    return str(value).strip() != ""


class _ExplanationVocabulary:
    """Display form of every feature, which features may explain, and which explanation terms contain which.

    Only whole words (word and lead features) explain: character n-grams read as fragments, and numbers,
    placeholders and single characters tell a clerk nothing.
    """

    def __init__(self, featurizer: FeatureTransform) -> None:
        self.featurizer = featurizer
        self.names = [n.replace(" ", "") for n in featurizer.feature_names_]
        self.pair = np.array([" " in n for n in featurizer.feature_names_], dtype=bool)
        self.name_array = np.asarray(self.names, dtype=object)
        self.usable = featurizer.word_feature_mask_.copy()
        for i, term in enumerate(self.names):
            if len(term) < 2 or "<" in term or any(c.isdigit() for c in term):
                self.usable[i] = False
        self.containment = _Containment(self.names, self.usable)


class _Containment:
    """Which explanation terms contain which: learnt term by term as batches bring them, kept per model."""

    def __init__(self, names: list[str], usable: np.ndarray) -> None:
        self._names = names
        self._by_display: dict[str, list[int]] = {}
        for feature in np.flatnonzero(usable).tolist():
            self._by_display.setdefault(names[feature], []).append(feature)
        self._inner: dict[int, list[int]] = {}

    def pairs(self, features: np.ndarray) -> KeyIndex:
        """``inner * n + outer`` for every term ``inner`` contained in one of ``features`` (``n``: vocabulary size)."""
        n = len(self._names)
        keys: list[int] = []
        for outer in np.unique(features[features >= 0]).tolist():
            inner = self._inner.get(outer)
            if inner is None:
                term = self._names[outer]
                inner = self._inner[outer] = list(dict.fromkeys(
                    other for start in range(len(term)) for end in range(start + 1, len(term) + 1)
                    for other in self._by_display.get(term[start:end], ()) if other != outer
                ))
            keys += [i * n + outer for i in inner]
        return KeyIndex(np.unique(np.asarray(keys, dtype=np.int64)))


def _drop_gapped_pairs(features: np.ndarray, texts: list[str], vocabulary: _ExplanationVocabulary) -> None:
    """Blank (-1) word-pair candidates that do not occur as written in their text, in place.

    A pair is two words adjacent after stop words and punctuation are dropped ("钱 案号" from "钱，案号"); shown
    joined, it would read as a word the petitioner never wrote and could not be highlighted. Rows of
    ``features`` cycle through ``texts`` (one block of rows per head).
    """
    rows, slots = np.nonzero((features >= 0) & vocabulary.pair[np.where(features >= 0, features, 0)])
    names = vocabulary.names
    # Plain lists: one substring test per candidate pair, without NumPy scalar overhead.
    gapped = np.fromiter((names[f] not in texts[r] for f, r in zip(features[rows, slots].tolist(),
                                                                   (rows % len(texts)).tolist())),
                         dtype=bool, count=len(rows))
    features[rows[gapped], slots[gapped]] = -1


def _readable_terms(
    features: np.ndarray, weights: np.ndarray, containment: _Containment, n_features: int, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ranked terms (up to ``limit``), leaving out any term contained in one ranked above it.

    Returns (features, weights) as (rows × limit) arrays, shown terms first, -1 for empty slots. Containment
    is decided once per distinct pair of terms, not once per row: a term is left out when any term above it
    contains it (containment is transitive, so that term or one containing it is shown).
    """
    valid = features >= 0
    pairs = containment.pairs(features)
    removed = np.zeros(features.shape, dtype=bool)
    if len(pairs) and features.shape[1] > 1:
        # Every (lower, upper) slot pair at once, grouped by their lower slot.
        lower, upper, group_starts = _slot_pairs(features.shape[1])
        keys = features[:, lower] * n_features + features[:, upper]
        hit = (pairs.get(keys.ravel()).reshape(keys.shape) >= 0) & valid[:, lower] & valid[:, upper]
        removed[:, 1:] = np.logical_or.reduceat(hit, group_starts, axis=1)
    shown = valid & ~removed
    shown &= np.cumsum(shown, axis=1) <= limit
    order = np.argsort(~shown, axis=1, kind="stable")[:, :limit]
    rows = np.arange(len(features))[:, None]
    chosen = np.where(shown[rows, order], features[rows, order], -1)
    return chosen, weights[rows, order]


@lru_cache(maxsize=8)
def _slot_pairs(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lower, upper = np.tril_indices(k, -1)
    return lower, upper, np.flatnonzero(np.diff(lower, prepend=-1))


def _term_tuples(features: np.ndarray, weights: np.ndarray, names: list[str]) -> list[tuple[tuple[str, float], ...]]:
    return [tuple((names[f], w) for f, w in zip(fs, ws) if f >= 0) for fs, ws in zip(features.tolist(), weights.tolist())]


def _joined_terms(features: np.ndarray, names: np.ndarray, prefix: str) -> np.ndarray:
    """Per row ``prefix`` + the terms joined by ", " ('' for a row without terms), as an object array.

    Object-array additions run the string concatenation in NumPy's loop instead of one Python join per row.
    """
    out = np.full(len(features), "", dtype=object)
    for slot in range(features.shape[1]):
        present = features[:, slot] >= 0
        out[present] = out[present] + (", " if slot else prefix) + names[features[present, slot]]
    return out


def _below_threshold(head: str, confidence: float, threshold: float) -> str:
    """The review reason, rounded so that it reads as it is: 0.996 under 0.998 shows as 0.99 below 1.00."""
    return f"{head} confidence {math.floor(confidence * 100) / 100:.2f} below {math.ceil(threshold * 100) / 100:.2f}"


def _unfamiliar(outputs: Mapping[str, Mapping[str, Any]]) -> np.ndarray:
    """Rows whose text has too few words the model knows (models without that check flag none)."""
    first = next(iter(outputs.values()))
    return np.asarray(first.get("unfamiliar", np.zeros(len(first["labels"]), dtype=bool)))


def _inconsistencies(labels: Mapping[str, str]) -> list[str]:
    """The taxonomy's rule across heads (for models that follow it): an ordinary petition has no procedural
    stage, a legal one has one."""
    litigation, stage = labels["litigation"], labels["stage"]
    if (litigation == "ordinary") != (stage == "none"):
        return [f"litigation {litigation!r} disagrees with stage {stage!r}"]
    return []


def _inconsistent_rows(labels: Mapping[str, np.ndarray]) -> np.ndarray:
    """:func:`_inconsistencies` for whole label columns: True where a row breaks the rule."""
    return (np.asarray(labels["litigation"]) == "ordinary") != (np.asarray(labels["stage"]) == "none")
