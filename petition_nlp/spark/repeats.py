"""Repeat petitioners on Spark: the local ``repeats`` pipeline with splink's Spark backend doing the linkage.

What is shared with the local (DuckDB) run, so that both give the same clusters on the same register:

- identity normalisation: :func:`petition_nlp.repeats.prepare.identity_table`, run in ``mapInPandas``;
- the splink settings: comparisons and blocking rules from :func:`petition_nlp.repeats.linkage.splink_settings`,
  rendered for Spark;
- the parameters: trained exactly as the local run trains them (DuckDB on the driver, on the whole register
  when it has at most ``LinkageConfig.max_training_records`` usable records, else on the same seeded sample:
  :func:`petition_nlp.repeats.linkage.training_sample`), or the shipped prior for small registers, or a model
  JSON that you pass; the m and u probabilities and the prior are copied level by level into the Spark
  settings;
- the string similarities: DuckDB's ``jaro_winkler_similarity`` and ``damerau_levenshtein`` are not the same
  functions as the Java ones in splink's Spark jar (Jaro-Winkler differs near the 0.9 threshold), so the Spark
  run registers rapidfuzz versions that agree with DuckDB's to the last bit or so (no jar needed);
- one person, one ID number: clusters holding clearly different ID numbers are split by the local
  :func:`petition_nlp.repeats.constraints.split_conflicting_clusters`, on the driver (such clusters are few);
- the annotation: the local ``RepeatDetector.annotate`` itself (time order, same-matter detection, rounding),
  run in ``mapInPandas`` on blocks of whole petitioners; petitioner ids are numbered by first appearance in the
  whole register, as locally.
"""

from __future__ import annotations

import atexit
import json
import logging
import re
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io import InputError
from ..repeats.detector import OUTPUT_COLUMNS, DetectorSettings, RepeatDetector
from ..repeats.constraints import split_conflicting_clusters
from ..repeats.linkage import (NAME_IDENTITY, LinkageConfig, PersonLinkage, _with_evidence, adjusts_name_frequencies,
                               exact_name_u, prior_model, splink_settings, training_sample)
from ..repeats.prepare import IDENTITY_COLUMNS, RegisterColumns, identity_table
from ._frames import merge_schema, with_row_index

__all__ = [
    "ALL_OUTPUT_COLUMNS",
    "SparkRepeatDetector",
    "register_similarity_functions",
    "repeats_spark",
    "spark_linkage_settings",
    "train_linkage_model",
]

logger = logging.getLogger(__name__)

# The columns the local detector adds.
ALL_OUTPUT_COLUMNS = OUTPUT_COLUMNS

_ROW, _CLUSTER, _BEST = "__pn_row", "__pn_cluster", "__pn_best"
_ID, _DATE, _TEXT, _DOMAIN = "__pn_id", "__pn_date", "__pn_text", "__pn_domain"
_USABLE = ("id18", "phone_norm", "name_pinyin")  # records with none of these cannot be linked (as locally)

# Spark SQL names of the similarity functions that match DuckDB's.
JARO_WINKLER = "petition_nlp_jaro_winkler"
DAMERAU_LEVENSHTEIN = "petition_nlp_damerau_levenshtein"
_FUNCTION_NAMES = {r"\bjaro_winkler\(": f"{JARO_WINKLER}(", r"\bdamerau_levenshtein\(": f"{DAMERAU_LEVENSHTEIN}("}
_COPIED_LEVEL_KEYS = ("m_probability", "u_probability", "tf_adjustment_column", "tf_adjustment_weight",
                      "tf_minimum_u_value", "fix_m_probability", "fix_u_probability")


# --- similarity functions ------------------------------------------------------------------------------------

def _pairwise(a: pd.Series, b: pd.Series, func: Any) -> pd.Series:
    return pd.Series([float(func(x, y)) if isinstance(x, str) and isinstance(y, str) else None
                      for x, y in zip(a, b)], dtype="float64")


def register_similarity_functions(spark: Any) -> None:
    """Register ``petition_nlp_jaro_winkler`` and ``petition_nlp_damerau_levenshtein`` (pandas UDFs on
    rapidfuzz, the same algorithms as DuckDB's ``jaro_winkler_similarity`` and ``damerau_levenshtein``)."""
    from pyspark.sql.functions import pandas_udf
    from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

    @pandas_udf("double")
    def jaro_winkler(a: pd.Series, b: pd.Series) -> pd.Series:
        return _pairwise(a, b, JaroWinkler.similarity)

    @pandas_udf("double")
    def damerau_levenshtein(a: pd.Series, b: pd.Series) -> pd.Series:
        return _pairwise(a, b, DamerauLevenshtein.distance)

    spark.udf.register(JARO_WINKLER, jaro_winkler)
    spark.udf.register(DAMERAU_LEVENSHTEIN, damerau_levenshtein)


