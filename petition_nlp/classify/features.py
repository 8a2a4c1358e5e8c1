"""Fitting petition features: word n-grams of the segmented text plus character n-grams of the masked text."""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from ..text import Segmenter, normalize
from ..text.masking import given_name
from .feature_transform import FeatureConfig, FeatureTransform, _as_lists, _as_text_list, tfidf_vectorizer

__all__ = ["FeatureConfig", "PersonalTerms", "TextFeaturizer"]

logger = logging.getLogger(__name__)


class PersonalTerms:
    """Personal data that must not enter a vocabulary.

    A term is dropped when it contains a whole value (an ID number, phone, address or name), a given name of two
    characters or more (晓东 of 刘晓东), six digits in a row of an ID or phone number, or a piece of an address below
    the county (白水镇, 石门村, its stem 石门, 25号), or when it is part of a name (two characters or more), so that no
    n-gram spells out a petitioner's name or where they live. Values are normalised as petition texts are (traditional → simplified, full-width → half-width) and
    names lose their spaces and dots (阿依古丽·买买提), since vocabulary terms come from normalised text.
    """

    _DIGIT_PIECE = 6  # an ID number's region code or birth date, a phone's last digits

    def __init__(self, values: set[str] = frozenset(), names: set[str] = frozenset(),
                 addresses: set[str] = frozenset()) -> None:
        values = {_normalised(v) for v in values}
        # A transcribed name's parts (阿依古丽·买买提) are names of their own; a given name of two characters or
        # more is what tells a person apart (晓东 of 刘晓东), so no term may contain it either.
        names = {part for n in names for part in (_NAME_MARKS.sub("", _normalised(n)), *_NAME_MARKS.split(_normalised(n)))}
        given = {given_name(n) for n in names}
        addresses = {_normalised(a) for a in addresses}
        self._whole = {v for v in (*values, *names, *given, *addresses) if len(v) >= 2}
        # A long number's pieces are personal too (19780312, the birth date in an ID number, written apart).
        for value in values:
            digits = "".join(ch for ch in value if ch.isdigit())
            if len(digits) >= 10:
                n = self._DIGIT_PIECE
                self._whole.update(digits[i:i + n] for i in range(len(digits) - n + 1))
        for address in addresses:
            self._whole.update(_local_address_pieces(address))
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


_NAME_MARKS = re.compile(r"[\s·•・.]")
# An address read as pieces, each ending in its level: 湖南省|永州市|祁阳县|白水镇|石门村|三组|25号.
_ADDRESS_PIECE = re.compile(r"[^省市县区旗镇乡村组号栋室楼路街巷弄]*(?:自治区|省|市|县|区|旗|街道|镇|乡|社区|村|组|号|栋|室|楼|路|街|巷|弄)")
_LOCAL_LEVELS = ("街道", "镇", "乡", "社区", "村", "组", "号", "栋", "室", "楼", "路", "街", "巷", "弄")


def _normalised(value: str) -> str:
    return normalize(str(value)).replace(" ", "")


def _local_address_pieces(address: str) -> set[str]:
    """The pieces of an address below the county, with their stems where those are names (石门村 → 石门)."""
    pieces = set()
    for piece in _ADDRESS_PIECE.findall(address):
        level = next((level for level in _LOCAL_LEVELS if piece.endswith(level)), None)
        if level is None or len(piece) < 2:
            continue
        pieces.add(piece)
        stem = piece[: -len(level)]
        if len(stem) >= 2 and re.search(r"[\u4e00-\u9fff]", stem):
            pieces.add(stem)
    return pieces


class TextFeaturizer(TransformerMixin, BaseEstimator, FeatureTransform):
    """TF-IDF features of petitions: word n-grams (segmented, stop words dropped) and character n-grams.

    Fit on raw petition texts; normalisation, masking and segmentation happen inside. What it learns is a
    :class:`FeatureTransform`, which a saved model loads as.
    """

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config

    def fit(self, texts: list[str], y: Any = None) -> TextFeaturizer:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: list[str], y: Any = None, forbidden: PersonalTerms | None = None) -> sp.csr_matrix:
        """Fit and transform; ``forbidden`` personal data (e.g. the training register's names) is kept out of the
        vocabulary."""
        texts = _as_text_list(texts)
        self.segmenter_ = Segmenter(self._config().segmenter)
        inputs = self._inputs(texts)
        vocabularies, idf, matrices = {}, {}, []
        for part in self._parts():
            vectorizer = tfidf_vectorizer(self._config(), part)
            matrix = vectorizer.fit_transform(_as_lists(inputs[part]))
            vocabularies[part] = [str(n) for n in vectorizer.get_feature_names_out()]
            idf[part] = vectorizer.idf_
            if forbidden:
                vocabularies[part], idf[part], matrix = _drop_terms(part, vocabularies[part], idf[part], matrix, forbidden)
            matrices.append(matrix)
        self._set_vocabularies(vocabularies, idf)
        logger.info("featurizer fitted: %d features from %d texts", len(self.feature_names_), len(texts))
        return sp.hstack(matrices, format="csr")


def _drop_terms(
    part: str, vocabulary: list[str], idf: np.ndarray, matrix: sp.csr_matrix, forbidden: PersonalTerms
) -> tuple[list[str], np.ndarray, sp.csr_matrix]:
    """The part's vocabulary, idf and matrix without the terms that contain personal data."""
    keep = np.array([not forbidden.matches(term.replace(" ", "")) for term in vocabulary], dtype=bool)
    if keep.all():
        return vocabulary, idf, matrix
    logger.info("dropped %d %s terms that contain personal data of the training register", (~keep).sum(), part)
    # Rows are re-normalised: the dropped terms no longer count towards a text's length.
    from sklearn.preprocessing import normalize

    kept = np.nonzero(keep)[0]
    return [vocabulary[i] for i in kept], idf[keep], normalize(matrix[:, kept]).astype(np.float32)
