"""Printers over simulated time: office hours, consistent counters, fixes, power cycles."""

from __future__ import annotations

import datetime

import pytest

from ekm_proto.snmp.types import NO_SUCH_INSTANCE, parse_oid
from emulators.printers.model import PrinterModel
from emulators.printers.printer_state import EVENT_REFILL
from emulators.printers.random64 import Rng
from emulators.printers.usage_model import schedule_fixes
from emulators.printers.usage_rates import next_office_time, power_on_since, weekday_hour
from tests.emulators.printers.fleets import MONDAY_9AM, FleetFactory

HOUR, DAY = 3600.0, 86400.0


def _at(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC).timestamp()


def test_calendar_arithmetic() -> None:
    assert weekday_hour(0.0) == (3, 0.0)  # 1970-01-01 was a Thursday
    assert weekday_hour(MONDAY_9AM) == (0, 9.0)
    assert next_office_time(_at("2026-03-07T10:00")) == _at("2026-03-09T08:00")  # Sat -> Mon
    assert next_office_time(_at("2026-03-06T19:00")) == _at("2026-03-09T08:00")  # Fri eve
    assert next_office_time(_at("2026-03-03T07:00")) == _at("2026-03-03T08:00")
    assert next_office_time(_at("2026-03-03T11:00")) == _at("2026-03-03T11:00")


def test_power_windows() -> None:
    assert power_on_since("nights", _at("2026-03-03T03:00")) is None
    assert power_on_since("nights", _at("2026-03-03T10:00")) == _at("2026-03-03T07:30")
    assert power_on_since("weekends", _at("2026-03-07T12:00")) is None
    assert power_on_since("weekends", _at("2026-03-04T03:00")) == _at("2026-03-02T07:30")
    assert power_on_since("weekends", _at("2026-03-06T20:00")) is None  # Friday after 19:00


def test_rates_integrate_to_the_daily_volume(models: dict[str, PrinterModel]) -> None:
    model = models["hp-color-laserjet-m577"]
    usage, spec = model.usage, model.profile.usage
    weekday = sum(usage.rate(MONDAY_9AM - 9 * HOUR + h * HOUR) * HOUR for h in range(24))
    assert weekday == pytest.approx((spec.pages_per_day + spec.scans_per_day) / spec.mean_job_pages)
    # office_share of a weekday's jobs fall in the ten hours 08-18, the rest in the other fourteen
    ratio = (spec.office_share / 10) / ((1 - spec.office_share) / 14)
    assert usage.rate(MONDAY_9AM) / usage.rate(MONDAY_9AM + 12 * HOUR) == pytest.approx(ratio)
    saturday = _at("2026-03-07T11:00")
    assert usage.rate(saturday) < usage.rate(MONDAY_9AM)


def test_a_simulated_week_prints_mostly_in_office_hours(make_fleet: FleetFactory) -> None:
    names = ["hp-pagewide-785f", "samsung-clx-8380nd", "kyocera-fs-6950dn"]
    fleet, clock = make_fleet(names, 6, simulate=True, start=_at("2026-03-02T00:00"))
    office = other = 0
    last = [s.total for s in fleet.printers]
    for hour in range(7 * 24):
        clock.advance(HOUR)
        for i, state in enumerate(fleet.printers):
            fleet.refresh(state)
            assert state.total >= last[i]  # counters never go back
            printed, last[i] = state.total - last[i], state.total
            if hour % 24 in range(8, 18) and hour < 5 * 24:
                office += printed
            else:
                other += printed
    assert office > 3 * other > 0


@pytest.mark.parametrize("name", ["hp-pagewide-785f", "samsung-clx-8380nd", "kyocera-fs-6950dn",
                                  "hp-color-laserjet-m577", "lexmark-optra-t614n"])
