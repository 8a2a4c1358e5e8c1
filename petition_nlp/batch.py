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
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from ._locks import FolderBusyError, folder_lock
from .classify import PetitionModel, load_model
from .classify.model import LABEL_COLUMNS
from .io import (JSON_FORMATS, InputError, iter_table, json_text, nested_as_json, table_format, text_cell_problem,
                 write_excel, write_json)
from .text.masking import masked_values

__all__ = ["default_threads", "kept_input_names", "label_frame", "label_file", "output_columns"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

ERROR_COLUMN = LABEL_COLUMNS[-1]
_MANIFEST = "manifest.json"
# What a resumed run must share with the interrupted one, as a user would name it.
_RESUME_KEYS = {"input": "the input file's path", "size": "the input file's size", "mtime_ns": "the input file's modification time",
                "chunk_size": "the chunk size", "text_column": "the text column", "model": "the model"}
_MAX_DEFAULT_THREADS = 4  # past this the GIL-bound steps (regex normalising, masking, pandas) gain nothing


def default_threads() -> int:
    """Chunks labelled at once when the caller does not say: one per CPU core this process may use, at most 4."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(_MAX_DEFAULT_THREADS, cores))


def output_columns(model: PetitionModel) -> list[str]:
    """The columns :func:`label_frame` adds, in order."""
    return [c for head in model.head_names for c in (head, f"{head}_confidence")] + list(LABEL_COLUMNS)


def kept_input_names(columns: list[str], added: list[str]) -> dict[str, str]:
    """New names for input columns that the model's output columns would overwrite: ``NAME_input`` (numbered
    where that is taken too)."""
    taken = set(columns) | set(added)
    renames = {}
    for name in columns:
        if name in added:
            candidate, n = f"{name}_input", 2
            while candidate in taken:
                candidate, n = f"{name}_input{n}", n + 1
            renames[name] = candidate
            taken.add(candidate)
    return renames


def label_frame(model: PetitionModel, frame: pd.DataFrame, text_column: str = "text", *, warn: bool = True) -> pd.DataFrame:
    """``frame`` with the model's columns added: per head ``H`` and ``H_confidence``, then ``needs_review``,
    ``explanation`` and ``error`` (the reason a row was not labelled, empty when it was).

    An input column with one of those names (a hand-labelled ``domain``, say) is kept as ``NAME_input``, so that
    no input value is overwritten.
    """
    if text_column not in frame.columns:
        raise InputError(f"no text column {text_column!r}; the columns are {list(frame.columns)}")
    values = frame[text_column].tolist()
    problems = [text_cell_problem(v) for v in values]
    ok = [i for i, p in enumerate(problems) if not p]
    columns = model.predict_columns([values[i] for i in ok])
    out = frame.copy()
    renames = kept_input_names(list(map(str, out.columns)), output_columns(model))
    if renames:
        if warn:
            logger.warning("input columns %s are kept as %s; the model writes its own columns under those names",
                           list(renames), list(renames.values()))
        out = out.rename(columns=renames)
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
    NumPy's work releases the GIL (segmentation and the regular expressions do not), so a second core helps
    somewhat; the output is the same for any number of threads.
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
    resumed = work.exists()
    created: list[Path] = []
    if resumed:
        if not resume:
            raise InputError(f"{work} holds an interrupted run; pass --resume to continue it or delete the folder")
        previous = json.loads((work / _MANIFEST).read_text(encoding="utf-8"))
        changed = dict.fromkeys(_RESUME_KEYS[k] for k in _RESUME_KEYS if previous.get(k) != manifest[k])
        if changed:
            raise InputError(f"cannot resume the run in {work}: {', '.join(changed)} changed since it was interrupted; "
                             f"delete that folder to start again")
        manifest["completed_chunks"] = previous["completed_chunks"]
        manifest["chunk_counts"] = previous.get("chunk_counts", [])
        logger.info("resuming after %d finished chunks", manifest["completed_chunks"])
    else:
        created = _missing_folders(work.parent)
        work.mkdir(parents=True)
        _write_json_atomic(work / _MANIFEST, manifest)

    from tqdm.auto import tqdm

    counts = {"rows": 0, "labelled": 0, "errors": 0}
    seen_ids: set[Any] = set()

    def chunks() -> Iterator[tuple[int, pd.DataFrame, Path, bool]]:
        """(index, chunk, part file, already done by an interrupted run) for each chunk, checked in order."""
        for index, chunk in enumerate(iter_table(source, encoding=encoding, chunk_size=chunk_size, text_column=text_column)):
            if index == 0:
                for column in (text_column, id_column):
                    if column and column not in chunk.columns:
                        raise InputError(f"{source} has no column {column!r}; its columns are {list(chunk.columns)}")
            if id_column:
                ids = chunk[id_column].tolist()
                duplicated = {i for i, n in Counter(ids).items() if n > 1} | seen_ids.intersection(ids)
                if duplicated:
                    logger.warning("duplicate %s values: %s", id_column, masked_values(duplicated))
                seen_ids.update(ids)
            part = work / f"chunk-{index:06d}.{_part_suffix(target)}"
            yield index, chunk, part, index < manifest["completed_chunks"] and part.is_file()

    def labelled(job: tuple[int, pd.DataFrame, Path, bool]) -> pd.DataFrame | None:
        index, chunk, _, done = job
        return None if done else label_frame(model, chunk.reset_index(drop=True), text_column, warn=index == 0)

    bar = tqdm(desc=f"labelling {source.name}", unit=" rows", disable=not progress)
    try:
        with _run_lock(work, target):
            _run_chunks(_ordered_map(labelled, chunks(), threads), manifest, work, target, counts, bar)
            _combine(sorted(work.glob(f"chunk-*.{_part_suffix(target)}")), target)
    except BaseException:
        if not resumed and manifest["completed_chunks"] == 0:
            # Nothing to resume (a wrong column name, say): leave no folder that would block the next run, nor
            # the output folders this run made.
            shutil.rmtree(work, ignore_errors=True)
            for folder in created:
                try:
                    folder.rmdir()
                except OSError:
                    break
        raise
    finally:
        bar.close()
    shutil.rmtree(work)
    logger.info("labelled %(labelled)d of %(rows)d rows (%(errors)d with errors)", counts)
    return counts


@contextmanager
def _run_lock(work: Path, target: Path) -> Iterator[None]:
    """Hold the run's work folder: a second run on the same output (a --resume started while the first still
    runs, say) is refused at once instead of writing the same chunks."""
    try:
        with folder_lock(work, wait=False):
            yield
    except FolderBusyError:
        raise InputError(f"another label run is writing {target} (its work folder {work} is in use); wait for it "
                         "to finish") from None


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _run_chunks(results: Iterator[tuple[tuple[int, pd.DataFrame, Path, bool], pd.DataFrame | None]],
                manifest: dict[str, Any], work: Path, target: Path, counts: dict[str, int], bar: Any) -> None:
    """Write the labelled chunks and advance the manifest, in input order, whichever thread labelled them."""
    for (index, _, part, _), frame in results:
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
    """Finished chunks are kept in the output's own format where pieces of it can simply be concatenated (JSON
    Lines for a JSON array, whose records are then joined)."""
    fmt = table_format(target)
    return "jsonl" if fmt in JSON_FORMATS else fmt if fmt in ("csv", "tsv") else "parquet"


def _write_part(frame: pd.DataFrame, part: Path, target: Path, header: bool) -> None:
    fmt = _part_suffix(target)
    if fmt != "jsonl":
        frame = nested_as_json(frame)
    tmp = part.with_name(part.name + ".tmp")
    if fmt == "parquet":
        _parquet_ready(frame).to_parquet(tmp, index=False)
    elif fmt == "jsonl":
        text = write_json(frame)
        tmp.write_text(text if not text or text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        frame.to_csv(tmp, sep="\t" if fmt == "tsv" else ",", index=False, header=header, encoding="utf-8")
    os.replace(tmp, part)


def _chunks(parts: list[Path]) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    for part in parts:
        yield pq.read_table(part).to_pandas(integer_object_nulls=True)  # integer ids beside gaps stay integers


def _common_schema(schemas: list[Any]) -> tuple[Any, list[str]]:
    """One schema for all parts, and the columns that only text can hold exactly: an id that is a number in one
    chunk and a word in another, or whole numbers in one chunk and decimals in another (a double would round
    2025030100000000123)."""
    import pyarrow as pa

    if not schemas:
        return pa.schema([]), []
    types: dict[str, set[str]] = {}
    for schema in schemas:
        for field in schema:
            if not pa.types.is_null(field.type):
                text = pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
                types.setdefault(field.name, set()).add("text" if text else str(field.type))
    as_text = [name for name, kinds in types.items() if len(kinds) > 1]
    text_schemas = [pa.schema([pa.field(f.name, pa.large_string()) if f.name in as_text else f for f in s]) for s in schemas]
    return pa.unify_schemas(text_schemas, promote_options="permissive"), as_text


def _text_value(value: Any) -> Any:
    return None if value is None else (value if isinstance(value, str) else json_text(value))


def _as_text(column: Any) -> Any:
    import pyarrow as pa

    return pa.array([_text_value(v) for v in column.to_pylist()], type=pa.large_string())


def _parquet_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column that Parquet's one type per column cannot hold exactly as text: kinds of values
    mixed (an id 1 beside an id "J3", read from JSON), integers beyond int64, or large integers beside decimals."""
    mixed = []
    for column in frame.columns:
        if frame[column].dtype == object:
            values = [v for v in frame[column].tolist() if v is not None and v == v]
            kinds = {type(v) for v in values}
            integers = [v for v in values if type(v) is int]
            if (len(kinds) > 1 and not kinds <= {int, float}) \
                    or any(not -2**63 <= v < 2**63 for v in integers) \
                    or (float in kinds and any(abs(v) >= 2**53 for v in integers)):  # a double would round it
                mixed.append(column)
    return frame.assign(**{c: frame[c].map(_text_value).astype(object) for c in mixed}) if mixed else frame


