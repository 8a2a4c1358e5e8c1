"""Labelling throughput of ``petition-nlp label`` with the default model, against a plain pipeline.

The plain pipeline is what a team would write first: ``jieba.lcut`` → scikit-learn ``TfidfVectorizer`` →
``LinearSVC.predict`` (one head), fitted on the authored training split and timed on the same texts in the same
run, single process. ``petition-nlp label`` runs as a user runs it (a subprocess reading and writing files, all
three heads, explanations and review flags included). Peak memory of each is reported.

    python benchmarks/bench_label.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

import jieba
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from common import load_corpus, peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    corpus = load_corpus()
    texts = list(islice(cycle([r["text"] for r in corpus]), args.rows))
    training = [r for r in corpus if r["split"] == "train"]
    print(f"{len(texts):,} petitions (the authored corpus cycled), {sum(map(len, texts)) / len(texts):.0f} characters on average")

    jieba.setLogLevel(60)
    vectorizer = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False)
    classifier = LinearSVC().fit(vectorizer.fit_transform([r["text"] for r in training]), [r["domain"] for r in training])
    before = peak_rss_mb()
    started = time.perf_counter()
    classifier.predict(vectorizer.transform(texts))
    plain_seconds = time.perf_counter() - started
    plain_peak = peak_rss_mb()

    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "backlog.csv", Path(tmp) / "labelled.csv"
        pd.DataFrame({"id": range(len(texts)), "text": texts}).to_csv(source, index=False)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "petition_nlp", "label", str(source), "-o", str(target), "--no-progress"],
                       check=True, stdout=subprocess.DEVNULL)
        label_seconds = time.perf_counter() - started
        label_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows_out = sum(1 for _ in pd.read_csv(target, usecols=["id"], chunksize=50_000) for _ in range(1))
    print(f"{'pipeline':58s}{'rows/s':>10s}{'ratio':>8s}{'peak MB':>9s}")
    print(f"{'plain: jieba.lcut -> TfidfVectorizer -> LinearSVC (1 head)':58s}{len(texts) / plain_seconds:10,.0f}"
          f"{1.0:8.2f}{plain_peak:9.0f}")
    print(f"{'petition-nlp label, default model (3 heads + explanations)':58s}{len(texts) / label_seconds:10,.0f}"
          f"{plain_seconds / label_seconds:8.2f}{label_peak:9.0f}")
    print(f"(plain pipeline's process was already at {before:.0f} MB before predicting; output chunks read back: {rows_out})")


if __name__ == "__main__":
    main()
