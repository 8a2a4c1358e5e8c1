"""Incremental intake: "have we seen this petitioner, this matter, before?" for one record in milliseconds."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from .. import __version__
from .._locks import folder_lock
from ..dates import iso_date, to_timestamps
from .identity import id_block_keys, name_pinyin, normalize_id_number, normalize_name, normalize_phone, parse_address
from .linkage import DEFAULT_MATCH_THRESHOLD
from .matters import MatterMatcher

logger = logging.getLogger(__name__)

__all__ = ["DuplicateRecordError", "FolderTakenError", "RepeatIndex", "IndexMatch", "PriorPetition"]

_FORMAT_VERSION = 4  # bumped with each change of the normalised fields, keys or files (3: the journal, 4: matter texts)
_READABLE_FORMATS = (2, 3, 4)  # a format 2 folder has no journal; an older version refuses format 3 instead of
                                # loading it without its journal
_PRIVATE = 0o600  # the records and the journal hold personal data: readable and writable by their owner only
_JOURNAL_MIN = 1000  # records a journal may hold before save_changes() saves in full, whatever the register's size
_KEY_CAP = 500  # candidates taken per blocking key: bounds the work for very common keys


@dataclass(frozen=True)
class _SavedState:
    """Where an index was last saved: the folder, its journal, records written there (snapshot and journal),
    records in the journal, and the journal's length in bytes as this index left it."""

    folder: Path
    journal_file: str
    written: int
    journaled: int
    journal_bytes: int


@dataclass(frozen=True)
class PriorPetition:
    id: str
    received_at: str | None
    domain: str | None
    same_matter: bool
    similarity: float


@dataclass(frozen=True)
class IndexMatch:
    """The answer for one new record."""

    petitioner_id: str
    new_petitioner: bool
    match_probability: float | None
    evidence: str
    is_repeat: bool
    repeat_of: str | None
    prior_petitions: list[PriorPetition] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.__dict__.items() if k != "prior_petitions"},
                "prior_petitions": [p.__dict__ for p in self.prior_petitions]}


def _normalised(record: dict[str, Any]) -> dict[str, Any]:
    id_number = normalize_id_number(record.get("id_number"))
    name = normalize_name(record.get("name"))
    phone = normalize_phone(record.get("phone")).value
    address = record.get("address")
    # An empty cell read by pandas is NaN: unknown, like a missing name or phone.
    address = parse_address(address if isinstance(address, str) else "")
    value = id_number.value
    id_head, id_tail, id_ends = id_block_keys(value)
    return {
        "id18": value or None,
        "id_head": id_head,
        "id_tail": id_tail,
        "id_ends": id_ends,
        "birth_date": id_number.birth_date,
        "name_norm": name or None,
        "name_pinyin": name_pinyin(name) or None,
        "phone_norm": phone if len(phone) >= 7 else None,
        "city": address.city or None,
        "district": address.district or None,
        "street": address.street or None,
    }


def _keys(n: dict[str, Any]) -> list[tuple]:
    keys = [("id", n["id18"]), ("idh", n["id_head"]), ("idt", n["id_tail"]), ("ide", n["id_ends"]), ("ph", n["phone_norm"])]
    if n["name_pinyin"]:
        keys += [("nd", n["name_pinyin"], n["district"]), ("nb", n["name_pinyin"], n["birth_date"])]
    return [k for k in keys if all(part is not None for part in k[1:])]


