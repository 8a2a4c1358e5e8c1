"""Reading and writing tables and text files in the formats petition offices use, by file extension."""

from __future__ import annotations

import codecs
import csv
import json
import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["TABLE_FORMATS", "InputError", "decode_bytes", "read_text_lines", "read_table", "iter_table", "write_table",
           "table_format", "text_cell_problem", "excel_safe", "nested_as_json", "write_excel", "write_json", "JSON_FORMATS"]

logger = logging.getLogger(__name__)

# JSON Lines, and JSON arrays (.json): both read record by record; written as lines or as one array.
JSON_FORMATS = ("jsonl", "json")
TABLE_FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "tsv", ".jsonl": "jsonl", ".json": "json", ".xlsx": "xlsx", ".parquet": "parquet"}
# Offices still produce GBK/GB18030 files; UTF-8 (with or without BOM) is tried first because GB18030 accepts
# almost any byte sequence and would silently mis-decode UTF-8.
_FALLBACK_ENCODINGS = ("utf-8-sig", "gb18030")


class InputError(ValueError):
    """An input file could not be read as asked; the message names the file and, where known, the line."""


def table_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise InputError(f"{path}: unsupported file extension {suffix!r}; expected one of {sorted(TABLE_FORMATS)}")
    return TABLE_FORMATS[suffix]


def decode_bytes(raw: bytes, encoding: str | None = None, source: str = "<input>") -> str:
    """Decode ``raw`` with ``encoding`` or, when None, UTF-8 then GB18030; errors name the line."""
    if encoding:
        candidates: tuple[str, ...] = (encoding,)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark (Excel's "Unicode text")
        candidates = ("utf-16",)
    else:
        candidates = _FALLBACK_ENCODINGS
    error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            text = raw.decode(candidate)
        except UnicodeDecodeError as exc:
            error = error or exc
            continue
        except LookupError as exc:
            raise InputError(f"unknown encoding {candidate!r}") from exc
        if candidate not in ("utf-8-sig", "utf-16") and encoding is None:
            logger.info("%s is not UTF-8; decoded as %s", source, candidate)
        return text.removeprefix("\ufeff")
    assert error is not None
    line = raw[: error.start].count(b"\n") + 1
    hint = "; the file is in another encoding" if encoding else "; pass --encoding"
    raise InputError(f"{source}: line {line}: cannot decode bytes as {' or '.join(candidates)} ({error.reason}){hint}")


def read_text_lines(path: str | Path | None, encoding: str | None = None) -> list[str]:
    """Lines of a text file (or stdin when ``path`` is None or '-'), BOM and CRLF handled; a line ends at \n only."""
    import sys

    if path is None or str(path) == "-":
        raw = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"input file not found: {p}")
        raw, source = p.read_bytes(), str(p)
    # Only \n (and \r\n) end a line: str.splitlines() would also split at a form feed or U+2028 pasted from Word,
    # and the output would no longer have one line per input line.
    lines = decode_bytes(raw, encoding, source).replace("\r\n", "\n").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


# What replaced bytes that did not decode in the file's encoding (given or sniffed).
UNDECODED = "\ufffd"
UNDECODED_REASON = "text contains bytes that could not be decoded in the file's encoding (see --encoding)"


def text_cell_problem(value: Any) -> str:
    """Why a text cell cannot be labelled or trained on, or '' when it can."""
    if isinstance(value, str):  # first: it is the case of almost every row
        if not value.strip():
            return "empty text"
        return UNDECODED_REASON if UNDECODED in value else ""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "empty text"
    return f"text is not a string (got {type(value).__name__})"


def read_table(path: str | Path, encoding: str | None = None, text_column: str | None = None) -> pd.DataFrame:
    """Read a whole CSV, TSV, JSONL, XLSX or Parquet file into a DataFrame (text columns as str); see
    :func:`iter_table` for ``text_column``."""
    return pd.concat(list(iter_table(path, encoding=encoding, chunk_size=None, text_column=text_column)), ignore_index=True)


