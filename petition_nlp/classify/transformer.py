"""A fine-tuned transformer classifier behind the same interface as :class:`PetitionModel`.

For offices with a Chinese pretrained checkpoint (bert-base-chinese, chinese-roberta-wwm-ext, MacBERT, ... in
Hugging Face format) on their intranet, and ideally a GPU. Nothing is downloaded: the backbone is a local
directory, loaded with ``local_files_only=True`` and without remote code.

Design (see also ``docs``-style notes on each piece below):

- **One shared encoder, one linear head per target.** Domain, litigation and stage are read from the same
  evidence (who did what, which office, what stage the case is at), so one encoder fine-tuned on the summed
  per-head losses learns them together at the cost of one model: one forward pass labels every head, and a
  county bureau stores and loads one checkpoint instead of three. Measured by
  ``benchmarks/bench_transformer_heads.py`` (authored corpus, 1,380 train / 345 held-out, a 2-layer hidden-128
  BERT trained FROM SCRATCH, 4 epochs, max_length 128, one CPU thread): three single-head models took 2.9x the
  training time (221 s vs 76 s), 2.9x the labelling time (86 vs 249 petitions/s for all three heads) and 3x
  the disk (8.1 vs 2.7 MB), but the shared encoder did NOT match their quality: held-out macro-F1 domain 0.50
  vs 0.75, stage 0.60 vs 0.83, litigation 0.962 vs 0.965; trained for 12 epochs (as many steps as the three
  models; early stopping ended it at 7) it reached 0.64 / 0.70 / 0.94. So the shared encoder is the cheap
  default, not a free one: where domain or stage quality matters more than three times the cost, call
  :func:`train_transformer` once per target. Whether a pretrained checkpoint closes the gap is unmeasured here
  (run the benchmark with ``--backbone``). A head's rows are missing-label tolerant: a row without a label for
  a head adds nothing to that head's loss.
- **Long petitions: sliding windows with mean pooling.** A text is cut into windows of ``max_length`` tokens
  overlapping by a quarter; each window is encoded, and a petition's logits are the mean of its windows' logits
  (the same in training and prediction). Up to ``max_windows`` windows (default 4: about 850 characters at
  ``max_length`` 256, beyond 99% of the authored corpus) are read; a longer text is read in ``max_windows``
  evenly spaced windows that always include its beginning and its end, and how many training texts that
  affected is logged and stored in ``meta.json`` - nothing is cut silently. ``max_windows=1`` gives plain
  head + tail truncation (one window of the first and the last half-window of tokens) for the fastest CPU runs.
- **Pooling and explanations.** The heads read the mean of the encoder's last hidden states, so a window's
  logit is exactly the sum over its tokens of ``(h_t · w + b) / n``. The explanation ranks the petition's words
  (segmented with the project's segmenter) by the sum of their characters' shares of the predicted label's
  logit minus the mean of the other labels' logits. This costs no extra forward or backward pass (unlike
  occlusion or gradient x input); it attributes the last layer's token positions, which already mix context.
- **Calibration and review.** A stratified validation split (``validation_fraction``) drives early stopping;
  on the best epoch's validation logits each head fits a temperature and per-class bias (as the linear heads
  do on out-of-fold scores) and its review threshold: the lowest confidence at which validation predictions at
  or above it are right ``review_precision`` of the time.
- **Text pipeline.** Texts are normalised and personal data masked (``Segmenter.prepare_batch``) before the
  tokenizer sees them; the mask placeholders (``<PHONE>``...) are added to the tokenizer as single tokens.

Saved as a model directory: the encoder with ``save_pretrained`` (``config.json``, ``model.safetensors``), the
tokenizer files, ``heads.json`` + ``heads.safetensors`` and ``meta.json`` (model type
``petition-nlp/transformer``, checksums of every file), so :func:`petition_nlp.load` and the CLI load it like
any other model. :func:`export_onnx` adds ``model.onnx`` for onnxruntime inference on the CPU.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import logging
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import softmax

from .. import __version__
from ..text import Segmenter, SegmenterConfig
from ..text.masking import PLACEHOLDERS
from .head import _fit_calibration, _review_threshold
from .model import PetitionModel, _has_label, label_text
from .persistence import (
    FORMAT_VERSION,
    TRANSFORMER_MODEL_TYPE,
    ModelLoadError,
    _read_json,
    _sha256,
    check_model_dir,
    remove_previous_model_files,
    meta_header,
    verify_checksums,
)

__all__ = ["TransformerConfig", "TransformerModel", "TransformerHead", "train_transformer", "load_transformer",
           "export_onnx", "MODEL_TYPE"]

logger = logging.getLogger(__name__)

MODEL_TYPE = TRANSFORMER_MODEL_TYPE
ONNX_FILE = "model.onnx"
_HEADS_JSON, _HEADS_WEIGHTS = "heads.json", "heads.safetensors"
# meta.json keys that describe the saved files, written afresh on every save.
_RESERVED_META = ("files", "model_type", "format_version", "library_version", "python_version", "created_at", "heads",
                  "explanation_words", "config", "versions")
_REQUIRED = ("config.json", "model.safetensors", _HEADS_JSON, _HEADS_WEIGHTS)
# Texts per inference chunk: bounds the memory that token scores for explanations take.
_CHUNK = 512
_INSTALL_HINT = "pip install 'petition-nlp[transformer]'"


def _require(*modules: str) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(f"the transformer classifier needs {', '.join(missing)}: {_INSTALL_HINT}")


@dataclass
class TransformerConfig:
    """Settings of a :class:`TransformerModel`.

    backbone: a LOCAL directory holding a Hugging Face checkpoint (config.json, weights, tokenizer files).
    learning_rate, epochs, batch_size (petitions per step), gradient_accumulation (steps per optimizer
        update), weight_decay, warmup_ratio (linear warm-up share, then linear decay): the optimisation.
    max_length: tokens per window, special tokens included (capped by the backbone's position embeddings).
    max_windows, window_overlap: the sliding-window strategy for long petitions (module docstring);
        ``max_windows=1`` reads one head + tail window instead (the first and last half-window of tokens).
    validation_fraction: rows held out (stratified on the first head) for early stopping, calibration and the
        review thresholds; ``patience``: epochs without improvement of mean validation macro-F1 before stopping.
    class_weight: ``"balanced"`` weighs each head's loss inversely to class frequency; None weighs rows equally.
    review_precision: see :class:`petition_nlp.HeadConfig`.
    mixed_precision: ``auto`` (bf16 where the GPU supports it, else fp16; never on the CPU), ``fp16``,
        ``bf16`` or ``no``. device: ``auto`` (the GPU when present), ``cpu``, ``cuda`` or ``cuda:N``.
    eval_batch_size: windows per forward pass at prediction time.
    """

    backbone: str | None = None
    learning_rate: float = 3e-5
    epochs: int = 3
    batch_size: int = 16
    gradient_accumulation: int = 1
    max_length: int = 256
    max_windows: int = 4
    window_overlap: float = 0.25
    validation_fraction: float = 0.1
    patience: int = 2
    class_weight: str | None = "balanced"
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    dropout: float = 0.1
    review_precision: float = 0.95
    mixed_precision: str = "auto"
    device: str = "auto"
    seed: int = 0
    eval_batch_size: int = 64

    def __post_init__(self) -> None:
        if self.backbone is not None:
            self.backbone = str(self.backbone)
        checks = [
            (self.learning_rate > 0, "learning_rate must be positive"),
            (self.epochs >= 1, "epochs must be at least 1"),
            (self.batch_size >= 1, "batch_size must be at least 1"),
            (self.gradient_accumulation >= 1, "gradient_accumulation must be at least 1"),
            (self.max_length >= 16, "max_length must be at least 16"),
            (self.max_windows >= 1, "max_windows must be at least 1"),
            (0 <= self.window_overlap < 1, "window_overlap must be in [0, 1)"),
            (0 <= self.validation_fraction < 1, "validation_fraction must be in [0, 1)"),
            (self.patience >= 1, "patience must be at least 1"),
            (self.class_weight in (None, "balanced"), "class_weight must be None or 'balanced'"),
            (0 < self.review_precision <= 1, "review_precision must be in (0, 1]"),
            (self.mixed_precision in ("auto", "no", "fp16", "bf16"), "mixed_precision must be auto, no, fp16 or bf16"),
            (self.device == "auto" or self.device == "cpu" or self.device.startswith("cuda"),
             "device must be auto, cpu, cuda or cuda:N"),
            (self.eval_batch_size >= 1, "eval_batch_size must be at least 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"{message} (TransformerConfig)")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- tokenisation and windows ------------------------------------------------------------------------------
def _special_wrapping(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The ids the tokenizer puts before and after a single sequence (``[CLS]`` / ``[SEP]`` for BERT)."""
    bare = tokenizer("法", add_special_tokens=False)["input_ids"]
    full = tokenizer("法", add_special_tokens=True)["input_ids"]
    for i in range(len(full) - len(bare) + 1):
        if full[i:i + len(bare)] == bare:
            return list(full[:i]), list(full[i + len(bare):])
    raise ValueError("cannot tell the tokenizer's special tokens apart from the text")


def pad_windows(windows: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-padded ``input_ids`` and ``attention_mask`` (int64) for a list of token windows."""
    width = max(len(w) for w in windows)
    ids = np.full((len(windows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for i, w in enumerate(windows):
        ids[i, :len(w)] = w
        mask[i, :len(w)] = 1
    return ids, mask


class _Windows:
    """Cuts token sequences into overlapping windows (the long-text strategy in the module docstring)."""

    def __init__(self, tokenizer: Any, max_length: int, max_windows: int, overlap: float) -> None:
        self.tokenizer = tokenizer
        self.prefix, self.suffix = _special_wrapping(tokenizer)
        self.content = max_length - len(self.prefix) - len(self.suffix)
        if self.content < 8:
            raise ValueError(f"max_length {max_length} leaves {self.content} tokens of text per window")
        self.step = max(1, self.content - int(self.content * overlap))
        self.max_windows = max_windows
        self.fast = bool(getattr(tokenizer, "is_fast", True))

    def spans(self, n: int) -> tuple[list[list[tuple[int, int]]], bool]:
        """The windows of an ``n``-token text, each a list of token ranges, and whether they cover all of it.

        A text that fits is one window. A longer one gets windows overlapping by ``overlap``; beyond
        ``max_windows`` of them, ``max_windows`` evenly spaced ones that include the first and the last. With
        ``max_windows == 1`` the one window is head + tail: the first and the last half-window of tokens.
        """
        if n <= self.content:
            return [[(0, n)]], True
        if self.max_windows == 1:
            head = self.content // 2
            return [[(0, head), (n - (self.content - head), n)]], False
        starts = list(range(0, n - self.content, self.step)) + [n - self.content]
        if len(starts) <= self.max_windows:
            return [[(s, s + self.content)] for s in starts], True
        picked = np.unique(np.round(np.linspace(0, len(starts) - 1, self.max_windows)).astype(int))
        starts = [starts[i] for i in picked]
        covered = all(b <= a + self.content for a, b in zip(starts, starts[1:]))
        return [[(s, s + self.content)] for s in starts], covered

    def encode(self, texts: Sequence[str], offsets: bool = False) -> tuple[list[list[list[int]]], list[list[np.ndarray]], list[bool]]:
        """Per text: its windows' token ids (special tokens added), optionally each window's character spans
        of its text tokens, and whether the windows cover the whole text."""
        want_offsets = offsets and self.fast
        encoded = self.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=want_offsets,
                                 verbose=False)
        docs, spans_out, covered = [], [], []
        for i, ids in enumerate(encoded["input_ids"]):
            windows, whole = self.spans(len(ids))
            docs.append([self.prefix + [t for a, b in w for t in ids[a:b]] + self.suffix for w in windows])
            covered.append(whole)
            if offsets:
                mapping = np.asarray(encoded["offset_mapping"][i], dtype=np.int64).reshape(-1, 2) if want_offsets \
                    else np.zeros((len(ids), 2), dtype=np.int64)
                spans_out.append([np.concatenate([mapping[a:b] for a, b in w]) for w in windows])
        return docs, spans_out, covered


# --- heads and the evaluation adapter ------------------------------------------------------------------------
@dataclass
class _DocLogits:
    """Raw logits of every head for a batch of texts (what ``featurizer_.transform`` gives)."""

    logits: np.ndarray


class TransformerHead:
    """One head's labels, position in the shared output layer, calibration and review threshold."""

    def __init__(self, classes: Sequence[str], start: int, temperature: float = 1.0, bias: Sequence[float] | None = None,
                 review_threshold: float = 1.0, metrics: dict[str, Any] | None = None) -> None:
        self.classes_ = np.asarray([str(c) for c in classes], dtype=object)
        self.start = int(start)
        self.temperature_ = float(temperature)
        self.bias_ = np.zeros(len(classes)) if bias is None else np.asarray(bias, dtype=np.float64)
        self.review_threshold_ = float(review_threshold)
        self.metrics = metrics or {}

    @property
    def stop(self) -> int:
        return self.start + len(self.classes_)

    def raw(self, logits: np.ndarray) -> np.ndarray:
        return np.asarray(logits, dtype=np.float64)[:, self.start:self.stop]

    def predict_proba(self, X: _DocLogits | np.ndarray) -> np.ndarray:
        """Calibrated probabilities from all heads' logits; columns follow ``classes_``."""
        logits = X.logits if isinstance(X, _DocLogits) else X
        return softmax((self.raw(logits) + self.bias_) / self.temperature_, axis=1)

    def to_state(self, name: str) -> dict[str, Any]:
        return {"name": name, "labels": [str(c) for c in self.classes_], "start": self.start,
                "temperature": self.temperature_, "bias": self.bias_.tolist(),
                "review_threshold": self.review_threshold_, "validation": self.metrics}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TransformerHead:
        return cls(state["labels"], state["start"], state["temperature"], state["bias"], state["review_threshold"],
                   state.get("validation"))


class _EncoderFeatures:
    """``featurizer_`` of a transformer model: ``transform(texts)`` runs the encoder and returns every head's
    logits, which each head's ``predict_proba`` turns into probabilities (so code written for the linear
    model's ``featurizer_``/``heads_``, such as :func:`petition_nlp.evaluate`, works unchanged)."""

    def __init__(self, model: TransformerModel) -> None:
        self.model = model

    def transform(self, texts: Sequence[str]) -> _DocLogits:
        return _DocLogits(self.model.logits(list(texts)))


class _OnnxRunner:
    """Token scores from ``model.onnx`` with onnxruntime on the CPU."""

    def __init__(self, path: Path) -> None:
        _require("onnxruntime")
        import onnxruntime as ort

        self.session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        return self.session.run(["token_scores"], {"input_ids": input_ids, "attention_mask": attention_mask})[0]


# --- the model -----------------------------------------------------------------------------------------------
class TransformerModel(PetitionModel):
    """A fine-tuned encoder with one linear head per target, used exactly like a :class:`PetitionModel`.

    ``fit(texts, {"domain": [...], ...})`` fine-tunes ``config.backbone``; ``predict`` takes one text (gives
    one :class:`Prediction`) or a list; ``predict_proba(texts, head)``, ``predict_columns``, ``labels(head)``,
    ``head_names`` and ``heads_`` work as for the linear model. ``runtime`` is ``"torch"`` or ``"onnx"``.
    """

    MODEL_TYPE = MODEL_TYPE

    def __init__(self, config: TransformerConfig | None = None, explanation_words: int = 6) -> None:
        super().__init__(None, None, explanation_words)
        self.config = config if config is not None else TransformerConfig()
        self.runtime = "unfitted"
        self.net_: Any = None
        self._segmenter: Segmenter | None = None

    # --- shared pieces ---------------------------------------------------------------------------------------
    @property
    def segmenter(self) -> Segmenter:
        """Normalises and masks texts before the tokenizer; segments them into words for explanations."""
        if self._segmenter is None:
            self._segmenter = Segmenter(SegmenterConfig(backend="rjieba"))
        return self._segmenter

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        return self.segmenter.prepare_batch([t if isinstance(t, str) else "" for t in texts])

    def _attach(self, tokenizer: Any, heads: dict[str, TransformerHead], runner: Any, runtime: str) -> None:
        self.tokenizer_ = tokenizer
        self.windows_ = _Windows(tokenizer, self.config.max_length, self.config.max_windows, self.config.window_overlap)
        self.pad_id_ = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.heads_ = heads
        self.featurizer_ = _EncoderFeatures(self)
        self.runner_ = runner
        self.runtime = runtime

    # --- training --------------------------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        targets: Mapping[str, Sequence[Any]],
        calibration_rows: Sequence[bool] | None = None,
        forbidden_terms: Any = None,
        progress: bool = False,
    ) -> TransformerModel:
        """Fine-tune ``config.backbone`` with one head per entry of ``targets`` (labels aligned with texts).

        Rows whose label is missing are left out of that head's loss only. ``calibration_rows`` limits which
        validation rows calibrate the heads and set the review thresholds. ``forbidden_terms`` (a
        :class:`~petition_nlp.classify.features.PersonalTerms` of register values) are replaced by ``<NAME>``
        in the training texts, so the fine-tuned weights never see the register's names and addresses.
        """
        _require("torch", "transformers")
        from sklearn.metrics import f1_score
        from sklearn.model_selection import train_test_split
        from transformers import AutoModel, AutoTokenizer

        from . import transformer_torch as tt

        cfg = self.config
        if not cfg.backbone:
            raise ValueError("TransformerConfig.backbone is not set: give the local directory of a Hugging Face checkpoint")
        backbone = Path(cfg.backbone)
        if not (backbone / "config.json").is_file():
            raise FileNotFoundError(f"backbone {backbone} is not a local Hugging Face checkpoint directory "
                                    "(no config.json); nothing is downloaded, so it must exist on this machine")
        texts = list(texts)
        if not targets:
            raise ValueError("fit() needs at least one target column")
        for name, values in targets.items():
            if len(values) != len(texts):
                raise ValueError(f"target {name!r} has {len(values)} labels for {len(texts)} texts")
        started = time.perf_counter()
        device = tt.resolve_device(cfg.device)
        autocast = tt.resolve_precision(cfg.mixed_precision, device)
        tt.seed_everything(cfg.seed)

        tokenizer = AutoTokenizer.from_pretrained(str(backbone), local_files_only=True)
        vocab = tokenizer.get_vocab()
        added = tokenizer.add_tokens([p for p in PLACEHOLDERS.values() if p not in vocab], special_tokens=True)
        encoder = AutoModel.from_pretrained(str(backbone), local_files_only=True)
        encoder.float()
        if len(tokenizer) > encoder.get_input_embeddings().num_embeddings:
            encoder.resize_token_embeddings(len(tokenizer))
        limit = int(getattr(encoder.config, "max_position_embeddings", cfg.max_length) or cfg.max_length)
        if getattr(encoder.config, "model_type", "") in ("roberta", "xlm-roberta", "camembert"):
            limit -= 2  # their positions start after the padding index
        if cfg.max_length > limit:
            logger.warning("max_length %d exceeds the backbone's %d positions; using %d", cfg.max_length, limit, limit)
            self.config = cfg = dataclasses.replace(cfg, max_length=limit)

        # Labels: classes per head, a [rows, heads] matrix of label indices, -1 where a row has no label.
        names = list(targets)
        heads: dict[str, TransformerHead] = {}
        y = np.full((len(texts), len(names)), -1, dtype=np.int64)
        start = 0
        for k, name in enumerate(names):
            present = [_has_label(v) for v in targets[name]]
            if sum(present) < 2:
                raise ValueError(f"target {name!r} has fewer than 2 labelled rows")
            labels = sorted({label_text(v) for v, keep in zip(targets[name], present) if keep})
            if len(labels) < 2:
                raise ValueError(f"a head needs at least 2 classes in its training labels, got {labels} for {name!r}")
            index = {c: i for i, c in enumerate(labels)}
            y[:, k] = [index[label_text(v)] if keep else -1 for v, keep in zip(targets[name], present)]
            heads[name] = TransformerHead(labels, start)
            start += len(labels)

        prepared = self._prepare(texts)
        whole = getattr(forbidden_terms, "_whole", None)
        if whole:
            from ..text import normalize

            values = sorted({normalize(v) for v in whole if len(v) >= 2}, key=len, reverse=True)
            pattern = re.compile("|".join(re.escape(v) for v in values if len(v) >= 2))
            prepared = [pattern.sub("<NAME>", t) for t in prepared]
        self._attach(tokenizer, heads, None, "torch")
        docs, _, covered = self.windows_.encode(prepared)
        long_texts = int(sum(len(d) > 1 for d in docs))
        partly_read = int(sum(not c for c in covered))
        if partly_read:
            logger.warning("%d of %d training texts are longer than %d windows of %d tokens cover: each is read in "
                           "%d evenly spaced windows including its beginning and end", partly_read, len(texts),
                           cfg.max_windows, cfg.max_length, cfg.max_windows)

        # Validation split, stratified on the first head where every class has two rows.
        rows = np.arange(len(texts))
        n_val = int(round(len(texts) * cfg.validation_fraction)) if cfg.validation_fraction > 0 and len(texts) >= 10 else 0
        if n_val:
            strata = y[:, 0]
            counts = np.bincount(strata + 1)
            stratify = strata if counts[counts > 0].min() >= 2 and n_val >= len(counts[counts > 0]) else None
            train_rows, val_rows = train_test_split(rows, test_size=n_val, random_state=cfg.seed, stratify=stratify)
            train_rows, val_rows = np.sort(train_rows), np.sort(val_rows)
        else:
            logger.warning("no validation split: no early stopping, no calibration, every prediction needs review")
            train_rows, val_rows = rows, rows[:0]

        class_weights = []
        for k, name in enumerate(names):
            if cfg.class_weight != "balanced":
                class_weights.append(None)
                continue
            counts = np.bincount(y[train_rows, k][y[train_rows, k] >= 0], minlength=len(heads[name].classes_))
            weight = np.where(counts > 0, counts.sum() / (len(counts) * np.maximum(counts, 1)), 1.0)
            class_weights.append(weight.astype(np.float32))
        slices = [(h.start, h.stop) for h in heads.values()]

        def score(logits: np.ndarray, truth: np.ndarray) -> float:
            scores = []
            for k, (s, e) in enumerate(slices):
                present = truth[:, k] >= 0
                if present.any():
                    scores.append(f1_score(truth[present, k], logits[present, s:e].argmax(1), average="macro"))
            return float(np.mean(scores)) if scores else 0.0

        net = tt.MultiHeadNet(encoder, start, cfg.dropout)
        logger.info("fine-tuning %s on %d rows (%d validation) on %s%s", backbone, len(train_rows), len(val_rows),
                    device, f" with {autocast}" if autocast else "")
        run = tt.train_network(
            net, docs, y, slices, class_weights, train_rows, val_rows, pad_id=self.pad_id_, device=device,
            autocast=autocast, learning_rate=cfg.learning_rate, epochs=cfg.epochs, batch_size=cfg.batch_size,
            gradient_accumulation=cfg.gradient_accumulation, weight_decay=cfg.weight_decay,
            warmup_ratio=cfg.warmup_ratio, patience=cfg.patience, seed=cfg.seed, score=score, progress=progress,
        )
        self.net_ = net
        self.runner_ = tt.TorchRunner(net, device, autocast)

        # Calibration and review thresholds on the validation rows of the best epoch.
        validation: dict[str, Any] = {}
        if len(val_rows):
            val_logits = tt.predict_logits(net, [docs[i] for i in val_rows], self.pad_id_, device, autocast,
                                           cfg.eval_batch_size)
            calibrate = np.ones(len(val_rows), dtype=bool) if calibration_rows is None \
                else np.asarray(calibration_rows, dtype=bool)[val_rows]
            for k, (name, head) in enumerate(heads.items()):
                validation[name] = self._calibrate(head, name, val_logits, y[val_rows, k], calibrate)
        self.meta = {
            "backbone": _backbone_info(backbone, encoder, tokenizer, added),
            "long_texts": {
                "strategy": "sliding windows, mean of window logits; head + evenly spaced + tail beyond max_windows",
                "max_length": cfg.max_length, "window_overlap": cfg.window_overlap, "max_windows": cfg.max_windows,
                "training_texts_over_one_window": long_texts, "training_texts_partly_read": partly_read,
            },
            "text_pipeline": {"normalize": True, "mask": True, "explanations": "rjieba words, shipped lexicon"},
            "training": {
                **run, "device": str(device),
                "mixed_precision": str(autocast).replace("torch.", "") if autocast else "no",
                "train_rows": int(len(train_rows)), "validation_rows": int(len(val_rows)),
                "total_seconds": round(time.perf_counter() - started, 1),
            },
            "metrics": {"validation": validation},
        }
        return self

    def _calibrate(self, head: TransformerHead, name: str, logits: np.ndarray, truth: np.ndarray,
                   calibrate: np.ndarray) -> dict[str, Any]:
        from sklearn.metrics import accuracy_score, f1_score, log_loss

        present = truth >= 0
        use = present & calibrate
        if use.sum() < 2 * len(head.classes_):
            logger.warning("head %r: %d calibration rows; calibrating on every validation row", name, use.sum())
            use = present
        if use.sum() < 2 * len(head.classes_) or len(np.unique(truth[use])) < 2:
            logger.warning("head %r: too few validation rows to calibrate; every prediction will need review", name)
            return {"validation_rows": int(present.sum())}
        head.temperature_, head.bias_ = _fit_calibration(head.raw(logits)[use], truth[use])
        proba = head.predict_proba(logits[use])
        confidence, predicted = proba.max(1), proba.argmax(1)
        head.review_threshold_ = _review_threshold(confidence, predicted == truth[use], self.config.review_precision)
        head.metrics = {
            "validation_rows": int(use.sum()),
            "accuracy": float(accuracy_score(truth[use], predicted)),
            "macro_f1": float(f1_score(truth[use], predicted, average="macro")),
            "review_share": float((confidence < head.review_threshold_).mean()),
            "calibration_log_loss": float(log_loss(truth[use], proba, labels=np.arange(len(head.classes_)))),
        }
        return head.metrics

    # --- prediction ------------------------------------------------------------------------------------------
    def _scores(self, prepared: list[str], explain: bool) -> tuple[np.ndarray, list[list[np.ndarray]], list[list[np.ndarray]]]:
        """Document logits, and with ``explain`` every window's token scores and character spans."""
        docs, offsets, _ = self.windows_.encode(prepared, offsets=explain)
        windows = [w for d in docs for w in d]
        owner = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
        order = np.argsort([len(w) for w in windows], kind="stable")
        n_out = self.heads_[self.head_names[-1]].stop
        window_logits = np.zeros((len(windows), n_out), dtype=np.float64)
        token_scores: list[np.ndarray | None] = [None] * len(windows)
        size = self.config.eval_batch_size
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            ids, mask = pad_windows([windows[i] for i in batch], self.pad_id_)
            scores = self.runner_(ids, mask)
            window_logits[batch] = scores.astype(np.float64).sum(axis=1)
            if explain:
                for row, i in enumerate(batch):
                    token_scores[i] = scores[row, :len(windows[i])]
        counts = np.bincount(owner, minlength=len(docs))
        logits = np.zeros((len(docs), n_out))
        np.add.at(logits, owner, window_logits)
        logits /= counts[:, None]
        per_doc: list[list[np.ndarray]] = []
        if explain:
            cursor = 0
            for d in docs:
                per_doc.append(token_scores[cursor:cursor + len(d)])  # type: ignore[arg-type]
                cursor += len(d)
        return logits, per_doc, offsets

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits of every head (columns: each head's labels in turn), computed in chunks."""
        self._check()
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.heads_[self.head_names[-1]].stop))
        parts = [self._scores(self._prepare(texts[i:i + _CHUNK]), False)[0] for i in range(0, len(texts), _CHUNK)]
        return np.vstack(parts)

    def _head_outputs(self, texts: list[str], explain: bool, words: int | None = None) -> dict[str, dict[str, Any]]:
        outputs: dict[str, dict[str, Any]] = {n: {"proba": [], "explanation": []} for n in self.heads_}
        for begin in range(0, len(texts), _CHUNK):
            prepared = self._prepare(texts[begin:begin + _CHUNK])
            logits, token_scores, offsets = self._scores(prepared, explain)
            words = [self._word_spans(t) for t in prepared] if explain else []
            for name, head in self.heads_.items():
                proba = head.predict_proba(logits)
                outputs[name]["proba"].append(proba)
                if not explain:
                    outputs[name]["explanation"] += [()] * len(prepared)
                    continue
                best = proba.argmax(1)
                for i, text in enumerate(prepared):
                    outputs[name]["explanation"].append(
                        self._explain(text, token_scores[i], offsets[i], words[i], head, int(best[i])))
        for name, head in self.heads_.items():
            out = outputs[name]
            proba = np.vstack(out["proba"]) if out["proba"] else np.zeros((0, len(head.classes_)))
            best = proba.argmax(1)
            confidence = proba[np.arange(len(proba)), best]
            out.update(proba=proba, confidence=confidence, labels=head.classes_[best],
                       review=confidence < head.review_threshold_)
        return outputs

    def _word_spans(self, text: str) -> list[tuple[str, int, int]]:
        """Words of a prepared text worth showing (as the linear model: two characters or more, no digits, no
        placeholders), with their character spans."""
        spans, cursor = [], 0
        for word in self.segmenter.segment_masked(text):
            at = text.find(word, cursor)
            if at < 0:
                continue
            cursor = at + len(word)
            if len(word) >= 2 and "<" not in word and not any(c.isdigit() for c in word) and any(c.isalnum() for c in word):
                spans.append((word, at, cursor))
        return spans

    def _explain(self, text: str, token_scores: list[np.ndarray], offsets: list[np.ndarray],
                 words: list[tuple[str, int, int]], head: TransformerHead, label: int) -> tuple[tuple[str, float], ...]:
        """The words with the largest share of the predicted label's logit over the other labels' mean."""
        if not words or not text:
            return ()
        chars = np.zeros(len(text) + 1)
        k = len(head.classes_)
        skip = len(self.windows_.prefix)
        for scores, spans in zip(token_scores, offsets):
            block = scores[:, head.start:head.stop].astype(np.float64)
            contrast = block[:, label] - (block.sum(1) - block[:, label]) / max(k - 1, 1)
            contrast = contrast[skip:skip + len(spans)] / len(token_scores)
            lengths = spans[:, 1] - spans[:, 0]
            keep = lengths > 0
            if not keep.any():
                continue
            spans, contrast, lengths = spans[keep], contrast[keep], lengths[keep]
            token_of = np.repeat(np.arange(len(spans)), lengths)
            position = spans[token_of, 0] + np.arange(len(token_of)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            np.add.at(chars, np.minimum(position, len(text)), (contrast / lengths)[token_of])
        cumulative = np.concatenate([[0.0], np.cumsum(chars[:len(text)])])
        totals: dict[str, float] = {}
        for word, a, b in words:
            totals[word] = totals.get(word, 0.0) + float(cumulative[b] - cumulative[a])
        ranked = sorted(((w, s) for w, s in totals.items() if s > 0), key=lambda item: -item[1])
        return tuple((w, round(s, 4)) for w, s in ranked[:self.explanation_words])

    # --- persistence -----------------------------------------------------------------------------------------
    def save(self, path: str | Path, extra_meta: dict[str, Any] | None = None, *, overwrite: bool = False) -> Path:
        """Write the model directory: encoder (``save_pretrained``, safetensors), tokenizer, heads, meta.json.

        ``path`` is new or empty, or, with ``overwrite``, holds a model (see :func:`check_model_dir`)."""
        self._check()
        check_model_dir(path, overwrite)
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        source = Path(self.path) if getattr(self, "path", None) is not None else None
        in_place = source is not None and source.resolve() == out.resolve()
        keep_onnx = self.net_ is None  # an onnxruntime model is saved by copying its files, model.onnx included
        if not (in_place and self.net_ is None):
            remove_previous_model_files(out)
        if self.net_ is not None:
            from safetensors.torch import save_file

            self.net_.encoder.save_pretrained(str(out))
            self.tokenizer_.save_pretrained(str(out))
            state = {k: v.detach().to("cpu").contiguous() for k, v in self.net_.heads.state_dict().items()}
            save_file(state, str(out / _HEADS_WEIGHTS))
        elif source is not None and not in_place:
            for name in _read_json(source / "meta.json").get("files", {}):
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / name, out / name)
        elif source is None:
            raise ValueError("this model has neither torch weights nor a model directory to save from")
        (out / _HEADS_JSON).write_text(json.dumps({"heads": [h.to_state(n) for n, h in self.heads_.items()]},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")
        meta = {
            **meta_header(MODEL_TYPE),
            "heads": {n: {"labels": [str(c) for c in h.classes_], "review_threshold": h.review_threshold_,
                          "temperature": h.temperature_} for n, h in self.heads_.items()},
            "explanation_words": self.explanation_words,
            "config": (self.meta or {}).get("config", self.config.to_dict()),  # as trained, not as loaded
            "versions": _versions(),
            **{k: v for k, v in (self.meta or {}).items() if k not in _RESERVED_META and (keep_onnx or k != "onnx")},
            **(extra_meta or {}),
        }
        _write_meta(out, meta)
        logger.info("saved transformer model with heads %s to %s", self.head_names, out)
        return out

    def __repr__(self) -> str:
        if not hasattr(self, "heads_"):
            return "TransformerModel(unfitted)"
        heads = ", ".join(f"{n}[{len(h.classes_)}]" for n, h in self.heads_.items())
        return f"TransformerModel({heads}; runtime={self.runtime})"


def _write_meta(out: Path, meta: dict[str, Any]) -> None:
    files = {p.relative_to(out).as_posix(): _sha256(p) for p in sorted(out.rglob("*"))
             if p.is_file() and p.name != "meta.json" and not p.name.endswith(".tmp")}
    meta = {**meta, "files": files}
    tmp = out / "meta.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    tmp.replace(out / "meta.json")


def _versions() -> dict[str, str]:
    found = {}
    for module in ("torch", "transformers", "onnxruntime"):
        if importlib.util.find_spec(module) is not None:
            from importlib.metadata import PackageNotFoundError, version

            try:
                found[module] = version(module)
            except PackageNotFoundError:
                pass
    return found


def _backbone_info(path: Path, encoder: Any, tokenizer: Any, added: int) -> dict[str, Any]:
    config = encoder.config
    return {
        "source": str(path.resolve()),
        "model_type": getattr(config, "model_type", None),
        "hidden_size": getattr(config, "hidden_size", None),
        "layers": getattr(config, "num_hidden_layers", None),
        "parameters": int(sum(p.numel() for p in encoder.parameters())),
        "vocabulary": len(tokenizer),
        "added_tokens": list(PLACEHOLDERS.values()) if added else [],
    }


# --- loading and ONNX ------------------------------------------------------------------------------------------
def load_transformer(path: str | Path, verify: bool = True, runtime: str = "auto", device: str = "auto") -> TransformerModel:
    """Load a transformer model directory.

    ``runtime``: ``torch``, ``onnx`` (onnxruntime on the CPU, needs :func:`export_onnx` first) or ``auto``
    (torch where it is installed, else onnx where the directory has ``model.onnx``). ``device`` as in
    :class:`TransformerConfig` (torch only).
    """
    directory = Path(path)
    meta = _read_json(directory / "meta.json")
    if meta.get("model_type") != MODEL_TYPE:
        raise ModelLoadError(f"{directory}: model type {meta.get('model_type')!r} is not {MODEL_TYPE!r}")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(f"{directory}: saved in model format {meta.get('format_version')!r} by petition-nlp "
                             f"{meta.get('library_version')!r}; this petition-nlp {__version__} reads format {FORMAT_VERSION}")
    if runtime not in ("auto", "torch", "onnx"):
        raise ValueError(f"runtime must be auto, torch or onnx, got {runtime!r}")
    files = meta.get("files", {})
    if runtime == "auto":
        has_torch = importlib.util.find_spec("torch") is not None
        runtime = "torch" if has_torch or ONNX_FILE not in files else "onnx"
    needed = [f for f in _REQUIRED if not (runtime == "onnx" and f in ("model.safetensors", _HEADS_WEIGHTS))]
    if runtime == "onnx":
        needed.append(ONNX_FILE)
    for name in needed:
        if name not in files:
            hint = "; run petition_nlp.classify.transformer.export_onnx(model_dir) first" if name == ONNX_FILE else ""
            raise ModelLoadError(f"{directory}: meta.json lists no checksum for {name}{hint}")
    if verify:
        verify_checksums(directory, files)
    try:
        _require("transformers", *(("torch",) if runtime == "torch" else ("onnxruntime",)))
    except ImportError as exc:
        raise ModelLoadError(f"{directory} is a transformer model: {exc}") from None
    from transformers import AutoTokenizer

    known = {f.name for f in dataclasses.fields(TransformerConfig)}
    config = TransformerConfig(**{**{k: v for k, v in meta.get("config", {}).items() if k in known}, "device": device})
    model = TransformerModel(config, int(meta.get("explanation_words", 6)))
    try:
        heads = {s["name"]: TransformerHead.from_state(s) for s in _read_json(directory / _HEADS_JSON)["heads"]}
        tokenizer = AutoTokenizer.from_pretrained(str(directory), local_files_only=True)
    except (KeyError, TypeError, ValueError, OSError) as exc:
        raise ModelLoadError(f"{directory}: model files are inconsistent ({exc})") from exc
    n_out = max(h.stop for h in heads.values())
    if runtime == "torch":
        from safetensors.torch import load_file
        from transformers import AutoModel

        from . import transformer_torch as tt

        encoder = AutoModel.from_pretrained(str(directory), local_files_only=True)
        encoder.float()
        net = tt.MultiHeadNet(encoder, n_out, config.dropout)
        state = load_file(str(directory / _HEADS_WEIGHTS))
        if tuple(state["weight"].shape) != (n_out, int(encoder.config.hidden_size)):
            raise ModelLoadError(f"{directory}: heads weights have shape {tuple(state['weight'].shape)}, "
                                 f"expected {(n_out, int(encoder.config.hidden_size))}")
        net.heads.load_state_dict(state)
        dev = tt.resolve_device(device)
        net.to(dev).eval()
        model.net_ = net
        runner: Any = tt.TorchRunner(net, dev, tt.resolve_precision(config.mixed_precision, dev))
        label = f"torch/{dev}"
    else:
        runner, label = _OnnxRunner(directory / ONNX_FILE), "onnx/cpu"
    model._attach(tokenizer, heads, runner, label)
    model.meta = {k: v for k, v in meta.items() if k != "files"}
    model.path = directory
    return model


def _probe_texts(tokenizer: Any, n: int = 48, seed: int = 0) -> list[str]:
    """Deterministic pseudo-texts over the tokenizer's CJK characters, of lengths up to several windows."""
    chars = [t for t in tokenizer.get_vocab() if len(t) == 1 and "\u4e00" <= t <= "\u9fff"] or list("法院执行派出所立案")
    rng = np.random.default_rng(seed)
    lengths = np.concatenate([rng.integers(1, 200, n - n // 4), rng.integers(300, 1500, n // 4)])
    return ["".join(rng.choice(chars, size=int(length))) for length in lengths]


def export_onnx(model_dir: str | Path, sample_texts: Sequence[str] | None = None, opset: int = 17) -> dict[str, Any]:
    """Export ``model_dir``'s network to ``model_dir/model.onnx`` and measure onnxruntime against torch.

    The graph maps ``input_ids``/``attention_mask`` windows to token scores (see
    :class:`~petition_nlp.classify.transformer_torch.MultiHeadNet`), so onnxruntime gives labels, probabilities
    and explanations through the same code as torch. Agreement (label agreement per head, largest absolute
    probability difference) is measured on ``sample_texts`` (default: 48 deterministic pseudo-texts, a quarter
    longer than one window), stored in meta.json under ``onnx`` and returned.
    """
    _require("torch", "transformers", "onnx", "onnxruntime")
    import onnx
    import onnxruntime

    from . import transformer_torch as tt

    directory = Path(model_dir)
    torch_model = load_transformer(directory, runtime="torch", device="cpu")
    target = directory / ONNX_FILE
    tmp = directory / (ONNX_FILE + ".tmp")
    tt.export_onnx_graph(torch_model.net_, str(tmp), opset=opset)
    onnx.checker.check_model(str(tmp))
    texts = list(sample_texts) if sample_texts is not None else _probe_texts(torch_model.tokenizer_)
    onnx_model = TransformerModel(torch_model.config, torch_model.explanation_words)
    onnx_model._attach(torch_model.tokenizer_, torch_model.heads_, _OnnxRunner(tmp), "onnx/cpu")
    started = time.perf_counter()
    reference = torch_model.logits(texts)
    torch_seconds = time.perf_counter() - started
    started = time.perf_counter()
    exported = onnx_model.logits(texts)
    onnx_seconds = time.perf_counter() - started
    agreement: dict[str, Any] = {"texts": len(texts), "max_abs_logit_difference": float(np.abs(reference - exported).max())}
    for name, head in torch_model.heads_.items():
        p_ref, p_onnx = head.predict_proba(reference), head.predict_proba(exported)
        agreement[name] = {"label_agreement": float((p_ref.argmax(1) == p_onnx.argmax(1)).mean()),
                           "max_abs_probability_difference": float(np.abs(p_ref - p_onnx).max())}
    tmp.replace(target)
    meta = _read_json(directory / "meta.json")
    meta["onnx"] = {"file": ONNX_FILE, "opset": opset, "onnxruntime": onnxruntime.__version__,
                    "agreement_with_torch": agreement,
                    "cpu_seconds": {"torch": round(torch_seconds, 3), "onnxruntime": round(onnx_seconds, 3)},
                    "sample": "given texts" if sample_texts is not None else "pseudo-texts over the vocabulary"}
    meta.pop("files", None)
    _write_meta(directory, meta)
    logger.info("exported %s: %s", target, agreement)
    return agreement


# --- training from a table -----------------------------------------------------------------------------------
def train_transformer(
    data: Any,
    targets: str | Sequence[str],
    *,
    backbone: str | Path | None = None,
    text_column: str = "text",
    output: str | Path | None = None,
    config: TransformerConfig | None = None,
    encoding: str | None = None,
    calibrate_on: tuple[str, str] | None = None,
    progress: bool = True,
    overwrite: bool = False,
) -> TransformerModel:
    """Fine-tune a transformer with one head per target column of ``data`` (a file path or a DataFrame);
    the transformer counterpart of :func:`petition_nlp.train`, with the same row handling and metadata.

    ``backbone`` (or ``config.backbone``) is the local checkpoint directory. Register columns (``name``,
    ``id_number``, ``phone``, ``address``) are masked out of the training texts where present.
    """

    from .training import training_data_meta, training_rows

    if output is not None:
        check_model_dir(output, overwrite)  # before hours of training, not after
    config = config if config is not None else TransformerConfig()
    if backbone is not None:
        config = dataclasses.replace(config, backbone=str(backbone))
    targets = [targets] if isinstance(targets, str) else list(targets)
    rows = training_rows(data, targets, text_column, calibrate_on, encoding)
    texts, labels = rows.texts, rows.labels
    model = TransformerModel(config).fit(texts, labels, rows.calibration_rows, rows.forbidden, progress=progress)
    model.meta = {
        **model.meta,
        "training_data": training_data_meta(data, rows, text_column, calibrate_on, "all validation rows"),
    }
    if output is not None:
        model.save(output, overwrite=overwrite)
    return model
