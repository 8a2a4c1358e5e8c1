"""Small Spark DataFrame helpers shared by labelling and linkage: stable row numbers and output schemas."""

from __future__ import annotations

from typing import Any

__all__ = ["merge_schema", "with_row_index"]


def with_row_index(df: Any, name: str) -> Any:
    """``df`` with a column ``name`` numbering its rows 0, 1, 2, … in the DataFrame's order, persisted.

    Like ``zipWithIndex`` but without sending the rows through Python: ``monotonically_increasing_id`` encodes
    (partition, position); one small aggregation gives each partition's offset. The frame is persisted first so
    that the numbers cannot change if Spark recomputes it.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    mono, part = f"{name}__mono", f"{name}__part"
    marked = df.withColumn(mono, F.monotonically_increasing_id()).withColumn(part, F.shiftright(F.col(mono), 33))
    marked = marked.persist(StorageLevel.MEMORY_AND_DISK)
    counts = sorted((int(r[part]), int(r["count"])) for r in marked.groupBy(part).count().collect())
    offsets, total = [], 0
    for partition, count in counts:
        offsets.append((partition, total))
        total += count
    spark = df.sparkSession
    offset_frame = spark.createDataFrame(offsets or [(0, 0)], f"{part} long, {name}__offset long")
    indexed = (marked.join(F.broadcast(offset_frame), part, "left")
               .withColumn(name, F.col(f"{name}__offset") + F.col(mono).bitwiseAND(F.lit((1 << 33) - 1)))
               .drop(mono, part, f"{name}__offset"))
    result = indexed.persist(StorageLevel.MEMORY_AND_DISK)
    result.count()
    marked.unpersist()
    return result


def merge_schema(base: Any, added: list[Any]) -> Any:
    """The schema pandas gives when it assigns ``added`` columns to a frame of schema ``base``: a column that
    already exists is replaced in place (with the new type), the others are appended in order."""
    from pyspark.sql.types import StructType

    by_name = {f.name: f for f in added}
    fields = [by_name.get(f.name, f) for f in base.fields]
    present = {f.name for f in base.fields}
    fields += [f for f in added if f.name not in present]
    return StructType(fields)
