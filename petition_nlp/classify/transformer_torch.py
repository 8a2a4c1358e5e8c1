"""The torch side of the transformer classifier: the multi-head network, the training loop, torch inference.

Imported only when a transformer model is trained or run with torch (``petition_nlp.classify.transformer``
imports it lazily), so the core library never needs torch.
"""

from __future__ import annotations

import copy
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from .transformer import pad_windows as _pad

__all__ = ["MultiHeadNet", "TorchRunner", "resolve_device", "resolve_precision", "seed_everything", "train_network"]

logger = logging.getLogger(__name__)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def resolve_device(device: str) -> torch.device:
    """``auto`` → the GPU when one is visible, else the CPU; ``cuda`` without a GPU is an error, not a fallback."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    resolved = torch.device(device)
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} was asked for but torch sees no CUDA GPU (torch {torch.__version__})")
    return resolved


def resolve_precision(mixed_precision: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype, or None for full float32 (always on the CPU)."""
    if device.type != "cuda" or mixed_precision == "no":
        if mixed_precision in ("fp16", "bf16") and device.type != "cuda":
            logger.warning("mixed precision %s needs a GPU; training in float32 on %s", mixed_precision, device)
        return None
    if mixed_precision == "bf16" or (mixed_precision == "auto" and torch.cuda.is_bf16_supported()):
        return torch.bfloat16
    return torch.float16


