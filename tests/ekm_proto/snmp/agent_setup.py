"""What the SNMP tests share as plain data and helpers (fixtures live in conftest.py): a small
printer-like tree, agents at 127.30.0.1..5, users for every USM protocol."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

import pytest

from ekm_proto.snmp.agent.engine import SecurityConfig
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue
from ekm_proto.snmp.usm import UsmUser

ADDRESSES = [f"127.30.0.{i}" for i in range(1, 6)]
SYS_DESCR: Oid = (1, 3, 6, 1, 2, 1, 1, 1, 0)
SUPPLY_LEVEL = (1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 9, 1)  # prtMarkerSuppliesLevel.1.<supply>
LIFE_COUNT: Oid = (1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1)
BIG_COUNTER: Oid = (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 1, 0)  # a Counter64, invisible in v1
PASSWORDS = {"auth": "maplesyrup-auth", "priv": "maplesyrup-priv"}


def printer_items() -> list[tuple[Oid, SnmpValue]]:
    """A dozen objects covering every value type, in an order a real printer could have."""
    items: list[tuple[Oid, SnmpValue]] = [
        (SYS_DESCR, (SnmpType.OCTET_STRING, b"HP Color LaserJet M577")),
        ((1, 3, 6, 1, 2, 1, 1, 2, 0), (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1))),
        ((1, 3, 6, 1, 2, 1, 1, 3, 0), (SnmpType.TIMETICKS, 4_242_424)),
        ((1, 3, 6, 1, 2, 1, 1, 5, 0), (SnmpType.OCTET_STRING, b"printer-3rd-floor")),
        ((1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1), (SnmpType.OCTET_STRING, bytes.fromhex("00a0c2123456"))),
        ((1, 3, 6, 1, 2, 1, 4, 20, 1, 1, 127, 30, 0, 1), (SnmpType.IP_ADDRESS, bytes([127, 30, 0, 1]))),
        ((1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1), (SnmpType.OCTET_STRING, b"\x00")),
        (LIFE_COUNT, (SnmpType.COUNTER32, 123_456)),
        ((*SUPPLY_LEVEL, 1), (SnmpType.INTEGER, 4500)),
        ((*SUPPLY_LEVEL, 2), (SnmpType.INTEGER, -3)),
        ((*SUPPLY_LEVEL, 3), (SnmpType.INTEGER, -2)),
        ((1, 3, 6, 1, 2, 1, 43, 11, 1, 1, 10, 1, 1), (SnmpType.GAUGE32, 7)),
        (BIG_COUNTER, (SnmpType.COUNTER64, 2**40 + 5)),
        ((1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 4, 2, 1, 2, 0), (SnmpType.OPAQUE, b"\x9f\x78\x04\x3f\x80\x00\x00")),
    ]
    return sorted(items)


USERS = [
    UsmUser("sha-aes", "SHA", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
    UsmUser("sha256-aes", "SHA-256", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
    UsmUser("sha512-auth", "SHA-512", PASSWORDS["auth"]),
    UsmUser("md5-des", "MD5", PASSWORDS["auth"], "DES", PASSWORDS["priv"]),
    UsmUser("sha224-aes", "SHA-224", PASSWORDS["auth"], "AES", PASSWORDS["priv"]),
    UsmUser("sha384-auth", "SHA-384", PASSWORDS["auth"]),
    UsmUser("nobody-noauth"),
]
SECURITY = SecurityConfig(communities=["public", "monitor"], users=USERS)


def engine_id(index: int) -> bytes:
    return bytes.fromhex("800007e580") + f"printer{index:04d}".encode()


NET_SNMP = shutil.which("snmpget") is not None
#: tests that drive net-snmp's tools; `make test` installs them, so their absence is a failure
needs_net_snmp = pytest.mark.usefixtures("net_snmp_tools")


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