def _split_conflicts(clusters: Any, links: Any, usable: Any) -> tuple[Any, Any]:
    """The local run's :func:`split_conflicting_clusters` on Spark's clusters: only clusters holding two or more
    distinct ID numbers can conflict, and they are few, so their members and links go to the driver, are split
    there exactly as locally, and the new cluster ids and dropped links are applied back on Spark."""
    from pyspark.sql import functions as F

    ids = usable.select(F.col("unique_id").cast("long").alias(_ROW), "id18").where(F.col("id18").isNotNull())
    suspects = (clusters.join(ids, _ROW).groupBy(_CLUSTER).agg(F.countDistinct("id18").alias("__pn_ids"))
                .where(F.col("__pn_ids") >= 2).select(_CLUSTER))
    members = clusters.join(suspects, _CLUSTER)
    member_rows = members.join(ids, _ROW, "left").toPandas()
    if member_rows.empty:
        return clusters, links
    pair_columns = ["unique_id_l", "unique_id_r", "match_probability"]
    suspect_links = (links.join(members.select(F.col(_ROW).alias("unique_id_l")), "unique_id_l")
                     .select(*pair_columns).toPandas())
    before = member_rows.rename(columns={_ROW: "unique_id", _CLUSTER: "cluster_id"})
    after, kept = split_conflicting_clusters(before[["unique_id", "cluster_id"]], suspect_links,
                                             before.set_index("unique_id")["id18"])
    changed = after[after["cluster_id"].to_numpy() != before["cluster_id"].to_numpy()]
    if changed.empty:
        return clusters, links
    spark = clusters.sparkSession
    moved = spark.createDataFrame(changed.rename(columns={"unique_id": _ROW, "cluster_id": "__pn_new"})
                                  .astype({_ROW: "int64", "__pn_new": "int64"}))
    clusters = (clusters.join(F.broadcast(moved), _ROW, "left")
                .select(_ROW, F.coalesce(F.col("__pn_new"), F.col(_CLUSTER)).alias(_CLUSTER)))
    dropped = suspect_links.merge(kept[["unique_id_l", "unique_id_r"]], how="left", indicator=True)
    dropped = dropped.loc[dropped["_merge"] == "left_only", ["unique_id_l", "unique_id_r"]].astype("int64")
    if len(dropped):
        links = links.join(F.broadcast(spark.createDataFrame(dropped)), ["unique_id_l", "unique_id_r"], "left_anti")
    return clusters, links


# --- the linkage model -----------------------------------------------------------------------------------------

