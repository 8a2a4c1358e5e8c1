"""Training a model from a labelled table: the ``train`` API behind ``petition-nlp train``."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io import UNDECODED, InputError, read_table
from .features import FeatureConfig, PersonalTerms
from .head import HeadConfig
from .model import PetitionModel, check_head_names
from .persistence import check_model_dir, save_model

__all__ = ["train", "load_labelled", "data_hash", "training_rows", "TrainingRows", "PERSONAL_COLUMNS"]

# Register columns whose values must never reach a saved model, even where a petition's text repeats them.
PERSONAL_COLUMNS = ("name", "id_number", "phone", "address")

logger = logging.getLogger(__name__)

# What spreadsheets and databases write for a missing value; files are read with every cell as text, so a label
# column may hold them as labels.
_MISSING_PLACEHOLDERS = frozenset({"NA", "N/A", "#N/A", "NAN", "NULL", "NONE", "NIL", "-", "--"})


def load_labelled(data: str | Path | pd.DataFrame, columns: Sequence[str], encoding: str | None = None) -> pd.DataFrame:
    """A labelled table from a file or DataFrame, checking that ``columns`` exist (the first is the text)."""
    frame = data if isinstance(data, pd.DataFrame) else read_table(data, encoding=encoding, text_column=columns[0])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        source = data if not isinstance(data, pd.DataFrame) else "the DataFrame"
        raise InputError(f"{source} has no column {missing[0]!r}; its columns are {list(frame.columns)}")
    return frame


def data_hash(texts: Sequence[str], targets: dict[str, Sequence[Any]]) -> str:
    """SHA-256 over the training texts and labels: tells two training sets apart without storing them."""
    digest = hashlib.sha256()
    for i, text in enumerate(texts):
        digest.update(text.encode("utf-8", "surrogatepass"))
        for name in sorted(targets):
            digest.update(b"\x1f" + str(targets[name][i]).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


@dataclass
class TrainingRows:
    """What a training run takes from a labelled table."""

    texts: list[str]
    labels: dict[str, list[Any]]
    calibration_rows: list[bool] | None
    forbidden: PersonalTerms


def _stripped_labels(frame: pd.DataFrame, targets: list[str]) -> pd.DataFrame:
    """``frame`` with spaces around text labels removed: "市政 " typed in a spreadsheet is the label "市政", not a
    label of its own."""
    stripped = {}
    for name in targets:
        spaced = [v for v in frame[name].tolist() if isinstance(v, str) and v != v.strip()]
        if spaced:
            logger.warning("target %r: removed spaces around %d label(s) (e.g. %r)", name, len(spaced), spaced[0])
            stripped[name] = frame[name].map(lambda v: v.strip() if isinstance(v, str) else v)
    return frame.assign(**stripped) if stripped else frame


def training_rows(
    data: str | Path | pd.DataFrame,
    targets: list[str],
    text_column: str,
    calibrate_on: tuple[str, str] | None,
    encoding: str | None,
) -> TrainingRows:
    """Texts, labels per target, calibration rows and the register's personal data, from a labelled table.

    Rows with empty text are skipped (with a warning); the checks are shared by every model type.
    """
    if not targets:
        raise ValueError("training needs at least one target column")
    check_head_names(targets)
    frame = load_labelled(data, [text_column, *targets, *([calibrate_on[0]] if calibrate_on else [])], encoding)
    frame = _stripped_labels(frame, targets)
    texts = frame[text_column].astype(str).where(frame[text_column].notna(), "")
    keep = texts.str.strip() != ""
    if (~keep).any():
        logger.warning("skipping %d row(s) with empty text", int((~keep).sum()))
    undecoded = keep & frame[[text_column, *targets]].astype(str).apply(lambda c: c.str.contains(UNDECODED, regex=False)).any(axis=1)
    if undecoded.any():
        logger.warning("skipping %d row(s) whose text or label has bytes that could not be decoded in the file's "
                       "encoding (first: row %d); give the right --encoding, or convert the file", int(undecoded.sum()),
                       int(np.flatnonzero(undecoded.to_numpy())[0]) + 1)
        keep &= ~undecoded
    if not keep.any():
        raise InputError("no rows with text to train on")
    calibration_rows = None
    if calibrate_on is not None:
        calibration_rows = (frame.loc[keep, calibrate_on[0]].astype(str) == calibrate_on[1]).tolist()
        if not any(calibration_rows):
            raise InputError(f"no row has {calibrate_on[0]} == {calibrate_on[1]!r} to calibrate on")

    def values(column: str) -> set[str]:
        if column not in frame.columns:
            return set()
        return {str(v).strip() for v in frame.loc[keep, column].dropna().tolist() if str(v).strip()}

    for name in targets:
        placeholders = sorted({str(v).strip() for v in frame.loc[keep, name].tolist()
                               if str(v).strip().upper() in _MISSING_PLACEHOLDERS})
        if placeholders:
            logger.warning("target %r has the label(s) %s, which read like a missing value; it is trained as a label "
                           "of its own: blank those cells if they mean 'not labelled'", name, placeholders)
        distinct = frame.loc[keep, name].nunique()
        if distinct > 20 and distinct > 0.5 * int(keep.sum()):
            logger.warning("target %r has %d different labels for %d rows: is it a label column?", name, distinct,
                           int(keep.sum()))
    forbidden = PersonalTerms(values=values("id_number") | values("phone"), names=values("name"),
                              addresses=values("address"))
    return TrainingRows(texts[keep].tolist(), {name: frame.loc[keep, name].tolist() for name in targets},
                        calibration_rows, forbidden)


def training_data_meta(
    data: str | Path | pd.DataFrame, rows: TrainingRows, text_column: str, calibrate_on: tuple[str, str] | None,
    calibrated_by_default: str = "all rows",
) -> dict[str, Any]:
    """The ``training_data`` entry of a model's meta.json: source, size, hash; never the data itself."""
    return {
        "source": str(data) if not isinstance(data, pd.DataFrame) else "DataFrame",
        "rows": len(rows.texts),
        "sha256": data_hash(rows.texts, rows.labels),
        "text_column": text_column,
        "calibrated_on": f"{calibrate_on[0]} == {calibrate_on[1]}" if calibrate_on else calibrated_by_default,
    }


