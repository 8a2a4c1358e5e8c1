"""Macro-F1 of ``petition-nlp train --target label`` then ``evaluate`` on teddycup2020c, against a baseline.

Trains on ``split == train`` and reports on ``split == test`` of
../shared/data/teddycup2020c/messages_segmented.csv (7 categories of real citizen messages). The baseline,
timed and scored in the same run on the same split, is TF-IDF character 1-3-grams + LinearSVC (the data
README quotes about 0.917 for it).

    python benchmarks/bench_teddycup.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from common import load_teddycup


def main() -> None:
    frame = load_teddycup()
    if frame is None:
        return
    train, test = frame[frame["split"] == "train"], frame[frame["split"] == "test"]
    print(f"teddycup2020c: {len(train)} train / {len(test)} test messages, {frame['label'].nunique()} labels")

    started = time.perf_counter()
    baseline = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())
    baseline.fit(train["text"], train["label"])
    baseline_f1 = f1_score(test["label"], baseline.predict(test["text"]), average="macro")
    baseline_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        train.to_csv(tmp_path / "train.csv", index=False)
        test.to_csv(tmp_path / "test.csv", index=False)
        cli = [sys.executable, "-m", "petition_nlp"]
        started = time.perf_counter()
        subprocess.run([*cli, "train", str(tmp_path / "train.csv"), "-o", str(tmp_path / "model"), "--target", "label",
                        "--no-progress"], check=True, stdout=subprocess.DEVNULL)
        train_seconds = time.perf_counter() - started
        subprocess.run([*cli, "evaluate", str(tmp_path / "model"), str(tmp_path / "test.csv"), "--report",
                        str(tmp_path / "report"), "--no-progress"], check=True, stdout=subprocess.DEVNULL)
        metrics = json.loads((tmp_path / "report" / "metrics.json").read_text(encoding="utf-8"))["label"]
    print(f"{'system':48s}{'macro-F1':>10s}{'accuracy':>10s}{'seconds':>9s}")
    print(f"{'baseline: TF-IDF char 1-3 + LinearSVC':48s}{baseline_f1:10.4f}{'':>10s}{baseline_seconds:9.1f}")
    print(f"{'petition-nlp train --target label; evaluate':48s}{metrics['macro_f1']:10.4f}{metrics['accuracy']:10.4f}"
          f"{train_seconds:9.1f}")
    print(f"difference: {metrics['macro_f1'] - baseline_f1:+.4f} macro-F1; calibration ECE {metrics['ece']:.3f}")


if __name__ == "__main__":
    main()
