"""Repeat detection on generated registers with known persons and matters.

For each register size: pairwise precision / recall / F1 of ``petitioner_id`` and accuracy of ``is_repeat``
against two baselines computed in the same run (exact match on the normalised ID number; exact match on name +
phone), wall time and peak memory (each size in its own process), and the intake index's match latency
(p50 / p99 over 1,000 new records) against an index holding the whole register.

    python benchmarks/bench_repeats.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics.cluster import pair_confusion_matrix

from common import load_corpus


def pairwise(truth: pd.Series, predicted: pd.Series) -> tuple[float, float, float]:
    (_, fp), (fn, tp) = pair_confusion_matrix(truth, predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def true_repeats(register: pd.DataFrame) -> np.ndarray:
    ordered = register.assign(_d=pd.to_datetime(register["received_at"])).sort_values(["true_person", "_d", "id"])
    return ordered.duplicated(["true_person", "true_matter"]).reindex(register.index).to_numpy()


def run_one(size: int) -> dict:
    from petition_nlp import RepeatDetector, RepeatIndex
    from petition_nlp.repeats.identity import normalize_id_number, normalize_name, normalize_phone
    from petition_nlp.synthetic.register import generate_register

    corpus = load_corpus()
    texts = [(r["text"], r["domain"]) for r in corpus]
    full = generate_register(size + 1000, texts, seed=size)
    register, incoming = full.iloc[:size].reset_index(drop=True), full.iloc[size:]
    started = time.perf_counter()
    detector = RepeatDetector()
    labelled = detector.fit_assign(register.drop(columns=["true_person", "true_matter"]))
    seconds = time.perf_counter() - started
    result = {"size": size, "seconds": seconds}
    result["linkage"] = pairwise(register["true_person"], labelled["petitioner_id"])
    ids = register["id_number"].map(lambda v: normalize_id_number(v).value)
    result["baseline_exact_id"] = pairwise(register["true_person"], ids.where(ids != "", register["id"]))
    name_phone = register["name"].map(normalize_name) + "|" + register["phone"].map(lambda v: normalize_phone(v).value)
    result["baseline_name_phone"] = pairwise(register["true_person"],
                                             name_phone.where(~name_phone.str.startswith("|") & ~name_phone.str.endswith("|"), register["id"]))
    truth = true_repeats(register)
    result["is_repeat_accuracy"] = float((labelled["is_repeat"].to_numpy() == truth).mean())
    result["repeat_share"] = float(truth.mean())
    result["peak_mb_linkage"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    index = RepeatIndex.from_labelled(labelled, detector.parameters_)
    result["index_build_seconds"] = time.perf_counter() - started
    latencies = []
    for record in incoming.to_dict("records"):
        started = time.perf_counter()
        index.add(record)
        latencies.append(time.perf_counter() - started)
    result["index_p50_ms"] = float(np.percentile(latencies, 50) * 1e3)
    result["index_p99_ms"] = float(np.percentile(latencies, 99) * 1e3)
    result["peak_mb_total"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    print(f"{'records':>9} {'seconds':>8} {'peak MB':>8} {'P':>6} {'R':>6} {'F1':>6} | {'exact ID F1':>11} "
          f"{'name+phone F1':>13} | {'is_repeat acc':>13} | {'index p50/p99 ms':>16}")
    previous = None
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        p, rec, f1 = r["linkage"]
        growth = f" (x{r['seconds'] / previous[1]:.1f} time for x{size / previous[0]:.0f} records)" if previous else ""
        print(f"{size:>9,} {r['seconds']:>8.1f} {r['peak_mb_linkage']:>8.0f} {p:>6.3f} {rec:>6.3f} {f1:>6.3f} | "
              f"{r['baseline_exact_id'][2]:>11.3f} {r['baseline_name_phone'][2]:>13.3f} | {r['is_repeat_accuracy']:>13.3f} | "
              f"{r['index_p50_ms']:>7.2f} / {r['index_p99_ms']:<7.2f}{growth}", flush=True)
        previous = (size, r["seconds"])


if __name__ == "__main__":
    main()
