"""The fleet as an AgentDirectory: addresses, silence, moves, swaps, identities."""

from __future__ import annotations

from collections import Counter

import pytest

from ekm_proto.snmp.types import parse_oid
from emulators.printers.fleet import AddressInUse, PrinterFleet, PrinterNotFound, assign_models
from emulators.printers.model import PrinterModel
from emulators.printers.printer_state import F_UNREACHABLE
from protolab.clock import ManualClock
from protolab.errors import ConfigurationError
from tests.emulators.printers.fleets import MONDAY_9AM, FleetFactory

SERIAL = parse_oid("1.3.6.1.2.1.43.5.1.1.17.1")
MAC = parse_oid("1.3.6.1.2.1.2.2.1.6.1")


def test_printer_i_answers_at_first_address_plus_i(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(count=10, first="127.30.0.250")
    assert fleet.printers[6].address == "127.30.1.0"
    agent = fleet.lookup("127.30.1.3")
    assert agent is not None and agent.state.index == 9
    assert fleet.lookup("127.30.1.4") is None
    assert fleet.lookup("127.30.0.249") is None


def test_bad_fleets_are_refused(models: dict[str, PrinterModel]) -> None:
    model = [models["samsung-clp-660n"]]
    with pytest.raises(ConfigurationError, match="IPv4"):
        PrinterFleet(model, 1, "127.30.0", ManualClock())
    with pytest.raises(ConfigurationError, match=r"255\.255\.255\.255"):
        PrinterFleet(model, 10, "255.255.255.250", ManualClock())
    with pytest.raises(ConfigurationError, match="profile"):
        PrinterFleet([], 1, "127.30.0.1", ManualClock())


def test_identities_are_unique_across_a_large_fleet(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-pagewide-785f"], 20_000)
    assert len({s.serial for s in fleet.printers}) == 20_000
    assert len({s.mac for s in fleet.printers}) == 20_000
    assert len({s.engine_id for s in fleet.printers[:2000]}) == 2000


def test_mix_spreads_profiles_by_weight(models: dict[str, PrinterModel]) -> None:
    chosen = Counter(m.name for m in assign_models(list(models.values()), 1200))
    assert set(chosen) == set(models)
    assert all(abs(n - 100) <= 2 for n in chosen.values())


def test_silence_when_offline_dropping_or_asleep(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["hp-color-laserjet-m577", "hp-officejet-7210"], 2)
    laser, inkjet = fleet.printers
    laser.flags |= F_UNREACHABLE
    assert fleet.lookup(laser.address) is None
    laser.flags &= ~F_UNREACHABLE
    fleet.set_quirks(laser, drop_rate=1.0)
    assert fleet.lookup(laser.address) is None
    fleet.set_quirks(laser, drop_rate=0.0)
    assert fleet.lookup(laser.address) is not None
    # the OfficeJet ignores SNMP in deep sleep (10 minutes idle); a job wakes it
    inkjet.last_activity = fleet.sim.now()
    assert fleet.lookup(inkjet.address) is not None
    clock.advance(11 * 60)
    assert fleet.lookup(inkjet.address) is None
    inkjet.refill_tray(0, fleet.sim.now())
    for position in range(len(inkjet.levels)):
        inkjet.set_supply_level(position, 1.0, fleet.sim.now())
    assert inkjet.print_pages(fleet.sim.now(), 1) == 1
    agent = fleet.lookup(inkjet.address)
    assert agent is not None and agent.response_delay() == pytest.approx(0.3)


def test_move_keeps_the_device(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(count=3)
    state = fleet.printers[1]
    before = fleet.view_of(state)
    serial, mac, engine = before.get(SERIAL), before.get(MAC), state.engine_id
    fleet.move(state, "127.31.9.9")
    assert fleet.lookup("127.30.0.2") is None
    agent = fleet.lookup("127.31.9.9")
    assert agent is not None
    assert (agent.get(SERIAL), agent.get(MAC), agent.engine_id) == (serial, mac, engine)
    assert agent.get(parse_oid("1.3.6.1.2.1.4.20.1.1.127.31.9.9"))[1] == bytes([127, 31, 9, 9])
    with pytest.raises(AddressInUse, match=r"127\.30\.0\.3"):
        fleet.move(state, "127.30.0.3")
    with pytest.raises(ConfigurationError, match="IPv4"):
        fleet.move(state, "printer.example")


def test_swap_puts_a_different_device_at_the_address(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(["hp-color-laserjet-m577", "samsung-clp-660n"], 2)
    old = fleet.printers[0]
    fresh = fleet.swap(old)
    assert fresh.address == old.address and fresh.index == old.index
    assert fresh.serial != old.serial and fresh.mac != old.mac
    assert fresh.engine_id != old.engine_id
    assert fleet.lookup(old.address).state is fresh  # type: ignore[union-attr]
    other = fleet.swap(fresh, "samsung-clp-660n")
    assert other.model.profile.vendor == "Samsung"
    with pytest.raises(ConfigurationError, match="no profile"):
        fleet.swap(other, "xerox")


def test_find_by_number_address_or_serial(make_fleet: FleetFactory) -> None:
    fleet, _ = make_fleet(count=4)
    third = fleet.printers[2]
    assert fleet.find("2") is third
    assert fleet.find("127.30.0.3") is third
    assert fleet.find(third.serial) is third
    with pytest.raises(PrinterNotFound, match="no printer"):
        fleet.find("9")


def test_engine_boots_and_time(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet()
    state = fleet.printers[0]
    clock.advance(50)
    state.reboot(fleet.sim.now())
    clock.advance(30)
    agent = fleet.lookup(state.address)
    assert agent is not None
    assert agent.engine_boots_time(clock.now()) == (state.boots, 30)
    assert fleet.sim.now() == MONDAY_9AM + 80
