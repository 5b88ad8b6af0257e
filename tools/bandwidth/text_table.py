"""Aligned plain-text tables for terminal output: numbers right-aligned, text left-aligned."""

from __future__ import annotations

from collections.abc import Sequence


def thousands(value: int | float) -> str:
    """``248078`` as ``248,078``; fractions keep one decimal."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
                 numeric: Sequence[bool], indent: str = "  ") -> list[str]:
    """Lines of a table whose columns are as wide as their widest cell."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [cell.rjust(w) if right else cell.ljust(w)
                 for cell, w, right in zip(cells, widths, numeric, strict=True)]
        return (indent + "  ".join(parts)).rstrip()

    return [line(headers), *(line(row) for row in rows)]
