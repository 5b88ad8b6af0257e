"""Tables 10 and 11 and the idle-mode figures: the steady traffic of a quiet system."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row, byte_rows

#: table 10 rows by the site file's ``gateway`` value: the multi-site gateway is the
#: Corporate edition's ("Corporate" row), the global gateway the Global edition's
TABLE_10_ROW = {"multi-site": "Corporate", "global": "Global Gateway"}

TABLE_10 = PaperTable(
    "10", "Bandwidth gateway/controller (one TCP/IP site)",
    ("Gateway", "Default value", "Slowest", "Fastest"),
    (
        Row("Corporate", ("1000 bytes per second", "200 bytes per second",
                          "7200 bytes per second"), 1000),
        Row("Global Gateway", ("7400 bytes per second", "3800 bytes per second",
                               "7800 bytes per second"), 7400),
    ),
    notes=("Bandwidth does not grow with the controllers of a site: the polling rate stays the "
           "same and each controller is queried less often.",),
)

#: slowest and fastest of table 10, bytes per second per site
POLLING_RANGE = {"Corporate": (200, 7200), "Global Gateway": (3800, 7800)}

TABLE_11 = PaperTable(
    "11", "Idle site query", ("Message type", "Number of bytes"),
    byte_rows((("Gateway query", 4), ("Controller reply", 1))),
    notes=("On a TCP/IP site the paper writes the packets as '54 + 5' (gateway) and '54 + 1' "
           "(controller) bytes, alternating 59 and '55 or 60'; with table 11's 4-byte query the "
           "first is 54 + 4 = 58.",),
)

#: the text after table 11: "at least 54 + 5 bytes for the gateway and 54 + 1 for the controllers"
PAPER_TCPIP_QUERY_DATA = 5
PAPER_TCPIP_REPLY_DATA = 1

#: "System in idle mode": each gateway and each workstation, bytes per second
IDLE_PER_GATEWAY = 26
IDLE_PER_WORKSTATION = 26

IDLE_MODE = PaperTable(
    "idle", "System in idle mode", ("Part", "Bytes per second"),
    byte_rows((("Per TCP/IP site (table 10 default)", 1000), ("Per gateway", IDLE_PER_GATEWAY),
               ("Per workstation", IDLE_PER_WORKSTATION))),
    notes=("The paper's example: 2 workstations, 1 multi-site gateway and 4 TCP/IP sites use "
           "4 x 1000 + 26 + 2 x 26 = 4078 bytes per second.",),
)

TABLES = (TABLE_10, TABLE_11, IDLE_MODE)
