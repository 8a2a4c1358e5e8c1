"""One person, one ID number: clusters that would hold two clearly different ID numbers are split.

Linkage joins records pair by pair, and clusters are the connected pieces of those links. A record with a
shared phone and address but no name or ID number (a relative's call, a half-filled form) can link two
relatives, and the cluster then holds both of their ID numbers. Since ID numbers are unique per person, such a
cluster is rebuilt from its links, strongest first, never joining two parts whose ID numbers differ by more
than two mistyped or swapped digits. About nine in ten wrongly linked pairs on generated registers were of
this kind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein

__all__ = ["conflicting_ids", "split_conflicting_clusters"]

logger = logging.getLogger(__name__)


def conflicting_ids(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether some ID number in ``a`` and some in ``b`` cannot be one person's: more than two edits apart.

    Two, not one: two copies of one number can each carry a different typo. Two people's numbers differ in
    at least their sequence and check digits, and nearly always in more.
    """
    return any(x != y and DamerauLevenshtein.distance(x, y, score_cutoff=3) > 2 for x in a for y in b)


def split_conflicting_clusters(clusters: pd.DataFrame, links: pd.DataFrame,
                               id_numbers: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(clusters, links) with every cluster that holds conflicting ID numbers rebuilt without the conflict.

    ``clusters``: unique_id → cluster_id. ``links``: the pairs (unique_id_l, unique_id_r, match_probability)
    at or above the match threshold that made the clusters. ``id_numbers``: normalised ID number (or null)
    indexed by unique_id; only 18-character ones are compared. A rebuilt part takes its smallest unique_id as
    cluster id; links between parts are dropped. Clusters without a conflict, nearly all of them, are returned
    unchanged.
    """
    known = id_numbers.dropna()
    # Only full-length numbers: a truncated or garbled one says too little to keep two records apart.
    known = known[known.str.len() == 18]
    cluster_of = pd.Series(clusters["cluster_id"].to_numpy(), index=clusters["unique_id"].to_numpy())
    with_ids = pd.DataFrame({"cluster": cluster_of.reindex(known.index).to_numpy(), "id": known.to_numpy()}).dropna()
    distinct = with_ids.drop_duplicates()
    several = distinct["cluster"].duplicated(keep=False)
    suspects = [c for c, ids in distinct[several].groupby("cluster")["id"]
                if conflicting_ids(ids.tolist(), ids.tolist())]
    if not suspects:
        return clusters, links
    left_cluster = cluster_of.reindex(links["unique_id_l"].to_numpy()).to_numpy()
    in_suspect = np.isin(left_cluster, suspects)
    ids_of = known.to_dict()
    new_cluster: dict[int, int] = {}
    suspect_links = links[in_suspect].assign(_cluster=left_cluster[in_suspect])
    # Strongest first; ties in a fixed order so that every engine splits the same way.
    suspect_links = suspect_links.sort_values(["_cluster", "match_probability", "unique_id_l", "unique_id_r"],
                                              ascending=[True, False, True, True], kind="stable")
    for _, group in suspect_links.groupby("_cluster", sort=False):
        new_cluster.update(_rebuild(group["unique_id_l"].tolist(), group["unique_id_r"].tolist(), ids_of))
    # Links between two parts go; links within a part stay, also those skipped above because their ends had
    # already met through stronger links.
    same_part = [new_cluster.get(left, -1) == new_cluster.get(right, -2) for left, right in
                 zip(links.loc[in_suspect, "unique_id_l"].tolist(), links.loc[in_suspect, "unique_id_r"].tolist())]
    dropped = np.zeros(len(links), dtype=bool)
    dropped[np.flatnonzero(in_suspect)] = ~np.asarray(same_part, dtype=bool)
    logger.info("split %d clusters holding different people's ID numbers; %d links between the parts dropped",
                len(suspects), int(dropped.sum()))
    rebuilt = clusters.copy()
    ids_in = rebuilt["unique_id"].to_numpy()
    override = pd.Series(new_cluster)
    hit = np.isin(ids_in, override.index.to_numpy())
    rebuilt.loc[hit, "cluster_id"] = override.reindex(ids_in[hit]).to_numpy()
    return rebuilt, links[~dropped]


def _rebuild(lefts: list[int], rights: list[int], ids_of: dict[int, str]) -> dict[int, int]:
    """Each record's part when the links (lefts[k], rights[k]), strongest first, are joined one by one unless
    the two sides hold conflicting ID numbers; a part is named by its smallest record (union-find)."""
    parent: dict[int, int] = {}
    ids: dict[int, set[str]] = {}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in zip(lefts, rights):
        for node in (left, right):
            if node not in parent:
                parent[node] = node
                ids[node] = {ids_of[node]} if node in ids_of else set()
        a, b = root(left), root(right)
        if a == b or conflicting_ids(ids[a], ids[b]):
            continue
        a, b = min(a, b), max(a, b)  # the smaller root stays, so a part's root is its smallest record
        parent[b] = a
        ids[a] |= ids.pop(b)
    return {node: root(node) for node in parent}
