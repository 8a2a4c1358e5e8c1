"""The ``--engine spark`` paths of ``petition-nlp label`` and ``petition-nlp repeats``: path in, path out."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..batch import ERROR_COLUMN
from ..io import InputError
from ..repeats.linkage import LinkageConfig
from ..repeats.prepare import RegisterColumns
from .label import label_spark
from .repeats import SparkRepeatDetector
from ..text.masking import masked_values
from .session import managed_session, read_spark_table, spark_table_format, write_spark_table

__all__ = ["label_table_spark", "repeats_table_spark"]

logger = logging.getLogger(__name__)


def _distinct_paths(source: str | Path, target: str | Path) -> None:
    spark_table_format(source), spark_table_format(target)
    if Path(str(source)).resolve() == Path(str(target)).resolve():
        raise InputError(f"output {target} would overwrite the input")


def _warn_duplicates(df: Any, column: str) -> None:
    from pyspark.sql import functions as F

    duplicated = df.groupBy(column).count().where(F.col("count") > 1).select(column).limit(10).collect()
    if duplicated:
        logger.warning("duplicate %s values: %s", column, masked_values(r[0] for r in duplicated))


def label_table_spark(
    input: str | Path,
    output: str | Path,
    model: str | Path | None = None,
    *,
    master: str | None = "local[*]",
    text_column: str = "text",
    id_column: str | None = None,
    batch_size: int = 5000,
    encoding: str | None = None,
) -> dict[str, int]:
    """Label ``input`` into ``output`` (a folder of part files) on Spark; counts as ``label_file`` gives them."""
    from pyspark.sql import functions as F

    _distinct_paths(input, output)
    with managed_session(master) as spark:
        frame = read_spark_table(spark, input, encoding)
        for column in (text_column, id_column):
            if column and column not in frame.columns:
                raise InputError(f"{input} has no column {column!r}; its columns are {list(frame.columns)}")
        if id_column:
            _warn_duplicates(frame, id_column)
        write_spark_table(label_spark(frame, model, text_column, batch_size), output)
        error = F.col(ERROR_COLUMN)
        row = read_spark_table(spark, output).agg(
            F.count(F.lit(1)).alias("rows"),
            F.sum((error.isNotNull() & (error != "")).cast("long")).alias("errors")).first()
    rows, errors = int(row["rows"]), int(row["errors"] or 0)
    return {"rows": rows, "labelled": rows - errors, "errors": errors}


def repeats_table_spark(
    input: str | Path,
    output: str | Path,
    *,
    master: str | None = "local[*]",
    linkage: LinkageConfig | None = None,
    matter_threshold: float = 0.35,
    columns: RegisterColumns | None = None,
    allow_duplicate_ids: bool = False,
    links: str | Path | None = None,
    model: str | Path | None = None,
    encoding: str | None = None,
) -> dict[str, Any]:
    """Find repeat petitioners in ``input`` on Spark and write the register with the added columns to
    ``output`` (and the linked pairs to ``links``); returns the summary the local command prints."""
    _distinct_paths(input, output)
    if links is not None:
        _distinct_paths(input, links)
    with managed_session(master) as spark:
        register = read_spark_table(spark, input, encoding)
        detector = SparkRepeatDetector(linkage, matter_threshold, columns, allow_duplicate_ids, model=model)
        write_spark_table(detector.fit_assign(register), output)
        if links is not None:
            write_spark_table(detector.pairs(), links)
        detector.unpersist()
        return detector.summary(read_spark_table(spark, output))