class MultiHeadNet(nn.Module):
    """A shared encoder, masked mean pooling of its last hidden states, one linear classifier per head.

    The heads are stored as the row blocks of one ``nn.Linear`` (head ``k`` owns rows ``slices[k]``); no
    weight is shared between heads. :meth:`token_scores` gives each token's additive share of every logit:
    ``(h_t · W + b) * mask_t / n``, whose sum over the tokens of a window is exactly the window's logits, so the
    same numbers give the prediction and its explanation, and they are what the ONNX export computes.
    """

    def __init__(self, encoder: nn.Module, n_outputs: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.Linear(int(encoder.config.hidden_size), n_outputs)
        nn.init.normal_(self.heads.weight, std=0.02)
        nn.init.zeros_(self.heads.bias)

    def _hidden(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Window logits ``[windows, outputs]`` (training path: dropout on the pooled vector)."""
        hidden = self._hidden(input_ids, attention_mask)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.heads(self.dropout(pooled))

    def token_scores(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """``[windows, tokens, outputs]``: each token's share of each logit (zero on padding)."""
        hidden = self._hidden(input_ids, attention_mask)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        share = mask / mask.sum(1, keepdim=True).clamp(min=1.0)
        return self.heads(hidden) * share


class _TokenScores(nn.Module):
    """The module that is exported to ONNX: token scores only."""

    def __init__(self, net: MultiHeadNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.net.token_scores(input_ids, attention_mask)


def export_onnx_graph(net: MultiHeadNet, path: str, opset: int = 17) -> None:
    """Write ``net.token_scores`` as ONNX with dynamic window count and length (TorchScript-based exporter,
    which needs no extra package; float32 on the CPU)."""
    import warnings

    net = copy.deepcopy(net).to("cpu").float().eval()
    example_ids = torch.full((2, 8), 5, dtype=torch.long)
    example_mask = torch.ones_like(example_ids)
    example_mask[1, 5:] = 0
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _TokenScores(net), (example_ids, example_mask), path,
            input_names=["input_ids", "attention_mask"], output_names=["token_scores"],
            dynamic_axes={"input_ids": {0: "windows", 1: "tokens"}, "attention_mask": {0: "windows", 1: "tokens"},
                          "token_scores": {0: "windows", 1: "tokens"}},
            opset_version=opset, do_constant_folding=True, dynamo=False,
        )


class TorchRunner:
    """Token scores for a padded window batch, as float32 numpy (autocast on a GPU when asked for)."""

    def __init__(self, net: MultiHeadNet, device: torch.device, autocast: torch.dtype | None) -> None:
        self.net, self.device, self.autocast = net, device, autocast

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        self.net.eval()
        ids = torch.from_numpy(input_ids).to(self.device)
        mask = torch.from_numpy(attention_mask).to(self.device)
        with torch.inference_mode(), torch.autocast(self.device.type, dtype=self.autocast or torch.float32,
                                                    enabled=self.autocast is not None):
            scores = self.net.token_scores(ids, mask)
        return scores.float().cpu().numpy()


def _batches(docs: Sequence[Sequence[Sequence[int]]], batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of document indices; documents of similar length share a batch (less padding)."""
    order = rng.permutation(len(docs))
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        group = order[start:start + pool]
        group = group[np.argsort([sum(len(w) for w in docs[i]) for i in group], kind="stable")]
        batches += [group[i:i + batch_size] for i in range(0, len(group), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def _doc_logits(net: MultiHeadNet, docs: Sequence[Sequence[Sequence[int]]], index: np.ndarray, pad_id: int,
                device: torch.device, autocast: torch.dtype | None, train: bool) -> torch.Tensor:
    """Logits of each document in ``index``: the mean of its windows' logits (sliding-window pooling)."""
    windows, owner = [], []
    for row, doc in enumerate(index):
        windows += docs[doc]
        owner += [row] * len(docs[doc])
    ids, mask = _pad(windows, pad_id)
    ids_t, mask_t = torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)
    with torch.autocast(device.type, dtype=autocast or torch.float32, enabled=autocast is not None):
        if train:
            window_logits = net(ids_t, mask_t)
        else:
            window_logits = net.token_scores(ids_t, mask_t).sum(1)
    window_logits = window_logits.float()
    owner_t = torch.as_tensor(owner, device=device)
    sums = torch.zeros(len(index), window_logits.shape[1], device=device).index_add_(0, owner_t, window_logits)
    counts = torch.bincount(owner_t, minlength=len(index)).clamp(min=1).unsqueeze(1)
    return sums / counts


def predict_logits(net: MultiHeadNet, docs: Sequence[Sequence[Sequence[int]]], pad_id: int, device: torch.device,
                   autocast: torch.dtype | None, batch_size: int) -> np.ndarray:
    net.eval()
    order = np.argsort([sum(len(w) for w in d) for d in docs], kind="stable")
    out = np.zeros((len(docs), net.heads.out_features), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            index = order[start:start + batch_size]
            out[index] = _doc_logits(net, docs, index, pad_id, device, autocast, train=False).cpu().numpy()
    return out


def train_network(
    net: MultiHeadNet,
    docs: Sequence[Sequence[Sequence[int]]],
    targets: np.ndarray,
    slices: Sequence[tuple[int, int]],
    class_weights: Sequence[np.ndarray | None],
    train_rows: np.ndarray,
    val_rows: np.ndarray,
    *,
    pad_id: int,
    device: torch.device,
    autocast: torch.dtype | None,
    learning_rate: float,
    epochs: int,
    batch_size: int,
    gradient_accumulation: int,
    weight_decay: float,
    warmup_ratio: float,
    patience: int,
    seed: int,
    score: Callable[[np.ndarray, np.ndarray], float],
    progress: bool = True,
) -> dict[str, Any]:
    """Fine-tune ``net`` on ``docs`` (each a list of token windows); ``targets[i, k]`` is the label index of
    document ``i`` for head ``k`` (-1 where missing). Early stopping on ``score(val_logits, val_targets)``
    (higher is better) with ``patience`` epochs; the best epoch's weights are restored. Returns the history."""
    from tqdm.auto import tqdm

    net.to(device)
    weights = [None if w is None else torch.as_tensor(w, dtype=torch.float32, device=device) for w in class_weights]
    losses = [nn.CrossEntropyLoss(weight=w, ignore_index=-1) for w in weights]
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight", "norm.weight")
    params = [(n, p) for n, p in net.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([
        {"params": [p for n, p in params if not n.endswith(no_decay)], "weight_decay": weight_decay},
        {"params": [p for n, p in params if n.endswith(no_decay)], "weight_decay": 0.0},
    ], lr=learning_rate)
    rng = np.random.default_rng(seed)
    steps_per_epoch = math.ceil(math.ceil(len(train_rows) / batch_size) / gradient_accumulation)
    total = max(1, steps_per_epoch * epochs)
    warmup = int(total * warmup_ratio)

    def schedule(step: int) -> float:  # linear warm-up, then linear decay to zero
        if step < warmup:
            return (step + 1) / (warmup + 1)
        return max(0.0, (total - step) / max(1, total - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    scaler = torch.amp.GradScaler("cuda", enabled=autocast is torch.float16)
    targets_t = torch.as_tensor(targets, dtype=torch.long)
    docs_train = [docs[i] for i in train_rows]
    history: list[dict[str, float]] = []
    best = {"score": -math.inf, "epoch": 0, "state": None}
    stale = 0
    started = time.perf_counter()
    bar = tqdm(total=steps_per_epoch * epochs, desc="fine-tuning", unit=" steps", disable=not progress)
    for epoch in range(1, epochs + 1):
        net.train()
        running, seen = 0.0, 0
        batches = _batches(docs_train, batch_size, rng)
        optimizer.zero_grad(set_to_none=True)
        for b, batch in enumerate(batches):
            rows = train_rows[batch]
            logits = _doc_logits(net, docs_train, batch, pad_id, device, autocast, train=True)
            y = targets_t[rows].to(device)
            head_losses = [losses[k](logits[:, s:e], y[:, k]) for k, (s, e) in enumerate(slices) if (y[:, k] >= 0).any()]
            loss = torch.stack(head_losses).mean()
            scaler.scale(loss / gradient_accumulation).backward()
            running += float(loss.detach()) * len(batch)
            seen += len(batch)
            if (b + 1) % gradient_accumulation == 0 or b + 1 == len(batches):
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                scaler.step(optimizer)
                scaler.update()
                optimizer.zero_grad(set_to_none=True)
                scheduler.step()
                bar.update(1)
        record = {"epoch": epoch, "train_loss": running / max(seen, 1)}
        if len(val_rows):
            val_logits = predict_logits(net, [docs[i] for i in val_rows], pad_id, device, autocast, batch_size * 2)
            val_y = targets[val_rows]
            val_losses = []
            for k, (s, e) in enumerate(slices):
                present = val_y[:, k] >= 0
                if present.any():
                    val_losses.append(float(nn.functional.cross_entropy(
                        torch.from_numpy(val_logits[present, s:e]), torch.from_numpy(val_y[present, k]).long())))
            record["val_loss"] = float(np.mean(val_losses)) if val_losses else float("nan")
            record["val_score"] = score(val_logits, val_y)
            improved = record["val_score"] > best["score"] + 1e-4
        else:
            improved = True
        history.append(record)
        logger.info("epoch %d: %s", epoch, {k: round(v, 4) for k, v in record.items()})
        if improved:
            best = {"score": record.get("val_score", math.nan), "epoch": epoch,
                    "state": {k: v.detach().to("cpu", copy=True) for k, v in net.state_dict().items()}}
            stale = 0
        else:
            stale += 1
            if stale >= patience:
                logger.info("early stopping after epoch %d (best epoch %d)", epoch, best["epoch"])
                break
    bar.close()
    if best["state"] is not None:
        net.load_state_dict(best["state"])
    net.eval()
    return {"history": history, "best_epoch": best["epoch"], "epochs_run": len(history),
            "stopped_early": len(history) < epochs, "seconds": round(time.perf_counter() - started, 1)}