def load_linkage_model(model: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A trained splink model: a dict, a JSON file of one (``linker.misc.save_model_to_json``), a file written
    from :meth:`RepeatDetector.save_parameters` (the model under ``splink_model``), or ``"prior"`` for the
    shipped prior."""
    if isinstance(model, dict):
        loaded = model
    elif str(model) == "prior":
        loaded = prior_model()
        if loaded is None:
            raise InputError("this installation has no shipped prior linkage model")
    else:
        path = Path(model)
        if not path.is_file():
            raise InputError(f"linkage model not found: {path}")
        loaded = json.loads(path.read_text(encoding="utf-8"))
    loaded = loaded.get("splink_model", loaded)
    if "comparisons" not in loaded or "probability_two_random_records_match" not in loaded:
        raise InputError("not a splink model: it has no comparisons or no probability_two_random_records_match")
    return loaded


def train_linkage_model(identities: pd.DataFrame, config: LinkageConfig | None = None) -> dict[str, Any]:
    """Train the linkage model on an identity table exactly as the local run does (DuckDB, starting from the
    shipped prior where there is one) and return splink's model JSON."""
    from splink import DuckDBAPI, Linker

    cfg = config or LinkageConfig()
    prior = prior_model()
    linker = Linker(DuckDBAPI().register(identities), prior if prior is not None else splink_settings(cfg),
                    log_level=logging.ERROR)
    PersonLinkage._train(linker, cfg)
    return linker.misc.save_model_to_json()


def spark_linkage_settings(model: dict[str, Any], config: LinkageConfig | None = None) -> dict[str, Any]:
    """Splink settings for Spark: this library's comparisons and blocking rules rendered in Spark SQL, with
    every level's trained parameters and the prior copied from ``model`` (a model trained on DuckDB)."""
    settings = splink_settings(config or LinkageConfig()).create_settings_dict("spark")
    trained = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        levels = trained.get(name)
        if levels is None or len(levels) != len(comparison["comparison_levels"]):
            raise InputError(f"the linkage model's comparison {name!r} does not match this petition-nlp's; "
                             "retrain it with this version")
        for level, source in zip(comparison["comparison_levels"], levels):
            if level.get("label_for_charts") != source.get("label_for_charts") \
                    or bool(level.get("is_null_level")) != bool(source.get("is_null_level")):
                raise InputError(f"the linkage model's level {source.get('label_for_charts')!r} of {name!r} does "
                                 f"not match this petition-nlp's {level.get('label_for_charts')!r}")
            for key in _COPIED_LEVEL_KEYS:
                if key in source:
                    level[key] = source[key]
            for pattern, replacement in _FUNCTION_NAMES.items():
                level["sql_condition"] = re.sub(pattern, replacement, level["sql_condition"])
    for key in ("probability_two_random_records_match", "em_convergence", "max_iterations"):
        if key in model:
            settings[key] = model[key]
    return settings


# --- the detector ------------------------------------------------------------------------------------------------

def _identities(batches: Any, columns: RegisterColumns) -> Any:
    for batch in batches:
        table = identity_table(batch, columns)
        table["unique_id"] = batch[_ROW].to_numpy(dtype=np.int64)
        yield table


# The block frames handed to the local annotation name their columns after these.
_BLOCK_COLUMNS = RegisterColumns(id=_ID, received_at=_DATE, text=_TEXT, domain=_DOMAIN)


def _annotate_block(frame: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The local ``RepeatDetector.annotate`` run on whole petitioners (every row of each cluster in ``frame``,
    sorted by cluster and register row), so the time order, date parsing, same-matter rules and rounding are the
    local code's. Dates are parsed value by value there (``format="mixed"``), so a block parses as the whole
    column does.

    Two things are global, not per block, and are fixed here: the best match probability comes in as one
    self-pair per row, and the petitioner ids (numbered by first appearance in the whole register) replace the
    block's own.
    """
    n = len(frame)
    register = frame[[_ID, _DATE, _TEXT, _DOMAIN]]
    clusters = pd.DataFrame({"unique_id": np.arange(n), "cluster_id": frame[_CLUSTER].to_numpy(dtype=np.int64)})
    best = frame[_BEST].to_numpy(dtype=float, na_value=np.nan)
    linked = np.flatnonzero(~np.isnan(best))
    links = pd.DataFrame({"unique_id_l": linked, "unique_id_r": linked, "match_probability": best[linked]})
    detector = RepeatDetector(matter_threshold=threshold, columns=_BLOCK_COLUMNS)
    out = detector.annotate(register, clusters, links)
    return pd.DataFrame({
        _ROW: frame[_ROW].to_numpy(),
        "petitioner_id": frame["petitioner_id"].to_numpy(),
        **{name: out[name].to_numpy() if name != "repeat_of" else out[name].astype(object).to_numpy()
           for name in ALL_OUTPUT_COLUMNS if name != "petitioner_id"},
    })


def _annotate_partitions(batches: Any, threshold: float) -> Any:
    """Rows arrive sorted by cluster within a partition; a cluster cut by an Arrow batch boundary is carried
    over to the next batch, so each block handed on holds whole petitioners."""
    pending: pd.DataFrame | None = None
    for batch in batches:
        frame = batch if pending is None else pd.concat([pending, batch], ignore_index=True)
        if not len(frame):
            continue
        clusters = frame[_CLUSTER].to_numpy()
        tail = clusters == clusters[-1]
        pending = frame[tail].reset_index(drop=True)
        if (~tail).any():
            yield _annotate_block(frame[~tail].reset_index(drop=True), threshold)
    if pending is not None and len(pending):
        yield _annotate_block(pending, threshold)


class SparkRepeatDetector(DetectorSettings):
    """:class:`petition_nlp.repeats.RepeatDetector` for a Spark DataFrame (one petition per row).

    ``model``: None trains the linkage parameters as the local run does (on the driver, on the same records:
    all usable ones, or the same sample of ``LinkageConfig.max_training_records``; registers smaller than
    ``min_training_records`` use the shipped prior);
    ``"prior"``, a dict or a JSON path uses that model as it is. ``break_lineage_method`` is splink's (default
    ``"parquet"`` in the SparkContext's checkpoint folder, which a cluster must set; a local master gets a
    temporary one). After :meth:`fit_assign`: ``model_json_`` (the DuckDB-dialect model, as
    ``RepeatDetector.linkage_.model_json_``), ``parameters_``, ``links_`` (pairs at or above the threshold
    with their evidence).
    """

    def __init__(
        self,
        linkage: LinkageConfig | None = None,
        matter_threshold: float = 0.35,
        columns: RegisterColumns | None = None,
        allow_duplicate_ids: bool = False,
        *,
        model: str | Path | dict[str, Any] | None = None,
        break_lineage_method: str | None = None,
        keep_order: bool = True,
    ) -> None:
        if not 0 < matter_threshold < 1:
            raise ValueError(f"matter_threshold must be between 0 and 1, got {matter_threshold}")
        super().__init__(linkage, matter_threshold, columns, allow_duplicate_ids)
        self.model = model
        self.break_lineage_method = break_lineage_method
        self.keep_order = keep_order

    def _check(self, df: Any) -> None:
        from pyspark.sql import functions as F

        cols = self._cols()
        if cols.id not in df.columns:
            raise InputError(f"the register has no id column {cols.id!r}; its columns are {list(df.columns)}")
        duplicated = df.groupBy(cols.id).count().where(F.col("count") > 1).select(cols.id)
        examples = sorted(str(r[0]) for r in duplicated.limit(10).collect())
        self._report_duplicate_ids(duplicated.count() if examples else 0, examples)

    def _model_json(self, usable: Any, n_usable: int) -> dict[str, Any]:
        from pyspark.sql import functions as F

        cfg = self._cfg()
        if self.model is not None:
            return load_linkage_model(self.model)
        prior = prior_model()
        if prior is not None and n_usable < cfg.min_training_records:
            logger.info("register of %d records: using the shipped prior linkage model", n_usable)
            return prior
        sample = usable
        positions = training_sample(n_usable, cfg)
        if positions is not None:
            # The local run's sample: the same positions among the usable records in row order.
            row_ids = np.sort(usable.select("unique_id").toPandas()["unique_id"].to_numpy())
            chosen = usable.sparkSession.createDataFrame(pd.DataFrame({"unique_id": row_ids[positions].astype("int64")}))
            sample = usable.join(F.broadcast(chosen), "unique_id")
        identities = sample.toPandas().sort_values("unique_id", kind="stable").reset_index(drop=True)
        return train_linkage_model(identities, cfg)

    def _lineage_method(self, spark: Any) -> str:
        """How splink cuts the lineage of its intermediate tables: ``break_lineage_method`` when given, else
        Parquet in the checkpoint folder (a temporary one for a local master). Without cuts the plans of the
        iterative clustering grow until the driver runs out of memory."""
        method = self.break_lineage_method or "parquet"
        context = spark.sparkContext
        if method in ("parquet", "checkpoint", "delta_lake_files") and not context.getCheckpointDir():
            if not context.master.startswith("local"):
                raise InputError("set a checkpoint folder that every executor can reach, e.g. "
                                 "spark.sparkContext.setCheckpointDir('hdfs:///tmp/petition-nlp'), "
                                 "or pass break_lineage_method")
            folder = tempfile.mkdtemp(prefix="petition-nlp-checkpoints-")
            atexit.register(shutil.rmtree, folder, True)
            context.setCheckpointDir(folder)
        return method

    def _link(self, usable: Any, model_json: dict[str, Any]) -> tuple[Any, Any]:
        """Predict and cluster on Spark: (clusters of usable rows, pairs at or above the match threshold)."""
        from pyspark.sql import functions as F
        from splink import Linker, SparkAPI

        spark, cfg = usable.sparkSession, self._cfg()
        register_similarity_functions(spark)
        db_api = SparkAPI(spark_session=spark, break_lineage_method=self._lineage_method(spark),
                          register_udfs_automatically=False)
        linker = Linker(db_api.register(usable), spark_linkage_settings(model_json, cfg), log_level=logging.ERROR)
        # The same name frequencies as the local run (see adjusts_name_frequencies).
        named = usable.where(F.col("name_norm").isNotNull())
        if adjusts_name_frequencies(usable.count(), cfg):
            distinct = named.dropDuplicates(list(NAME_IDENTITY))
            total = distinct.count()
            frequencies = distinct.groupBy("name_norm").count().select(
                "name_norm", (F.col("count") / F.lit(total)).alias("tf_name_norm"))
        else:
            frequencies = named.select("name_norm").distinct().withColumn("tf_name_norm", F.lit(exact_name_u(model_json)))
        linker.table_management.register_term_frequency_lookup(db_api.register(frequencies), "name_norm")
        predictions = linker.inference.predict(threshold_match_probability=min(0.5, cfg.match_threshold))
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=cfg.match_threshold
        ).as_spark_dataframe().select(F.col("unique_id").cast("long").alias(_ROW),
                                      F.col("cluster_id").cast("long").alias(_CLUSTER))
        scored = predictions.as_spark_dataframe()
        links = scored.where(F.col("match_probability") >= cfg.match_threshold).select(
            F.col("unique_id_l").cast("long").alias("unique_id_l"), F.col("unique_id_r").cast("long").alias("unique_id_r"),
            F.col("match_probability").cast("double").alias("match_probability"),
            *[F.col(c) for c in scored.columns if c.startswith("mw_")])
        self.linker_ = linker
        return clusters, links

    def fit_assign(self, df: Any) -> Any:
        """``df`` with ``petitioner_id``, ``match_probability``, ``is_repeat``, ``repeat_of``,
        ``prior_petitions`` and ``matter_similarity`` added, as the local ``RepeatDetector.fit_assign``."""
        from pyspark import StorageLevel
        from pyspark.sql import functions as F
        from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType, StructField, StructType

        spark, cols, cfg = df.sparkSession, self._cols(), self._cfg()
        self._check(df)
        if _ROW in df.columns:
            raise InputError(f"the register has a column {_ROW!r}, which petition-nlp uses internally")
        indexed = with_row_index(df, _ROW)
        self.indexed_ = indexed

        sources = [c for c in (cols.name, cols.id_number, cols.phone, cols.address) if c in df.columns]
        identity_schema = StructType([StructField("unique_id", LongType(), False)]
                                     + [StructField(c, StringType(), True) for c in IDENTITY_COLUMNS])
        identities = indexed.select(_ROW, *sources).mapInPandas(lambda b: _identities(b, cols), identity_schema)
        known = F.col(_USABLE[0]).isNotNull()
        for column in _USABLE[1:]:
            known = known | F.col(column).isNotNull()
        usable = identities.where(known).persist(StorageLevel.MEMORY_AND_DISK)
        n_usable = usable.count()
        self.model_json_ = self._model_json(usable, n_usable)
        linkage = PersonLinkage(cfg)
        linkage.model_json_ = self.model_json_
        self.parameters_ = linkage.parameters()

        if n_usable >= 2:
            clusters, links = _split_conflicts(*self._link(usable, self.model_json_), usable)
        else:
            clusters = spark.createDataFrame([], f"{_ROW} long, {_CLUSTER} long")
            links = spark.createDataFrame([], "unique_id_l long, unique_id_r long, match_probability double")
        model_json = self.model_json_
        evidence_schema = "unique_id_l long, unique_id_r long, match_probability double, evidence string"
        self.links_ = links.mapInPandas(lambda batches: (_with_evidence(b, model_json) for b in batches),
                                        evidence_schema)

        best = (links.select(F.col("unique_id_l").alias(_ROW), "match_probability")
                .unionByName(links.select(F.col("unique_id_r").alias(_ROW), "match_probability"))
                .groupBy(_ROW).agg(F.max("match_probability").alias(_BEST)))

        def optional(name: str, alias: str) -> Any:
            return F.col(name).alias(alias) if name in df.columns else F.lit(None).cast("string").alias(alias)

        narrow = indexed.select(_ROW, F.col(cols.id).alias(_ID), optional(cols.received_at, _DATE),
                                optional(cols.text, _TEXT), optional(cols.domain, _DOMAIN))
        assigned = (narrow.join(clusters, _ROW, "left")
                    .withColumn(_CLUSTER, F.coalesce(F.col(_CLUSTER), F.col(_ROW)))
                    .join(best, _ROW, "left"))
        assigned = assigned.persist(StorageLevel.MEMORY_AND_DISK)
        self._cached = [indexed, usable, assigned]
        # Petitioner ids numbered by first appearance, as locally: rank the clusters by their first row.
        firsts = assigned.groupBy(_CLUSTER).agg(F.min(_ROW).alias("__pn_first")).orderBy("__pn_first")
        ranks = with_row_index(firsts, "__pn_rank")
        self._cached.append(ranks)
        ranked = ranks.select(_CLUSTER, F.format_string("P%07d", F.col("__pn_rank") + 1).alias("petitioner_id"))
        assigned = assigned.join(ranked, _CLUSTER)

        threshold = self.matter_threshold
        added = [StructField("petitioner_id", StringType(), True),
                 StructField("match_probability", DoubleType(), True),
                 StructField("is_repeat", BooleanType(), True),
                 StructField("repeat_of", df.schema[cols.id].dataType, True),
                 StructField("prior_petitions", LongType(), True),
                 StructField("matter_similarity", DoubleType(), True)]
        annotation_schema = StructType([StructField(_ROW, LongType(), False)] + added)
        partitions = max(1, spark.sparkContext.defaultParallelism,
                         int(spark.conf.get("spark.sql.shuffle.partitions", "200")))
        annotations = (assigned.repartition(partitions, _CLUSTER).sortWithinPartitions(_CLUSTER, _ROW)
                       .mapInPandas(lambda b: _annotate_partitions(b, threshold), annotation_schema))
        renamed = annotations.select(_ROW, *[F.col(f.name).alias(f"__pn_out_{f.name}") for f in added])
        joined = indexed.join(renamed, _ROW)
        schema = merge_schema(df.schema, added)
        out_columns = [f.name for f in added]
        labelled = joined.select(_ROW, *[joined[f"__pn_out_{name}"].alias(name) if name in out_columns else
                                         indexed[name] for name in schema.fieldNames()])
        if self.keep_order:
            labelled = labelled.orderBy(_ROW)
        return labelled.drop(_ROW)

    def unpersist(self) -> None:
        """Free the tables this detector cached (call it once the output is written)."""
        for frame in getattr(self, "_cached", []):
            frame.unpersist()
        self._cached = []

    def pairs(self) -> Any:
        """The linked pairs with the register's ids: ``id_l``, ``id_r``, ``match_probability``, ``evidence``."""
        from pyspark.sql import functions as F

        ids = self.indexed_.select(F.col(_ROW), F.col(self._cols().id).cast("string").alias("__pn_id"))
        left = ids.withColumnRenamed(_ROW, "unique_id_l").withColumnRenamed("__pn_id", "id_l")
        right = ids.withColumnRenamed(_ROW, "unique_id_r").withColumnRenamed("__pn_id", "id_r")
        return (self.links_.join(left, "unique_id_l").join(right, "unique_id_r")
                .orderBy("unique_id_l", "unique_id_r").select("id_l", "id_r", "match_probability", "evidence"))

    def save_parameters(self) -> str:
        """The trained linkage model with this detector's settings, as ``RepeatDetector.save_parameters``."""
        return json.dumps({"splink_model": self.model_json_, "matter_threshold": self.matter_threshold,
                           "linkage": asdict(self._cfg()), "columns": asdict(self._cols())}, ensure_ascii=False)

    @staticmethod
    def summary(labelled: Any) -> dict[str, Any]:
        from pyspark.sql import functions as F

        row = labelled.agg(
            F.count(F.lit(1)).alias("records"),
            F.countDistinct("petitioner_id").alias("petitioners"),
            F.sum(F.col("is_repeat").cast("long")).alias("repeat_petitions"),
            F.countDistinct(F.when(F.col("is_repeat"), F.col("petitioner_id"))).alias("repeat_petitioners"),
        ).first()
        return {key: int(row[key] or 0) for key in ("records", "petitioners", "repeat_petitions", "repeat_petitioners")}


def repeats_spark(
    df: Any,
    linkage: LinkageConfig | None = None,
    matter_threshold: float = 0.35,
    columns: RegisterColumns | None = None,
    allow_duplicate_ids: bool = False,
    **options: Any,
) -> Any:
    """Link a Spark register into petitioners and mark repeats: the Spark counterpart of
    ``RepeatDetector(...).fit_assign(register)`` (see :class:`SparkRepeatDetector` for ``options``)."""
    return SparkRepeatDetector(linkage, matter_threshold, columns, allow_duplicate_ids, **options).fit_assign(df)
