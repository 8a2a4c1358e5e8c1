"""Repeat petitions in a register: who is the same petitioner, and which petitions repeat the same matter."""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..dates import to_timestamps, unreadable
from ..io import InputError
from .linkage import LinkageConfig, PersonLinkage
from ..text.masking import masked_values
from .matters import MatterMatcher
from .prepare import RegisterColumns, identity_table

__all__ = ["RepeatDetector", "DetectorSettings", "OUTPUT_COLUMNS"]

logger = logging.getLogger(__name__)

# What assign() adds; matter_similarity is how like the earlier matter a repeat petition is (empty where none).
OUTPUT_COLUMNS = ("petitioner_id", "match_probability", "is_repeat", "repeat_of", "prior_petitions", "matter_similarity")


class DetectorSettings:
    """The settings every repeat detector takes (the local one here, the Spark one in ``petition_nlp.spark``),
    stored as given, and the checks they share."""

    def __init__(
        self,
        linkage: LinkageConfig | None = None,
        matter_threshold: float = 0.35,
        columns: RegisterColumns | None = None,
        allow_duplicate_ids: bool = False,
    ) -> None:
        self.linkage = linkage
        self.matter_threshold = matter_threshold
        self.columns = columns
        self.allow_duplicate_ids = allow_duplicate_ids

    def _cfg(self) -> LinkageConfig:
        return self.linkage if self.linkage is not None else LinkageConfig()

    def _cols(self) -> RegisterColumns:
        return self.columns if self.columns is not None else RegisterColumns()

    def _report_duplicate_ids(self, count: int, examples: list[str]) -> None:
        """Refuse (or, with ``allow_duplicate_ids``, warn about) ``count`` duplicated id values."""
        if not count:
            return
        message = f"{count} duplicated {self._cols().id!r} values, e.g. {examples[:10]}"
        if not self.allow_duplicate_ids:
            raise InputError(message + "; ids must be unique (allow_duplicate_ids=True, or --allow-duplicate-ids, to continue anyway)")
        logger.warning("%s; repeat_of may be ambiguous for them", message)


