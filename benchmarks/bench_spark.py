"""Spark (local[2] by default) against the single-process local path, in the same run: rows per second for
labelling (``label`` on a Parquet file) and for person linkage plus repeat marking (``repeats``).

Both sides read a Parquet file and write a Parquet output: the local side with ``label_file`` and
``RepeatDetector.fit_assign`` in this process, the Spark side with ``label_spark`` and ``SparkRepeatDetector`` in
one session (its start-up is timed once and reported apart). Labelling uses the authored corpus texts, cycled;
linkage a generated register (``generate_register``). With two or more sizes the script fits
``seconds = fixed + rows / rate`` to each side and reports where the lines cross: the size from which Spark
pays off on this machine, or that it does not.

    python benchmarks/bench_spark.py [--sizes 100000 1000000] [--tasks label linkage] [--master local[2]]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import load_corpus


def _row_group(size: int) -> int:
    """Row groups small enough for Spark to split one input file among its cores (a real backlog is many
    files); the local engine streams the same file."""
    return max(1000, size // 16)


def label_data(size: int, folder: Path) -> Path:
    rows = load_corpus()
    texts = [r["text"] for r in rows]
    frame = pd.DataFrame({"id": [f"L{i:08d}" for i in range(size)], "text": [texts[i % len(texts)] for i in range(size)]})
    path = folder / f"petitions-{size}.parquet"
    frame.to_parquet(path, index=False, row_group_size=_row_group(size))
    return path


def register_data(size: int, folder: Path) -> Path:
    from petition_nlp.synthetic.register import generate_register

    texts = [(r["text"], r["domain"]) for r in load_corpus()]
    register = generate_register(size, texts, seed=size).drop(columns=["true_person", "true_matter"])
    path = folder / f"register-{size}.parquet"
    register.to_parquet(path, index=False, row_group_size=_row_group(size))
    return path


def bench_label(spark, size: int, folder: Path, threads: int = 1) -> dict:
    from petition_nlp.batch import label_file
    from petition_nlp.spark import label_spark

    source = label_data(size, folder)
    started = time.perf_counter()
    label_file(source, folder / "local-labelled.parquet", None, progress=False, threads=threads)
    local = time.perf_counter() - started
    started = time.perf_counter()
    petitions = spark.read.parquet(str(source))
    partitions = petitions.rdd.getNumPartitions()
    label_spark(petitions, None).write.mode("overwrite").parquet(str(folder / "spark-labelled.parquet"))
    remote = time.perf_counter() - started
    check = pd.read_parquet(folder / "spark-labelled.parquet")["domain"].tolist() == \
        pd.read_parquet(folder / "local-labelled.parquet")["domain"].tolist()
    return {"task": "label", "rows": size, "local_s": local, "spark_s": remote, "same_labels": check,
            "input_partitions": partitions}


def bench_linkage(spark, size: int, folder: Path) -> dict:
    from petition_nlp.io import write_table
    from petition_nlp.repeats import RepeatDetector
    from petition_nlp.spark import SparkRepeatDetector

    source = register_data(size, folder)
    started = time.perf_counter()
    register = pd.read_parquet(source)
    local_out = RepeatDetector().fit_assign(register)
    write_table(local_out, folder / "local-repeats.parquet")
    local = time.perf_counter() - started
    started = time.perf_counter()
    register = spark.read.parquet(str(source))
    partitions = register.rdd.getNumPartitions()
    SparkRepeatDetector().fit_assign(register).write.mode("overwrite") \
        .parquet(str(folder / "spark-repeats.parquet"))
    remote = time.perf_counter() - started
    spark_out = pd.read_parquet(folder / "spark-repeats.parquet")

    def partition(ids: pd.Series) -> set:
        return {frozenset(g) for g in ids.groupby(ids.to_numpy()).groups.values()}

    same = partition(spark_out["petitioner_id"]) == partition(local_out["petitioner_id"])
    return {"task": "linkage", "rows": size, "local_s": local, "spark_s": remote, "same_clusters": same,
            "input_partitions": partitions}


def crossover(results: list[dict]) -> str:
    """Fit seconds = fixed + per_row * rows to both engines; where Spark's line drops below the local one."""
    if len({r["rows"] for r in results}) < 2:
        ratio = results[0]["local_s"] / results[0]["spark_s"]
        return (f"one size only: Spark is {ratio:.2f}x the local speed at {results[0]['rows']:,} rows "
                "(pass two or more --sizes for a crossover estimate)")
    rows = np.array([r["rows"] for r in results], dtype=float)
    local_fixed, local_slope = np.polynomial.polynomial.polyfit(rows, [r["local_s"] for r in results], 1)
    spark_fixed, spark_slope = np.polynomial.polynomial.polyfit(rows, [r["spark_s"] for r in results], 1)
    if local_slope <= 0 or spark_slope <= 0:
        return "no estimate: at these sizes the times are fixed costs and noise (measure larger sizes)"
    rates = f"per-row rates: local {1 / local_slope:,.0f} rows/s, Spark {1 / spark_slope:,.0f} rows/s"
    if spark_slope >= local_slope:
        return f"no crossover: Spark's per-row cost is not lower than the local engine's ({rates})"
    point = (spark_fixed - local_fixed) / (local_slope - spark_slope)
    if point <= 0:
        return f"Spark is ahead at every measured size ({rates})"
    return f"Spark pays off from about {point:,.0f} rows ({rates}; fixed costs local {local_fixed:.1f} s, Spark {spark_fixed:.1f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--tasks", nargs="+", choices=["label", "linkage"], default=["label", "linkage"])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="8g")
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from petition_nlp.spark import spark_session

    started = time.perf_counter()
    cores = int(args.master[6:-1]) if args.master.startswith("local[") and args.master[6:-1].isdigit() else (os.cpu_count() or 2)
    spark = spark_session(args.master, "petition-nlp-bench", shuffle_partitions=4 * cores,
                          config={"spark.ui.enabled": "false", "spark.driver.memory": args.driver_memory,
                                  # split small files among the cores instead of reading each in one task
                                  "spark.sql.files.openCostInBytes": "65536",
                                  "spark.sql.warehouse.dir": tempfile.mkdtemp(prefix="bench-spark-warehouse-")})
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(1).count()
    startup = time.perf_counter() - started
    # Warm both engines (JIT, Python workers, model and address tables loaded) so that the first size measured
    # is not charged for it; the warm-up is not reported.
    benches = {"label": partial(bench_label, threads=cores), "linkage": bench_linkage}
    warm = Path(tempfile.mkdtemp(prefix="bench-spark-warm-"))
    for task in args.tasks:
        benches[task](spark, 1100, warm)
    shutil.rmtree(warm, ignore_errors=True)
    print(f"Spark {spark.version} on {args.master}; machine: {os.cpu_count()} cores; session start-up {startup:.1f} s "
          "(not included below; the first run of each task is a warm-up)")
    print(f"local side: one process, label with --threads {cores} (as many as Spark's cores); linkage on DuckDB, "
          "which uses every core itself")
    print(f"{'task':<9}{'rows':>11}{'local s':>10}{'local rows/s':>14}{'spark s':>10}{'spark rows/s':>14}{'speedup':>13}  agree  partitions")
    results: dict[str, list[dict]] = {task: [] for task in args.tasks}
    folder = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    try:
        for size in sorted(args.sizes):
            for task in args.tasks:
                result = benches[task](spark, size, folder)
                results[task].append(result)
                agree = result.get("same_labels", result.get("same_clusters"))
                print(f"{task:<9}{size:>11,}{result['local_s']:>10.1f}{size / result['local_s']:>14,.0f}"
                      f"{result['spark_s']:>10.1f}{size / result['spark_s']:>14,.0f}"
                      f"{result['local_s'] / result['spark_s']:>12.2f}x  {agree!s:<5}  {result['input_partitions']}", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        spark.stop()
    for task, rows in results.items():
        print(f"{task}: {crossover(rows)}")
    print(json.dumps({"master": args.master, "startup_s": startup, "results": results}))


if __name__ == "__main__":
    main()
