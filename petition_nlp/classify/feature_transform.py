"""A fitted featurizer: the vocabularies and idf weights that turn petitions into the feature matrix.

What a loaded model labels with. It needs no scikit-learn for the standard n-gram ranges, so a labelling run or
a service starts quickly; :class:`~petition_nlp.classify.TextFeaturizer` is the trainable scikit-learn
estimator built on it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..text import Segmenter, SegmenterConfig
from ..text.token_batch import TokenBatch
from .fast_tfidf import CharNgramTfidf, WordNgramTfidf

__all__ = ["FeatureConfig", "FeatureTransform", "tfidf_vectorizer"]


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


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def tfidf_vectorizer(config: FeatureConfig, part: str, vocabulary: list[str] | None = None) -> Any:
    """The scikit-learn ``TfidfVectorizer`` of one part (``word``, ``lead`` or ``char``), fixed to
    ``vocabulary`` when given."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    common = dict(lowercase=False, sublinear_tf=True, dtype=np.float32, vocabulary=vocabulary)
    if part == "char":
        return TfidfVectorizer(analyzer="char", ngram_range=config.char_ngrams, min_df=config.min_df,
                               max_features=config.max_features, **common)
    return TfidfVectorizer(
        analyzer="word", tokenizer=_identity, preprocessor=_identity, token_pattern=None,
        ngram_range=config.word_ngrams if part == "word" else (1, 1), min_df=config.min_df,
        max_features=config.max_features, **common,
    )


class FeatureTransform:
    """Word n-grams (segmented, stop words dropped), lead-token words and character n-grams of petitions, as
    TF-IDF over fixed vocabularies (``vocabularies_``, ``idf_``: one entry per part)."""

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

    def _set_vocabularies(self, vocabularies: dict[str, list[str]], idf: dict[str, np.ndarray]) -> None:
        """Set the fitted state, and what is derived from it: feature names, each part's column range, which
        columns are words, and the vectorised transform of each part."""
        cfg = self._config()
        self.vocabularies_ = vocabularies
        self.idf_ = idf
        self.feature_names_: list[str] = []
        self.part_ranges_: dict[str, tuple[int, int]] = {}
        masks = []
        self.fast_transforms_: dict[str, Any] = {}
        for part, vocabulary in vocabularies.items():
            self.part_ranges_[part] = (len(self.feature_names_), len(self.feature_names_) + len(vocabulary))
            self.feature_names_ += vocabulary
            masks.append(np.full(len(vocabulary), part != "char"))
            if part == "char" and cfg.char_ngrams[1] <= 3:
                self.fast_transforms_[part] = CharNgramTfidf(vocabulary, idf[part], cfg.char_ngrams)
            elif part == "word" and cfg.word_ngrams[1] <= 2:
                self.fast_transforms_[part] = WordNgramTfidf(vocabulary, idf[part], cfg.word_ngrams)
            elif part == "lead":
                self.fast_transforms_[part] = WordNgramTfidf(vocabulary, idf[part], (1, 1))
            else:  # longer n-grams than the vectorised transforms take: scikit-learn's own
                vectorizer = tfidf_vectorizer(cfg, part, vocabulary)
                vectorizer.idf_ = idf[part]
                self.fast_transforms_[part] = _ListInput(vectorizer)
        self.word_feature_mask_ = np.concatenate(masks) if masks else np.zeros(0, dtype=bool)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self.transform_prepared(texts)[0]

    def transform_prepared(self, texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
        """:meth:`transform`, and the normalised, masked texts it read (explanations are checked against them)."""
        if not hasattr(self, "vocabularies_"):
            from sklearn.exceptions import NotFittedError  # only an unfitted estimator gets here

            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit() first")
        inputs = self._inputs(_as_text_list(texts))
        X = _hstack_rows([transform.transform(inputs[part]) for part, transform in self.fast_transforms_.items()])
        return X, inputs["prepared"]

    # --- persistence: vocabularies and idf weights, no pickled objects -------------------------------------
    def to_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-able configuration and vocabularies, and the idf arrays."""
        state: dict[str, Any] = {"config": self._config().to_dict(), "vocabularies": dict(self.vocabularies_)}
        arrays = {f"idf_{part}": np.asarray(idf, dtype=np.float32) for part, idf in self.idf_.items()}
        return state, arrays

    @classmethod
    def from_state(cls, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> FeatureTransform:
        transform = cls(FeatureConfig(**state["config"]))
        transform.segmenter_ = Segmenter(transform._config().segmenter)
        parts = transform._parts()
        for part in parts:
            if len(arrays[f"idf_{part}"]) != len(state["vocabularies"][part]):
                raise ValueError(f"{part}: {len(arrays[f'idf_{part}'])} idf weights for "
                                 f"{len(state['vocabularies'][part])} vocabulary terms")
        transform._set_vocabularies({part: list(state["vocabularies"][part]) for part in parts},
                                    {part: arrays[f"idf_{part}"] for part in parts})
        return transform


class _ListInput:
    """A scikit-learn vectorizer that reads token lists where a :class:`TokenBatch` is given."""

    def __init__(self, vectorizer: Any) -> None:
        self.vectorizer = vectorizer

    def transform(self, part_input: Any) -> sp.csr_matrix:
        return self.vectorizer.transform(_as_lists(part_input))


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