def sniff_encoding(path: Path, sample_bytes: int = 1 << 20) -> str:
    """Guess a file's encoding from its first megabyte: UTF-8 (BOM or not) or GB18030.

    A UTF-8 file with a few broken bytes stays UTF-8 (its broken cells are reported row by row); GB18030 is
    chosen when the sample decodes as GB18030 and fails as UTF-8 more than rarely.
    """
    with path.open("rb") as fh:
        sample = fh.read(sample_bytes)
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark.
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    utf8 = sample.decode("utf-8", errors="replace")
    broken = utf8.count("\ufffd") - (1 if len(sample) == sample_bytes else 0)  # a character cut by the sample end
    if broken <= 0 or broken < 0.001 * len(utf8):
        return "utf-8-sig"
    try:
        sample[: len(sample) - 4 if len(sample) == sample_bytes else None].decode("gb18030")
    except UnicodeDecodeError:
        return "utf-8-sig"
    logger.info("%s is not UTF-8; reading it as GB18030", path)
    return "gb18030"


def iter_table(
    path: str | Path, encoding: str | None = None, chunk_size: int | None = 10_000, text_column: str | None = None
) -> Iterator[pd.DataFrame]:
    """Yield a table in chunks of ``chunk_size`` rows (the whole table at once when None), streaming from disk.

    Bytes that cannot be decoded become U+FFFD in their cell instead of failing the whole file, so that
    a batch job can report those rows and keep the rest. In CSV/TSV, a row with more fields than the header
    (an unquoted comma in a petition) has its extra fields joined back into ``text_column`` (default: the
    last column).
    """
    p = Path(path)
    fmt = table_format(p)
    if not p.is_file():
        raise InputError(f"input file not found: {p}")
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            parquet = pq.ParquetFile(p)
            batches = [parquet.read()] if chunk_size is None else parquet.iter_batches(batch_size=chunk_size)
            for batch in batches:
                # An id or phone column of integers with a gap stays integers (pandas would make them floats).
                yield batch.to_pandas(integer_object_nulls=True)
            return
        if fmt == "xlsx":
            yield from _split(pd.read_excel(p, dtype=str, keep_default_na=False), chunk_size)
            return
        enc = encoding or sniff_encoding(p)
        if codecs.lookup(enc).name == "utf-8":
            enc = "utf-8-sig"  # the same for files without a byte-order mark; drops one where there is
        size = chunk_size or 10**12
        if fmt in JSON_FORMATS:
            yield from _jsonl_chunks(p, enc, size)
            return
        yield from _delimited_chunks(p, "\t" if fmt == "tsv" else ",", enc, size, text_column)
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}") from exc
    except (ValueError, pd.errors.ParserError, csv.Error) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{p}: cannot parse as {fmt}: {exc}") from exc


def _delimited_chunks(path: Path, sep: str, encoding: str, size: int, text_column: str | None) -> Iterator[pd.DataFrame]:
    """CSV/TSV chunks in which a row with more fields than the header loses nothing and shifts nothing.

    Hand-made and exported files have such rows: a trailing delimiter (Excel/WPS), or a petition with an unquoted
    comma. The csv module looks for them first (a fraction of pandas' reading time); a file with such rows is
    read field by field from its start, any other by pandas.
    """
    extra, trailing, rows = _extra_field_rows(path, sep, encoding)
    if extra or trailing:
        logger.info("%s: rows with more fields than the header; reading it field by field", path)
        yield from _field_by_field_chunks(path, sep, encoding, size, text_column, trailing > rows / 2)
    else:
        yield from _plain_chunks(path, sep, encoding, size)


def _extra_field_rows(path: Path, sep: str, encoding: str) -> tuple[int, int, int]:
    """(rows with content beyond the header, rows that only end in extra delimiters, all rows).

    A row that fills a last header column without a name has content beyond the header. When most rows end in
    an extra delimiter, the file is an export that ends rows so; otherwise an empty last field of a long row is
    a real, empty column.
    """
    extra = trailing = total = 0
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        rows = (fields for fields in csv.reader(fh, delimiter=sep) if fields)
        header = next(rows, [])
        phantom = bool(header) and header[-1] == ""
        width = len(header) - phantom
        for fields in rows:
            total += 1
            if len(fields) > width:
                filled = any(fields[width:])
                extra += filled
                trailing += not filled
    return extra, trailing, total


def _plain_chunks(path: Path, sep: str, encoding: str, size: int) -> Iterator[pd.DataFrame]:
    """pandas' chunks of a file that has no row longer than its header (checked before)."""
    # index_col=False all the same: should pandas split a row differently from the csv module, it must not take
    # the first column for an index.
    reader = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, chunksize=size, encoding=encoding,
                         encoding_errors="replace", index_col=False)
    with reader:
        for chunk in reader:
            chunk.columns = [str(c).removeprefix("\ufeff") for c in chunk.columns]
            yield chunk


