"""Tables 7, 8 and 9: bytes per component when data is reloaded to controllers (7), to a
multi-site gateway (8) and to a global gateway (9). Labels are the paper's."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row, byte_rows

#: the table 8 card row is "35 + 34 * Number of sites"
MULTI_SITE_CARD_BASE = 35
MULTI_SITE_CARD_PER_SITE = 34
#: the paper's note to table 7: data every controller reload carries, "minimum of 106 bytes"
PAPER_MINIMUM_RELOAD = 106

TABLE_7 = PaperTable(
    "7", "Data reload to controllers", ("Components types", "Number of bytes"),
    (
        Row("Global system information", ("83",), 83),
        Row("Controller", ("40",), 40),
        Row("Per reader driver", ("253",), 253),
        Row("Floor assignation (when elevator)", ("512",), 512),
        Row("Serial number (KT-300)", ("115",), 115),
        Row("DSC module (KT-300)", ("204",), 204),
        Row("SPI module (KT-400)", ("90",), 90),
        Row("Per floor definition", ("64",), 64),
        Row("Per door", ("27",), 27),
        Row("Per relay", ("6",), 6),
        Row("Per input", ("14",), 14),
        Row("Per output", ("15",), 15),
        Row("Per card - KT-100/KT-200/KT-300", ("7-17",), 17,
            "a range; protolab counts the 17-byte form (WIRE.md record type 14)"),
        Row("Per card - KT-400/KT-1", ("78",), 78),
        Row("Per schedule - KT-100/KT-200/KT-300", ("21",), 21),
        Row("Per schedule - KT-400/KT-1/KTES", ("41",), 41),
        Row("Access level (reload)", ("249",), 249),
        Row("Per floor group (reload)", ("249",), 249),
        Row("Per floor group mask", ("33",), 33),
        Row("All holiday", ("200",), 200),
        Row("Per relay group", ("3",), 3),
        Row("Per input group", ("3",), 3),
        Row("Per action scheduler", ("22",), 22),
        Row("Per reader driver", ("203",), 203,
            "listed a second time with another size (253 above); WIRE.md keeps 253"),
        Row("Date/Time", ("7",), 7),
        Row("Program download", ("130",), 130),
    ),
    notes=(
        f"The paper's note: every controller reload carries system, controller and date/time "
        f"information, 'minimum of {PAPER_MINIMUM_RELOAD} bytes'; the table's own rows give "
        f"83 + 40 + 7 = 130.",
        "Table 7 lists no card size for the KTES; the planner uses the KT-400/KT-1 78.",
    ),
)

TABLE_8 = PaperTable(
    "8", "Data reload - multi-site gateway", ("Components types", "Number of bytes"),
    (
        *byte_rows((
            ("General information", 14342), ("Information for 1 account", 413),
            ("Information for 1 site", 392), ("Information for 1 controller", 9040),
            ("Information for 1 door", 342), ("Information for 1 relay", 22),
            ("Information for 1 input", 66), ("Information for 1 auxiliary output", 52),
            ("Information for 1 access level", 780), ("Information for 1 schedule", 133),
            ("Information for 1 holiday", 10255), ("Information for 1 floor", 10),
        )),
        Row("Information for 1 card", ("35 + 34 * Number of sites",), MULTI_SITE_CARD_BASE,
            f"{MULTI_SITE_CARD_BASE} bytes plus {MULTI_SITE_CARD_PER_SITE} per site"),
        *byte_rows((
            ("Information for 1 controller group", 268), ("Information for 1 door group", 268),
            ("Information for 1 relay group", 268), ("Information for 1 input group", 268),
            ("Information for 1 floor group", 1074),
            ("Information for 1 access level group", 49), ("Information for 1 panel", 8222),
            ("Information for 1 panel component", 2062),
            ("Information for 1 tenant group", 15), ("Information for 1 tenant", 215),
            ("Information for 1 action scheduler", 137),
        )),
    ),
)

TABLE_9 = PaperTable(
    "9", "Data reload - Global gateway", ("Components types", "Number of bytes"),
    (
        *byte_rows((
            ("General information", 823), ("Information for 1 loop", 1024),
            ("Information for 1 controller", 6416), ("Information for 1 door", 190),
            ("Information for 1 relay", 24), ("Information for 1 input", 64),
            ("Information for 1 auxiliary output", 56),
            ("Information for 1 access level", 16396), ("Information for 1 schedule", 129),
            ("Information for 1 action scheduler", 133), ("Information for 1 holiday", 6),
            ("Information for 1 floor", 12), ("Information for 1 card", 91),
            ("Information for 1 controller group", 273), ("Information for 1 door group", 4113),
            ("Information for 1 relay group", 65553), ("Information for 1 input group", 65553),
        )),
        Row("Information for 1 floor", ("10",), 10,
            "listed a second time with another size (12 above); the planner uses 12"),
        *byte_rows((
            ("Information for 1 floor group", 1073), ("Information for 1 panel", 8222),
            ("Information for 1 panel component", 2062),
        )),
        Row("Information for 1 access level", ("262153",), 262153,
            "listed a second time with another size (16396 above); the planner uses 16396"),
        *byte_rows((
            ("Information for 1 access level group", 48),
            ("Information for an alarm system", 204), ("Information for an area", 50),
            ("Information for an area group", 416), ("Information for a guard tour", 722),
            ("Information for an event relay", 28),
        )),
    ),
    notes=("The paper: up to 125 users/cards per packet go to a gateway (4,000 data bytes per "
           "transaction, 16 bytes added per transaction between applications).",),
)

#: between EntraPass applications (server, workstations, gateways): per transaction
TRANSACTION_OVERHEAD = 16
TRANSACTION_MAX_DATA = 4000

TABLES = (TABLE_7, TABLE_8, TABLE_9)
