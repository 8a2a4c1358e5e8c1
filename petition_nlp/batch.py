"""Labelling backlogs: stream a table through a model in chunks, keep every row, resume after interruption."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from .classify import PetitionModel, load_model
from .io import InputError, iter_table, table_format

__all__ = ["default_threads", "label_frame", "label_file"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

ERROR_COLUMN = "error"
_MANIFEST = "manifest.json"
_MAX_DEFAULT_THREADS = 4  # past this the GIL-bound steps (regex normalising, masking, pandas) gain nothing


def default_threads() -> int:
    """Chunks labelled at once when the caller does not say: one per CPU core this process may use, at most 4."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(_MAX_DEFAULT_THREADS, cores))


def _row_problem(value: Any) -> str:
    """Why a text cell cannot be labelled, or '' when it can."""
    if value is None or (isinstance(value, float) and value != value):
        return "empty text"
    if not isinstance(value, str):
        return f"text is not a string (got {type(value).__name__})"
    if not value.strip():
        return "empty text"
    if "\ufffd" in value:
        return "text contains bytes that are not valid UTF-8 or GB18030"
    return ""


def label_frame(model: PetitionModel, frame: pd.DataFrame, text_column: str = "text") -> pd.DataFrame:
    """``frame`` with the model's columns added: per head ``H`` and ``H_confidence``, then ``needs_review``,
    ``explanation`` and ``error`` (the reason a row was not labelled, empty when it was)."""
    if text_column not in frame.columns:
        raise InputError(f"no text column {text_column!r}; the columns are {list(frame.columns)}")
    values = frame[text_column].tolist()
    problems = [_row_problem(v) for v in values]
    ok = [i for i, p in enumerate(problems) if not p]
    columns = model.predict_columns([values[i] for i in ok])
    out = frame.copy()
    for key, column in columns.items():
        if len(ok) == len(frame):  # the common case: every row labelled
            out[key] = column
            continue
        filled: list[Any] = [float("nan") if key.endswith("_confidence") else ("" if key == "explanation" else None)] * len(frame)
        for i, value in zip(ok, column):
            filled[i] = value
        out[key] = filled
    out["needs_review"] = out["needs_review"].astype("boolean")
    out[ERROR_COLUMN] = problems
    return out


