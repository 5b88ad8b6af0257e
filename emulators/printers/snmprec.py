"""snmpsim's ``.snmprec`` format as the emulator uses it: a recording becomes a printer profile,
so a file that cannot be read is a ``ProfileError`` here.

The format itself (tags, parsing, writing, walking a view) lives in ``ekm_proto.snmp.snmprec``,
where the monitor's device analyser writes the same files the emulator plays.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ekm_proto.errors import SnmprecError
from ekm_proto.snmp import snmprec
from ekm_proto.snmp.agent.view import MibView
from ekm_proto.snmp.snmprec import TAG_OF, TAGS, format_record, format_snmprec
from ekm_proto.snmp.types import Oid, SnmpValue
from emulators.printers.errors import ProfileError

__all__ = ["TAGS", "TAG_OF", "format_record", "format_snmprec", "parse_oid", "parse_snmprec",
           "read_snmprec", "walk"]
T = TypeVar("T")


def _profile(call: Callable[[], T]) -> T:
    try:
        return call()
    except SnmprecError as exc:
        raise ProfileError(str(exc)) from None


def parse_oid(text: str, what: str = "OID") -> Oid:
    return _profile(lambda: snmprec.parse_oid(text, what))


def parse_snmprec(text: str, source: str = "<snmprec>") -> list[tuple[Oid, SnmpValue]]:
    return _profile(lambda: snmprec.parse_snmprec(text, source))


def read_snmprec(path: Path) -> list[tuple[Oid, SnmpValue]]:
    return _profile(lambda: snmprec.read_snmprec(path))


def walk(view: MibView, start: Oid = (0,)) -> list[tuple[Oid, SnmpValue]]:
    return _profile(lambda: snmprec.walk(view, start))
