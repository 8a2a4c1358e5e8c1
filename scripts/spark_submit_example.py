"""Worked example: label a province's petition backlog and find its repeat petitioners on a Spark cluster.

One job reads the backlog, labels every petition with a saved model (domain, 涉法涉诉 or not, stage, confidence,
explanation, needs_review), then links the petitioners with splink's Spark backend and marks repeat petitions
(the predicted ``domain`` feeds the same-matter rule: petitions of different domains are different matters).
The results are the ones ``petition-nlp label`` and ``petition-nlp repeats`` give on one machine.

1. Pack an environment with petition-nlp for the executors (once per release)::

    python3 -m venv pn && . pn/bin/activate
    pip install '.[spark]' venv-pack          # from the petition-nlp source tree
    venv-pack -o pn-env.tar.gz

2. Submit from an edge node (client mode: the driver runs here and reads the model directory from local disk;
   the model's files are broadcast to the executors with the job)::

    spark-submit \\
      --master yarn --deploy-mode client \\
      --archives pn-env.tar.gz#pn-env \\
      --conf spark.pyspark.python=./pn-env/bin/python \\
      --conf spark.pyspark.driver.python=pn/bin/python \\
      --conf spark.sql.shuffle.partitions=400 \\
      --conf spark.sql.execution.arrow.maxRecordsPerBatch=5000 \\
      --num-executors 20 --executor-cores 4 --executor-memory 8g --driver-memory 16g \\
      scripts/spark_submit_example.py \\
        --petitions hdfs:///xinfang/backlog/2015-2024.parquet \\
        --model models/default \\
        --labelled hdfs:///xinfang/out/labelled.parquet \\
        --repeats hdfs:///xinfang/out/repeats.parquet \\
        --links hdfs:///xinfang/out/links.parquet \\
        --checkpoint-dir hdfs:///tmp/petition-nlp-checkpoints

   The driver trains the linkage parameters on at most ``--training-rows`` usable records (DuckDB, as the local
   run does), so give it memory; or pass ``--linkage-model model.json`` (a model saved by
   ``RepeatDetector.save_parameters()`` from a local run, or ``prior``) to skip training. The checkpoint folder
   must be reachable from every executor (HDFS, S3, a shared mount): splink cuts the lineage of its iterative
   clustering there.

3. Try the same job on one machine first (Spark's ``local`` master, with the pip-installed ``spark-submit``)::

    spark-submit --master 'local[2]' scripts/spark_submit_example.py \\
        --petitions register.parquet --labelled out/labelled.parquet --repeats out/repeats.parquet

   (``python scripts/spark_submit_example.py --master 'local[2]' ...`` works too.)

Inputs are Parquet, CSV, TSV or JSONL paths (by extension), one petition per row with at least ``id`` and
``text``; identity columns (``name``, ``id_number``, ``phone``, ``address``, ``received_at``) are used where
present. Outputs are folders of part files and must not exist yet.
"""

from __future__ import annotations

import argparse
import json
import logging
import time

logger = logging.getLogger("petition_nlp.spark_submit_example")


def main() -> None:
    from petition_nlp.repeats import LinkageConfig

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--petitions", required=True, help="The backlog: Parquet, CSV, TSV or JSONL path.")
    parser.add_argument("--model", default=None, help="Model directory on the driver (default: the shipped model).")
    parser.add_argument("--labelled", required=True, help="Where to write the labelled backlog.")
    parser.add_argument("--repeats", default=None, help="Where to write the register with petitioner_id, is_repeat, ...")
    parser.add_argument("--links", default=None, help="Where to write the linked pairs with their evidence.")
    parser.add_argument("--linkage-model", default=None, help="Trained splink model JSON or 'prior' (default: train).")
    parser.add_argument("--training-rows", type=int, default=LinkageConfig().max_training_records,
                        help="Most records to train linkage on (a seeded sample above that, as the local run).")
    parser.add_argument("--checkpoint-dir", default=None, help="Checkpoint folder every executor can reach.")
    parser.add_argument("--master", default=None, help="Only outside spark-submit, e.g. 'local[2]'.")
    parser.add_argument("--text-column", default="text")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from petition_nlp.spark import SparkRepeatDetector, label_spark, read_spark_table, spark_session, write_spark_table

    spark = spark_session(args.master, "petition-nlp backlog")
    spark.sparkContext.setLogLevel("WARN")
    if args.checkpoint_dir:
        spark.sparkContext.setCheckpointDir(args.checkpoint_dir)
    started = time.perf_counter()

    petitions = read_spark_table(spark, args.petitions)
    labelled = label_spark(petitions, args.model, text_column=args.text_column)
    write_spark_table(labelled, args.labelled)
    logger.info("labelled backlog written to %s (%.0f s)", args.labelled, time.perf_counter() - started)

    if args.repeats:
        # Link on the written, labelled table: the model is not run twice, and the predicted domain is used by
        # the same-matter rule.
        register = read_spark_table(spark, args.labelled)
        detector = SparkRepeatDetector(LinkageConfig(max_training_records=args.training_rows), model=args.linkage_model)
        write_spark_table(detector.fit_assign(register), args.repeats)
        if args.links:
            write_spark_table(detector.pairs(), args.links)
        summary = detector.summary(read_spark_table(spark, args.repeats))
        logger.info("repeats written to %s: %s (%.0f s in all)", args.repeats, json.dumps(summary),
                     time.perf_counter() - started)
    spark.stop()


if __name__ == "__main__":
    main()