def _levels(a: dict[str, Any], b: dict[str, Any]) -> dict[str, int]:
    """Comparison level of each field, numbered as in the splink settings (0 is the null level)."""
    def both(key: str) -> bool:
        return a[key] is not None and b[key] is not None

    if not both("id18"):
        id_level = 0
    elif a["id18"] == b["id18"]:
        id_level = 1
    elif DamerauLevenshtein.distance(a["id18"], b["id18"]) <= 1:
        id_level = 2
    elif both("birth_date") and a["birth_date"] == b["birth_date"]:
        id_level = 3
    else:
        id_level = 4
    if not both("name_pinyin"):
        name_level = 0
    elif both("name_norm") and a["name_norm"] == b["name_norm"]:
        name_level = 1
    elif a["name_pinyin"] == b["name_pinyin"]:
        name_level = 2
    elif JaroWinkler.similarity(a["name_pinyin"], b["name_pinyin"]) >= 0.9:
        name_level = 3
    else:
        name_level = 4
    if not both("phone_norm"):
        phone_level = 0
    elif a["phone_norm"] == b["phone_norm"]:
        phone_level = 1
    elif Levenshtein.distance(a["phone_norm"], b["phone_norm"]) <= 1:
        phone_level = 2
    else:
        phone_level = 3
    if not both("district") and not both("city"):
        address_level = 0
    elif both("district") and a["district"] == b["district"] and both("street") and a["street"] == b["street"]:
        address_level = 1
    elif both("district") and a["district"] == b["district"]:
        address_level = 2
    elif both("city") and a["city"] == b["city"]:
        address_level = 3
    else:
        address_level = 4
    return {"id_number": id_level, "name": name_level, "phone": phone_level, "address": address_level}


class FolderTakenError(RuntimeError):
    """Another process has saved into the repeat index folder since this index last saved there."""


class DuplicateRecordError(ValueError):
    """A record id that the repeat index already holds."""


