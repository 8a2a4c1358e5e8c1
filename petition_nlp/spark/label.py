"""Labelling a Spark DataFrame with a saved model: ``mapInPandas`` over :func:`petition_nlp.batch.label_frame`.

The model directory is broadcast once (its files, a few MB) and each Python worker loads it once, caching it in
a module-level dict; every batch then goes through exactly the code that ``petition-nlp label`` runs locally, so
the added columns and their values are the same row for row.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from ..batch import ERROR_COLUMN, kept_input_names, label_frame
from ..classify import PetitionModel, load_model
from ..classify.persistence import default_model_path
from ..io import InputError

__all__ = ["label_columns", "label_spark"]

logger = logging.getLogger(__name__)

# Models loaded in this Python process (a Spark Python worker, or the driver in local mode), by path and
# fingerprint: a worker that runs many tasks loads each model once.
_MODELS: dict[str, PetitionModel] = {}
_LOCK = threading.Lock()


def _fingerprint(directory: Path) -> str:
    """The model's identity: the SHA-256 of its meta.json, which records the SHA-256 of every other file."""
    return hashlib.sha256((directory / "meta.json").read_bytes()).hexdigest()


def _model_files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _materialise(fingerprint: str, files: dict[str, bytes]) -> Path:
    """Write broadcast model files into this machine's temp folder (once per fingerprint and machine)."""
    root = Path(tempfile.gettempdir()) / "petition-nlp-models"
    root.mkdir(parents=True, exist_ok=True)
    target = root / fingerprint[:16]
    if (target / "meta.json").is_file() and _fingerprint(target) == fingerprint:
        return target
    staging = Path(tempfile.mkdtemp(prefix="incoming-", dir=root))
    for name, data in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    try:
        os.replace(staging, target)
    except OSError:  # another worker got there first, or a stale copy is in the way: use our own copy
        return staging
    return target


def worker_model(path: str, fingerprint: str, files: Any = None) -> PetitionModel:
    """The model for ``path`` in this process, loaded on first use: from ``path`` where this machine sees the
    same model there (local mode, a shared file system), otherwise from the broadcast ``files``."""
    key = f"{path}#{fingerprint}"
    model = _MODELS.get(key)
    if model is not None:
        return model
    with _LOCK:
        if key not in _MODELS:
            directory = Path(path)
            if not (directory / "meta.json").is_file() or _fingerprint(directory) != fingerprint:
                if files is None:
                    raise InputError(f"model {path} is not readable on this Spark worker; label with broadcast=True")
                directory = _materialise(fingerprint, files.value)
            _MODELS[key] = load_model(directory)
        return _MODELS[key]


def label_columns(model: PetitionModel) -> list[Any]:
    """The Spark fields that :func:`petition_nlp.batch.label_frame` adds, in its order."""
    from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField

    fields = []
    for name in model.predict_columns([]):
        if name == "needs_review":
            fields.append(StructField(name, BooleanType(), True))
        elif name.endswith("_confidence"):
            fields.append(StructField(name, DoubleType(), True))
        else:
            fields.append(StructField(name, StringType(), True))
    fields.append(StructField(ERROR_COLUMN, StringType(), True))
    return fields


def label_spark(
    df: Any,
    model_path: str | Path | None = None,
    text_column: str = "text",
    batch_size: int = 5000,
    *,
    broadcast: bool = True,
) -> Any:
    """``df`` (a Spark DataFrame) with the columns of :func:`petition_nlp.batch.label_frame` added: per head
    ``H`` and ``H_confidence``, then ``needs_review``, ``explanation`` and ``error``; every row kept, and an
    input column with one of those names kept as ``NAME_input``.

    ``model_path`` is a model directory (default: the shipped model). The model runs in ``mapInPandas``, at most
    ``batch_size`` rows at a time (Arrow batches are at most ``spark.sql.execution.arrow.maxRecordsPerBatch``
    rows, default 10,000, and are split further). With ``broadcast`` the model's files travel to the executors
    with the job, so the directory need only exist on the driver.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    directory = (default_model_path() if model_path is None else Path(model_path)).resolve()
    model = load_model(directory)  # validates the model on the driver and gives its columns
    if text_column not in df.columns:
        raise InputError(f"no text column {text_column!r}; the columns are {list(df.columns)}")
    from pyspark.sql.types import StructField, StructType

    added = label_columns(model)
    renames = kept_input_names(list(df.columns), [f.name for f in added])
    if renames:
        logger.warning("input columns %s are kept as %s; the model writes its own columns under those names",
                       list(renames), list(renames.values()))
    schema = StructType([StructField(renames.get(f.name, f.name), f.dataType, f.nullable) for f in df.schema.fields] + added)
    fingerprint = _fingerprint(directory)
    files = df.sparkSession.sparkContext.broadcast(_model_files(directory)) if broadcast else None
    path = str(directory)

    def label_batches(batches):
        labeller = worker_model(path, fingerprint, files)
        for batch in batches:
            for start in range(0, len(batch), batch_size):
                yield label_frame(labeller, batch.iloc[start:start + batch_size].reset_index(drop=True), text_column,
                                  warn=False)

    return df.mapInPandas(label_batches, schema)
