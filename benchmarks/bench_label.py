"""Labelling throughput of ``petition-nlp label`` with the default model, against a plain pipeline.

The plain pipeline is what a team would write first: ``jieba.lcut`` → scikit-learn ``TfidfVectorizer`` →
``LinearSVC.predict`` (one head), fitted on the authored training split and timed on the same texts in the same
run, single process. ``petition-nlp label`` runs as a user runs it (a subprocess reading and writing files, all
three heads, explanations and review flags included). Peak memory of each is reported. For a like-for-like
view, the same labelling work is also timed the way the plain pipeline is: in this process, one thread, texts in
memory, no start-up or file I/O.

    python benchmarks/bench_label.py [--rows 100000]
"""

from __future__ import annotations

import argparse
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


# `petition-nlp label` as the CLI runs it (same entry point), reporting the process's own peak memory.
_MEASURED = """
import resource, sys
from petition_nlp.batch import default_threads
from petition_nlp.cli import main
threads = [] if sys.argv[3] == "default" else ["--threads", sys.argv[3]]
sys.argv = ["petition-nlp", "label", sys.argv[1], "-o", sys.argv[2], "--no-progress", *threads]
try:
    main()
except SystemExit as stop:
    if stop.code:
        raise
print(threads[-1] if threads else default_threads(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--threads", nargs="+", default=["1", "default"],
                        help="--threads values of label to time; 'default' runs it without the option, as a user does")
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

    # The same work as `label` minus process start-up and file I/O, timed like the plain pipeline: in this
    # process, one thread, on texts already in memory (all three heads, explanations and review flags).
    from petition_nlp import load

    model = load()
    started = time.perf_counter()
    for start in range(0, len(texts), 5000):
        model.predict_columns(texts[start:start + 5000])
    in_process_seconds = time.perf_counter() - started
    del model

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "backlog.csv"
        pd.DataFrame({"id": range(len(texts)), "text": texts}).to_csv(source, index=False)
        for threads in args.threads:
            target = Path(tmp) / f"labelled-{threads}.csv"
            started = time.perf_counter()
            # One process each, so that each figure includes start-up and its own peak memory.
            out = subprocess.run([sys.executable, "-c", _MEASURED, str(source), str(target), str(threads)],
                                 check=True, capture_output=True, text=True)
            used, peak = out.stdout.split()[-2:]
            runs.append((threads, used, time.perf_counter() - started, float(peak)))
        rows_out = len(pd.read_csv(target, usecols=["id"]))
    print(f"{'pipeline':80s}{'rows/s':>10s}{'ratio':>8s}{'peak MB':>9s}")
    print(f"{'plain: jieba.lcut -> TfidfVectorizer -> LinearSVC (1 head)':80s}{len(texts) / plain_seconds:10,.0f}"
          f"{1.0:8.2f}{plain_peak:9.0f}")
    name = "PetitionModel.predict_columns, in process, 1 thread (3 heads + explanations)"
    print(f"{name:80s}{len(texts) / in_process_seconds:10,.0f}{plain_seconds / in_process_seconds:8.2f}{'':>9s}")
    for threads, used, seconds, peak in runs:
        option = f"(default: {used} threads)" if threads == "default" else f"--threads {threads}"
        name = f"petition-nlp label {option} (3 heads + explanations)"
        print(f"{name:80s}{len(texts) / seconds:10,.0f}{plain_seconds / seconds:8.2f}{peak:9.0f}")
    print(f"(plain pipeline's process was already at {before:.0f} MB before predicting; rows read back: {rows_out})")


if __name__ == "__main__":
    main()