def _input_fingerprint(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"input": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_json_atomic(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def label_file(
    input: str | Path,
    output: str | Path,
    model: PetitionModel | str | Path | None = None,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    chunk_size: int = 5000,
    resume: bool = False,
    encoding: str | None = None,
    progress: bool = True,
    threads: int | None = None,
) -> dict[str, int]:
    """Label every row of ``input`` into ``output`` (formats by extension), in chunks of ``chunk_size`` rows.

    Finished chunks are kept in ``OUTPUT.partial/`` until the end, so an interrupted run continues with
    ``resume=True`` without losing or repeating rows. Returns counts of rows, labelled rows and error rows.

    ``threads`` chunks are labelled at once in this one process (default: :func:`default_threads`):
    segmentation (jieba-rs) and the numeric work release the GIL, so a second core helps; the output is the
    same for any number of threads.
    """
    source, target = Path(input), Path(output)
    table_format(source), table_format(target)
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")
    threads = default_threads() if threads is None else threads
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    if not source.is_file():
        raise InputError(f"input file not found: {source}")
    if source.resolve() == target.resolve():
        raise InputError(f"output {target} would overwrite the input")
    if not isinstance(model, PetitionModel):
        model = load_model(model)
    # The model's vocabularies are long-lived objects that every full garbage collection would walk again.
    gc.collect()
    gc.freeze()
    work = target.with_name(target.name + ".partial")
    manifest = {
        **_input_fingerprint(source),
        "chunk_size": chunk_size,
        "text_column": text_column,
        "model": hashlib.sha256(json.dumps(model.meta, sort_keys=True, default=str).encode()).hexdigest(),
        "completed_chunks": 0,
        "chunk_counts": [],
    }
    if work.exists():
        if not resume:
            raise InputError(f"{work} holds an interrupted run; pass --resume to continue it or delete the folder")
        previous = json.loads((work / _MANIFEST).read_text(encoding="utf-8"))
        changed = [k for k in manifest if k not in ("completed_chunks", "chunk_counts") and previous.get(k) != manifest[k]]
        if changed:
            raise InputError(f"cannot resume: {', '.join(changed)} differ from the interrupted run in {work}")
        manifest["completed_chunks"] = previous["completed_chunks"]
        manifest["chunk_counts"] = previous.get("chunk_counts", [])
        logger.info("resuming after %d finished chunks", manifest["completed_chunks"])
    else:
        work.mkdir(parents=True)
        _write_json_atomic(work / _MANIFEST, manifest)

    from tqdm.auto import tqdm

    counts = {"rows": 0, "labelled": 0, "errors": 0}
    seen_ids: set[Any] = set()

    def chunks() -> Iterator[tuple[int, pd.DataFrame, Path, bool]]:
        """(index, chunk, part file, already done by an interrupted run) for each chunk, checked in order."""
        for index, chunk in enumerate(iter_table(source, encoding=encoding, chunk_size=chunk_size)):
            if index == 0:
                for column in (text_column, id_column):
                    if column and column not in chunk.columns:
                        raise InputError(f"{source} has no column {column!r}; its columns are {list(chunk.columns)}")
            if id_column:
                ids = chunk[id_column].tolist()
                duplicated = {i for i, n in Counter(ids).items() if n > 1} | seen_ids.intersection(ids)
                if duplicated:
                    logger.warning("duplicate %s values: %s", id_column, sorted(map(str, duplicated))[:10])
                seen_ids.update(ids)
            part = work / f"chunk-{index:06d}.{_part_suffix(target)}"
            yield index, chunk, part, index < manifest["completed_chunks"] and part.is_file()

    def labelled(job: tuple[int, pd.DataFrame, Path, bool]) -> pd.DataFrame | None:
        _, chunk, _, done = job
        return None if done else label_frame(model, chunk.reset_index(drop=True), text_column)

    bar = tqdm(desc=f"labelling {source.name}", unit=" rows", disable=not progress)
    # Parts are written and the manifest advanced here, in input order, whichever thread labelled the chunk.
    for (index, _, part, _), frame in _ordered_map(labelled, chunks(), threads):
        if frame is None:
            rows, errors = manifest["chunk_counts"][index]
        else:
            _write_part(frame, part, target, header=index == 0)
            rows, errors = len(frame), int((frame[ERROR_COLUMN] != "").sum())
            manifest["chunk_counts"] = manifest["chunk_counts"][:index] + [[rows, errors]]
            manifest["completed_chunks"] = index + 1
            _write_json_atomic(work / _MANIFEST, manifest)
        counts["rows"] += rows
        counts["errors"] += errors
        counts["labelled"] += rows - errors
        bar.update(rows)
    bar.close()
    _combine(sorted(work.glob(f"chunk-*.{_part_suffix(target)}")), target)
    shutil.rmtree(work)
    logger.info("labelled %(labelled)d of %(rows)d rows (%(errors)d with errors)", counts)
    return counts


def _ordered_map(function: Callable[[T], R], items: Iterable[T], threads: int) -> Iterator[tuple[T, R]]:
    """``(item, function(item))`` for each item, in order; with ``threads`` > 1 up to that many calls run at
    once on a thread pool (at most ``threads`` results are held ahead of the consumer)."""
    if threads == 1:
        for item in items:
            yield item, function(item)
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="petition-nlp") as pool:
        pending: deque[tuple[T, Future[R]]] = deque()
        for item in items:
            pending.append((item, pool.submit(function, item)))
            if len(pending) >= threads:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def _part_suffix(target: Path) -> str:
    """Finished chunks are kept in the output's own format where pieces of it can simply be concatenated."""
    fmt = table_format(target)
    return fmt if fmt in ("csv", "tsv", "jsonl") else "parquet"


def _write_part(frame: pd.DataFrame, part: Path, target: Path, header: bool) -> None:
    fmt = _part_suffix(target)
    tmp = part.with_name(part.name + ".tmp")
    if fmt == "parquet":
        frame.to_parquet(tmp, index=False)
    elif fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        tmp.write_text(text if not text or text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        frame.to_csv(tmp, sep="\t" if fmt == "tsv" else ",", index=False, header=header, encoding="utf-8")
    os.replace(tmp, part)


def _chunks(parts: list[Path]) -> Iterator[pd.DataFrame]:
    for part in parts:
        yield pd.read_parquet(part)


def _combine(parts: list[Path], target: Path) -> None:
    """Concatenate the finished chunks into ``target`` without holding them all in memory (except XLSX)."""
    fmt = table_format(target)
    tmp = target.with_name(target.name + ".writing")
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schemas = [pq.read_schema(p) for p in parts]
        schema = pa.unify_schemas(schemas, promote_options="permissive") if schemas else pa.schema([])
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in parts:
                writer.write_table(pq.read_table(part).cast(schema))
    elif fmt == "xlsx":
        frames = list(_chunks(parts))
        (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()).to_excel(tmp, index=False, engine="openpyxl")
    else:
        with tmp.open("wb") as out:
            if fmt in ("csv", "tsv"):
                out.write("\ufeff".encode())  # a BOM, so that Excel reads the UTF-8 text as such
            for part in parts:
                with part.open("rb") as piece:
                    shutil.copyfileobj(piece, out)
    os.replace(tmp, target)
