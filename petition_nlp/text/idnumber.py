"""Chinese resident ID numbers (GB 11643-1999): checksum, birth date and 15 → 18 digit upgrade."""

from __future__ import annotations

import datetime as _dt

__all__ = ["id_checksum", "is_valid_id18", "is_valid_id15", "upgrade_id15", "id_birth_date", "id_gender"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# First digit of the region code: 1-6 are the six administrative regions, 8 is HK/Macau/Taiwan residence permits.
_REGION_FIRST_DIGITS = frozenset("1234568")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


def _clean(value: str) -> str:
    return value.translate(_FULLWIDTH_DIGITS).strip().upper()


def id_checksum(first17: str) -> str:
    """Return the check character for the first 17 digits of an 18-digit ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def _valid_date(yyyymmdd: str) -> bool:
    try:
        born = _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= _dt.date.today()


def is_plausible_id18(value: str) -> bool:
    """18 characters, region digit and birth date plausible; the checksum is not checked."""
    v = _clean(value)
    return (
        len(v) == 18
        and v[:17].isdigit()
        and (v[17].isdigit() or v[17] == "X")
        and v[0] in _REGION_FIRST_DIGITS
        and _valid_date(v[6:14])
    )


def is_valid_id18(value: str) -> bool:
    """True when ``value`` is a well-formed 18-digit ID number with a correct check character."""
    v = _clean(value)
    return is_plausible_id18(v) and id_checksum(v[:17]) == v[17]


def is_valid_id15(value: str) -> bool:
    """True when ``value`` is a well-formed first-generation 15-digit ID number (born 1900-1999)."""
    v = _clean(value)
    return len(v) == 15 and v.isdigit() and v[0] in _REGION_FIRST_DIGITS and _valid_date("19" + v[6:12])


def upgrade_id15(value: str) -> str:
    """Convert a 15-digit ID number to its 18-digit form (century 19 inserted, check character added)."""
    v = _clean(value)
    if not is_valid_id15(v):
        raise ValueError(f"not a valid 15-digit ID number: {value!r}")
    first17 = v[:6] + "19" + v[6:]
    return first17 + id_checksum(first17)


def id_birth_date(value: str) -> _dt.date | None:
    """Birth date encoded in a 15- or 18-digit ID number, or None when it has none."""
    v = _clean(value)
    if is_valid_id15(v):
        v = upgrade_id15(v)
    if not is_plausible_id18(v):
        return None
    return _dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def id_gender(value: str) -> str | None:
    """'男' or '女' from the sequence digit (odd is male), or None for a malformed number."""
    v = _clean(value)
    if is_valid_id15(v):
        v = upgrade_id15(v)
    if not is_plausible_id18(v):
        return None
    return "男" if int(v[16]) % 2 else "女"