def test_counters_stay_consistent_over_a_month(make_fleet: FleetFactory, name: str) -> None:
    fleet, clock = make_fleet([name], 2, simulate=True)
    life = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")
    start = [s.total for s in fleet.printers]
    for _ in range(30):
        clock.advance(DAY)
        for state in fleet.printers:
            fleet.refresh(state)
            c = state.counter
            assert c("total") == c("mono") + c("colour") == c("small") + c("large")
            assert c("a4_total") == c("small") + 2 * c("large")
            assert 0 <= c("power_on") <= c("total")
            assert all(0.0 <= level <= 1.0 for level in state.levels)
            assert all(0 <= sheets <= cap for sheets, cap in zip(state.trays,
                                                                state.model.tray_capacity,
                                                                strict=True))
            served = fleet.view_of(state).get(life)
            if served == NO_SUCH_INSTANCE:  # this model hides counters while asleep
                assert state.model.profile.power.sleep_mode == "counters-unavailable"
                assert state.sleeping(fleet.sim.now())
                continue
            assert served[1] == c("total") & (0x7FFFFFFF if name.startswith("lexmark")
                                               else 0xFFFFFFFF)
    assert all(s.total > t for s, t in zip(fleet.printers, start, strict=True))


def test_snmp_lookups_alone_keep_printers_printing(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["kyocera-fs-6950dn"], simulate=True)
    life = parse_oid("1.3.6.1.2.1.43.10.2.1.4.1.1")
    first = fleet.lookup("127.30.0.1")
    assert first is not None
    before = first.get(life)[1]
    assert isinstance(before, int)
    clock.advance(8 * HOUR)  # a working day of the FS-6950DN's 450 pages
    later = fleet.lookup("127.30.0.1")
    assert later is not None
    after = later.get(life)[1]
    assert isinstance(after, int) and after > before + 100


def test_same_seed_same_history(make_fleet: FleetFactory) -> None:
    histories = []
    for seed in (7, 7, 8):
        fleet, clock = make_fleet(["hp-laserjet-m757"], 3, simulate=True, seed=seed)
        clock.advance(3 * DAY)
        histories.append([fleet.refresh(s) and (s.total, s.serial, tuple(s.levels))
                          for s in fleet.printers])
    assert histories[0] == histories[1] != histories[2]


def test_time_scale_runs_a_day_per_minute(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(time_scale=1440.0)
    before = fleet.sim.now()
    clock.advance(60)
    assert fleet.sim.now() - before == pytest.approx(DAY)
    state = fleet.printers[0]
    agent = fleet.lookup("127.30.0.1")
    assert agent is not None
    boots, seconds = agent.engine_boots_time(clock.now())
    assert boots == state.boots
    # snmpEngineTime stays in real seconds (SNMPv3 time windows), sysUpTime is simulated
    assert seconds == int((fleet.sim.now() - state.boot_time) / 1440.0)


def test_switched_off_at_night_reboots_in_the_morning(make_fleet: FleetFactory) -> None:
    fleet, clock = make_fleet(["epson-wf-s190dw"], simulate=True, start=_at("2026-03-03T12:00"))
    state = fleet.printers[0]
    assert fleet.lookup("127.30.0.1") is not None
    boots = state.boots
    clock.advance(15 * HOUR)  # 03:00 Wednesday
    assert fleet.lookup("127.30.0.1") is None
    clock.advance(6 * HOUR)  # 09:00
    agent = fleet.lookup("127.30.0.1")
    assert agent is not None
    assert state.boots == boots + 1
    assert state.boot_time == _at("2026-03-04T07:30")
    assert agent.get(parse_oid("1.3.6.1.2.1.1.3.0"))[1] == int(1.5 * HOUR * 100)


def test_the_office_refills_empty_trays_during_working_hours(make_fleet: FleetFactory) -> None:
    friday_evening = _at("2026-03-06T18:30")
    fleet, clock = make_fleet(["kyocera-ecosys-m6026cdn"], start=friday_evening)
    state = fleet.printers[0]
    state.refill_tray(1, fleet.sim.now(), 0)
    schedule_fixes(state, fleet.sim.now(), Rng(1))
    assert state.events is not None
    at, action, position = state.events[0]
    assert (action, position) == (EVENT_REFILL, 1)
    assert at >= _at("2026-03-09T08:00")  # nobody refills paper at the weekend
    clock.advance(at - friday_evening + 1)
    fleet.refresh(state)
    assert state.trays[1] == 250
    assert all(a.kind != "media_empty" for a in state.alerts or ())
