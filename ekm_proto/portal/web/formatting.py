"""How pages write values: dates as the overview does ("13-Jul-2020 02:09:09", UTC), numbers
with thousands separators, nothing as an empty cell."""

from __future__ import annotations

import datetime
from typing import Any


def overview_date(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%d-%b-%Y %H:%M:%S")


def iso_date(text: str | None) -> str:
    """An ISO time from the reports module ("2020-07-13T02:09:09Z"), in the overview's form."""
    if not text:
        return ""
    return overview_date(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def number(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def blank(value: Any) -> str:
    return "" if value is None else str(value)


FILTERS = {"date": overview_date, "isodate": iso_date, "number": number, "blank": blank}
