"""Table 13: what the mirror database replicates (an example report, not a rule)."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row

#: the redundant server replicates the main server's data every five seconds
MIRROR_INTERVAL_SECONDS = 5

TABLE_13 = PaperTable(
    "13", "Transactions replicated to the mirror database",
    ("Transactions processed", "Transactions - bytes sent to the redundant database"),
    (
        Row("# of data transactions processed", ("868 - 2,307,586",), 2307586),
        Row("# of archive transactions processed", ("5 - 6,425",), 6425),
        Row("# of time and attendance transactions processed", ("0 - 0",), 0),
        Row("# of Windows registry transactions processed", ("74 - 2,809",), 2809),
        Row("Transaction errors", ("0",), 0),
    ),
    notes=("Left: transactions; right: bytes sent. Backups and modifications cost what table 6 "
           "gives for the main server.",),
)

TABLES = (TABLE_13,)
