"""Same matter or new matter: text similarity among one petitioner's petitions, in time order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..classify.fast_tfidf import hashed_char_ngrams
from ..text import Segmenter
from ..text.masking import PLACEHOLDER_PATTERN

__all__ = ["MatterMatcher"]


class MatterMatcher:
    """Cosine similarity of character 2–3-gram counts of the normalised, masked text.

    Hashed features need no fitted vocabulary, so a register processed in one batch and an intake index fed
    record by record score the same pair identically. Two petitions raise the same matter when their similarity
    reaches ``threshold`` and their domains (where both are known) agree.
    """

    def __init__(self, threshold: float = 0.35, n_features: int = 2**20) -> None:
        if not 0 < threshold < 1:
            raise ValueError(f"the matter threshold (--matter-threshold) must be between 0 and 1, got {threshold}")
        self.threshold = threshold
        self.n_features = n_features
        if n_features & (n_features - 1):
            raise ValueError(f"n_features must be a power of two, got {n_features}")
        self._segmenter = Segmenter(backend="rjieba")

    def matter_texts(self, texts: Sequence[Any]) -> list[str]:
        """What similarity reads of each text: normalised, personal data masked, then placeholders and digits
        (dates, amounts), which say little about the matter, dropped. A repeat index stores these, never the
        petitions themselves."""
        prepared = self._segmenter.prepare_batch([t if isinstance(t, str) else "" for t in texts])
        return [_strip_numbers(t) for t in prepared]

    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.matter_vectors(self.matter_texts(texts))

    def matter_vectors(self, matter_texts: Sequence[str]) -> sp.csr_matrix:
        """:meth:`vectors` of texts that :meth:`matter_texts` gave."""
        return hashed_char_ngrams(list(matter_texts), (2, 3), self.n_features)

    def same(self, similarity: float, domain_a: object, domain_b: object) -> bool:
        if similarity < self.threshold:
            return False
        known = isinstance(domain_a, str) and isinstance(domain_b, str) and domain_a and domain_b
        return not known or domain_a == domain_b

    @staticmethod
    def pair_similarities(vectors: sp.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Cosine similarity of rows ``left[k]`` and ``right[k]`` for every k, in one vectorised pass."""
        if len(left) == 0:
            return np.zeros(0)
        # In chunks: each pair copies both rows, and a million-record register has millions of pairs.
        return np.concatenate([
            np.asarray(vectors[left[i:i + _PAIR_CHUNK]].multiply(vectors[right[i:i + _PAIR_CHUNK]]).sum(axis=1)).ravel()
            for i in range(0, len(left), _PAIR_CHUNK)
        ])

    def assign(self, order: Sequence[int], domains: Sequence[object], similarity: Any) -> tuple[list[int], list[float]]:
        """For one petitioner's rows (``order``: row numbers in time order): the row each one repeats (the first
        petition of its matter, or itself for a new matter) and the best similarity found.

        ``similarity(a, b)`` gives the similarity of rows a and b.
        """
        first_of: list[int] = []
        best: list[float] = []
        for pos, row in enumerate(order):
            chosen, chosen_sim = row, 0.0
            # Compare with every earlier petition, keeping the matter of the most similar one: matters drift,
            # so a third petition may resemble the second more than the first.
            for earlier_pos in range(pos):
                earlier = order[earlier_pos]
                sim = similarity(earlier, row)
                if sim > chosen_sim and self.same(sim, domains[row], domains[earlier]):
                    chosen, chosen_sim = first_of[earlier_pos], sim
            first_of.append(chosen)
            best.append(float(chosen_sim))
        return first_of, best


_NUMBERS = re.compile(r"\d+")
_PAIR_CHUNK = 100_000


def _strip_numbers(text: str) -> str:
    return _NUMBERS.sub("", PLACEHOLDER_PATTERN.sub("", text))
