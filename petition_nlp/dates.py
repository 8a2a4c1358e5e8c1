"""Dates as petition offices write them."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["iso_date"]

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[T\s])")


def iso_date(value: str | None) -> str | None:
    """``value`` as YYYY-MM-DD: 2024-01-05, 2024/1/5, 2024.1.5 or 2024年1月5日, a time may follow; None stays None.

    Raises ValueError for anything else, so that a wrong date is refused where it is entered.
    """
    if value is None or not str(value).strip():
        return None
    found = _DATE.match(str(value).strip())
    try:
        if found is None:
            raise ValueError
        return dt.date(*map(int, found.groups())).isoformat()
    except ValueError:
        raise ValueError(f"expected a date such as 2024-01-05 or 2024/1/5, got {value!r}") from None
