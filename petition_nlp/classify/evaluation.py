"""Evaluating a model on labelled data: metrics per head, confusion matrices, calibration, confident errors."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from ..text import mask_personal_data, normalize
from .model import PetitionModel, label_text
from .training import load_labelled

__all__ = ["evaluate", "expected_calibration_error"]

logger = logging.getLogger(__name__)

CHUNK = 2000


def expected_calibration_error(correct: np.ndarray, confidence: np.ndarray, n_bins: int = 10) -> float:
    """Share-weighted gap between confidence and accuracy over equal-width confidence bins.

    Bin accuracies and mean confidences come from :func:`sklearn.calibration.calibration_curve`.
    """
    if len(correct) == 0:
        return float("nan")
    accuracy, mean_confidence = calibration_curve(correct.astype(int), confidence, n_bins=n_bins, strategy="uniform")
    counts, _ = np.histogram(confidence, bins=np.linspace(0, 1, n_bins + 1))
    counts = counts[counts > 0]
    return float(np.sum(counts / counts.sum() * np.abs(accuracy - mean_confidence)))


def _predict_all(model: PetitionModel, texts: list[str], progress: bool) -> dict[str, np.ndarray]:
    from tqdm.auto import tqdm

    probas: dict[str, list[np.ndarray]] = {name: [] for name in model.head_names}
    for start in tqdm(range(0, len(texts), CHUNK), desc="evaluating", disable=not progress):
        X = model.featurizer_.transform(texts[start:start + CHUNK])
        for name, head in model.heads_.items():
            probas[name].append(head.predict_proba(X))
    return {name: np.vstack(parts) for name, parts in probas.items()}


def evaluate(
    model: PetitionModel,
    data: str | Path | pd.DataFrame,
    *,
    text_column: str = "text",
    report_dir: str | Path | None = None,
    encoding: str | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Score every head of ``model`` whose name is a column of ``data``.

    Returns ``{head: {"accuracy", "macro_f1", "per_class", "confusion_matrix", "ece", "rows", ...}}`` and, with
    ``report_dir``, writes ``metrics.json``, ``report.md`` and PNG confusion matrices and reliability plots.
    """
    frame = load_labelled(data, [text_column], encoding)
    truth_columns = _truth_columns(model.head_names, list(frame.columns))
    heads = list(truth_columns)
    if not heads:
        raise ValueError(f"data has none of the model's head columns {model.head_names}; its columns are {list(frame.columns)}")
    unscored = [name for name in model.head_names if name not in heads]
    if unscored:
        logger.warning("heads %s have no column of labels in the data and are not scored", unscored)
    texts = frame[text_column].fillna("").astype(str).tolist()
    has_text = pd.Series([bool(t.strip()) for t in texts], index=frame.index)
    if not has_text.all():
        # `label` reports such rows as errors instead of labelling them; they are not scored either.
        logger.warning("%d rows with empty text are not scored", int((~has_text).sum()))
    labelled = {name: frame[column].notna() & (frame[column].astype(str).str.strip() != "") & has_text
                for name, column in truth_columns.items()}
    empty = [name for name in heads if not labelled[name].any()]
    if empty:
        # An export with a blank column for a head nobody labelled: score the others.
        logger.warning("heads %s have a column without any label and are not scored", empty)
        heads = [name for name in heads if name not in empty]
    if not heads:
        raise ValueError(f"no row of data has a label (with text) for any of the model's heads {model.head_names}")
    probas = _predict_all(model, texts, progress)
    metrics: dict[str, Any] = {}
    errors: dict[str, pd.DataFrame] = {}
    for name in heads:
        truth = frame[truth_columns[name]]
        present = labelled[name]
        # Spaces around a label are dropped, as training drops them ("court_enforcement " is court_enforcement).
        y_true = np.asarray([label_text(v).strip() for v in truth[present]], dtype=object)
        labels = np.asarray(model.labels(name), dtype=object)
        proba = probas[name][present.to_numpy()]
        y_pred = labels[proba.argmax(axis=1)]
        confidence = proba.max(axis=1)
        correct = y_true == y_pred
        all_labels = sorted(set(labels) | set(y_true))
        unknown = sorted(set(y_true) - set(labels))
        if unknown:
            logger.warning("head %r: labels %s are not among the model's %s; those rows count as errors",
                           name, unknown[:10], list(labels))
        metrics[name] = {
            "rows": int(present.sum()),
            "accuracy": float(accuracy_score(y_true, y_pred)),
            "macro_f1": float(f1_score(y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0)),
            "per_class": classification_report(y_true, y_pred, labels=sorted(set(y_true)), output_dict=True, zero_division=0),
            "labels": all_labels,
            "confusion_matrix": confusion_matrix(y_true, y_pred, labels=all_labels).tolist(),
            "ece": expected_calibration_error(correct, confidence),
            "review_share": float((confidence < model.heads_[name].review_threshold_).mean()),
            "accuracy_without_review": float(correct[confidence >= model.heads_[name].review_threshold_].mean())
            if (confidence >= model.heads_[name].review_threshold_).any() else float("nan"),
            "labels_not_in_model": unknown,
        }
        wrong = np.nonzero(~correct)[0]
        worst = wrong[np.argsort(-confidence[wrong])][:20]
        errors[name] = pd.DataFrame({
            # A report is shared: its excerpts are masked like logs are.
            # Masked whole and then cut: a number cut in two is no longer recognised as an ID or phone.
            "text": [mask_personal_data(normalize(texts[i])).text[:120] for i in np.nonzero(present.to_numpy())[0][worst]],
            "true": y_true[worst],
            "predicted": y_pred[worst],
            "confidence": np.round(confidence[worst], 3),
        })
        if report_dir is not None:
            _plots(Path(report_dir), name, _file_stem(name), metrics[name], correct, confidence)
    if report_dir is not None:
        _write_report(Path(report_dir), model, metrics, errors, len(texts))
    return metrics