class RepeatDetector(DetectorSettings):
    """Find repeat petitions in a register (one row per petition).

    ``fit`` trains the person-linkage model on a register without labels; ``assign`` links a batch into
    petitioners and marks repeats. ``fit_assign`` does both on one register.

    >>> detector = RepeatDetector().fit(register)          # doctest: +SKIP
    >>> labelled = detector.assign(register)               # adds petitioner_id, is_repeat, repeat_of, ...
    """

    def _check(self, register: pd.DataFrame) -> None:
        cols = self._cols()
        if cols.id not in register.columns:
            raise InputError(f"the register has no id column {cols.id!r}; its columns are {list(register.columns)}")
        counts = Counter(register[cols.id].tolist())
        duplicated = sorted(str(k) for k, n in counts.items() if n > 1)
        self._report_duplicate_ids(len(duplicated), duplicated)

    def fit(self, register: pd.DataFrame) -> RepeatDetector:
        """Train the person-linkage model on ``register`` (no labels needed)."""
        self._check(register)
        self.linkage_ = PersonLinkage(self.linkage)
        identities = identity_table(register, self._cols())
        self._clusters, self._links = self.linkage_.fit_predict(identities)
        self._fitted_on = _fingerprint(identities)
        self.parameters_ = self.linkage_.parameters()
        return self

    def fit_assign(self, register: pd.DataFrame) -> pd.DataFrame:
        return self.fit(register).assign(register)

    def assign(self, register: pd.DataFrame) -> pd.DataFrame:
        """``register`` with ``petitioner_id``, ``match_probability``, ``is_repeat``, ``repeat_of``,
        ``prior_petitions`` and ``matter_similarity`` added; every row and column kept in order."""
        if not hasattr(self, "linkage_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("RepeatDetector is not fitted yet; call fit() or fit_assign() first")
        self._check(register)
        identities = identity_table(register, self._cols())
        # fit() linked these very identities already (fit_assign): reuse that, but not for an edited register.
        if getattr(self, "_fitted_on", None) == _fingerprint(identities):
            clusters, links = self._clusters, self._links
        else:
            clusters, links = self.linkage_.predict(identities)
        self.links_ = links
        return self.annotate(register, clusters, links)

    def annotate(self, register: pd.DataFrame, clusters: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
        """``register`` with the output columns, given its person ``clusters`` (unique_id = row position →
        cluster_id) and ``links`` (pairs with match_probability): the step after linkage, whatever engine linked."""
        cols = self._cols()
        n = len(register)
        cluster_of = np.empty(n, dtype=np.int64)
        cluster_of[clusters["unique_id"].to_numpy()] = clusters["cluster_id"].to_numpy()
        # Petitioner ids numbered by first appearance, stable for a given register order.
        _, first_index, inverse = np.unique(cluster_of, return_index=True, return_inverse=True)
        rank = np.argsort(np.argsort(first_index))
        petitioner = np.array([f"P{r + 1:07d}" for r in rank])[inverse]
        best = np.full(n, np.nan)
        if len(links):
            for side in ("unique_id_l", "unique_id_r"):
                grouped = links.groupby(side)["match_probability"].max()
                idx = grouped.index.to_numpy()
                best[idx] = np.fmax(best[idx], grouped.to_numpy())
        dates = to_timestamps(register[cols.received_at]) if cols.received_at in register.columns \
            else pd.Series(pd.NaT, index=register.index)
        if cols.received_at in register.columns:
            unread = register.loc[unreadable(register[cols.received_at], dates), cols.received_at]
            if len(unread):
                logger.warning("%d rows have a %s that is not a date (e.g. %r); they are ordered last among their "
                               "petitioner's petitions", len(unread), cols.received_at, masked_values(unread.iloc[:1])[0])
        texts = register[cols.text].tolist() if cols.text in register.columns else [""] * n
        domains = register[cols.domain].tolist() if cols.domain in register.columns else [None] * n
        ids = register[cols.id].tolist()
        order_frame = pd.DataFrame({"cluster": inverse, "date": dates.to_numpy(), "row": np.arange(n)})
        order_frame = order_frame.sort_values(["cluster", "date", "row"], na_position="last", kind="stable")
        is_repeat = np.zeros(n, dtype=bool)
        repeat_of: list[object] = [None] * n
        prior = np.zeros(n, dtype=np.int64)
        similarity_column = np.full(n, np.nan)
        ordered_rows = order_frame["row"].to_numpy()
        starts = np.flatnonzero(np.diff(order_frame["cluster"].to_numpy())) + 1
        group_starts = np.concatenate([[0], starts])
        group_sizes = np.diff(np.append(group_starts, n))
        prior[ordered_rows] = np.arange(n) - np.repeat(group_starts, group_sizes)  # position within the petitioner
        groups = [rows for rows in np.split(ordered_rows, starts) if len(rows) > 1]
        matcher = MatterMatcher(self.matter_threshold)
        for block in _blocks(groups, _BLOCK_ROWS):
            # Only petitioners with several petitions need text vectors: a block of them at a time keeps memory
            # bounded, and each distinct text is vectorised once.
            similarity = _within_group_similarities(matcher, block, texts)
            for rows in block:
                rows = rows.tolist()
                first_of, best_sim = matcher.assign(rows, domains, similarity)
                for row, first, sim in zip(rows, first_of, best_sim):
                    if first != row:
                        is_repeat[row] = True
                        repeat_of[row] = ids[first]
                        similarity_column[row] = round(sim, 4)
        out = register.copy()
        out["petitioner_id"] = petitioner
        out["match_probability"] = np.round(best, 4)
        out["is_repeat"] = is_repeat
        # Object dtype: an integer id stays that integer (a float column would round 2025030100000000100).
        out["repeat_of"] = pd.Series(repeat_of, index=out.index, dtype=object)
        out["prior_petitions"] = prior
        out["matter_similarity"] = similarity_column
        return out

    def save_parameters(self) -> str:
        """The trained linkage model (splink's JSON) with this detector's settings."""
        return json.dumps({"splink_model": self.linkage_.model_json_, "matter_threshold": self.matter_threshold,
                           "linkage": asdict(self.linkage_._cfg()), "columns": asdict(self._cols())}, ensure_ascii=False)

    def summary(self, labelled: pd.DataFrame) -> dict[str, Any]:
        return {
            "records": int(len(labelled)),
            "petitioners": int(labelled["petitioner_id"].nunique()),
            "repeat_petitions": int(labelled["is_repeat"].sum()),
            "repeat_petitioners": int(labelled.loc[labelled["is_repeat"], "petitioner_id"].nunique()),
        }


_BLOCK_ROWS = 50_000


def _blocks(groups: list[np.ndarray], max_rows: int) -> Iterator[list[np.ndarray]]:
    """Consecutive runs of ``groups`` holding about ``max_rows`` rows each (a larger group is a block alone)."""
    block: list[np.ndarray] = []
    size = 0
    for rows in groups:
        if block and size + len(rows) > max_rows:
            yield block
            block, size = [], 0
        block.append(rows)
        size += len(rows)
    if block:
        yield block


@lru_cache(maxsize=256)
def _pair_positions(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j), i < j, of every pair in a group of ``size`` (numpy's triu_indices, cached: most groups
    are small and numpy's fixed cost per call is most of the work)."""
    return np.triu_indices(size, 1)


def _within_group_similarities(matcher: MatterMatcher, groups: list[np.ndarray], texts: list[object]) -> Callable[[int, int], float]:
    """Text similarity of every pair of rows within each group, scored in one vectorised pass."""
    rows = np.concatenate(groups)
    codes, distinct = pd.factorize(pd.Series([texts[r] for r in rows.tolist()], dtype=object), use_na_sentinel=False)
    vectors = matcher.vectors(list(distinct))
    # Pairs as positions in ``rows`` (so in ``codes``): each group's pair positions shifted by its offset.
    offsets = np.cumsum([0] + [len(g) for g in groups[:-1]])
    pairs = [_pair_positions(len(g)) for g in groups]
    left = np.concatenate([offset + i for offset, (i, _) in zip(offsets, pairs)])
    right = np.concatenate([offset + j for offset, (_, j) in zip(offsets, pairs)])
    scores = matcher.pair_similarities(vectors, codes[left], codes[right])
    # ``assign`` asks for (earlier, later) in the groups' time order, the order the pairs were made in.
    table = dict(zip(zip(rows[left].tolist(), rows[right].tolist()), scores.tolist()))

    def similarity(a: int, b: int) -> float:
        return table.get((a, b), 0.0)

    return similarity


def _fingerprint(identities: pd.DataFrame) -> tuple[int, str]:
    """Rows and a content hash of an identity table: equal for equal data, whatever object holds it."""
    hashed = pd.util.hash_pandas_object(identities, index=False).to_numpy()
    return len(identities), hashlib.sha256(hashed.tobytes()).hexdigest()