def _phantom(header: list[str]) -> bool:
    """Whether the header ended with a delimiter, which pandas reads as a last column without a name."""
    return bool(header) and header[-1] == f"Unnamed: {len(header) - 1}"


def _field_by_field_chunks(
    path: Path, sep: str, encoding: str, size: int, text_column: str | None, trailing_delimiters: bool = True
) -> Iterator[pd.DataFrame]:
    """Rows as the csv module splits them: empty extra fields at a row's end are dropped, and the others are
    joined, delimiter included, back into the text column (default: the last), so "A1,派出所不立案,法院也不管"
    keeps its whole text and the columns after it stay in place."""
    header = [str(c).removeprefix("\ufeff") for c in
              pd.read_csv(path, sep=sep, nrows=0, encoding=encoding, encoding_errors="replace", index_col=False).columns]
    width = len(header) - _phantom(header)
    target = header.index(text_column) if text_column in header[:width] else width - 1
    joined, buffer, started = 0, [], False
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        # strict: an unmatched quote is an error, as it is for pandas, instead of swallowing the rows after it.
        for fields in csv.reader(fh, delimiter=sep, strict=True):
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # blank lines, as pandas skips them
            if not started:
                started = True  # the header
                continue
            extra = len(fields) - width
            # Empty fields at the end are delimiters that end the row, in an export that ends rows so or where
            # the text is the last column anyway; elsewhere the last column may simply be empty.
            while extra > 0 and fields[-1] == "" and (trailing_delimiters or target == width - 1):
                fields.pop()
                extra -= 1
            if extra > 0:
                fields = fields[:target] + [sep.join(fields[target:target + extra + 1])] + fields[target + extra + 1:]
                joined += 1
            buffer.append(fields + [""] * (len(header) - len(fields)))
            if len(buffer) == size:
                yield pd.DataFrame(buffer, columns=header, dtype=object)
                buffer = []
    if buffer:
        yield pd.DataFrame(buffer, columns=header, dtype=object)
    if joined:
        logger.warning("%s: %d row(s) had more fields than the header (an unquoted %r in a text?); their extra "
                       "fields were joined back into the column %r", path, joined, sep, header[target])


def _json_records(path: Path, encoding: str) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file, or of a JSON array of objects (a ``.json`` export)."""
    with path.open(encoding=encoding, errors="replace") as fh:
        start = fh.read(4096).lstrip("\ufeff \t\r\n")[:1]
        fh.seek(0)
        if start == "[":
            try:
                records = json.load(fh)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: not valid JSON: line {exc.lineno}: {exc.msg}") from None
            lines: Any = enumerate(records, start=1)
            where = "item"
        else:
            lines = ((n, line) for n, line in enumerate(fh, start=1) if line.strip())
            where = "line"
        for number, item in lines:
            if isinstance(item, str):
                try:
                    item = json.loads(item)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: line {number}: not valid JSON ({exc.msg}); expected one object per line") from None
            if not isinstance(item, dict):
                raise InputError(f"{path}: {where} {number}: expected a JSON object, got {type(item).__name__}")
            yield item


def _jsonl_chunks(path: Path, encoding: str, size: int) -> Iterator[pd.DataFrame]:
    """JSON Lines (or JSON array) chunks that all have the same columns in the same order.

    Values keep their JSON types exactly (an id 2025030100000000123 next to a null stays that integer, where
    pandas would make the column floats). Records may order their keys differently or leave optional keys out;
    every chunk gets the keys of the whole file (in order of first appearance), absent ones as None, so that
    chunks written one after another line up. This costs one extra reading pass over the keys.
    """
    columns: dict[str, None] = {}
    for record in _json_records(path, encoding):
        columns.update(dict.fromkeys(map(str, record)))
    names = list(columns)
    buffer: list[list[Any]] = []
    for record in _json_records(path, encoding):
        values = {str(k): v for k, v in record.items()}
        buffer.append([values.get(c) for c in names])
        if len(buffer) == size:
            yield pd.DataFrame(buffer, columns=names, dtype=object)
            buffer = []
    if buffer or not names:
        yield pd.DataFrame(buffer, columns=names, dtype=object)


def _split(frame: pd.DataFrame, chunk_size: int | None) -> Iterator[pd.DataFrame]:
    if chunk_size is None:
        yield frame
        return
    for start in range(0, max(len(frame), 1), chunk_size):
        yield frame.iloc[start : start + chunk_size]


def nested_as_json(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with nested values (objects and lists read from JSON) as JSON text, for the flat formats: a CSV
    cell then reads {"src": "热线"} rather than Python's {'src': '热线'}, and no format adds keys to an object."""
    nested = [c for c in frame.columns if frame[c].dtype == object
              and any(isinstance(v, (dict, list, tuple)) for v in frame[c].tolist())]
    if not nested:
        return frame
    as_text = {c: frame[c].map(lambda v: json_text(v) if isinstance(v, (dict, list, tuple)) else v).astype(object)
               for c in nested}
    return frame.assign(**as_text)