def _truth_columns(heads: list[str], columns: list[str]) -> dict[str, str]:
    """The column holding each head's true labels. In a file written by ``label`` (it has ``H_confidence``) the
    column ``H`` holds predictions, and the labels it came with are under ``H_input``."""
    truth = {}
    for head in heads:
        if f"{head}_confidence" not in columns:
            if head in columns:
                truth[head] = head
        elif f"{head}_input" in columns:
            logger.warning("head %r: the data is labelling output; scoring against its own labels in %r, not the "
                           "predictions in %r", head, f"{head}_input", head)
            truth[head] = f"{head}_input"
        else:
            logger.warning("head %r: column %r holds predictions (the data is labelling output, with %r) and there "
                           "is no %r of true labels; not scored", head, head, f"{head}_confidence", f"{head}_input")
    return truth


def _file_stem(head: str) -> str:
    """A head's name as part of a file name: characters that a path would read as folders (or a drive) become
    ``_``, and the name then gets a short hash, so that two heads never share a file."""
    safe = re.sub(r"[^\w-]", "_", head)
    return head if safe == head else f"{safe}_{hashlib.sha256(head.encode()).hexdigest()[:6]}"


def _plots(directory: Path, name: str, stem: str, head_metrics: dict[str, Any], correct: np.ndarray, confidence: np.ndarray) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    directory.mkdir(parents=True, exist_ok=True)
    labels = _display_labels(head_metrics["labels"])
    # A head named in Chinese is drawn as boxes without a CJK font: the file name and report say which head it is.
    title = name if _display_labels([name]) == [name] else "head"
    fig, ax = plt.subplots(figsize=(1.0 + 0.8 * len(labels), 0.8 + 0.7 * len(labels)))
    ConfusionMatrixDisplay(np.asarray(head_metrics["confusion_matrix"]), display_labels=labels).plot(
        ax=ax, xticks_rotation=45, colorbar=False
    )
    ax.set_title(f"{title}: confusion matrix")
    fig.tight_layout()
    fig.savefig(directory / f"confusion_{stem}.png", dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    accuracy, mean_confidence = calibration_curve(correct.astype(int), confidence, n_bins=10, strategy="uniform")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(mean_confidence, accuracy, marker="o", label=f"model (ECE {head_metrics['ece']:.3f})")
    ax.set_xlabel("confidence of the predicted label")
    ax.set_ylabel("accuracy")
    ax.set_title(f"{title}: reliability")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(directory / f"reliability_{stem}.png", dpi=110)
    plt.close(fig)


_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
              "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN")


def _display_labels(labels: list[str]) -> list[str]:
    """Labels as plot ticks: as they are where a CJK font exists or they are ASCII, else short codes.

    Without a CJK font matplotlib draws Chinese as empty boxes; the report then lists which code is which label.
    """
    if all(label.isascii() for label in labels):
        return labels
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for font in _CJK_FONTS:
        if font in installed:
            matplotlib.rcParams["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
            return labels
    return [f"L{i}" for i in range(len(labels))]


def _write_report(directory: Path, model: PetitionModel, metrics: dict[str, Any], errors: dict[str, pd.DataFrame], rows: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = ["# Evaluation report", "", f"{rows} rows; model {getattr(model, 'path', '(in memory)')}.", ""]
    lines += ["| head | rows | accuracy | macro-F1 | ECE | flagged for review | accuracy of the rest |", "|---|---|---|---|---|---|---|"]
    for name, m in metrics.items():
        lines.append(f"| {name} | {m['rows']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {m['ece']:.3f} | "
                     f"{m['review_share']:.1%} | {m['accuracy_without_review']:.3f} |")
    for name, m in metrics.items():
        lines += ["", f"## {name}", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for label, row in m["per_class"].items():
            if isinstance(row, dict) and label not in ("macro avg", "weighted avg"):
                lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} | {int(row['support'])} |")
        codes = _display_labels(m["labels"])
        if codes != m["labels"]:
            lines += ["", "Plot labels (no CJK font installed): " + ", ".join(f"{c} = {l}" for c, l in zip(codes, m["labels"]))]
        if m["labels_not_in_model"]:
            lines += ["", f"Labels in the data that the model does not know: {', '.join(m['labels_not_in_model'])}."]
        stem = _file_stem(name)
        lines += ["", f"![confusion matrix](confusion_{stem}.png) ![reliability](reliability_{stem}.png)", "",
                  "Most confident errors:", "", _markdown_table(errors[name]) if len(errors[name]) else "(none)"]
    (directory / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(value: Any) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    rows = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    rows += ["| " + " | ".join(cell(v) for v in record) + " |" for record in frame.itertuples(index=False)]
    return "\n".join(rows)
