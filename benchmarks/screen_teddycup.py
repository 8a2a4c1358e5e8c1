"""Cross-validated screen of classifier variants on the teddycup2020c *training* split (the test split is untouched).

Each fold fits the petition-nlp featurizer on its training part once; every candidate then fits and scores on
the same features, so the per-fold differences against the default head (LinearSVC, balanced class weights)
are paired. Use it to check whether a change to the head is worth more than fold-to-fold noise before looking
at the fixed test split with ``bench_teddycup.py``.

    python benchmarks/screen_teddycup.py [--folds 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from common import load_teddycup
from petition_nlp.classify.features import TextFeaturizer

# A candidate fits on (X_train, y_train, word_feature_mask) and returns predictions for X_test.
Candidate = Callable[[sp.csr_matrix, np.ndarray, sp.csr_matrix, np.ndarray], np.ndarray]


def _fit_predict(make: Callable[[], object]) -> Candidate:
    return lambda X, y, X_test, _: make().fit(X, y).predict(X_test)


def _char_weighted(weight: float) -> Candidate:
    def run(X, y, X_test, word_mask):
        scale = sp.diags(np.where(word_mask, 1.0, weight).astype(np.float32))
        return LinearSVC(class_weight="balanced").fit(X @ scale, y).predict(X_test @ scale)
    return run


CANDIDATES: dict[str, Candidate] = {
    "default: LinearSVC C=1 balanced": _fit_predict(lambda: LinearSVC(class_weight="balanced")),
    "LinearSVC C=0.5": _fit_predict(lambda: LinearSVC(C=0.5, class_weight="balanced")),
    "LinearSVC C=2": _fit_predict(lambda: LinearSVC(C=2.0, class_weight="balanced")),
    "LinearSVC, no class weights": _fit_predict(lambda: LinearSVC()),
    "LinearSVC, character part x2": _char_weighted(2.0),
    "RidgeClassifier (least squares)": _fit_predict(lambda: RidgeClassifier(class_weight="balanced", solver="sparse_cg")),
    "LogisticRegression C=20": _fit_predict(lambda: LogisticRegression(C=20, max_iter=1000, class_weight="balanced")),
    "ComplementNB alpha=0.05": _fit_predict(lambda: ComplementNB(alpha=0.05)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    frame = load_teddycup()
    if frame is None:
        return
    train = frame[frame["split"] == "train"].reset_index(drop=True)
    texts, labels = train["text"].to_numpy(), train["label"].to_numpy()
    print(f"teddycup2020c train split: {len(train)} messages, {args.folds}-fold stratified cross-validation")

    scores = {name: [] for name in CANDIDATES}
    seconds = dict.fromkeys(CANDIDATES, 0.0)
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0).split(texts, labels)
    for fold, (fit_rows, test_rows) in enumerate(folds):
        featurizer = TextFeaturizer()
        X = featurizer.fit_transform(texts[fit_rows].tolist())
        X_test = featurizer.transform(texts[test_rows].tolist())
        for name, candidate in CANDIDATES.items():
            started = time.perf_counter()
            predicted = candidate(X, labels[fit_rows], X_test, featurizer.word_feature_mask_)
            seconds[name] += time.perf_counter() - started
            scores[name].append(f1_score(labels[test_rows], predicted, average="macro"))
        print(f"fold {fold + 1}/{args.folds} done", flush=True)

    baseline = np.array(scores[next(iter(CANDIDATES))])
    print(f"\n{'candidate':36s}{'macro-F1':>10s}{'fold sd':>9s}{'vs default':>12s}{'folds better':>14s}{'fit s':>8s}")
    for name, values in scores.items():
        values = np.array(values)
        diff = values - baseline
        print(f"{name:36s}{values.mean():10.4f}{values.std():9.4f}{diff.mean():+12.4f}"
              f"{f'{(diff > 0).sum()}/{len(diff)}':>14s}{seconds[name]:8.1f}")
    print("(macro-F1 is the mean over folds; 'vs default' the mean paired difference)")


if __name__ == "__main__":
    main()
