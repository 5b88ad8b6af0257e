"""Table 12: what a controller's messages cost, and how the gateway passes events on."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row, byte_rows

#: "The gateway sends each event to the main server, in 100 byte packets."
EVENT_PACKET_TO_SERVER = 100

TABLE_12 = PaperTable(
    "12", "Messages from the controller", ("Data types", "Number of bytes"),
    (
        *byte_rows((
            ("Communication protocol", 4), ("Controller's complete status", 63),
            ("Date and times", 7), ("System report", 4),
            ("Report following a command on the network", 1), ("Door Report", 1),
            ("Inputs in alarm report", 1), ("Shunt inputs report", 2),
            ("Temporarily shunt inputs report", 2), ("Supervised inputs report", 1),
            ("Relay activation status", 2), ("Door status", 2),
            ("Internal/external card number status", 4),
            ("Output by event activation status", 1),
        )),
        Row("Access request results, 32-bit card", ("5 with 32-bit card",), 5),
        Row("Access request results, BCD card", ("11 with BCD card",), 11),
        Row("Valid or invalid floor selection results, 32-bit card", ("6 with 32-bit card",), 6),
        Row("Valid or invalid floor selection results, BCD card", ("10 with BCD card",), 10),
        *byte_rows((
            ("Status on unlocking door in stand-alone mode", 2),
            ("Status on disabling door in stand-alone mode", 1),
            ("Status on activating relay in stand-alone mode", 2),
        )),
    ),
    notes=("The paper's example: an access with a 32-bit card is date/time 7 + door 1 + access "
           "request 5 + packet transmission 4 = 17 bytes.",),
)

TABLES = (TABLE_12,)
