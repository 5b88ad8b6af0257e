"""What administrators write to a printer over SNMP: kept in its state, read back by GET, shown
by the control API, surviving reboots (but not a factory reset); prtGeneralReset reboots."""

from __future__ import annotations

from ekm_proto.snmp.message import ErrorStatus
from ekm_proto.snmp.types import SnmpType, parse_oid
from emulators.printers.printer_report import detail
from tests.emulators.printers.fleets import FleetFactory

STR, INT = SnmpType.OCTET_STRING, SnmpType.INTEGER
GENERAL = "1.3.6.1.2.1.43.5.1.1"
RESET = parse_oid(f"{GENERAL}.3.1")
OPERATOR = parse_oid(f"{GENERAL}.4.1")
DEFAULT_INPUT = parse_oid(f"{GENERAL}.6.1")
CONSOLE_1 = parse_oid("1.3.6.1.2.1.43.16.5.1.2.1.1")
SYS_LOCATION, SYS_NAME = parse_oid("1.3.6.1.2.1.1.6.0"), parse_oid("1.3.6.1.2.1.1.5.0")
TRAY_2_LEVEL = parse_oid("1.3.6.1.2.1.43.8.2.1.10.1.2")
TRAY_1_LEVEL = parse_oid("1.3.6.1.2.1.43.8.2.1.10.1.1")


def _write(fleet, address: str, oid: tuple[int, ...], value: tuple[SnmpType, object]) -> int:  # type: ignore[no-untyped-def]
    agent = fleet.lookup(address)
    status = agent.test_set(oid, value)
    if not status:
        agent.commit_set([(oid, value)])
    return int(status)


def test_writes_read_back_and_show_in_the_control_api(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    address = fleet.printers[0].address
    assert _write(fleet, address, SYS_LOCATION, (STR, b"Floor 3, east")) == 0
    assert _write(fleet, address, SYS_NAME, (STR, b"print-east-3")) == 0
    assert _write(fleet, address, OPERATOR, (STR, b"Dana")) == 0
    agent = fleet.lookup(address)
    assert agent is not None
    assert agent.get(SYS_LOCATION) == (STR, b"Floor 3, east")
    assert agent.get(SYS_NAME) == (STR, b"print-east-3")
    shown = detail(fleet, fleet.printers[0], fleet.sim.now())
    assert shown["sys_name"] == "print-east-3"
    assert shown["settings"] == {"sysLocation": "Floor 3, east", "sysName": "print-east-3",
                                 "prtGeneralCurrentOperator": "Dana"}


def test_values_outside_an_object_s_range_are_refused(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    address = fleet.printers[0].address
    assert _write(fleet, address, RESET, (INT, 9)) == ErrorStatus.WRONG_VALUE
    assert _write(fleet, address, DEFAULT_INPUT, (INT, 7)) == ErrorStatus.WRONG_VALUE  # no tray 7
    assert _write(fleet, address, DEFAULT_INPUT, (STR, b"2")) == ErrorStatus.WRONG_TYPE
    assert _write(fleet, address, CONSOLE_1, (STR, b"x" * 41)) == ErrorStatus.WRONG_LENGTH
    assert _write(fleet, address, TRAY_2_LEVEL, (INT, 551)) == ErrorStatus.WRONG_VALUE  # holds 550
    # tray 1 is a bypass tray without a level sensor in this profile: its level is not written
    assert _write(fleet, address, TRAY_1_LEVEL, (INT, 10)) == ErrorStatus.NOT_WRITABLE
    assert fleet.printers[0].settings is None


def test_reset_reboots_keeps_settings_and_factory_defaults_forget_them(
        make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["hp-color-laserjet-m577"])
    state = fleet.printers[0]
    address = state.address
    assert _write(fleet, address, SYS_LOCATION, (STR, b"Lab")) == 0
    assert _write(fleet, address, CONSOLE_1, (STR, b"Call IT before use")) == 0
    assert fleet.lookup(address).get(CONSOLE_1) == (STR, b"Call IT before use")  # type: ignore[union-attr]
    boots = state.boots
    clock.advance(100)
    assert _write(fleet, address, RESET, (INT, 4)) == 0  # powerCycleReset
    assert state.boots == boots + 1 and state.boot_time == fleet.sim.now()
    agent = fleet.lookup(address)
    assert agent is not None
    assert agent.get(RESET) == (INT, 3)  # notResetting, as read after any reset
    assert agent.get(SYS_LOCATION) == (STR, b"Lab")  # NVRAM
    assert agent.get(CONSOLE_1)[1] != b"Call IT before use"  # the panel shows the printer again
    assert _write(fleet, address, RESET, (INT, 6)) == 0  # resetToFactoryDefaults
    assert state.boots == boots + 2 and state.settings is None
    assert fleet.lookup(address).get(SYS_LOCATION) == (STR, b"")  # type: ignore[union-attr]


def test_a_tray_level_written_is_the_tray_s_paper(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state = fleet.printers[0]
    assert _write(fleet, state.address, TRAY_2_LEVEL, (INT, 0)) == 0
    assert state.trays[1] == 0
    assert [a.kind for a in state.alerts or () if a.group_index == 2] == ["media_empty"]
    assert _write(fleet, state.address, TRAY_2_LEVEL, (INT, 200)) == 0
    assert fleet.lookup(state.address).get(TRAY_2_LEVEL) == (INT, 200)  # type: ignore[union-attr]
    assert not [a for a in state.alerts or () if a.group_index == 2]
