"""Dates as petition offices write them."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

__all__ = ["iso_date", "to_timestamps", "unreadable"]

_EARLIEST, _LATEST = 1900, 2100  # years a petition can be dated: 0001-01-01 or 9999-12-31 is a typo or a placeholder
# What may follow the date: nothing, or a time of day (10:15, 10:15:00.5, T10:00:00+08:00, 上午10时, 10点半).
_TIME_AFTER = re.compile(
    r"\s*(?:T|\s)?\s*(?:(?:上午|下午|晚上|凌晨|中午|早上)\s*)?"
    r"(?:(?:[01]?\d|2[0-3])(?:[:：][0-5]\d(?:[:：][0-5]\d(?:\.\d+)?)?|\s*[时点](?:\s*(?:[0-5]?\d\s*分?|半))?)"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?!\d)|(\d{4})(\d{2})(\d{2})$")


def iso_date(value: str | None) -> str | None:
    """``value`` as YYYY-MM-DD: 2024-01-05, 2024/1/5, 2024.1.5, 20240105 or 2024年1月5日 (号), a time may follow;
    None stays None.

    Raises ValueError for anything else, so that a wrong date is refused where it is entered.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    found = _DATE.match(text)
    try:
        if found is None or not _TIME_AFTER.match(text, found.end()):
            raise ValueError
        date = dt.date(*(int(part) for part in found.groups() if part is not None))
    except ValueError:
        raise ValueError(f"expected a date such as 2024-01-05 or 2024/1/5, got {value!r}") from None
    if not _EARLIEST <= date.year <= _LATEST:
        raise ValueError(f"expected a year from {_EARLIEST} to {_LATEST}, got {value!r}")
    return date.isoformat()


_CHINESE_DATE = r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
_ZONE = r"(?<=\d)(?:Z|[+-]\d{2}:?\d{2})$"
_CHINESE_TIME = r"\s*(?:上午|下午|晚上|凌晨|中午|早上)?\s*\d{1,2}\s*[时点].*$"  # "上午10时", "下午3点半": the day is kept


def to_timestamps(values: pd.Series) -> pd.Series:
    """A column of dates as registers hold them, formats mixed (2024-01-05, 2024/1/5 10:15, 2024年1月5日,
    2024-01-05T10:00:00+08:00), as naive timestamps in the time written; NaT where there is no date.

    A time zone is dropped rather than converted, so that a petition received at 01:00 local time stays on
    its day.
    """
    text = values.astype("string").str.strip()
    # Offices write the year first; "25-3-5", "5/3/2025" or a time alone ("00:00") are ambiguous or no date at
    # all, and pandas would guess (2005-03-25, 3 May, today).
    text = text.where(text.str.match(r"^\d{4}(?:\D|\d{4}(?:\D|$))"))
    text = (text.str.replace(_CHINESE_DATE, r"\1-\2-\3", regex=True).str.replace(_CHINESE_TIME, "", regex=True)
            .str.replace(_ZONE, "", regex=True))
    return pd.to_datetime(text, errors="coerce", format="mixed")


def unreadable(values: pd.Series, dates: pd.Series) -> pd.Series:
    """Cells of ``values`` that hold something, yet no date was read from them (``dates``, from
    :func:`to_timestamps`): typos such as 2025-13-45, not empty cells."""
    written = values.notna() & (values.astype(str).str.strip() != "")
    return pd.Series(dates.isna().to_numpy() & written.to_numpy(), index=values.index)