def json_text(value: Any) -> str:
    """A value as JSON text, Chinese as it is (what flat formats write for a value they cannot hold)."""
    return json.dumps(value, ensure_ascii=False, default=str)


_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits: a longer integer id would be rounded
_EXCEL_CELL_CHARS = 32_767


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as XLSX can hold it: control characters (often pasted from Word) removed from text cells, times
    with a time zone written as the local time they show (Excel has no time zones), integers of more than 15
    digits and nested values as text, and cells cut at XLSX's limit with a warning."""
    cleaned = nested_as_json(frame).copy()
    for column in frame.columns:
        values = cleaned[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            cleaned[column] = values.dt.tz_localize(None)
        elif pd.api.types.is_integer_dtype(values) and len(values) and values.abs().max() >= 10**_EXCEL_DIGITS:
            cleaned[column] = values.astype(str).astype(object)
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            cleaned[column] = values.map(_excel_value)
            too_long = [i for i, v in enumerate(values.tolist()) if isinstance(v, str) and len(v) > _EXCEL_CELL_CHARS]
            if too_long:
                logger.warning("column %r: %d cell(s) longer than XLSX's %d characters are cut there (first at row "
                               "%d); write CSV, JSONL or Parquet to keep them whole", column, len(too_long),
                               _EXCEL_CELL_CHARS, too_long[0] + 1)
                cleaned[column] = cleaned[column].map(lambda v: v[:_EXCEL_CELL_CHARS] if isinstance(v, str) else v)
    return cleaned


@lru_cache(maxsize=1)
def _illegal_characters() -> re.Pattern[str]:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # imported only when an XLSX file is written

    return ILLEGAL_CHARACTERS_RE


def _excel_value(value: Any) -> Any:
    if isinstance(value, str):
        return _illegal_characters().sub("", value)
    if isinstance(value, pd.Timestamp) and value.tz:
        return value.tz_localize(None)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**_EXCEL_DIGITS:
        return str(value)  # an id such as 2025030100000000123, which Excel would round
    return value


def write_excel(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as XLSX with every text as text: a petition that starts with "=" never becomes a formula,
    nor one that looks like a web address a link."""
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    excel_safe(frame).to_excel(path, index=False, engine="xlsxwriter", engine_kwargs={"options": options})


def write_json(frame: pd.DataFrame, path: str | Path | None = None, *, lines: bool = True) -> str | None:
    """``frame`` as JSON Lines, or with ``lines=False`` as one JSON array (to ``path``, or returned): UTF-8 text as
    it is, dates as ISO 8601 (a time with a zone keeps its offset, so that it stays on its local day)."""
    zoned = [c for c in frame.columns if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]
    if zoned:
        frame = frame.assign(**{c: frame[c].map(lambda t: t.isoformat() if pd.notna(t) else None) for c in zoned})
    return frame.to_json(path, orient="records", lines=lines, force_ascii=False, date_format="iso", default_handler=str,
                         double_precision=15)  # pandas' most; its default of 10 would cut 0.12345678901234567


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` in the format named by ``path``'s extension (CSV as UTF-8 with BOM, for Excel)."""
    p = Path(path)
    fmt = table_format(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    if fmt not in JSON_FORMATS:
        frame = nested_as_json(frame)
    if fmt == "parquet":
        frame.to_parquet(p, index=False)
    elif fmt == "xlsx":
        write_excel(frame, p)
    elif fmt in JSON_FORMATS:
        write_json(frame, p, lines=fmt == "jsonl")
    else:
        frame.to_csv(p, sep="\t" if fmt == "tsv" else ",", index=False, encoding="utf-8-sig")
