"""One printed table of the white paper: its number, title, column heads and rows as printed.

Rows keep the paper's text (``"7-17"``, ``"+-60K (once)"``) beside the figure protolab computes
with, so ``protolab bandwidth tables`` can show the paper as it is and the planner can say which
number it took from a cell that is not a plain number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from protolab.errors import UsageError


@dataclass(frozen=True, slots=True)
class Row:
    """A row: its label, the paper's cells after the label, and the figure the planner uses.

    ``bytes`` is None for rows that are not a byte count (text, images: "XML", "100k to 3mb").
    ``note`` says what protolab makes of a cell that is not a plain number, or a slip.
    """

    label: str
    cells: tuple[str, ...]
    bytes: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PaperTable:
    """``number`` is the paper's table number as text ("7", or a name for unnumbered figures)."""

    number: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default=())

    def row(self, label: str) -> Row:
        """The first row with this label (tables 7 and 9 print some labels twice)."""
        for row in self.rows:
            if row.label == label:
                return row
        raise UsageError(f"table {self.number} has no row {label!r}")

    def bytes_of(self, label: str) -> int:
        value = self.row(label).bytes
        if value is None:
            raise UsageError(f"table {self.number} row {label!r} is not a byte count")
        return value


def byte_rows(pairs: Sequence[tuple[str, int]]) -> tuple[Row, ...]:
    """Rows of a two-column "component, number of bytes" table whose cells are plain numbers."""
    return tuple(Row(label, (f"{value}",), value) for label, value in pairs)
