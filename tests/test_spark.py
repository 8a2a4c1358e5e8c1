"""petition_nlp.spark on PySpark in local mode: labelling and linkage agree with the local engine row for row."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("PySpark needs Java, which is not installed", allow_module_level=True)

from typer.testing import CliRunner

from petition_nlp.batch import label_frame
from petition_nlp.repeats.linkage import DEFAULT_MATCH_THRESHOLD
from petition_nlp.cli import classify as _classify_cli  # noqa: F401  (registers the subcommands)
from petition_nlp.cli import repeats as _repeats_cli  # noqa: F401
from petition_nlp.cli.app import app
from petition_nlp.repeats import RepeatDetector
from petition_nlp.synthetic.register import generate_register

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from petition_nlp.spark import spark_session

    session = spark_session("local[2]", "petition-nlp-tests", shuffle_partitions=2, config={
        "spark.ui.enabled": "false",
        "spark.default.parallelism": "2",
        # Small Arrow batches: petitioners cut by a batch boundary are carried over (tested on the way).
        "spark.sql.execution.arrow.maxRecordsPerBatch": "150",
        "spark.driver.memory": "2g",
        "spark.sql.warehouse.dir": str(tmp_path_factory.mktemp("warehouse")),
    })
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("checkpoints")))
    yield session
    session.stop()


@pytest.fixture(scope="module")
def tiny_model(corpus, tmp_path_factory):
    """A model trained on 300 authored petitions: any saved model must label the same on Spark."""
    from petition_nlp import save_model, train

    rows = corpus[corpus["split"] == "train"].sample(300, random_state=0)
    model = train(rows, ["domain", "litigation", "stage"], progress=False)
    return save_model(model, tmp_path_factory.mktemp("spark-model") / "m")


def _same(a: pd.Series, b: pd.Series) -> list[int]:
    """Positions where two columns differ (missing equals missing; floats to 1e-12)."""
    bad = []
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        if pd.isna(x) and pd.isna(y):
            continue
        if isinstance(x, float) and isinstance(y, float) and abs(x - y) <= 1e-12:
            continue
        if x != y:
            bad.append(i)
    return bad


def _assert_frames_agree(local: pd.DataFrame, other: pd.DataFrame) -> None:
    assert list(other.columns) == list(local.columns)
    assert len(other) == len(local)
    for column in local.columns:
        bad = _same(local[column], other[column])
        assert not bad, (column, len(bad), local[column].iloc[bad[:3]].tolist(), other[column].iloc[bad[:3]].tolist())


def _petitions(corpus: pd.DataFrame) -> pd.DataFrame:
    frame = corpus[corpus["split"] == "heldout"][["id", "text", "domain", "channel"]].head(240).reset_index(drop=True)
    frame.loc[3, "text"] = ""
    frame.loc[7, "text"] = None
    frame.loc[11, "text"] = "   "
    frame.loc[13, "text"] = "派出所不立案\ufffd\ufffd"
    return frame


def test_label_spark_equals_local_row_for_row(spark, tiny_model, corpus):
    from petition_nlp import load_model
    from petition_nlp.spark import label_spark

    frame = _petitions(corpus)
    local = label_frame(load_model(tiny_model), frame)
    labelled = label_spark(spark.createDataFrame(frame), tiny_model, batch_size=64)
    # The input's own 'domain' column is kept as 'domain_input', as label_frame does.
    assert labelled.columns == list(local.columns)
    _assert_frames_agree(local, labelled.toPandas().set_index(local.index))
    assert set(local["error"]) >= {"", "empty text"}


def test_cli_label_engine_spark(spark, tiny_model, corpus, tmp_path):
    from petition_nlp.batch import label_file
    from petition_nlp.io import write_table

    source = tmp_path / "petitions.csv"
    write_table(_petitions(corpus), source)
    label_file(source, tmp_path / "local.csv", tiny_model, progress=False)
    result = CliRunner().invoke(app, ["label", str(source), "-o", str(tmp_path / "spark.parquet"), "--engine", "spark",
                                      "--master", "local[2]", "--model", str(tiny_model), "--chunk-size", "50"])
    assert result.exit_code == 0, result.output
    assert '"rows": 240' in result.output and '"errors": 4' in result.output
    local = pd.read_csv(tmp_path / "local.csv", dtype=str, keep_default_na=False)
    spark_out = pd.read_parquet(tmp_path / "spark.parquet")
    assert list(spark_out.columns) == list(local.columns)
    for column in ("id", "domain", "litigation", "stage", "explanation", "error"):
        assert spark_out[column].fillna("").tolist() == local[column].tolist(), column
    np.testing.assert_allclose(spark_out["domain_confidence"].to_numpy(dtype=float),
                               pd.to_numeric(local["domain_confidence"]).to_numpy(dtype=float), equal_nan=True)
    assert CliRunner().invoke(app, ["label", str(source), "-o", str(tmp_path / "x.parquet"), "--engine", "spark",
                                    "--resume"]).exit_code == 2


def _partition(ids: pd.Series) -> set[frozenset[int]]:
    return {frozenset(group) for group in ids.groupby(ids.to_numpy()).groups.values()}


def test_repeats_spark_same_clusters_as_local(spark, corpus, tmp_path):
    """A generated register large enough for the local run to train its own parameters (1,000 usable records):
    the Spark run trains the same way on the driver, predicts and clusters on Spark, and agrees."""
    from petition_nlp.io import write_table

    register = generate_register(1050, list(zip(corpus["text"], corpus["domain"])), seed=21)
    register = register.drop(columns=["true_person", "true_matter"])
    local = RepeatDetector().fit_assign(register)
    source = tmp_path / "register.parquet"
    write_table(register, source)
    result = CliRunner().invoke(app, ["repeats", str(source), "-o", str(tmp_path / "out.parquet"), "--engine", "spark",
                                      "--master", "local[2]", "--links", str(tmp_path / "links.parquet")])
    assert result.exit_code == 0, result.output
    linked = pd.read_parquet(tmp_path / "out.parquet")
    assert list(linked["id"]) == list(register["id"])
    assert _partition(linked["petitioner_id"]) == _partition(local["petitioner_id"])
    assert local["petitioner_id"].nunique() < len(local) * 0.7  # there are repeats to agree on
    # Everything else agrees too: ids by first appearance, best probability, order, same-matter decisions.
    _assert_frames_agree(local, linked)
    pairs = pd.read_parquet(tmp_path / "links.parquet")
    assert list(pairs.columns) == ["id_l", "id_r", "match_probability", "evidence"]
    assert (pairs["match_probability"] >= DEFAULT_MATCH_THRESHOLD).all() and pairs["evidence"].str.contains("name:").all()
    summary = RepeatDetector().summary(local)
    assert f'"petitioners": {summary["petitioners"]}' in result.output
    refused = CliRunner().invoke(app, ["repeats", str(source), "-o", str(tmp_path / "x.parquet"), "--engine", "spark",
                                       "--index", str(tmp_path / "index")])
    assert refused.exit_code == 2 and "--engine local" in refused.output


def test_repeats_spark_trains_on_the_local_sample(spark, corpus):
    """Above max_training_records both engines train on one seeded sample, so the models and clusters agree."""
    from petition_nlp.repeats import LinkageConfig
    from petition_nlp.spark import SparkRepeatDetector

    register = generate_register(1300, list(zip(corpus["text"], corpus["domain"])), seed=5)
    register = register.drop(columns=["true_person", "true_matter"])
    config = LinkageConfig(min_training_records=1000, max_training_records=1000)
    local = RepeatDetector(config)
    local_out = local.fit_assign(register)
    remote = SparkRepeatDetector(config)
    remote_out = remote.fit_assign(spark.createDataFrame(register)).toPandas()
    assert remote.model_json_ == local.linkage_.model_json_
    assert _partition(remote_out["petitioner_id"]) == _partition(local_out["petitioner_id"])
    remote.unpersist()


def test_spark_settings_carry_the_trained_parameters():
    from petition_nlp.repeats.linkage import prior_model
    from petition_nlp.spark import spark_linkage_settings

    prior = prior_model()
    settings = spark_linkage_settings(prior)
    assert settings["probability_two_random_records_match"] == prior["probability_two_random_records_match"]
    assert [r["blocking_rule"].replace("`", "").replace('"', "") for r in settings["blocking_rules_to_generate_predictions"]] \
        == [r["blocking_rule"].replace('"', "") for r in prior["blocking_rules_to_generate_predictions"]]
    for spark_comparison, trained in zip(settings["comparisons"], prior["comparisons"]):
        for level, source in zip(spark_comparison["comparison_levels"], trained["comparison_levels"]):
            assert level.get("m_probability") == source.get("m_probability")
            assert level.get("u_probability") == source.get("u_probability")
    conditions = " ".join(level["sql_condition"] for c in settings["comparisons"] for level in c["comparison_levels"])
    assert "petition_nlp_jaro_winkler(" in conditions and "petition_nlp_damerau_levenshtein(" in conditions
    broken = {**prior, "comparisons": prior["comparisons"][:1] + [{**prior["comparisons"][1], "comparison_levels": []}]}
    with pytest.raises(ValueError, match="does not match"):
        spark_linkage_settings(broken)


def test_similarity_functions_match_duckdb():
    import duckdb
    from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

    from petition_nlp.spark.repeats import _pairwise

    left = pd.Series(["wangwei", "liuxiuying", "zhangmin", "43052119780312211X", "chenjing", None])
    right = pd.Series(["wangwie", "liuxiuyin", "zhangming", "43052119780321211X", "chengjin", "lina"])
    pairs = pd.DataFrame({"a": left, "b": right})  # noqa: F841  (DuckDB reads it by name)
    expected = duckdb.sql("select jaro_winkler_similarity(a, b) jw, damerau_levenshtein(a, b) dl from pairs").df()
    jw = _pairwise(left, right, JaroWinkler.similarity)
    dl = _pairwise(left, right, DamerauLevenshtein.distance)
    np.testing.assert_allclose(jw[:5], expected["jw"][:5], rtol=0, atol=1e-15)
    assert dl[:5].tolist() == expected["dl"][:5].astype(float).tolist()
    assert jw.isna().iloc[5] and dl.isna().iloc[5]
