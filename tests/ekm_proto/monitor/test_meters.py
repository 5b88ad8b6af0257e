"""Page counters over time against emulated printers: wraps at 2^32 and 2^24 - 1, reboots,
power save, injected inconsistent readings (rejected, the good value kept), the daily report."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from ekm_proto.monitor import queries
from emulators.printers.profiles import Profile
from protolab.clock import ManualClock
from tests.ekm_proto.monitor.lab import Agent, Printers

METER_PASS = 20 * 60


def meters(agent: Agent, name: str | None = None) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in queries.meters(agent.store.connection)
            if name is None or m["name"] == name}


async def set_total(printers: Printers, total: int) -> None:
    for name in ("colour_small", "mono_large", "colour_large"):
        await printers.control("POST", "/printers/0/counters", {"counter": name, "value": 0})
    await printers.control("POST", "/printers/0/counters", {"counter": "mono_small",
                                                            "value": total})


async def test_counters_wrapping_at_2_to_the_24_and_2_to_the_32_keep_counting(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab([profiles["hp-laserjet-m757"]], 1, "127.44.0.1")
    await set_total(printers, 2**32 - 3)  # prtMarkerLifeCount 3 before 2^32; HP's 2^24 - 3
    agent.start()
    await agent.settle()
    first = meters(agent)
    assert first["prtMarkerLifeCount"]["raw"] == 2**32 - 3
    assert first["total engine impressions"]["raw"] == 2**24 - 3
    printed = await printers.control("POST", "/printers/0/print", {"pages": 10})
    assert printed["printed"] == 10
    await agent.advance(METER_PASS)
    assert queries.rejections(agent.store.connection) == []
    after = meters(agent)
    assert after["prtMarkerLifeCount"]["raw"] == 7  # wrapped at 2^32 ...
    assert after["prtMarkerLifeCount"]["value"] == 2**32 + 7  # ... and still counting
    assert after["total engine impressions"]["raw"] == 7  # HP's register wrapped at 2^24 - 1
    assert after["total engine impressions"]["value"] == 2**24 - 3 + 10
    assert queries.rejections(agent.store.connection) == []


async def test_a_reboot_is_a_change_and_restarts_the_power_on_count(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab([profiles["hp-laserjet-m757"]], 1, "127.44.1.1")
    agent.start()
    await agent.settle()
    before = meters(agent)["prtMarkerPowerOnCount"]
    await printers.control("POST", "/printers/0/reboot")
    await printers.control("POST", "/printers/0/print", {"pages": 4})
    await agent.advance(METER_PASS)
    reboots = [c for c in queries.changes(agent.store.connection) if c["kind"] == "reboot"]
    assert len(reboots) == 1
    after = meters(agent)["prtMarkerPowerOnCount"]
    assert after["raw"] == 4 and after["value"] == before["value"] + 4
    assert queries.rejections(agent.store.connection) == []


async def test_inconsistent_readings_are_rejected_and_the_good_value_kept(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab([profiles["kyocera-fs-6950dn"]], 1, "127.44.2.1")
    agent.start()
    await agent.settle()
    good = meters(agent)["prtMarkerLifeCount"]
    truth = await printers.control("GET", "/printers/0")
    mono = truth["counters"]["mono_small"]
    await printers.control("POST", "/printers/0/counters", {"counter": "mono_small",
                                                            "value": mono - 500})
    await agent.advance(METER_PASS)
    backwards = queries.rejections(agent.store.connection)
    assert {r["name"] for r in backwards} >= {"prtMarkerLifeCount", "total printed pages"}
    assert all("went backwards" in r["reason"] for r in backwards)
    assert meters(agent)["prtMarkerLifeCount"]["value"] == good["value"]  # no bad value stored
    await printers.control("POST", "/printers/0/counters", {"counter": "mono_small",
                                                            "value": mono + 1_000_000})
    await agent.advance(METER_PASS)
    jumps = queries.rejections(agent.store.connection)[len(backwards):]
    assert jumps and all(r["reason"].startswith("impossible jump") for r in jumps)
    await printers.control("POST", "/printers/0/counters", {"counter": "mono_small",
                                                            "value": mono + 40})
    await agent.advance(METER_PASS)
    assert len(queries.rejections(agent.store.connection)) == len(backwards) + len(jumps)
    assert meters(agent)["prtMarkerLifeCount"]["value"] == good["value"] + 40


async def test_power_save_without_counters_is_retried_within_the_day(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    evening = datetime.datetime(2026, 3, 2, 19, 0, tzinfo=datetime.UTC).timestamp()
    clock = ManualClock(1000.0, wall_start=evening)
    printers, agent = await lab(
        [profiles["hp-color-laserjet-m577"], profiles["samsung-clp-600n"]], 2, "127.44.3.1",
        printer_options={"clock": clock}, power_save_retry=30 * 60.0)
    for printer in (0, 1):  # asleep before the agent's first look
        await printers.control("POST", f"/printers/{printer}/power-save")
    agent.start()
    await agent.settle()
    rejected = queries.rejections(agent.store.connection)
    reasons = {r["serial"]: r["reason"] for r in rejected}
    m577, clp600 = (s.serial for s in printers.fleet.printers)
    assert reasons[m577] == "no counters answered (device in power save?)"
    assert reasons[clp600].startswith("all counters zero")  # this model answers zeros asleep
    assert meters(agent) == {}
    for printer in (0, 1):
        await printers.control("DELETE", f"/printers/{printer}/power-save")
    await agent.advance(31 * 60)  # out of hours the meter loop runs every 240 minutes ...
    stored = queries.meters(agent.store.connection)
    assert {m["serial"] for m in stored} == {m577, clp600}  # ... but these were read again
    assert all(m["read_at"] == "2026-03-02T19:30:00Z" for m in stored)


async def test_meters_are_reported_once_a_day(lab: Callable[..., Any],
                                              profiles: dict[str, Profile]) -> None:
    late = datetime.datetime(2026, 3, 2, 23, 0, tzinfo=datetime.UTC).timestamp()
    clock = ManualClock(1000.0, wall_start=late)
    printers, agent = await lab([profiles["lexmark-optra-t614n"]], 1, "127.44.4.1",
                                printer_options={"clock": clock})
    agent.start()
    await agent.settle()
    await printers.control("POST", "/printers/0/print", {"pages": 3})
    await agent.advance(4 * 3600 + 60, step=600)  # past midnight, the next meter pass
    reports = [m for m in agent.store.outbox_pending(1000) if m.kind == "meters"]
    assert len(reports) == 1
    [report] = reports
    assert report.payload["day"] == "2026-03-02" and not report.payload["requested"]
    life = next(r for r in report.payload["readings"] if r["name"] == "prtMarkerLifeCount")
    assert life["read_at"] == "2026-03-02T23:00:00Z"  # the latest good reading of that day
    latest = agent.agent.latest_counts(printers.fleet.printers[0].serial)
    assert latest is not None
    asked = [m for m in agent.store.outbox_pending(1000) if m.kind == "meters"][-1]
    assert asked.payload["requested"] and asked.payload["readings"] == latest


async def test_a_day_of_printing_gives_clean_readings_and_no_rejection(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    steady = [p for p in profiles.values()
              if p.power.sleep_mode == "normal" and p.power.switched_off == "never"]
    printers, agent = await lab(steady, len(steady), "127.44.5.1",
                                printer_options={"simulate": True, "awake": False})
    agent.start()
    await agent.settle()
    first = {(m["serial"], m["name"]): m["value"] for m in queries.meters(agent.store.connection)}
    await agent.advance(24 * 3600, step=20 * 60)
    assert queries.rejections(agent.store.connection) == []
    after = {(m["serial"], m["name"]): m["value"] for m in queries.meters(agent.store.connection)}
    for state in printers.fleet.printers:  # the control API's counters are the truth
        truth = await printers.control("GET", f"/printers/{state.index}")
        assert after[(truth["serial"], "prtMarkerLifeCount")] == truth["counters"]["total"]
    grown = sum(after[k] > first[k] for k in first if k[1] == "prtMarkerLifeCount")
    assert grown >= len(steady) - 1  # a day of office printing moved (nearly) every counter
