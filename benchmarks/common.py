"""Shared helpers for the benchmark scripts: locating data, timing, peak memory."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
CORPUS = REPO / "data" / "corpus" / "petitions.jsonl"
TEDDYCUP = "teddycup2020c/messages_segmented.csv"


def load_corpus(split: str | None = None) -> list[dict[str, Any]]:
    """The authored hand-written corpus, optionally one split ('train' or 'heldout')."""
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r.get("split") == split]


def shared(relative: str) -> Path | None:
    path = SHARED_DATA / relative
    return path if path.is_file() else None


def load_teddycup():
    """teddycup2020c's segmented messages (id, text, label, split, all as strings), or None, with a note
    printed, where ../shared/data lacks them."""
    source = shared(TEDDYCUP)
    if source is None:
        print(f"skipped: ../shared/data/{TEDDYCUP} is absent")
        return None
    import pandas as pd

    return pd.read_csv(source, dtype=str, keep_default_na=False)


def timed(func: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stratified_head(part, limit: int | None, label_column: str):
    """At most ``limit`` rows of ``part``, keeping its label shares (all of it when ``limit`` is None or larger)."""
    from sklearn.model_selection import train_test_split

    if not limit or limit >= len(part):
        return part
    return train_test_split(part, train_size=limit, stratify=part[label_column], random_state=0)[0]
