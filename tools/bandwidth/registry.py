"""Every table of the paper in the paper's order, for ``protolab bandwidth tables``."""

from __future__ import annotations

from protolab.errors import ConfigurationError
from tools.bandwidth import (
    tables_controller,
    tables_firmware,
    tables_mirror,
    tables_polling,
    tables_protocols,
    tables_reload,
    tables_smartlink,
    tables_workstation,
)
from tools.bandwidth.paper_table import PaperTable

ALL_TABLES: tuple[PaperTable, ...] = (
    *tables_protocols.TABLES, *tables_workstation.TABLES, *tables_reload.TABLES,
    *tables_firmware.TABLES, *tables_polling.TABLES, *tables_controller.TABLES,
    *tables_smartlink.TABLES, *tables_mirror.TABLES,
)


def find_table(number: str) -> PaperTable:
    """A table by its number ("7") or name ("idle", "firmware"); ConfigurationError otherwise."""
    for table in ALL_TABLES:
        if table.number == number:
            return table
    raise ConfigurationError(f"no table {number!r}; expected one of: "
                             + ", ".join(t.number for t in ALL_TABLES))
