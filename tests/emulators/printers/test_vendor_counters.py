"""The emulator wraps vendor counters where the neutral Printer-MIB module says they wrap."""

from __future__ import annotations

from ekm_proto.printer_mib.vendors import counter_maximum
from ekm_proto.snmp.types import SnmpType, parse_oid
from emulators.printers.printer_state import C_MONO_SMALL
from tests.emulators.printers.fleets import FleetFactory

HP_TOTAL = parse_oid("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0")
LIFE = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")


def test_hp_impression_counters_wrap_at_the_documented_point(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state = fleet.printers[0]
    state.last_activity = fleet.sim.now()  # awake: this model hides counters asleep
    state.counters[C_MONO_SMALL] += 2**24 - state.total + 7  # life count just past 2^24 + 6
    view = fleet.view_of(state)
    life = view.get(LIFE)
    kind, value = view.get(HP_TOTAL)
    assert life == (SnmpType.COUNTER32, 2**24 + 7)
    maximum = counter_maximum(HP_TOTAL, SnmpType(kind))
    assert (kind, value) == (SnmpType.COUNTER32, (2**24 + 7) % (maximum + 1)) and value == 7
