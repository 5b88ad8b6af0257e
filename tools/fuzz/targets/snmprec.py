"""Fuzz target: the snmpsim ``.snmprec`` reader, and a recording turned into a served printer.

Bytes are read as a .snmprec file; whatever parses must format and parse back to the same records,
become a profile (or be refused with ProfileError), and, served as a printer, walk in strictly
increasing OID order over no more than the recorded objects plus the live alert and address
tables and the emulator's own engine objects. Only
ProfileError may escape; anything else is a finding.
"""

from __future__ import annotations

from emulators.printers.catalog import compile_profile
from emulators.printers.errors import ProfileError
from emulators.printers.printer_state import PrinterState
from emulators.printers.profiles import load_profiles
from emulators.printers.recorded import profile_from_recording
from emulators.printers.snmprec import format_snmprec, parse_snmprec
from tools.fuzz.smoke import FuzzFinding

NOW = 1_772_442_000.0  # a Monday, 09:00 UTC
# live tables: the alert rows of the printer's own alerts, the address table of its own address,
# and what the emulator's own SNMP engine serves (sysORTable, snmp group, snmpEngine, usmStats)
LIVE_TABLES = ((1, 3, 6, 1, 2, 1, 43, 18, 1, 1), (1, 3, 6, 1, 2, 1, 4, 20, 1),
               (1, 3, 6, 1, 2, 1, 1, 8), (1, 3, 6, 1, 2, 1, 1, 9), (1, 3, 6, 1, 2, 1, 11),
               (1, 3, 6, 1, 6, 3))
MAX_OBJECTS = 5000


def TestOneInput(data: bytes) -> None:
    try:
        records = parse_snmprec(data.decode("utf-8", "surrogateescape"), "fuzz")
    except ProfileError:
        return
    assert parse_snmprec(format_snmprec(records)) == records, "snmprec round trip"
    if len(records) > MAX_OBJECTS:
        return
    try:
        profile = profile_from_recording(records, "fuzz")
    except ProfileError:
        return
    state = PrinterState(compile_profile(profile), 0, "127.30.0.1", NOW)
    recorded = {name for name, _ in records}
    oid: tuple[int, ...] = ()
    for _ in range(len(records) + 1000):
        found = state.layout.get_next(state, oid, NOW)
        if found is None:
            return
        assert found[0] > oid, "walk must move forward"
        assert found[0] in recorded or any(found[0][:len(t)] == t for t in LIVE_TABLES), \
            "served an unrecorded OID"
        assert state.layout.get(state, found[0], NOW) == found[1], "get agrees with get_next"
        oid = found[0]
    raise FuzzFinding("walk did not end")


def seeds() -> list[bytes]:
    """Walks exported from two shipped profiles, and small hand-written recordings."""
    out = []
    profiles = load_profiles()
    for name in ("hp-officejet-7210", "lexmark-optra-t614n"):
        state = PrinterState(compile_profile(profiles[name]), 0, "127.30.0.1", NOW)
        walk = []
        oid: tuple[int, ...] = ()
        while (found := state.layout.get_next(state, oid, NOW)) is not None:
            walk.append(found)
            oid = found[0]
        out.append(format_snmprec(walk).encode())
    out.append(b"1.3.6.1.2.1.1.1.0|4|Printer\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.641.1\n"
               b"1.3.6.1.2.1.43.10.2.1.4.1.1|65|1000\n1.3.6.1.4.1.641.2.1.0|65|1000\n"
               b"1.3.6.1.2.1.43.11.1.1.6.1.1|4x|546f6e6572\n1.3.6.1.2.1.43.11.1.1.9.1.1|2|-3\n"
               b"1.3.6.1.2.1.43.18.1.1.7.1.4|2|8\n")
    out.append(b"# comment\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.9.1\n"
               b"1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n1.3.6.1.4.1.11.9.0|70|5\n"
               b"1.3.6.1.4.1.11.9.1|68x|9f78\n1.3.6.1.4.1.11.9.2|5|\n")
    return out
