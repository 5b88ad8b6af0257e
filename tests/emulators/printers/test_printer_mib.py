"""What a printer serves, checked against RFC 1213/3418, RFC 2790 and RFC 3805."""

from __future__ import annotations

import pytest

from ekm_proto.snmp.types import NO_SUCH_INSTANCE, NO_SUCH_OBJECT, SnmpType, parse_oid
from emulators.printers.snmprec import walk
from tests.emulators.printers.fleets import FleetFactory

INT, STR, C32 = SnmpType.INTEGER, SnmpType.OCTET_STRING, SnmpType.COUNTER32
SYS = "1.3.6.1.2.1.1"
HR_PRINTER = "1.3.6.1.2.1.25.3.5.1"
PRT = "1.3.6.1.2.1.43"
LIFE = parse_oid(f"{PRT}.10.2.1.4.1.1")  # prtMarkerLifeCount.hrDeviceIndex.markerIndex


def test_system_group(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["hp-pagewide-785f"])
    agent = fleet.lookup("127.30.0.1")
    assert agent is not None
    assert agent.get(parse_oid(f"{SYS}.2.0")) == (SnmpType.OBJECT_IDENTIFIER, (1, 3, 6, 1, 4, 1, 11, 2, 3,
                                                                          9, 1))
    assert agent.get(parse_oid(f"{SYS}.7.0")) == (INT, 72)  # sysServices: layers 4 and 7
    kind, name = agent.get(parse_oid(f"{SYS}.5.0"))
    mac = agent.get(parse_oid("1.3.6.1.2.1.2.2.1.6.1"))[1]
    assert isinstance(mac, bytes) and len(mac) == 6 and mac[:3] == bytes.fromhex("F430B9")
    assert name == b"NPI" + mac[3:].hex().upper().encode()  # HP's factory host name
    kind, ticks = agent.get(parse_oid(f"{SYS}.3.0"))
    assert kind == SnmpType.TIMETICKS
    clock.advance(10)
    later = fleet.lookup("127.30.0.1")
    assert later is not None and later.get(parse_oid(f"{SYS}.3.0"))[1] == ticks + 1000  # hundredths


