"""Command lines sent to SmartLink ("Bandwidth required to send command lines")."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row

PAPER_EXAMPLE = '<2>"COMMAND=ACTIVATERELAY"<28>"RELAYID=525"<28><3>'
PAPER_EXAMPLE_BYTES = 50

COMMAND_LINES = PaperTable(
    "command-lines", "Bandwidth required to send command lines", ("Command line", "Bytes"),
    (Row(PAPER_EXAMPLE, (str(PAPER_EXAMPLE_BYTES),), PAPER_EXAMPLE_BYTES,
         "the length of the notation text; STX, FS and ETX are one byte each on the wire"),),
    notes=("The paper: count 1 byte per character used.",),
)

TABLES = (COMMAND_LINES,)