def train(
    data: str | Path | pd.DataFrame,
    targets: str | Sequence[str],
    *,
    text_column: str = "text",
    output: str | Path | None = None,
    features: FeatureConfig | None = None,
    head: HeadConfig | None = None,
    encoding: str | None = None,
    calibrate_on: tuple[str, str] | None = None,
    progress: bool = True,
    overwrite: bool = False,
) -> PetitionModel:
    """Train a model with one head per target column of ``data`` (a file path or a DataFrame).

    Rows with empty text are skipped; a row with an empty label is left out of that head only. The model is
    saved to ``output`` when given: a new or empty directory, or one holding a model when ``overwrite`` is set
    (checked before training). Cross-validated scores on the training data go into ``model.meta``.
    ``calibrate_on=(column, value)`` calibrates and sets review thresholds on the rows where ``column`` equals
    ``value`` only (e.g. ``("source", "handwritten")`` when generated petitions are mixed in); the
    cross-validated scores are then those rows' scores. Values of the register columns ``name``, ``id_number``,
    ``phone`` and ``address``, where present, are kept out of the model's vocabulary.
    """
    targets = [targets] if isinstance(targets, str) else list(targets)
    if output is not None:
        check_model_dir(output, overwrite)
    rows = training_rows(data, targets, text_column, calibrate_on, encoding)
    texts, labels = rows.texts, rows.labels
    from tqdm.auto import tqdm

    with tqdm(total=1, desc=f"training {len(targets)} head(s) on {len(texts)} texts", disable=not progress) as bar:
        model = PetitionModel(features, head).fit(texts, labels, rows.calibration_rows, rows.forbidden)
        bar.update(1)
    model.meta = {
        "training_data": training_data_meta(data, rows, text_column, calibrate_on),
        "metrics": {
            "cross_validated_on_training_data": {
                name: {**h.cv_scores_, "calibration_log_loss": h.calibration_log_loss_json()}
                for name, h in model.heads_.items()
            }
        },
    }
    if output is not None:
        save_model(model, output, overwrite=overwrite)
    return model
