"""Transformer: one shared encoder with three heads vs one model per head, on the authored corpus, in one run.

Trains, from the same backbone with the same seed, epochs, learning rate, batch size and max length, (a) ONE
model with the heads domain + litigation + stage on a shared encoder (what ``train_transformer`` does with
several targets) and (b) THREE single-head models, one per target. Both train on ``split == train`` of the
authored corpus (``data/corpus/petitions.jsonl``) and are scored on ``split == heldout``: per head accuracy and
macro-F1 from :func:`petition_nlp.evaluate`, total training time, total time and throughput for labelling every
held-out petition with all three heads (one encoder pass per model: labels and calibrated confidences, on the
CPU), and the saved model directories' size on disk. A third row (skip it with ``--no-equal-compute``) trains
the shared model for three times the epochs: as many optimizer steps as the three single-head models together,
so that quality can also be compared at equal training compute.

    python benchmarks/bench_transformer_heads.py                          # defaults: about 8 min, 1 CPU thread
    python benchmarks/bench_transformer_heads.py --limit 300 --epochs 1   # a quick check
    python benchmarks/bench_transformer_heads.py --backbone /models/chinese-roberta-wwm-ext --device cuda

Without ``--backbone`` the backbone is a small BERT trained FROM SCRATCH (random initialisation, character
vocabulary of the training split; ``scratch_backbone`` of ``bench_transformer.py``), labelled as such in the
output: its figures compare the two designs with each other, not with what a pretrained checkpoint reaches.
Each design starts from the very same initial encoder weights. Torch runs on ``--threads`` CPU threads (1 by
default, so that the timings do not depend on what else the machine runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench_transformer import scratch_backbone
from common import REPO, load_corpus, stratified_head

sys.path.insert(0, str(REPO))

HEADS = ["domain", "litigation", "stage"]
# The register columns travel with the rows so that training masks them out, as it does in production.
COLUMNS = ["text", *HEADS, "name", "id_number", "phone", "address"]


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def label_all(models: list, texts: list[str]) -> dict[str, list[str]]:
    """Every head's labels for ``texts``: one encoder pass per model, then each of its heads' probabilities."""
    labels: dict[str, list[str]] = {}
    for model in models:
        logits = model.logits(texts)
        for name, head in model.heads_.items():
            labels[name] = head.classes_[head.predict_proba(logits).argmax(1)].tolist()
    return labels


def labelling_seconds(models: list, texts: list[str], repeat: int = 2) -> float:
    label_all(models, texts[:8])  # warm-up (lazy segmenter, first kernels)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        label_all(models, texts)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backbone", type=Path, help="local Hugging Face checkpoint directory (default: from scratch)")
    parser.add_argument("--limit", type=int,
                        help="use a sample (stratified on domain) of this many train and held-out rows")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, help="default 3e-5 (pretrained) or 5e-4 (from scratch)")
    parser.add_argument("--hidden", type=int, default=128, help="hidden size of the from-scratch BERT")
    parser.add_argument("--layers", type=int, default=2, help="layers of the from-scratch BERT")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu",
                        help="training device: auto, cpu, cuda (labelling is timed on the CPU)")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--no-equal-compute", dest="equal_compute", action="store_false",
                        help="skip the third row: the shared model trained for 3x the epochs, as many optimizer steps "
                             "as the three single-head models together")
    args = parser.parse_args()

    try:
        import torch
        import transformers
    except ImportError:
        print("skipped: the transformer extra is not installed (pip install 'petition-nlp[transformer]')")
        return
    torch.set_num_threads(args.threads)
    transformers.utils.logging.disable_progress_bar()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


    from petition_nlp import evaluate
    from petition_nlp.classify.transformer import TransformerConfig, load_transformer, train_transformer

    corpus = pd.DataFrame(load_corpus())[[*COLUMNS, "split"]]
    train_rows, test_rows = corpus[corpus["split"] == "train"], corpus[corpus["split"] == "heldout"]
    train_rows = stratified_head(train_rows, args.limit, "domain")
    test_rows = stratified_head(test_rows, args.limit, "domain")
    train_rows = train_rows[COLUMNS].reset_index(drop=True)
    test_rows = test_rows[COLUMNS].reset_index(drop=True)
    texts = test_rows["text"].tolist()
    print(f"authored corpus: {len(train_rows)} train / {len(test_rows)} held-out petitions"
          f"{' (--limit sample)' if args.limit else ''}; heads {', '.join(HEADS)}; torch {torch.__version__}, "
          f"transformers {transformers.__version__}, {torch.get_num_threads()} CPU thread(s), "
          f"training on {args.device}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if args.backbone is None:
            print(f"Backbone: a small BERT trained FROM SCRATCH ({args.layers} layers, hidden {args.hidden}, random "
                  "initialisation, character vocabulary of the training split), NOT a pretrained checkpoint: the "
                  "figures compare the two designs with each other only.")
            backbone = scratch_backbone(train_rows["text"].tolist(), tmp_path / "scratch", args.hidden, args.layers,
                                        args.max_length)
            kind, lr = f"from scratch: BERT {args.layers}x{args.hidden}, random init", 5e-4
        else:
            backbone, kind, lr = args.backbone, f"fine-tuned pretrained checkpoint {args.backbone.name}", 3e-5
        lr = args.learning_rate or lr
        config = TransformerConfig(epochs=args.epochs, batch_size=args.batch_size, max_length=args.max_length,
                                   learning_rate=lr, device=args.device, seed=args.seed)

        designs = {"shared encoder, 3 heads (1 model)": ([HEADS], config),
                   "one model per head (3 models)": ([[h] for h in HEADS], config)}
        if args.equal_compute:
            longer = dataclasses.replace(config, epochs=args.epochs * len(HEADS))
            designs[f"shared, {longer.epochs} epochs (= 3 models' steps)"] = ([HEADS], longer)
        results = {}
        for d, (design, (groups, design_config)) in enumerate(designs.items()):
            train_seconds, directories, runs = 0.0, [], []
            for group in groups:
                directory = tmp_path / f"{d}-{'+'.join(group)}"
                started = time.perf_counter()
                model = train_transformer(train_rows, group, backbone=backbone, config=design_config, output=directory,
                                          progress=False)
                train_seconds += time.perf_counter() - started
                runs.append(f"{'+'.join(group)}: {model.meta['training']['epochs_run']} epoch(s), best "
                            f"{model.meta['training']['best_epoch']}")
                directories.append(directory)
                del model
            models = [load_transformer(d, device="cpu") for d in directories]
            metrics: dict = {}
            for model in models:
                metrics.update(evaluate(model, test_rows, progress=False))
            seconds = labelling_seconds(models, texts)
            results[design] = {
                "metrics": metrics, "train": train_seconds, "label": seconds, "speed": len(texts) / seconds,
                "mb": sum(directory_mb(d) for d in directories), "runs": runs,
                "parameters": sum(sum(p.numel() for p in m.net_.parameters()) for m in models),
            }
            del models

    print(f"\ntransformer: {kind}; same initial weights, seed {args.seed}, {args.epochs} epoch(s) at most (early "
          f"stopping on validation macro-F1), lr {lr:g}, batch {args.batch_size}, max_length {args.max_length}, "
          f"trained on {args.device}")
    for design, r in results.items():
        print(f"  {design}: {'; '.join(r['runs'])}")
    head_cols = "".join(f"{h + ' acc':>16s}{h + ' F1':>15s}" for h in HEADS)
    print(f"\n{'design':40s}{head_cols}{'train s':>9s}{'label s':>9s}{'pet./s':>8s}{'disk MB':>9s}{'params':>10s}")
    for design, r in results.items():
        cells = "".join(f"{r['metrics'][h]['accuracy']:16.4f}{r['metrics'][h]['macro_f1']:15.4f}" for h in HEADS)
        print(f"{design:40s}{cells}{r['train']:9.1f}{r['label']:9.2f}{r['speed']:8.1f}{r['mb']:9.2f}"
              f"{r['parameters'] / 1e6:9.2f}M")
    shared, single = list(results.values())[:2]
    f1_gap = " ".join(f"{h} {shared['metrics'][h]['macro_f1'] - single['metrics'][h]['macro_f1']:+.4f}" for h in HEADS)
    print(f"\nmacro-F1, shared - per head: {f1_gap}")
    print(f"per head / shared: training time x{single['train'] / shared['train']:.2f}, labelling time "
          f"x{single['label'] / shared['label']:.2f}, disk x{single['mb'] / shared['mb']:.2f}")
    if args.equal_compute:
        longer = list(results.values())[2]
        gap = " ".join(f"{h} {longer['metrics'][h]['macro_f1'] - single['metrics'][h]['macro_f1']:+.4f}" for h in HEADS)
        print(f"macro-F1, shared with {args.epochs * len(HEADS)} epochs - per head: {gap}")
    print(f"(labelling: all {len(texts)} held-out petitions, every head, labels + calibrated confidences, torch on the "
          f"CPU, best of 2; metrics from petition_nlp.evaluate on the held-out split)")


if __name__ == "__main__":
    main()