def _combine(parts: list[Path], target: Path) -> None:
    """Concatenate the finished chunks into ``target`` without holding them all in memory (except XLSX)."""
    tmp = target.with_name(target.name + ".writing")
    try:
        _write_combined(parts, tmp, table_format(target))
    except BaseException:
        tmp.unlink(missing_ok=True)  # the finished chunks stay in the .partial folder for --resume
        raise
    os.replace(tmp, target)


def _write_combined(parts: list[Path], tmp: Path, fmt: str) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        schemas = [pq.read_schema(p) for p in parts]
        schema, as_text = _common_schema(schemas)
        if as_text:
            logger.warning("columns %s hold values of different types in different rows; written as text", as_text)
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in parts:
                table = pq.read_table(part)
                for name in as_text:
                    table = table.set_column(table.schema.get_field_index(name), name, _as_text(table[name]))
                writer.write_table(table.cast(schema))
    elif fmt == "xlsx":
        frames = list(_chunks(parts))
        write_excel(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(), tmp)
    elif fmt == "json":
        with tmp.open("wb") as out:
            out.write(b"[")
            separator = b"\n"
            for part in parts:
                with part.open("rb") as piece:
                    for line in piece:  # one record per line: JSON escapes the line breaks inside strings
                        if line.strip():
                            out.write(separator + line.rstrip(b"\r\n"))
                            separator = b",\n"
            out.write(b"\n]\n" if separator == b",\n" else b"]\n")
    else:
        with tmp.open("wb") as out:
            if fmt in ("csv", "tsv"):
                out.write("\ufeff".encode())  # a BOM, so that Excel reads the UTF-8 text as such
            for part in parts:
                with part.open("rb") as piece:
                    shutil.copyfileobj(piece, out)
