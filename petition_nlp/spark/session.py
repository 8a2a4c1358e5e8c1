"""Spark sessions and tables: start a session for petition-nlp, read and write Parquet, CSV, TSV and JSONL paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..io import InputError, sniff_encoding

__all__ = ["managed_session", "read_spark_table", "spark_session", "spark_table_format", "write_spark_table"]

SPARK_FORMATS = {".parquet": "parquet", ".csv": "csv", ".tsv": "tsv", ".txt": "tsv", ".jsonl": "json", ".json": "json"}


def spark_session(
    master: str | None = "local[*]",
    app_name: str = "petition-nlp",
    *,
    shuffle_partitions: int | None = None,
    config: dict[str, str] | None = None,
) -> Any:
    """A SparkSession for petition-nlp (an existing active session is reused as it is).

    ``master`` None leaves it to ``spark-submit``. For a ``local`` master the Python workers run this
    interpreter, the driver (the whole local cluster) gets 4 GB, and shuffles use ``shuffle_partitions``
    (default: twice the cores) instead of Spark's 200; ``config`` overrides any of these.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InputError("the Spark engine needs PySpark: pip install 'petition-nlp[spark]'") from exc

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName(app_name)
    settings = {"spark.sql.execution.arrow.pyspark.enabled": "true"}
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions or 2 * (os.cpu_count() or 2))
            settings["spark.ui.showConsoleProgress"] = "false"
            settings["spark.driver.memory"] = "4g"  # the driver is the whole local cluster: Spark's 1g is too little
    if shuffle_partitions:
        settings["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    settings.update(config or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


@contextmanager
def managed_session(master: str | None = "local[*]", **options: Any) -> Iterator[Any]:
    """A session for one command: stopped at the end unless it was already running (a notebook, a test)."""
    spark_before = _active_session()
    spark = spark_session(master, **options)
    existed = spark_before is not None
    try:
        yield spark
    finally:
        if not existed:
            spark.stop()


def _active_session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


def spark_table_format(path: str | Path) -> str:
    """parquet, csv, tsv or json, from the path's extension (a folder of Spark part files named like a file)."""
    suffix = Path(str(path).rstrip("/")).suffix.lower()
    if suffix not in SPARK_FORMATS:
        raise InputError(f"{path}: --engine spark reads and writes {sorted(SPARK_FORMATS)} paths, not {suffix!r}")
    return SPARK_FORMATS[suffix]


def _is_remote(path: str | Path) -> bool:
    return "://" in str(path)


def read_spark_table(spark: Any, path: str | Path, encoding: str | None = None) -> Any:
    """Read a table (a file or a folder of part files) as a Spark DataFrame.

    CSV and TSV are read as the local engine reads them: every column as text, empty cells as empty strings,
    a UTF-8 BOM dropped from the header, GB18030 recognised in a local file (or pass ``encoding``).
    """
    fmt = spark_table_format(path)
    if not _is_remote(path) and not Path(path).exists():
        raise InputError(f"input not found: {path}")
    if fmt == "parquet":
        return spark.read.parquet(str(path))
    if fmt == "json":
        return spark.read.json(str(path), encoding=encoding) if encoding else spark.read.json(str(path))
    if encoding is None and not _is_remote(path) and Path(path).is_file():
        encoding = sniff_encoding(Path(path))
    charset = {"utf-8-sig": "UTF-8", "utf8": "UTF-8"}.get((encoding or "UTF-8").lower(), encoding or "UTF-8")
    frame = (spark.read.option("header", "true").option("multiLine", "true").option("escape", '"')
             .option("sep", "\t" if fmt == "tsv" else ",").option("encoding", charset).csv(str(path)))
    if frame.columns and frame.columns[0].startswith("\ufeff"):
        frame = frame.withColumnRenamed(frame.columns[0], frame.columns[0].removeprefix("\ufeff"))
    return frame.na.fill("")


def write_spark_table(df: Any, path: str | Path, mode: str = "errorifexists") -> None:
    """Write ``df`` as a folder of part files in the format named by ``path``'s extension.

    An existing output is an error unless ``mode`` is ``"overwrite"``: a mistyped path never deletes a folder.
    """
    fmt = spark_table_format(path)
    if mode == "errorifexists" and not _is_remote(path) and Path(path).exists():
        raise InputError(f"output {path} exists; remove it or choose another path")
    writer = df.write.mode(mode)
    if fmt == "parquet":
        writer.parquet(str(path))
    elif fmt == "json":
        writer.json(str(path))
    else:
        writer.option("header", "true").option("escape", '"').option("sep", "\t" if fmt == "tsv" else ",").csv(str(path))
