"""Turning a register's identity columns into the normalised columns that linkage compares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from ..io import InputError
from .identity import id_block_keys, name_pinyin, normalize_id_number, normalize_name, normalize_phone, parse_address

__all__ = ["RegisterColumns", "identity_table", "IDENTITY_COLUMNS"]

T = TypeVar("T")

# The normalised columns, in the order the comparisons use them.
IDENTITY_COLUMNS = ("id18", "id_head", "id_tail", "id_ends", "birth_date", "name_norm", "name_pinyin", "phone_norm", "province",
                    "city", "district", "street")


@dataclass(frozen=True)
class RegisterColumns:
    """Which input columns hold what; any but ``id`` may be absent from a register."""

    id: str = "id"
    name: str = "name"
    id_number: str = "id_number"
    phone: str = "phone"
    address: str = "address"
    received_at: str = "received_at"
    text: str = "text"
    domain: str = "domain"


def _column(frame: pd.DataFrame, name: str) -> list[object]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _per_distinct(values: list[object], function: Callable[[object], T]) -> list[T]:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value.

    A register repeats names, phones and addresses (each petitioner writes in again and again), and parsing an
    address against the gazetteer is the costliest step of preparing a record.
    """
    codes, distinct = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    results = [function(v) for v in distinct]
    return [results[c] for c in codes.tolist()]


def _or_none(value: str) -> str | None:
    return value or None


def identity_table(frame: pd.DataFrame, columns: RegisterColumns = RegisterColumns()) -> pd.DataFrame:
    """One row per input row: ``unique_id`` (the row position) and the normalised identity columns.

    Empty values become nulls, which linkage treats as 'unknown', never as equal. Malformed ID numbers and
    phones are kept as cleaned text and compared as such.
    """
    identity = (columns.name, columns.id_number, columns.phone, columns.address)
    if not any(c in frame.columns for c in identity):
        raise InputError(f"the register has none of the identity columns {list(identity)}, so no petitioner can be "
                         f"linked; its columns are {list(map(str, frame.columns))} (name them with --name-column, "
                         "--id-number-column, --phone-column, --address-column)")
    ids = _per_distinct(_column(frame, columns.id_number), normalize_id_number)
    id_keys = [id_block_keys(i.value) for i in ids]
    phones = _per_distinct(_column(frame, columns.phone), lambda v: normalize_phone(v).value)
    names = _per_distinct(_column(frame, columns.name), normalize_name)
    pinyin = _per_distinct(names, lambda n: _or_none(name_pinyin(n)))
    addresses = _per_distinct(_column(frame, columns.address), lambda v: parse_address(v if isinstance(v, str) else ""))
    out = pd.DataFrame({
        "unique_id": range(len(frame)),
        "id18": [_or_none(i.value) for i in ids],
        "id_head": [k[0] for k in id_keys],
        "id_tail": [k[1] for k in id_keys],
        "id_ends": [k[2] for k in id_keys],
        "birth_date": [i.birth_date for i in ids],
        "name_norm": [_or_none(n) for n in names],
        "name_pinyin": pinyin,
        "phone_norm": [_or_none(p) if len(p) >= 7 else None for p in phones],
        "province": [_or_none(a.province) for a in addresses],
        "city": [_or_none(a.city) for a in addresses],
        "district": [_or_none(a.district) for a in addresses],
        "street": [_or_none(a.street) for a in addresses],
    })
    return out
