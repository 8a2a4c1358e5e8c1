"""petition-nlp on Apache Spark (``pip install 'petition-nlp[spark]'``): label and link province-sized backlogs.

- :func:`label_spark` adds the model's columns to a Spark DataFrame, the same columns and values as
  :func:`petition_nlp.batch.label_frame` (``mapInPandas``; the model is broadcast and loaded once per worker).
- :func:`repeats_spark` / :class:`SparkRepeatDetector` link petitioners with splink's Spark backend, using the
  settings, comparisons, blocking rules and trained parameters of the local (DuckDB) run, and add the same
  columns as ``petition-nlp repeats``.
- :func:`spark_session`, :func:`read_spark_table`, :func:`write_spark_table`: sessions and Parquet/CSV paths.

PySpark is imported only when one of these runs.
"""

from .jobs import label_table_spark, repeats_table_spark
from .label import label_spark
from .repeats import SparkRepeatDetector, repeats_spark, spark_linkage_settings, train_linkage_model
from .session import managed_session, read_spark_table, spark_session, write_spark_table

__all__ = [
    "SparkRepeatDetector",
    "label_spark",
    "label_table_spark",
    "managed_session",
    "read_spark_table",
    "repeats_spark",
    "repeats_table_spark",
    "spark_linkage_settings",
    "spark_session",
    "train_linkage_model",
    "write_spark_table",
]