def test_interfaces_and_ip_address_table(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(count=3)
    agent = fleet.lookup("127.30.0.3")
    assert agent is not None
    assert agent.get(parse_oid("1.3.6.1.2.1.2.1.0")) == (INT, 1)  # ifNumber
    assert agent.get(parse_oid("1.3.6.1.2.1.2.2.1.3.1")) == (INT, 6)  # ethernetCsmacd
    assert agent.get(parse_oid("1.3.6.1.2.1.2.2.1.5.1"))[0] == SnmpType.GAUGE32
    # ipAddrTable is indexed by the address itself
    assert agent.get(parse_oid("1.3.6.1.2.1.4.20.1.1.127.30.0.3")) == (SnmpType.IP_ADDRESS,
                                                                   bytes([127, 30, 0, 3]))
    assert agent.get(parse_oid("1.3.6.1.2.1.4.20.1.2.127.30.0.3")) == (INT, 1)  # ifIndex
    assert agent.get(parse_oid("1.3.6.1.2.1.4.20.1.1.127.30.0.1")) == NO_SUCH_INSTANCE


def test_host_resources_device_and_printer_rows(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet()
    agent = fleet.lookup("127.30.0.1")
    assert agent is not None
    assert agent.get(parse_oid("1.3.6.1.2.1.25.3.2.1.2.1")) == (SnmpType.OBJECT_IDENTIFIER,
                                                           parse_oid("1.3.6.1.2.1.25.3.1.5"))
    assert agent.get(parse_oid("1.3.6.1.2.1.25.3.2.1.5.1")) == (INT, 2)  # running
    assert agent.get(parse_oid(f"{HR_PRINTER}.2.1")) == (STR, b"\x00\x00")
    assert agent.get(parse_oid("1.3.6.1.2.1.25.1.1.0"))[0] == SnmpType.TIMETICKS  # hrSystemUptime


@pytest.mark.parametrize(("kind", "group_index", "octets", "status"), [
    ("jam", 1, b"\x04\x00", 5),  # jammed = bit 5, down
    ("cover_open", 1, b"\x08\x00", 5),  # doorOpen = bit 4
    ("toner_low", 1, b"\x20\x00", 3),  # lowToner = bit 2, warning
    ("toner_empty", 1, b"\x10\x00", 5),  # noToner = bit 3
    ("fuser_fault", 1, b"\x01\x00", 5),  # serviceRequested = bit 7, critical alert
    ("media_empty", 2, b"\x00\x04", 3),  # inputTrayEmpty = bit 13
    ("tray_missing", 2, b"\x00\x80", 3),  # inputTrayMissing = bit 8
    ("offline", 1, b"\x02\x00", 5),  # offline = bit 6
])
def test_error_state_bits_follow_rfc_numbering(make_fleet: FleetFactory, kind: str,
                                               group_index: int, octets: bytes, status: int) -> None:
    fleet, _ = make_fleet()
    state = fleet.printers[0]
    for position in range(len(state.levels)):
        state.set_supply_level(position, 1.0, fleet.sim.now())
    state.raise_alert(kind, group_index, fleet.sim.now())
    agent = fleet.lookup("127.30.0.1")
    assert agent is not None
    assert agent.get(parse_oid(f"{HR_PRINTER}.2.1")) == (STR, octets)
    assert agent.get(parse_oid("1.3.6.1.2.1.25.3.2.1.5.1")) == (INT, status)
    expected_printer = 1 if status == 5 else 3  # other(1) when down, else idle(3)
    assert agent.get(parse_oid(f"{HR_PRINTER}.1.1")) == (INT, expected_printer)


def test_one_octet_error_state_for_old_devices(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["lexmark-optra-t614n"])
    state = fleet.printers[0]
    state.raise_alert("jam", 1, fleet.sim.now())
    agent = fleet.view_of(state)
    assert agent.get(parse_oid(f"{HR_PRINTER}.2.1")) == (STR, b"\x04")


def test_printer_mib_tables_are_indexed_by_hr_device_index(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-laserjet-m757"])
    agent = fleet.view_of(fleet.printers[0])
    device = 1
    column = parse_oid(f"{PRT}.8.2.1.13")
    names = [v[1] for o, v in walk(agent, column) if o[:11] == column]
    assert names == [b"Tray 1", b"Tray 2", b"Tray 3", b"Tray 4"]
    assert agent.get(parse_oid(f"{PRT}.8.2.1.12.{device}.3")) == (STR, b"A3")  # prtInputMediaName
    assert agent.get(parse_oid(f"{PRT}.8.2.1.9.{device}.3")) == (INT, 500)  # prtInputMaxCapacity
    assert agent.get(parse_oid(f"{PRT}.8.2.1.9.{device}.1")) == (INT, -2)  # bypass: unknown
    assert agent.get(parse_oid(f"{PRT}.8.2.1.10.{device}.1")) == (INT, -2)
    assert agent.get(parse_oid(f"{PRT}.10.2.1.3.{device}.1")) == (INT, 7)  # counter unit: impressions
    assert agent.get(parse_oid(f"{PRT}.11.1.1.6.{device}.5")) == (STR, b"Toner Collection Unit HP CE980A")
    assert agent.get(parse_oid(f"{PRT}.11.1.1.4.{device}.5")) == (INT, 4)  # receptacleThatIsFilled
    assert agent.get(parse_oid(f"{PRT}.11.1.1.5.{device}.5")) == (INT, 4)  # wasteToner
    assert agent.get(parse_oid(f"{PRT}.11.1.1.5.{device}.1")) == (INT, 21)  # tonerCartridge
    assert agent.get(parse_oid(f"{PRT}.11.1.1.3.{device}.2")) == (INT, 2)  # cyan is colorant 2
    assert agent.get(parse_oid(f"{PRT}.12.1.1.4.{device}.2")) == (STR, b"cyan")
    assert agent.get(parse_oid(f"{PRT}.10.2.1.6.{device}.1")) == (INT, 4)  # four process colorants
    # the index columns are not-accessible (RFC 3805), except prtAlertIndex
    assert agent.get(parse_oid(f"{PRT}.8.2.1.1.{device}.1")) == NO_SUCH_OBJECT
    assert agent.get(parse_oid(f"{PRT}.11.1.1.1.{device}.1")) == NO_SUCH_OBJECT


def test_life_count_is_the_sum_of_impressions_and_power_on_count_restarts(
        make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["hp-pagewide-785f"])
    state = fleet.printers[0]
    agent = fleet.view_of(state)
    life = agent.get(LIFE)[1]
    assert isinstance(life, int)
    state.print_pages(fleet.sim.now(), 3, colour=True, large=True)
    state.print_pages(fleet.sim.now(), 4)
    clock.advance(60)
    agent = fleet.view_of(state)
    assert agent.get(LIFE) == (C32, life + 7)  # an A3 impression is one engine cycle
    # the vendor A3/A4 counters and the A4-equivalent roll-up
    assert agent.get(parse_oid("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.8.1.4.0"))[1] == state.counter(
        "colour_large")
    state.reboot(fleet.sim.now())
    assert fleet.view_of(state).get(parse_oid(f"{PRT}.10.2.1.5.1.1")) == (C32, 0)


def test_hp_vendor_counter_wraps_at_2_to_the_24(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-laserjet-m757"])
    state = fleet.printers[0]
    state.counters[0] = (1 << 24) + 5 - state.total + state.counters[0]
    agent = fleet.view_of(state)
    assert agent.get(LIFE) == (C32, (1 << 24) + 5)
    assert agent.get(parse_oid("1.3.6.1.4.1.11.2.3.9.4.2.1.4.1.2.5.0")) == (C32, 5)
    state.counters[0] += 1 << 32
    assert fleet.view_of(state).get(LIFE) == (C32, (1 << 24) + 5)  # Counter32 wraps at 2^32


def test_integer_typed_counter_quirk(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["lexmark-optra-t614n"])
    agent = fleet.view_of(fleet.printers[0])
    assert agent.get(LIFE)[0] == SnmpType.INTEGER
    assert agent.get(parse_oid(f"{PRT}.18.1.1.2.1.1")) == NO_SUCH_OBJECT  # no alert table
    assert agent.get(parse_oid(f"{PRT}.11.1.1.9.1.1")) == (INT, -3)  # toner: some remaining
    assert agent.get(parse_oid(f"{PRT}.11.1.1.8.1.1")) == (INT, -2)  # max capacity unknown


def test_alert_table_rows_come_and_go(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet()
    state = fleet.printers[0]
    for position in range(len(state.levels)):
        state.set_supply_level(position, 1.0, fleet.sim.now())
    entry = parse_oid(f"{PRT}.18.1.1")
    assert [o for o, _ in walk(fleet.view_of(state), entry) if o[:10] == entry] == []
    clock.advance(5)
    jam = state.raise_alert("jam", 1, fleet.sim.now(), 13200)
    agent = fleet.view_of(state)
    row = (1, jam.index)
    assert agent.get((*entry, 1, *row)) == (INT, jam.index)  # prtAlertIndex is read-only
    assert agent.get((*entry, 2, *row)) == (INT, 3)  # critical
    assert agent.get((*entry, 3, *row)) == (INT, 3)  # untrained
    assert agent.get((*entry, 4, *row)) == (INT, 13)  # mediaPath group
    assert agent.get((*entry, 6, *row)) == (INT, 13200)
    assert agent.get((*entry, 7, *row)) == (INT, 8)  # PrtAlertCodeTC jam
    uptime = agent.get(parse_oid(f"{SYS}.3.0"))[1]
    assert agent.get((*entry, 9, *row)) == (SnmpType.TIMETICKS, uptime)  # raised just now
    cells = [o for o, _ in walk(agent, entry) if o[:10] == entry]
    assert len(cells) == 9 and [c[10] for c in cells] == list(range(1, 10))
    state.resolve_alert(jam.index, fleet.sim.now())
    assert fleet.view_of(state).get((*entry, 7, *row)) == NO_SUCH_INSTANCE


def test_cover_status_follows_cover_alert(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-laserjet-m757"])
    state = fleet.printers[0]
    status = parse_oid(f"{PRT}.6.1.1.3.1.2")
    assert fleet.view_of(state).get(status) == (INT, 4)  # coverClosed
    state.raise_alert("cover_open", 2, fleet.sim.now())
    assert fleet.view_of(state).get(status) == (INT, 3)  # coverOpen


def test_waste_level_rfc_remaining_space_or_vendor_fill(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577", "samsung-clp-660n"], 2)
    for state, waste_index in ((fleet.printers[0], 5), (fleet.printers[1], 6)):
        position = [s.index for s in state.model.profile.supplies].index(waste_index)
        state.set_supply_level(position, 0.8, fleet.sim.now())  # 20% full
        level = fleet.view_of(state).get(parse_oid(f"{PRT}.11.1.1.9.1.{waste_index}"))
        fill = state.model.profile.quirks.waste_level == "fill"
        assert level == (INT, 20 if fill else 80)


def test_missing_tables_quirk_removes_them(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet()
    state = fleet.printers[0]
    fleet.set_quirks(state, missing=["hrStorageTable", "prtMarkerColorantTable"])
    agent = fleet.view_of(state)
    assert agent.get(parse_oid("1.3.6.1.2.1.25.2.3.1.3.1")) == NO_SUCH_OBJECT
    assert agent.get(parse_oid(f"{PRT}.12.1.1.4.1.1")) == NO_SUCH_OBJECT
    assert agent.get(parse_oid(f"{PRT}.11.1.1.6.1.1"))[0] == STR
    other = make_fleet()[0]
    assert other.printers[0].layout is not state.layout  # a variant, not the shared default
    assert fleet.models["hp-color-laserjet-m577"].layout is other.printers[0].layout


def test_counters_unavailable_in_power_save(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["hp-color-laserjet-m577"])  # sleep_mode counters-unavailable
    state = fleet.printers[0]
    state.last_activity = fleet.sim.now()
    assert fleet.view_of(state).get(LIFE)[0] == C32
    clock.advance(16 * 60)  # asleep after 15 minutes
    agent = fleet.lookup("127.30.0.1")
    assert agent is not None
    assert agent.get(LIFE) == NO_SUCH_INSTANCE
    found = agent.get_next(parse_oid(f"{PRT}.10.2.1.3.1.1"))
    assert found is not None and found[0] == parse_oid(f"{PRT}.10.2.1.6.1.1")  # skips life, power-on
    assert agent.get(parse_oid(f"{PRT}.11.1.1.9.1.1"))[0] == INT  # supplies still answer
