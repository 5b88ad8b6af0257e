"""Printing, supplies, trays, alerts and reboots on one printer's state."""

from __future__ import annotations

from emulators.printers.printer_state import C_LIFE_AT_BOOT, PrinterState
from tests.emulators.printers.fleets import FleetFactory


def _fresh(state: PrinterState, now: float) -> None:
    """Full supplies and trays, no alerts: a known starting point."""
    for position in range(len(state.levels)):
        state.set_supply_level(position, 1.0, now)
    for position in range(len(state.trays)):
        state.refill_tray(position, now)
    state.alerts = None


def test_pages_land_in_the_right_counters(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-pagewide-785f"])
    state, now = fleet.printers[0], fleet.sim.now()
    _fresh(state, now)
    before = {name: state.counter(name) for name in ("mono_small", "colour_small", "mono_large",
                                                     "colour_large", "a4_total", "total", "sheets")}
    assert state.print_pages(now, 10) == 10
    assert state.print_pages(now, 4, colour=True, large=True) == 4
    assert state.print_pages(now, 6, colour=True, duplex=True) == 6
    delta = {name: state.counter(name) - value for name, value in before.items()}
    assert delta == {"mono_small": 10, "colour_small": 6, "mono_large": 0, "colour_large": 4,
                     "total": 20, "a4_total": 24,  # an A3 page is two A4 equivalents
                     "sheets": 10 + 4 + 3}  # duplex: two impressions per sheet


def test_mono_printer_ignores_colour_and_a4_printer_refuses_a3(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["lexmark-optra-t614n", "hp-color-laserjet-m577"], 2)
    mono, a4 = fleet.printers
    now = fleet.sim.now()
    _fresh(mono, now)
    _fresh(a4, now)
    colour = mono.counter("colour")
    mono.print_pages(now, 5, colour=True)
    assert mono.counter("colour") == colour
    assert a4.print_pages(now, 5, large=True) == 0


def test_toner_falls_by_yield_and_raises_low_then_empty(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state, now = fleet.printers[0], fleet.sim.now()
    _fresh(state, now)
    # black CF360X yields 12,500 pages: 625 pages use 5%
    assert state.print_pages(now, 625) == 625
    assert abs(state.levels[0] - 0.95) < 1e-9
    assert state.levels[1] == 1.0  # cyan untouched by mono pages
    _fresh(state, now)
    state.set_supply_level(0, 0.101, now)
    state.print_pages(now, 20)  # 20 / 12,500 = 0.16%: below the 10% threshold
    assert [a.kind for a in state.alerts or ()] == ["toner_low"]
    state.set_supply_level(0, 0.0001, now)
    state.print_pages(now, 10)
    assert [a.kind for a in state.alerts or ()] == ["toner_empty"]
    assert state.status()[2]  # blocked
    assert state.print_pages(now, 5) == 0


def test_waste_fills_with_every_page(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state, now = fleet.printers[0], fleet.sim.now()
    _fresh(state, now)
    state.print_pages(now, 540)  # the B5L37A holds 54,000 pages
    assert abs(state.levels[4] - 0.99) < 1e-9


def test_empty_tray_switches_then_runs_out(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state, now = fleet.printers[0], fleet.sim.now()
    _fresh(state, now)
    state.refill_tray(1, now, 10)  # Tray 2: 10 sheets left, Tray 3 full
    assert state.print_pages(now, 15) == 15
    assert state.trays[1] == 0 and state.trays[2] == 545
    assert [(a.kind, a.group_index) for a in state.alerts or ()] == [("media_empty", 2)]
    state.refill_tray(2, now, 0)
    state.refill_tray(0, now, 0)
    assert state.condition_bits() == 0x4000  # noPaper
    assert state.print_pages(now, 1) == 0


def test_resolving_alerts_fixes_their_cause(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577"])
    state, now = fleet.printers[0], fleet.sim.now()
    _fresh(state, now)
    state.refill_tray(1, now, 0)
    state.set_supply_level(2, 0.0, now)
    empty = {a.kind: a.index for a in state.alerts or ()}
    assert set(empty) == {"media_empty", "toner_empty"}
    state.resolve_alert(empty["media_empty"], now)
    assert state.trays[1] == 550
    state.resolve_alert(empty["toner_empty"], now)
    assert state.levels[2] == 1.0 and state.alerts is None


def test_reboot_restarts_uptime_and_renumbers_alerts(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet()
    state = fleet.printers[0]
    _fresh(state, fleet.sim.now())
    boots = state.boots
    state.raise_alert("jam", 1, fleet.sim.now())
    state.raise_alert("cover_open", 1, fleet.sim.now())
    clock.advance(100)
    state.reboot(fleet.sim.now())
    assert state.boots == boots + 1
    assert state.uptime_ticks(fleet.sim.now()) == 0
    assert state.counters[C_LIFE_AT_BOOT] == state.total
    assert [(a.index, a.kind) for a in state.alerts or ()] == [(1, "jam"), (2, "cover_open")]


def test_identity_and_engine_id(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["kyocera-ecosys-m6026cdn"], 3)
    ids = [s.engine_id for s in fleet.printers]
    assert len(set(ids)) == 3
    for state in fleet.printers:
        # RFC 3411: high bit set + enterprise 1347, format 3 (MAC), then the MAC
        assert state.engine_id == bytes.fromhex("80000543") + b"\x03" + state.mac
        assert state.sys_name == "KM" + state.mac[3:].hex().upper()
