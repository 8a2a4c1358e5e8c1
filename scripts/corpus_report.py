"""Checks of the authored corpus, written to data/corpus/CARD.md (and printed).

Counts per label, stage and channel; length distribution; near-duplicates (character 5-gram Jaccard) and the
distinct character-trigram ratio; validity (taxonomy ids, ID-number checksums, required fields); and 5-fold
cross-validated macro-F1 of a simple TF-IDF + LinearSVC baseline per label set with the worst-confused pairs.
All figures are on the hand-written petitions only.

    python scripts/corpus_report.py
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from petition_nlp.taxonomy import DOMAIN_IDS, LITIGATION_IDS, STAGE_IDS
from petition_nlp.text.idnumber import is_valid_id18

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
REQUIRED = ("id", "text", "domain", "litigation", "stage", "channel")


def table(counts: Counter, total: int) -> list[str]:
    rows = ["| value | count | share |", "|---|---|---|"]
    rows += [f"| {k} | {v} | {v / total:.1%} |" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])]
    return rows


def near_duplicates(texts: list[str]) -> tuple[float, list[tuple[float, int, int]], float]:
    grams = CountVectorizer(analyzer="char", ngram_range=(5, 5), binary=True, lowercase=False).fit_transform(texts)
    sizes = np.asarray(grams.sum(axis=1)).ravel()
    overlap = (grams @ grams.T).tocoo()
    upper = overlap.row < overlap.col
    rows, cols, inter = overlap.row[upper], overlap.col[upper], overlap.data[upper]
    jaccard = inter / (sizes[rows] + sizes[cols] - inter)
    n_pairs = len(texts) * (len(texts) - 1) / 2
    share = float((jaccard > 0.5).sum() / n_pairs)
    top = np.argsort(-jaccard)[:10]
    trigrams = CountVectorizer(analyzer="char", ngram_range=(3, 3), lowercase=False).fit_transform(texts)
    distinct_ratio = trigrams.shape[1] / trigrams.sum()
    return share, [(float(jaccard[i]), int(rows[i]), int(cols[i])) for i in top], float(distinct_ratio)


def learnability(texts: list[str], labels: list[str], name: str) -> list[str]:
    baseline = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True), LinearSVC())
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    predicted = cross_val_predict(baseline, texts, labels, cv=folds)
    macro = f1_score(labels, predicted, average="macro")
    names = sorted(set(labels))
    matrix = confusion_matrix(labels, predicted, labels=names)
    pairs = [(matrix[i, j] + matrix[j, i], names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))]
    worst = sorted(pairs, reverse=True)[:5]
    lines = [f"**{name}**: 5-fold macro-F1 {macro:.3f}", "", "| true \\ predicted | " + " | ".join(names) + " |",
             "|---" * (len(names) + 1) + "|"]
    lines += [f"| {n} | " + " | ".join(str(v) for v in row) + " |" for n, row in zip(names, matrix)]
    lines += ["", "Most confused pairs: " + "; ".join(f"{a} ↔ {b} ({n})" for n, a, b in worst if n), ""]
    return lines


def main() -> None:
    # --help prints this usage and writes nothing.
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    frame = pd.read_json(CORPUS / "petitions.jsonl", lines=True, dtype=False)
    frame = frame[frame["source"] == "handwritten"].reset_index(drop=True)
    total = len(frame)
    lengths = frame["text"].str.len()
    out = ["# Corpus card", "", f"Written by `python scripts/corpus_report.py`. {total} hand-written petitions "
           f"({(frame['split'] == 'heldout').sum()} in the fixed held-out split).", ""]
    for column in ("domain", "litigation", "stage", "channel", "split"):
        out += [f"## {column}", "", *table(Counter(frame[column]), total), ""]
    out += ["## domain × stage", "", pd.crosstab(frame["domain"], frame["stage"]).to_string(), ""]
    out[-2] = "```\n" + out[-2] + "\n```"
    quantiles = lengths.quantile([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]).astype(int).tolist()
    buckets = Counter(pd.cut(lengths, [0, 60, 120, 200, 300, 500, 800, 10_000]).astype(str))
    out += ["## Length (characters)", "", "min / p10 / p25 / median / p75 / p90 / max: " + " / ".join(map(str, quantiles)), "",
            *table(buckets, total), ""]
    share, top, distinct = near_duplicates(frame["text"].tolist())
    out += ["## Near-duplicates", "", f"Pairs with character 5-gram Jaccard > 0.5: {share:.4%} of all pairs (target < 1%).",
            f"Distinct character-trigram ratio: {distinct:.3f}.", "", "Most similar pairs, for review:", ""]
    out += [f"- {j:.2f} {frame.at[a, 'id']} / {frame.at[b, 'id']}: {frame.at[a, 'text'][:40]}… / {frame.at[b, 'text'][:40]}…"
            for j, a, b in top]
    problems = []
    for _, row in frame.iterrows():
        for field in REQUIRED:
            if not str(row.get(field, "")).strip():
                problems.append(f"{row['id']}: empty {field}")
        if row["domain"] not in DOMAIN_IDS or row["litigation"] not in LITIGATION_IDS or row["stage"] not in STAGE_IDS:
            problems.append(f"{row['id']}: label outside the taxonomy")
        if any(a not in DOMAIN_IDS for a in row["also"]):
            problems.append(f"{row['id']}: also outside the taxonomy")
        if row["id_number"] and not is_valid_id18(row["id_number"]):
            problems.append(f"{row['id']}: ID number fails its checksum")
    ids_checked = int((frame["id_number"] != "").sum())
    out += ["", "## Validity", "", f"{len(problems)} problems; {ids_checked} ID numbers checked.", *problems[:20], ""]
    out += ["## Learnability (TF-IDF character 1–3-grams + LinearSVC, 5-fold)", ""]
    for column in ("domain", "litigation", "stage"):
        out += learnability(frame["text"].tolist(), frame[column].tolist(), column)
    text = "\n".join(out) + "\n"
    (CORPUS / "CARD.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
