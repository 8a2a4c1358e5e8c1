"""Turning petitions into features: word n-grams of the segmented text plus character n-grams of the masked text."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text import Segmenter, SegmenterConfig
from ..text.token_batch import TokenBatch
from .fast_tfidf import CharNgramTfidf, WordNgramTfidf

__all__ = ["FeatureConfig", "PersonalTerms", "TextFeaturizer"]

logger = logging.getLogger(__name__)


@dataclass
class FeatureConfig:
    """How texts become features.

    word_ngrams / char_ngrams: n-gram ranges; ``(0, 0)`` switches that part off.
    lead_tokens: the first tokens (a petition's title or opening sentence, which carries its gist) also give
        features of their own; 0 switches this off.
    min_df: a term must occur in this many training texts to enter the vocabulary. It is at least 2, so a
        name or number that occurs in one petition never reaches a saved model.
    max_features: cap per part (most frequent first); None keeps all.
    segmenter: settings of the text pipeline (see :class:`petition_nlp.SegmenterConfig`).
    """

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 3)
    lead_tokens: int = 12
    min_df: int = 2
    max_features: int | None = 200_000
    segmenter: SegmenterConfig = field(
        default_factory=lambda: SegmenterConfig(backend="rjieba", stopwords="default", drop_punctuation=True)
    )

    def __post_init__(self) -> None:
        if isinstance(self.segmenter, dict):
            self.segmenter = SegmenterConfig(**{**self.segmenter, "user_dicts": tuple(self.segmenter.get("user_dicts", ()))})
        self.word_ngrams, self.char_ngrams = tuple(self.word_ngrams), tuple(self.char_ngrams)
        for name in ("word_ngrams", "char_ngrams"):
            low, high = getattr(self, name)
            if (low, high) != (0, 0) and not 1 <= low <= high <= 6:
                raise ValueError(f"{name} must be (0, 0) or 1 <= low <= high <= 6, got {(low, high)}")
        if self.word_ngrams == (0, 0) and self.char_ngrams == (0, 0):
            raise ValueError("at least one of word_ngrams and char_ngrams must be on")
        if self.min_df < 2:
            raise ValueError(f"min_df must be >= 2 so that one petition's personal data never enters a model, got {self.min_df}")
        if self.lead_tokens < 0:
            raise ValueError(f"lead_tokens must be >= 0, got {self.lead_tokens}")
        if self.max_features is not None and self.max_features < 1:
            raise ValueError(f"max_features must be positive or None, got {self.max_features}")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "segmenter": self.segmenter.to_dict()}


class PersonalTerms:
    """Personal data that must not enter a vocabulary.

    A term is dropped when it contains a whole value (an ID number, phone, address or name) or six digits in a
    row of an ID or phone number, or when it is part of a name (two characters or more), so that no n-gram
    spells out a petitioner's name.
    """

    _DIGIT_PIECE = 6  # an ID number's region code or birth date, a phone's last digits

    def __init__(self, values: set[str] = frozenset(), names: set[str] = frozenset()) -> None:
        self._whole = {v for v in (*values, *names) if len(v) >= 2}
        # A long number's pieces are personal too (19780312, the birth date in an ID number, written apart).
        for value in values:
            digits = "".join(ch for ch in value if ch.isdigit())
            if len(digits) >= 10:
                n = self._DIGIT_PIECE
                self._whole.update(digits[i:i + n] for i in range(len(digits) - n + 1))
        self._name_parts = {n[i:j] for n in names for i in range(len(n)) for j in range(i + 2, len(n) + 1)}
        self._longest = max((len(v) for v in self._whole), default=0)

    def __bool__(self) -> bool:
        return bool(self._whole)

    def matches(self, term: str) -> bool:
        if term in self._name_parts:
            return True
        # Every substring of the term is looked up: cheap because vocabulary terms are short.
        for i in range(len(term)):
            for j in range(i + 2, min(len(term), i + self._longest) + 1):
                if term[i:j] in self._whole:
                    return True
        return False


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class TextFeaturizer(TransformerMixin, BaseEstimator):
    """TF-IDF features of petitions: word n-grams (segmented, stop words dropped) and character n-grams.

    Fit on raw petition texts; normalisation, masking and segmentation happen inside.
    """

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config

    def _config(self) -> FeatureConfig:
        return self.config if self.config is not None else FeatureConfig()

    def _parts(self) -> list[str]:
        cfg = self._config()
        parts = []
        if cfg.word_ngrams != (0, 0):
            parts.append("word")
            if cfg.lead_tokens:
                parts.append("lead")
        if cfg.char_ngrams != (0, 0):
            parts.append("char")
        return parts

    def _vectorizer(self, part: str, vocabulary: list[str] | None = None) -> TfidfVectorizer:
        cfg = self._config()
        common = dict(lowercase=False, sublinear_tf=True, dtype=np.float32, vocabulary=vocabulary)
        if part == "char":
            return TfidfVectorizer(analyzer="char", ngram_range=cfg.char_ngrams, min_df=cfg.min_df,
                                   max_features=cfg.max_features, **common)
        return TfidfVectorizer(
            analyzer="word", tokenizer=_identity, preprocessor=_identity, token_pattern=None,
            ngram_range=cfg.word_ngrams if part == "word" else (1, 1), min_df=cfg.min_df,
            max_features=cfg.max_features, **common,
        )

    def _inputs(self, texts: list[str]) -> dict[str, Any]:
        """Per part, what its vectorizer reads: masked texts (char) or a :class:`TokenBatch` (word, lead); under
        ``"prepared"``, the normalised and masked texts."""
        parts = self._parts()
        prepared = self.segmenter_.prepare_batch(texts)
        inputs: dict[str, Any] = {"prepared": prepared}
        if "char" in parts:
            inputs["char"] = prepared
        if "word" in parts:
            inputs["word"] = self.segmenter_.segment_masked_batch(prepared)
        if "lead" in parts:
            inputs["lead"] = inputs["word"].head(self._config().lead_tokens)
        return inputs

    def fit(self, texts: list[str], y: Any = None) -> TextFeaturizer:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: list[str], y: Any = None, forbidden: PersonalTerms | None = None) -> sp.csr_matrix:
        """Fit and transform; ``forbidden`` personal data (e.g. the training register's names) is kept out of the
        vocabulary."""
        texts = _as_text_list(texts)
        self.segmenter_ = Segmenter(self._config().segmenter)
        inputs = self._inputs(texts)
        self.vectorizers_ = {part: self._vectorizer(part) for part in self._parts()}
        matrices = [v.fit_transform(_as_lists(inputs[part])) for part, v in self.vectorizers_.items()]
        if forbidden:
            matrices = [self._drop_terms(part, m, forbidden) for part, m in zip(list(self.vectorizers_), matrices)]
        matrix = sp.hstack(matrices, format="csr")
        self.feature_names_ = self._feature_names()
        self._build_fast_transforms()
        logger.info("featurizer fitted: %d features from %d texts", len(self.feature_names_), len(texts))
        return matrix

    def _drop_terms(self, part: str, matrix: sp.csr_matrix, forbidden: PersonalTerms) -> sp.csr_matrix:
        vectorizer = self.vectorizers_[part]
        names = vectorizer.get_feature_names_out()
        keep = np.array([not forbidden.matches(str(n).replace(" ", "")) for n in names], dtype=bool)
        if keep.all():
            return matrix
        logger.info("dropped %d %s terms that contain personal data of the training register", (~keep).sum(), part)
        pruned = self._vectorizer(part, [str(n) for n in names[keep]])
        pruned.idf_ = vectorizer.idf_[keep]
        self.vectorizers_[part] = pruned
        # Rows are re-normalised: the dropped terms no longer count towards a text's length.
        from sklearn.preprocessing import normalize

        return normalize(matrix[:, np.nonzero(keep)[0]]).astype(np.float32)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self.transform_prepared(texts)[0]

    def transform_prepared(self, texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
        """:meth:`transform`, and the normalised, masked texts it read (explanations are checked against them)."""
        if not hasattr(self, "vectorizers_"):
            raise NotFittedError("TextFeaturizer is not fitted yet; call fit() first")
        inputs = self._inputs(_as_text_list(texts))
        X = _hstack_rows([self.fast_transforms_[part].transform(inputs[part]) if part in self.fast_transforms_
                          else v.transform(_as_lists(inputs[part])) for part, v in self.vectorizers_.items()])
        return X, inputs["prepared"]

    def _build_fast_transforms(self) -> None:
        """Vectorised equivalents of the fitted vectorizers, used by :meth:`transform` where they apply."""
        cfg = self._config()
        self.fast_transforms_: dict[str, Any] = {}
        for part, vectorizer in self.vectorizers_.items():
            vocabulary = [str(n) for n in vectorizer.get_feature_names_out()]
            if part == "char" and cfg.char_ngrams[1] <= 3:
                self.fast_transforms_[part] = CharNgramTfidf(vocabulary, vectorizer.idf_, cfg.char_ngrams)
            elif part == "word" and cfg.word_ngrams[1] <= 2:
                self.fast_transforms_[part] = WordNgramTfidf(vocabulary, vectorizer.idf_, cfg.word_ngrams)
            elif part == "lead":
                self.fast_transforms_[part] = WordNgramTfidf(vocabulary, vectorizer.idf_, (1, 1))

    def _feature_names(self) -> list[str]:
        names = []
        masks = []
        self.part_ranges_: dict[str, tuple[int, int]] = {}
        for part, vectorizer in self.vectorizers_.items():
            part_names = [str(n) for n in vectorizer.get_feature_names_out()]
            self.part_ranges_[part] = (len(names), len(names) + len(part_names))
            names += part_names
            masks.append(np.full(len(part_names), part != "char"))
        self.word_feature_mask_ = np.concatenate(masks) if masks else np.zeros(0, dtype=bool)
        return names

    # --- persistence: vocabularies and idf weights, no pickled objects -------------------------------------
    def to_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-able configuration and vocabularies, and the idf arrays."""
        state: dict[str, Any] = {"config": self._config().to_dict(), "vocabularies": {}}
        arrays: dict[str, np.ndarray] = {}
        for part, vectorizer in self.vectorizers_.items():
            state["vocabularies"][part] = [str(n) for n in vectorizer.get_feature_names_out()]
            arrays[f"idf_{part}"] = vectorizer.idf_.astype(np.float32)
        return state, arrays

    @classmethod
    def from_state(cls, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> TextFeaturizer:
        featurizer = cls(FeatureConfig(**state["config"]))
        featurizer.segmenter_ = Segmenter(featurizer._config().segmenter)
        featurizer.vectorizers_ = {}
        for part in featurizer._parts():
            vectorizer = featurizer._vectorizer(part, state["vocabularies"][part])
            vectorizer.idf_ = arrays[f"idf_{part}"]
            featurizer.vectorizers_[part] = vectorizer
        featurizer.feature_names_ = featurizer._feature_names()
        featurizer._build_fast_transforms()
        return featurizer


def _hstack_rows(parts: list[sp.csr_matrix]) -> sp.csr_matrix:
    """``sp.hstack(parts, format="csr")``; for one petition, joined directly (scipy's general path costs more
    than the rest of labelling it)."""
    if parts[0].shape[0] != 1:
        return sp.hstack(parts, format="csr")
    offsets = np.cumsum([0] + [p.shape[1] for p in parts[:-1]])
    parts = [sp.csr_matrix(p) for p in parts]
    indices = np.concatenate([p.indices.astype(np.int32) + np.int32(o) for p, o in zip(parts, offsets)])
    data = np.concatenate([p.data for p in parts]).astype(np.float32, copy=False)
    return sp.csr_matrix((data, indices, np.array([0, len(data)], dtype=np.int32)),
                         shape=(1, int(offsets[-1] + parts[-1].shape[1])))


def _as_lists(part_input: Any) -> Any:
    return part_input.to_lists() if isinstance(part_input, TokenBatch) else part_input


def _as_text_list(texts: Any) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("expected a list of texts, got one str; wrap it in a list")
    out = list(texts)
    for i, text in enumerate(out):
        if not isinstance(text, str):
            raise TypeError(f"expected str texts, got {type(text).__name__} at position {i}")
    return out
