"""Same matter or new matter: text similarity among one petitioner's petitions, in time order."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

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
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        self.threshold = threshold
        self.n_features = n_features
        self._segmenter = Segmenter(backend="rjieba")
        self._vectorizer = HashingVectorizer(analyzer="char", ngram_range=(2, 3), n_features=n_features,
                                             alternate_sign=False, norm="l2", lowercase=False)

    def vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        prepared = self._segmenter.prepare_batch([t if isinstance(t, str) else "" for t in texts])
        # Placeholders and digits (dates, amounts) say little about the matter; drop them before hashing.
        cleaned = [_strip_numbers(t) for t in prepared]
        return self._vectorizer.transform(cleaned).tocsr()

    def same(self, similarity: float, domain_a: object, domain_b: object) -> bool:
        if similarity < self.threshold:
            return False
        known = isinstance(domain_a, str) and isinstance(domain_b, str) and domain_a and domain_b
        return not known or domain_a == domain_b

    def assign(self, vectors: sp.csr_matrix, order: Sequence[int], domains: Sequence[object]) -> tuple[list[int], list[float]]:
        """For one petitioner's rows (``order``: row numbers in time order): the row each one repeats (the first
        petition of its matter, or itself for a new matter) and the best similarity found."""
        first_of = []
        best = []
        block = vectors[list(order)]
        sims = (block @ block.T).toarray() if len(order) > 1 else np.ones((1, 1))
        matter_heads: list[int] = []  # positions within ``order`` that opened a matter
        for pos, row in enumerate(order):
            chosen, chosen_sim = pos, 0.0
            for head in matter_heads:
                # Compare with every earlier petition of that matter, not only the first: matters drift.
                members = [p for p in range(pos) if first_of[p] == order[head]]
                sim = max(sims[pos, p] for p in members)
                if self.same(sim, domains[row], domains[order[head]]) and sim > chosen_sim:
                    chosen, chosen_sim = head, sim
            if chosen == pos:
                matter_heads.append(pos)
            first_of.append(order[chosen])
            best.append(float(chosen_sim))
        return first_of, best


_NUMBERS = re.compile(r"\d+")


def _strip_numbers(text: str) -> str:
    return _NUMBERS.sub("", PLACEHOLDER_PATTERN.sub("", text))