class RepeatIndex:
    """An updatable index of a register for intake: match one record, add it, save and load.

    Scores candidate pairs with the Fellegi–Sunter parameters a :class:`RepeatDetector` learned (without the
    term-frequency adjustment for common names, which the batch run applies), so that intake and the periodic
    batch run agree on all but borderline pairs.

    What a saved index holds, per record: its id, petitioner id, date, domain and the id of the matter it repeats;
    the normalised identity that matching compares (name and its pinyin, ID number and its parts, birth date,
    phone, city, district, street); and the text as matter similarity reads it (normalised, personal data masked,
    digits dropped), never the petition itself. Its files are readable by their owner only.
    """

    def __init__(self, parameters: dict[str, Any], match_threshold: float = DEFAULT_MATCH_THRESHOLD, matter_threshold: float = 0.35) -> None:
        if not 0 < match_threshold < 1:
            raise ValueError(f"match_threshold must be between 0 and 1 (exclusive), got {match_threshold}")
        self.parameters = parameters
        self.match_threshold = match_threshold
        self.matter_threshold = matter_threshold
        self._matcher = MatterMatcher(matter_threshold)
        self._prior_weight = math.log2(parameters["prior"] / (1 - parameters["prior"]))
        self._weights = {name: [math.log2(max(level["bayes_factor"], 1e-300)) if not level["null"] else 0.0
                                for level in levels] for name, levels in parameters["levels"].items()}
        self._labels = {name: [level["label"] for level in levels] for name, levels in parameters["levels"].items()}
        self._records: list[dict[str, Any]] = []
        self._blocks: dict[tuple, list[int]] = defaultdict(list)
        self._by_petitioner: dict[str, list[int]] = defaultdict(list)
        self._ids: set[str] = set()
        self._next_petitioner = 1
        # Reads and changes from different threads (a service matching on its event loop while a worker thread
        # registers or rolls back) each see the index whole; the lock is not held while a save writes to disk.
        self._lock = threading.RLock()
        # The folder this index was last saved to or loaded from, so that save_changes() appends only what is new.
        self._saved: _SavedState | None = None
        # The folder's saved state as this index last left or read it (kept when _saved is dropped): a full save
        # by save_changes() goes ahead only where nobody else has saved since.
        self._seen: tuple[Path, Any, Any, int] | None = None
        self._save_lock = threading.Lock()  # one save at a time; matching goes on meanwhile

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        """Whether a record with this id is in the index."""
        return str(record_id) in self._ids

    def _score(self, a: dict[str, Any], b: dict[str, Any]) -> tuple[float, str]:
        levels = _levels(a, b)
        weight = self._prior_weight + sum(self._weights[name][level] for name, level in levels.items())
        probability = 1 / (1 + 2 ** -weight)
        evidence = "; ".join(f"{name}: {self._labels[name][level]}" for name, level in levels.items())
        return probability, evidence

    def match(self, record: dict[str, Any]) -> IndexMatch:
        """The petitioner and matter ``record`` belongs to, without adding it."""
        norm, matter_text = _normalised(record), self._matter_text(record)
        with self._lock:
            return self._match(record, norm, matter_text)[0]

    def _match(self, record: dict[str, Any], norm: dict[str, Any], matter_text: str) -> tuple[IndexMatch, str | None]:
        candidates: set[int] = set()
        for key in _keys(norm):
            candidates.update(self._blocks.get(key, ())[-_KEY_CAP:])
        best_probability, best_evidence, best_petitioner = 0.0, "", None
        for index in candidates:
            other = self._records[index]
            probability, evidence = self._score(norm, other["norm"])
            if probability > best_probability:
                best_probability, best_evidence, best_petitioner = probability, evidence, other["petitioner_id"]
        if best_petitioner is None or best_probability < self.match_threshold:
            petitioner = f"P{self._next_petitioner:07d}"
            return IndexMatch(petitioner, True, best_probability or None, best_evidence, False, None), None
        earlier = self._by_petitioner[best_petitioner]
        texts = [matter_text] + [self._records[i]["matter_text"] for i in earlier]
        vectors = self._matcher.matter_vectors(texts)
        similarities = self._matcher.pair_similarities(vectors, np.zeros(len(earlier), dtype=np.int64),
                                                       np.arange(1, len(earlier) + 1))
        priors, repeat_of, best_similarity = [], None, 0.0
        for i, similarity in zip(earlier, similarities):
            other = self._records[i]
            same = self._matcher.same(float(similarity), record.get("domain"), other["domain"])
            priors.append(PriorPetition(other["id"], other["received_at"], other["domain"], same, round(float(similarity), 4)))
            if same and similarity > best_similarity:
                best_similarity, repeat_of = float(similarity), other["matter_of"]
        result = IndexMatch(best_petitioner, False, round(best_probability, 4), best_evidence, repeat_of is not None,
                            repeat_of, priors)
        return result, repeat_of

    def add(self, record: dict[str, Any]) -> IndexMatch:
        """Match ``record`` and add it to the index; returns the match. Its ``id`` must be new to the index."""
        if record.get("id") in (None, ""):
            raise ValueError("a record needs an 'id'")
        self._refuse_duplicate(record["id"])
        received = record.get("received_at")
        if isinstance(received, dt.date):  # datetime and pandas' Timestamp too
            record = {**record, "received_at": received.isoformat()[:10]}
        elif received is not None and not (isinstance(received, float) and received != received):
            try:  # 20240105 read from a spreadsheet as a number is checked like the text "20240105"
                record = {**record, "received_at": iso_date(str(received))}
            except ValueError as exc:
                raise ValueError(f"record {record['id']!r}: received_at: {exc}") from None
        norm, matter_text = _normalised(record), self._matter_text(record)
        with self._lock:
            self._refuse_duplicate(record["id"])  # again: another thread may have added it meanwhile
            result, repeat_of = self._match(record, norm, matter_text)
            if result.new_petitioner:
                self._next_petitioner += 1
            self._insert(record, norm, result.petitioner_id, repeat_of or str(record["id"]), matter_text)
        return result

    def _refuse_duplicate(self, record_id: Any) -> None:
        if str(record_id) in self._ids:
            raise DuplicateRecordError(f"record id {str(record_id)!r} is already in the repeat index; "
                                       "a petition is registered once")

    def _matter_text(self, record: dict[str, Any]) -> str:
        return self._matcher.matter_texts([record.get("text")])[0]

    def _insert(self, record: dict[str, Any], norm: dict[str, Any], petitioner: str, matter_of: str, matter_text: str) -> None:
        index = len(self._records)
        self._ids.add(str(record["id"]))
        received = record.get("received_at")
        self._records.append({
            "id": str(record["id"]), "petitioner_id": petitioner, "norm": norm, "matter_of": matter_of,
            "received_at": None if received in (None, "") or (isinstance(received, float) and received != received) else str(received)[:10],
            "domain": record.get("domain") if isinstance(record.get("domain"), str) else None,
            # What matter similarity reads (masked, numbers dropped), not the petition: the index holds no text.
            "matter_text": matter_text,
        })
        for key in _keys(norm):
            self._blocks[key].append(index)
        self._by_petitioner[petitioner].append(index)

    @contextmanager
    def transaction(self) -> Iterator[RepeatIndex]:
        """Records added inside the block are taken out again if it raises (a registration whose index could
        not be saved, say), so that the index in memory stays what is on disk.

        Matching may go on in other threads meanwhile; transactions themselves must take turns (the service
        holds one lock for registrations)."""
        length, next_petitioner = len(self._records), self._next_petitioner
        try:
            yield self
        except BaseException:
            with self._lock:
                self._rollback(length, next_petitioner)
            raise

    def _rollback(self, length: int, next_petitioner: int) -> None:
        """Take out the records added after the first ``length`` (the caller holds the lock)."""
        if self._saved is not None and self._saved.written > length:
            self._saved = None  # records taken out were saved already: the next save_changes() saves in full
        while len(self._records) > length:
            position = len(self._records) - 1
            record = self._records.pop()
            # Every list below had this record's position appended last.
            for key in _keys(record["norm"]):
                self._blocks[key].pop()
                if not self._blocks[key]:
                    del self._blocks[key]
            self._by_petitioner[record["petitioner_id"]].remove(position)
            if not self._by_petitioner[record["petitioner_id"]]:
                del self._by_petitioner[record["petitioner_id"]]
            self._ids.discard(record["id"])
        self._next_petitioner = next_petitioner

    @classmethod
    def from_labelled(cls, labelled: pd.DataFrame, parameters: dict[str, Any], **kwargs: Any) -> RepeatIndex:
        """Bulk-load a register already labelled by :class:`RepeatDetector` (its petitioner ids are kept)."""
        index = cls(parameters, **kwargs)
        dates = to_timestamps(labelled["received_at"]) if "received_at" in labelled.columns else pd.Series(pd.NaT, index=labelled.index)
        # Dates are kept as YYYY-MM-DD whatever way the register wrote them (2019年4月29日, 2019/4/29 10:00).
        ordered = labelled.assign(_date=dates, received_at=dates.dt.strftime("%Y-%m-%d").astype(object).where(dates.notna(), None)) \
            .sort_values("_date", na_position="last", kind="stable")
        records = ordered.drop(columns="_date").to_dict("records")
        matter_texts = index._matcher.matter_texts([record.get("text") for record in records])
        for record, matter_text in zip(records, matter_texts):
            earlier = record.get("repeat_of")
            # Any id type (an integer id read from JSON or Parquet); an empty cell is NaN or None.
            matter_of = str(earlier) if earlier is not None and earlier == earlier and earlier != "" else str(record["id"])
            index._insert(record, _normalised(record), str(record["petitioner_id"]), matter_of, matter_text)
        index._next_petitioner = index._highest_petitioner_number() + 1
        return index

    def save(self, path: str | Path) -> Path:
        """Write the index to the folder ``path``: all of it or, should the save fail anywhere, none of it.

        The records go to a new file first; replacing ``index.json``, which names that file and a new (empty)
        journal, is the one step that switches readers from the previous save to this one.
        """
        with self._save_lock, folder_lock(Path(path)):
            return self._save(Path(path))

    def _save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        with self._lock:  # a snapshot only: records are never changed once added, so rows are built unlocked
            records, next_petitioner = list(self._records), self._next_petitioner
        rows = [{**{k: v for k, v in r.items() if k != "norm"}, **{f"n_{k}": v for k, v in r["norm"].items()}}
                for r in records]
        previous = _saved_files(directory)
        token = uuid.uuid4().hex[:12]
        records_file, journal_file = f"records-{token}.parquet", f"journal-{token}.jsonl"
        meta = {"format_version": _FORMAT_VERSION, "library_version": __version__, "parameters": self.parameters,
                "match_threshold": self.match_threshold, "matter_threshold": self.matter_threshold,
                "next_petitioner": next_petitioner, "records": len(rows), "records_file": records_file,
                "journal_file": journal_file, "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        try:
            pd.DataFrame(rows).to_parquet(directory / records_file, index=False)
            os.chmod(directory / records_file, _PRIVATE)
            (directory / "index.json.tmp").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(directory / "index.json.tmp", directory / "index.json")
        except BaseException:
            (directory / records_file).unlink(missing_ok=True)
            raise
        self._saved = _SavedState(directory.resolve(), journal_file, len(rows), 0, 0)
        self._seen = _folder_state(directory)
        for old in previous:
            try:
                old.unlink(missing_ok=True)
            except OSError as exc:  # the save itself went through; an old file left behind harms nothing
                logger.warning("could not remove %s of the previous save: %s", old, exc)
        return directory

    def save_changes(self, path: str | Path) -> Path:
        """Save what was added since this index was last saved to or loaded from ``path``: appended to the
        folder's journal as one line (milliseconds, whatever the register's size), or by a full :meth:`save`
        when this index has not saved there yet, the journal may end in a torn line, or the journal has grown
        past a fifth of the records.

        Refuses (:class:`FolderTakenError`) when another process has saved into the folder since: two writers would hand out
        the same petitioner ids. A line cut short by a crash is skipped when the index is loaded.
        """
        directory = Path(path)
        with self._save_lock, folder_lock(directory):
            with self._lock:
                saved = self._saved
                if saved is None or saved.folder != directory.resolve():
                    if (directory / "index.json").exists() and self._seen != _folder_state(directory):
                        raise FolderTakenError(
                            f"{directory} holds a repeat index that this one did not load, or that another process "
                            "has saved into since; nothing was saved (reload it, or replace it on purpose with save())")
                    return self._save(directory)
                new = self._records[saved.written:]
                next_petitioner = self._next_petitioner
            journal = directory / saved.journal_file
            size = journal.stat().st_size if journal.exists() else 0
            if _saved_journal(directory) != saved.journal_file or size != saved.journal_bytes:
                raise FolderTakenError(f"{directory} was saved into by another process since this index last saved there; "
                                   "one process must own a repeat index folder (reload it, or save elsewhere)")
            if not new:
                return directory
            if saved.journaled + len(new) > max(_JOURNAL_MIN, saved.written // 5):
                return self._save(directory)
            # ASCII only: no line separator inside a record (U+2028 in a pasted petition) can split its line.
            line = (json.dumps({"next_petitioner": next_petitioner, "records": new}) + "\n").encode("ascii")
            try:
                # Created readable by this user only, as the records file is: it holds names, ID numbers, phones.
                with os.fdopen(os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, _PRIVATE), "ab") as out:
                    out.write(line)
                    out.flush()
                    os.fsync(out.fileno())
            except BaseException:
                # Take back what may have reached the file, so that a refused registration does not come back
                # at the next load; the next call saves in full either way.
                self._saved = None
                with suppress(OSError):
                    os.truncate(journal, saved.journal_bytes)
                raise
            self._saved = _SavedState(saved.folder, saved.journal_file, saved.written + len(new),
                                      saved.journaled + len(new), saved.journal_bytes + len(line))
            self._seen = _folder_state(directory)
        return directory

    @classmethod
    def load(cls, path: str | Path) -> RepeatIndex:
        directory = Path(path)
        meta_path = directory / "index.json"
        if not meta_path.is_file():
            raise ValueError(f"{directory} is not a repeat index: index.json is missing")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{meta_path} is damaged: not JSON ({exc})") from None
        if not isinstance(meta, dict):
            raise ValueError(f"{meta_path} is damaged: expected a JSON object, got {type(meta).__name__}")
        if meta.get("format_version") not in _READABLE_FORMATS:
            raise ValueError(f"{directory}: index format {meta.get('format_version')!r}; this version reads "
                             f"{list(_READABLE_FORMATS)}")
        missing = [k for k in ("parameters", "match_threshold", "matter_threshold", "next_petitioner", "records") if k not in meta]
        if missing:
            raise ValueError(f"{meta_path} is damaged: it lacks {missing}")
        index = cls(meta["parameters"], meta["match_threshold"], meta["matter_threshold"])
        records_path = directory / meta.get("records_file", "records.parquet")
        try:
            frame = pd.read_parquet(records_path)
        except FileNotFoundError:
            raise ValueError(f"{directory} is damaged: {records_path.name} is missing") from None
        except Exception as exc:  # pyarrow's errors for a truncated or foreign file have no common base
            raise ValueError(f"{records_path} is damaged: {exc}") from None
        if len(frame) != meta["records"]:
            raise ValueError(f"{directory} is damaged: index.json counts {meta['records']} records, "
                             f"{records_path.name} holds {len(frame)}")
        rows = frame.to_dict("records")
        for row, matter_text in zip(rows, index._stored_matter_texts(rows)):
            norm = {k[2:]: (None if v is None or (isinstance(v, float) and v != v) else v)
                    for k, v in row.items() if k.startswith("n_")}
            record = {k: v for k, v in row.items() if not k.startswith("n_")}
            index._insert(record, norm, record["petitioner_id"], record["matter_of"], matter_text)
        next_petitioner = int(meta["next_petitioner"])
        journal_file, journaled = meta.get("journal_file"), 0
        raw = (directory / journal_file).read_bytes() if journal_file and (directory / journal_file).is_file() else b""
        # Bytes, split at \n only: a line torn inside a character, or any odd character, stays within its line.
        lines = raw.split(b"\n")
        clean = lines[-1] == b""  # a journal that does not end with \n ends in a torn line
        for number, line in enumerate(lines[:-1] if clean else lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line.decode("utf-8"))
                added = [(r, r["norm"], t) for r, t in zip(entry["records"], index._stored_matter_texts(entry["records"]))]
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
                logger.warning("%s: line %d is cut short (a crash while saving?); its registrations are not loaded",
                               directory / journal_file, number)
                clean = False
                continue
            for record, norm, matter_text in added:
                if str(record["id"]) in index._ids:
                    logger.warning("%s: record %r is in the index already; its second copy is skipped",
                                   directory / journal_file, record["id"])
                    continue
                index._insert({k: v for k, v in record.items() if k != "norm"}, norm, record["petitioner_id"],
                              record["matter_of"], matter_text)
                journaled += 1
            next_petitioner = max(next_petitioner, int(entry.get("next_petitioner", 0)))
        # Never hand out a petitioner id that a stored record already has.
        index._next_petitioner = max(next_petitioner, index._highest_petitioner_number() + 1)
        index._seen = _folder_state(directory)
        if journal_file and clean and meta["format_version"] == _FORMAT_VERSION:
            index._saved = _SavedState(directory.resolve(), journal_file, len(index._records), journaled, len(raw))
        # Otherwise (a torn line, an older folder) the first save_changes() saves in full, leaving the torn bytes
        # behind instead of appending after them, and an older folder's petition texts are gone from the disk.
        return index

    def _stored_matter_texts(self, records: list[dict[str, Any]]) -> list[str]:
        """The matter texts of saved records: as stored, or made from the petition text that an index saved
        before format 4 kept (the next full save drops it)."""
        if all("matter_text" in r for r in records):
            return [r["matter_text"] or "" for r in records]
        return self._matcher.matter_texts([r.get("text") for r in records])

    def _highest_petitioner_number(self) -> int:
        return max((int(p[1:]) for p in self._by_petitioner if p.startswith("P") and p[1:].isdigit()), default=0)


def _saved_meta(directory: Path) -> dict[str, Any]:
    try:
        meta = json.loads((directory / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _saved_files(directory: Path) -> list[Path]:
    """The records file and journal the folder's current ``index.json`` names (none for a new folder)."""
    meta = _saved_meta(directory)
    if not meta:
        return []
    return [directory / meta.get("records_file", "records.parquet"), *([directory / meta["journal_file"]]
                                                                      if meta.get("journal_file") else [])]


def _folder_state(directory: Path) -> tuple[Path, Any, Any, int]:
    """What tells one save of a folder from the next: its records file, save time and journal length."""
    meta = _saved_meta(directory)
    journal = directory / meta["journal_file"] if meta.get("journal_file") else None
    size = journal.stat().st_size if journal is not None and journal.exists() else 0
    return directory.resolve(), meta.get("records_file"), meta.get("saved_at"), size


def _saved_journal(directory: Path) -> str | None:
    return _saved_meta(directory).get("journal_file")
