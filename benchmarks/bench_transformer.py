"""Fine-tuned transformer vs the fast classifier on teddycup2020c: macro-F1 and throughput, in one run.

Trains both on ``split == train`` of ../shared/data/teddycup2020c/messages_segmented.csv (7 categories of real
citizen messages) and reports on ``split == test``: macro-F1 and accuracy from :func:`petition_nlp.evaluate`,
training time, and labelling throughput (petitions/s through ``predict_columns``, labels + explanations, the
path ``petition-nlp label`` takes) for the fast classifier, the transformer with torch on the CPU, with
onnxruntime on the CPU and, when a GPU is visible, with torch on the GPU.

    python benchmarks/bench_transformer.py --backbone /models/chinese-roberta-wwm-ext          # a GPU office
    python benchmarks/bench_transformer.py --limit 500 --epochs 1                               # a quick check

Without ``--backbone`` the script looks for a local Chinese checkpoint ($PETITION_NLP_BACKBONE,
../shared/models/, the local Hugging Face cache; nothing is downloaded). Where none exists it says so and trains a
small BERT FROM SCRATCH (random initialisation, character vocabulary of the training split), labelled as such in
its output: those figures say nothing about what a pretrained checkpoint reaches.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from common import REPO, load_teddycup, stratified_head

sys.path.insert(0, str(REPO))

_CANDIDATE_NAMES = ("chinese-roberta-wwm-ext", "chinese-macbert-base", "bert-base-chinese", "chinese-bert-wwm-ext",
                    "ernie-3.0-base-zh", "chinese-roberta-wwm-ext-large")


def find_local_checkpoint() -> Path | None:
    """A pretrained Chinese checkpoint already on this machine, or None. Never downloads."""
    candidates: list[Path] = []
    if os.environ.get("PETITION_NLP_BACKBONE"):
        candidates.append(Path(os.environ["PETITION_NLP_BACKBONE"]))
    models = REPO.parent / "shared" / "models"
    candidates += [models / name for name in _CANDIDATE_NAMES]
    hub = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub"
    for name in _CANDIDATE_NAMES:
        candidates += sorted(hub.glob(f"models--*--{name}/snapshots/*"))
    for candidate in candidates:
        if (candidate / "config.json").is_file() and (any(candidate.glob("*.safetensors")) or any(candidate.glob("*.bin"))):
            return candidate
    return None


def scratch_backbone(texts: list[str], directory: Path, hidden: int, layers: int, max_length: int) -> Path:
    """A randomly initialised BERT with a character vocabulary of ``texts`` (the from-scratch fallback)."""
    import torch
    from transformers import BertConfig, BertModel

    from petition_nlp import Segmenter

    prepared = Segmenter(backend="rjieba").prepare_batch(texts)
    counts = pd.Series([c for t in prepared for c in t if not c.isspace()]).value_counts()
    chars = sorted(counts[counts >= 2].index)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n",
                                         encoding="utf-8")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=5 + len(chars), hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=max(1, hidden // 64), intermediate_size=hidden * 4,
                        max_position_embeddings=max_length)
    BertModel(config).save_pretrained(str(directory))
    return directory


def throughput(model, texts: list[str], repeat: int = 1) -> float:
    model.predict_columns(texts[:8])  # warm-up (lazy segmenter, first kernels)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        model.predict_columns(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backbone", type=Path, help="local Hugging Face checkpoint directory")
    parser.add_argument("--limit", type=int, help="use a stratified sample of this many train and test rows")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--learning-rate", type=float, help="default 3e-5 (pretrained) or 5e-4 (from scratch)")
    parser.add_argument("--device", default="auto", help="training device: auto, cpu, cuda")
    parser.add_argument("--scratch-hidden", type=int, default=128, help="hidden size of the from-scratch model")
    parser.add_argument("--scratch-layers", type=int, default=2, help="layers of the from-scratch model")
    args = parser.parse_args()

    frame = load_teddycup()
    if frame is None:
        return
    try:
        import torch
        import transformers
    except ImportError:
        print("skipped: the transformer extra is not installed (pip install 'petition-nlp[transformer]')")
        return


    from petition_nlp import evaluate, train
    from petition_nlp.classify.transformer import TransformerConfig, export_onnx, load_transformer, train_transformer

    train_rows, test_rows = frame[frame["split"] == "train"], frame[frame["split"] == "test"]
    train_rows = stratified_head(train_rows, args.limit, "label")
    test_rows = stratified_head(test_rows, args.limit, "label")
    train_rows, test_rows = train_rows.reset_index(drop=True), test_rows.reset_index(drop=True)
    texts = test_rows["text"].tolist()
    gpu = torch.cuda.is_available()
    print(f"teddycup2020c: {len(train_rows)} train / {len(test_rows)} test messages, {frame['label'].nunique()} labels"
          f"{' (--limit sample)' if args.limit else ''}; torch {torch.__version__}, transformers {transformers.__version__}, "
          f"{torch.get_num_threads()} CPU threads, GPU: {torch.cuda.get_device_name(0) if gpu else 'none'}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        backbone = args.backbone or find_local_checkpoint()
        if backbone is None:
            print("NO PRETRAINED CHINESE CHECKPOINT was given or found on this machine (looked at $PETITION_NLP_BACKBONE, "
                  "../shared/models/, the local Hugging Face cache). Training a small BERT FROM SCRATCH instead "
                  f"({args.scratch_layers} layers, hidden {args.scratch_hidden}, random initialisation): its figures "
                  "are NOT those of a fine-tuned pretrained model.")
            backbone = scratch_backbone(train_rows["text"].tolist(), tmp_path / "scratch", args.scratch_hidden,
                                        args.scratch_layers, args.max_length)
            kind, lr = f"from scratch: BERT {args.scratch_layers}x{args.scratch_hidden}, random init", 5e-4
        else:
            kind, lr = f"fine-tuned pretrained checkpoint {backbone.name}", 3e-5
        lr = args.learning_rate or lr

        started = time.perf_counter()
        fast = train(train_rows, "label", progress=False)
        fast_train = time.perf_counter() - started
        fast_metrics = evaluate(fast, test_rows, progress=False)["label"]
        fast_speed = throughput(fast, texts, repeat=2)

        config = TransformerConfig(epochs=args.epochs, batch_size=args.batch_size, max_length=args.max_length,
                                   learning_rate=lr, device=args.device)
        started = time.perf_counter()
        model = train_transformer(train_rows, "label", backbone=backbone, config=config, output=tmp_path / "model",
                                  progress=False)
        transformer_train = time.perf_counter() - started
        run = model.meta["training"]
        del model
        cpu_model = load_transformer(tmp_path / "model", device="cpu")
        metrics = evaluate(cpu_model, test_rows, progress=False)["label"]
        cpu_speed = throughput(cpu_model, texts)
        agreement = export_onnx(tmp_path / "model", texts[:200])
        onnx_speed = throughput(load_transformer(tmp_path / "model", runtime="onnx"), texts)
        gpu_speed = throughput(load_transformer(tmp_path / "model", device="cuda"), texts, repeat=2) if gpu else None

    print(f"\ntransformer: {kind}; trained on {run['device']} ({'float32' if run['mixed_precision'] == 'no' else run['mixed_precision']}), "
          f"{run['epochs_run']} of {args.epochs} epoch(s), best epoch {run['best_epoch']}, lr {lr:g}, "
          f"max_length {config.max_length}, batch {config.batch_size}")
    print(f"{'system':58s}{'macro-F1':>10s}{'accuracy':>10s}{'train s':>9s}")
    print(f"{'fast classifier (petition_nlp.train)':58s}{fast_metrics['macro_f1']:10.4f}{fast_metrics['accuracy']:10.4f}"
          f"{fast_train:9.1f}")
    print(f"{'transformer (' + kind + ')':58s}{metrics['macro_f1']:10.4f}{metrics['accuracy']:10.4f}{transformer_train:9.1f}")
    print(f"difference: {metrics['macro_f1'] - fast_metrics['macro_f1']:+.4f} macro-F1 (transformer - fast)")
    print(f"\nlabelling throughput on {len(texts)} test messages (predict_columns: labels + explanations), petitions/s")
    print(f"{'fast classifier, CPU':40s}{fast_speed:10.1f}")
    print(f"{'transformer, torch, CPU':40s}{cpu_speed:10.1f}")
    print(f"{'transformer, onnxruntime, CPU':40s}{onnx_speed:10.1f}")
    print(f"{'transformer, torch, GPU':40s}{gpu_speed:10.1f}" if gpu_speed else f"{'transformer, torch, GPU':40s}{'no GPU':>10s}")
    print(f"\nONNX vs torch on {agreement['texts']} test messages: label agreement {agreement['label']['label_agreement']:.4f}, "
          f"max |probability difference| {agreement['label']['max_abs_probability_difference']:.2e}")


if __name__ == "__main__":
    main()
