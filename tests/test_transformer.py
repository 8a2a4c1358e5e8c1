"""The transformer classifier on a tiny randomly initialised BERT: the real training loop, persistence, ONNX, CLI.

The backbone (2 layers, hidden size 32, a character vocabulary built from the test rows) is written with
``save_pretrained`` into a temporary directory, so nothing is downloaded. Everything runs on the CPU.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from typer.testing import CliRunner  # noqa: E402

from petition_nlp import PetitionModel, Prediction, load_model  # noqa: E402
from petition_nlp.classify import ModelLoadError  # noqa: E402
from petition_nlp.classify.transformer import (  # noqa: E402
    TransformerConfig,
    TransformerModel,
    _Windows,
    export_onnx,
    load_transformer,
    train_transformer,
)
from petition_nlp.cli import classify  # noqa: E402,F401  (registers the subcommands)
from petition_nlp.cli.app import app  # noqa: E402

runner = CliRunner()
HEADS = ["domain", "litigation"]
CONFIG = dict(epochs=2, learning_rate=1e-3, batch_size=16, max_length=64, device="cpu", validation_fraction=0.2, seed=0)


@pytest.fixture(scope="module")
def rows(corpus):
    """About 200 training rows, stratified on domain, with the register columns (masked out of training)."""
    from sklearn.model_selection import train_test_split

    train = corpus[corpus["split"] == "train"]
    return train_test_split(train, train_size=200, stratify=train["domain"], random_state=0)[0].reset_index(drop=True)


@pytest.fixture(scope="module")
def heldout(corpus):
    return corpus[corpus["split"] == "heldout"].head(40).reset_index(drop=True)


@pytest.fixture(scope="module")
def backbone(rows, heldout, tmp_path_factory):
    """A tiny random BERT in Hugging Face format: vocab.txt of the data's characters, config, safetensors."""
    from transformers import BertConfig, BertModel

    from petition_nlp import Segmenter

    texts = Segmenter(backend="rjieba").prepare_batch([*rows["text"], *heldout["text"]])
    chars = sorted({c for t in texts for c in t if not c.isspace()})
    path = tmp_path_factory.mktemp("backbone")
    (path / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n",
                                    encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=5 + len(chars), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(str(path))
    return path


@pytest.fixture(scope="module")
def trained(rows, backbone, tmp_path_factory):
    out = tmp_path_factory.mktemp("tmodel") / "model"
    model = train_transformer(rows, HEADS, backbone=backbone, config=TransformerConfig(**CONFIG), output=out,
                              progress=False)
    return model, out


def test_training_loop_runs_and_learns(trained):
    model, _ = trained
    history = model.meta["training"]["history"]
    assert len(history) == 2 and all(np.isfinite(h["train_loss"]) for h in history)
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert model.meta["training"]["validation_rows"] == 40 and model.meta["training"]["device"] == "cpu"
    assert isinstance(model, PetitionModel) and model.head_names == HEADS
    assert model.labels("litigation") == ["litigation", "ordinary"]
    assert len(model.labels("domain")) == 8
    for name in HEADS:
        head = model.heads_[name]
        assert 0 < head.review_threshold_ <= 1 and head.temperature_ > 0
        assert model.meta["metrics"]["validation"][name]["validation_rows"] == 40


def test_predict_interface_matches_the_linear_model(trained, heldout):
    model, _ = trained
    one = model.predict(heldout["text"][0])
    assert isinstance(one, Prediction)
    many = model.predict(heldout["text"].tolist())
    assert isinstance(many, list) and len(many) == len(heldout)
    for p in many:
        for name in HEADS:
            h = p[name]
            assert h.label in model.labels(name)
            assert abs(sum(h.probabilities.values()) - 1) < 1e-6 and h.confidence == max(h.probabilities.values())
        assert p.needs_review == bool(p.review_reasons)
    proba = model.predict_proba(heldout["text"].tolist(), "domain")
    assert proba.shape == (len(heldout), 8)
    np.testing.assert_allclose([p["domain"].confidence for p in many], proba.max(1), rtol=1e-9)
    columns = model.predict_columns(heldout["text"].tolist())
    assert columns["domain"] == [p["domain"].label for p in many]
    assert columns["needs_review"] == [p.needs_review for p in many]
    assert columns["explanation"][0] == many[0].explanation_text()
    assert model.predict([]) == []
    assert model.predict("   ").review_reasons[-1] == "empty text"


def test_explanations_are_words_of_the_text_without_personal_data(trained, heldout):
    model, _ = trained
    text = "来电人张伟，电话13812345678，身份证430521197803122118，反映邻居把我打成轻伤，派出所不立案。"
    p = model.predict(text)
    words = [w for name in HEADS for w in p[name].words]
    assert words and all(w in text for w in words)
    assert not any("<" in w or any(c.isdigit() for c in w) for w in words)
    assert all(weight > 0 for name in HEADS for _, weight in p[name].explanation)


def test_long_petitions_use_sliding_windows_not_silent_truncation(trained, heldout):
    model, _ = trained
    windows = model.windows_
    content = windows.content  # 62 text tokens per window at max_length 64
    spans, covered = windows.spans(content * 2)
    assert covered and spans[0] == [(0, content)] and spans[-1] == [(content, content * 2)] and len(spans) == 3
    spans, covered = windows.spans(content * 20)
    assert not covered and len(spans) == model.config.max_windows
    assert spans[0][0][0] == 0 and spans[-1][-1][1] == content * 20  # head and tail are always read
    head_tail = _Windows(model.tokenizer_, 64, 1, 0.25)  # max_windows=1: one head + tail window
    assert head_tail.spans(1000) == ([[(0, content // 2), (1000 - (content - content // 2), 1000)]], False)
    docs, _, _ = head_tail.encode(["法" * 1000])
    assert len(docs[0]) == 1 and len(docs[0][0]) == 64
    long_text = "".join(heldout["text"].tolist())  # thousands of characters: far beyond 128 positions
    assert len(long_text) > 2000
    assert model.predict(long_text)["domain"].label in model.labels("domain")
    assert model.meta["long_texts"]["strategy"].startswith("sliding windows")


def test_save_load_gives_identical_predictions(trained, heldout):
    model, path = trained
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    assert meta["model_type"] == "petition-nlp/transformer"
    assert meta["heads"]["litigation"]["labels"] == ["litigation", "ordinary"]
    assert "review_threshold" in meta["heads"]["domain"] and len(meta["training_data"]["sha256"]) == 64
    assert {"config.json", "model.safetensors", "heads.json", "heads.safetensors"} <= set(meta["files"])
    loaded = load_model(path)  # the generic loader dispatches on model_type
    assert isinstance(loaded, TransformerModel) and loaded.head_names == HEADS
    texts = heldout["text"].tolist()
    for name in HEADS:
        np.testing.assert_array_equal(model.predict_proba(texts, name), loaded.predict_proba(texts, name))
    assert [p.to_dict() for p in model.predict(texts)] == [p.to_dict() for p in loaded.predict(texts)]


def test_a_modified_file_is_refused(trained, tmp_path):
    import shutil

    _, path = trained
    copy = tmp_path / "copy"
    shutil.copytree(path, copy)
    with (copy / "heads.json").open("a", encoding="utf-8") as fh:
        fh.write(" ")
    with pytest.raises(ModelLoadError, match="checksum"):
        load_model(copy)


def test_evaluate_and_label_frame_accept_the_transformer(trained, heldout):
    from petition_nlp import evaluate
    from petition_nlp.batch import label_frame

    model, _ = trained
    metrics = evaluate(model, heldout, progress=False)
    assert set(metrics) == set(HEADS) and 0 <= metrics["litigation"]["accuracy"] <= 1
    out = label_frame(model, heldout[["id", "text"]])
    assert list(out["id"]) == list(heldout["id"]) and {"domain_confidence", "needs_review"} <= set(out.columns)


def test_onnx_export_agrees_with_torch(trained, heldout, tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    import shutil

    _, path = trained
    copy = tmp_path / "onnx-model"
    shutil.copytree(path, copy)
    texts = [*heldout["text"].tolist(), "".join(heldout["text"].tolist())]
    agreement = export_onnx(copy, texts)
    for name in HEADS:
        assert agreement[name]["label_agreement"] == 1.0
        assert agreement[name]["max_abs_probability_difference"] < 1e-4
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    assert "model.onnx" in meta["files"] and meta["onnx"]["agreement_with_torch"]["texts"] == len(texts)
    torch_model = load_model(copy)  # still verifies every checksum, model.onnx included
    onnx_model = load_transformer(copy, runtime="onnx")
    assert onnx_model.runtime == "onnx/cpu"
    a, b = torch_model.predict(texts), onnx_model.predict(texts)
    assert [p["domain"].label for p in a] == [p["domain"].label for p in b]
    np.testing.assert_allclose(torch_model.predict_proba(texts, "litigation"),
                               onnx_model.predict_proba(texts, "litigation"), atol=1e-5)
    onnx_model.save(tmp_path / "copied")  # an onnxruntime model saves by copying its verified files
    again = load_transformer(tmp_path / "copied", runtime="onnx")
    np.testing.assert_array_equal(again.predict_proba(texts, "domain"), onnx_model.predict_proba(texts, "domain"))
    torch_model.save(tmp_path / "resaved")  # a torch model writes fresh files: the old model.onnx is not carried
    assert "onnx" not in json.loads((tmp_path / "resaved" / "meta.json").read_text(encoding="utf-8"))
    np.testing.assert_array_equal(load_model(tmp_path / "resaved").predict_proba(texts, "domain"),
                                  torch_model.predict_proba(texts, "domain"))


def test_cli_train_with_backbone_then_label_and_evaluate(rows, heldout, backbone, tmp_path):
    data = tmp_path / "train.jsonl"
    rows.to_json(data, orient="records", lines=True, force_ascii=False)
    model_dir = tmp_path / "cli-model"
    result = runner.invoke(app, ["train", str(data), "-o", str(model_dir), "--target", "domain", "--target",
                                 "litigation", "--backbone", str(backbone), "--epochs", "1", "--learning-rate",
                                 "1e-3", "--batch-size", "16", "--max-length", "64", "--seed", "1", "--device",
                                 "cpu", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "val macro-F1" in result.output and "fine-tuned" in result.output
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["config"]["seed"] == 1 and meta["config"]["max_length"] == 64 and meta["training"]["epochs_run"] == 1

    backlog = tmp_path / "backlog.csv"
    frame = heldout[["id", "text"]].copy()
    frame.loc[2, "text"] = ""
    frame.to_csv(backlog, index=False)
    out = tmp_path / "labelled.csv"
    result = runner.invoke(app, ["label", str(backlog), "-o", str(out), "--model", str(model_dir), "--no-progress"])
    assert result.exit_code == 0, result.output
    labelled = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(labelled["id"]) == [str(i) for i in frame["id"]]
    assert set(labelled.loc[labelled["error"] == "", "domain"]) <= set(meta["heads"]["domain"]["labels"])
    assert labelled.loc[2, "error"] == "empty text"

    test_file = tmp_path / "test.csv"
    heldout.to_csv(test_file, index=False)
    result = runner.invoke(app, ["evaluate", str(model_dir), str(test_file), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "litigation" in result.output


def test_cli_refuses_transformer_options_without_backbone_and_missing_backbones(rows, tmp_path):
    data = tmp_path / "train.csv"
    rows.head(20).to_csv(data, index=False)
    result = runner.invoke(app, ["train", str(data), "-o", str(tmp_path / "m"), "--target", "domain", "--epochs", "2"])
    assert result.exit_code == 2 and "--backbone" in result.output
    result = runner.invoke(app, ["train", str(data), "-o", str(tmp_path / "m"), "--target", "domain",
                                 "--backbone", str(tmp_path / "no-such-checkpoint")])
    assert result.exit_code == 2 and "nothing is downloaded" in result.output
    with pytest.raises(ValueError, match="device"):
        TransformerConfig(device="tpu")
