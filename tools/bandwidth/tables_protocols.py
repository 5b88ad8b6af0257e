"""Tables 1 and 2: what each protocol adds to every packet of data."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row

#: the paper: "The UDP protocol requires a minimum of 54 bytes for each packet", data 1-1460
PACKET_OVERHEAD = 54
#: table 2: "you must add a minimum of 4 bytes per packet", data 1-255
SERIAL_OVERHEAD = 4
#: what the headers really take on Ethernet II + IPv4: 14 + 20 + 8 (UDP) or 14 + 20 + 20 (TCP)
ETHERNET_IPV4_UDP = 42
ETHERNET_IPV4_TCP = 54

TABLE_1 = PaperTable(
    "1", "UDP protocol", ("TCP/IP protocol", "Data"),
    (Row("54 bytes", ("1 - 1460 bytes",), PACKET_OVERHEAD),),
    notes=(
        "The text says UDP and the column says TCP/IP. 54 bytes is Ethernet (14) + IPv4 (20) + "
        "TCP (20); a UDP datagram over Ethernet and IPv4 carries 42 bytes of headers.",
    ),
)

TABLE_2 = PaperTable(
    "2", "Serial communications", ("Serial communications", "Data"),
    (Row("4 bytes", ("1 - 255 bytes",), SERIAL_OVERHEAD),),
    notes=("WIRE.md section 2: address, command, length and checksum.",),
)

TABLES = (TABLE_1, TABLE_2)
