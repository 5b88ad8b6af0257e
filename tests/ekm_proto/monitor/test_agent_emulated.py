"""The agent against emulated printers over loopback, the control API as the truth: discovery
of every profile and what each loop reads."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ekm_proto.monitor import queries
from emulators.printers.profiles import Profile

SPECIAL = {"some-remaining": -3, "unknown": -2}


def served_level(supply: dict[str, Any], profile: Profile) -> int:
    """prtMarkerSuppliesLevel as the emulator serves it (its own rule, restated)."""
    spec = next(s for s in profile.supplies if s.index == supply["index"])
    fraction = supply["remaining_percent"] / 100
    if spec.level_reporting in SPECIAL or spec.max_capacity <= 0:
        return SPECIAL.get(spec.level_reporting, -3) if fraction > 0 or \
            spec.level_reporting == "unknown" else 0
    if spec.filled and profile.quirks.waste_level == "fill":
        return int((1 - fraction) * spec.max_capacity + 1e-9)
    return math.ceil(fraction * spec.max_capacity - 1e-9)


async def test_discovers_all_twelve_profiles_and_reads_every_loop(
        lab: Callable[..., Any], profiles: dict[str, Profile]) -> None:
    printers, agent = await lab(list(profiles.values()), 12, "127.41.0.1")
    await agent.agent.run(once=True)
    connection = agent.store.connection
    devices = {d["address"]: d for d in queries.devices(connection)}
    meters = queries.meters(connection)
    supplies = queries.supplies(connection)
    trays = queries.trays(connection)
    assert len(devices) == 12
    assert {d["manufacturer"] for d in devices.values()} == {
        "HP", "Samsung", "Kyocera", "Lexmark", "Epson"}
    for state in printers.fleet.printers:
        truth = await printers.control("GET", f"/printers/{state.index}")
        profile = profiles[truth["profile"]]
        found = devices[state.address]
        assert (found["serial"], found["mac"], found["manufacturer"], found["model"]) == (
            truth["serial"], truth["mac"], truth["vendor"], profile.printer_name)
        assert found["available"] is True and found["engine_cycles"] == truth["engine_cycles"]
        mine = {m["name"]: m for m in meters if m["serial"] == truth["serial"]}
        assert mine["prtMarkerLifeCount"]["value"] == truth["counters"]["total"]
        assert mine["prtMarkerPowerOnCount"]["value"] == truth["counters"]["power_on"]
        vendor = [m for m in mine.values() if m["oid"].startswith("1.3.6.1.4.1.")]
        assert len(vendor) == len(profile.counters) > 0
        sources = {".".join(map(str, c.oid)): c.source for c in profile.counters}
        for meter in vendor:
            assert meter["value"] == truth["counters"][sources[meter["oid"]]], meter
        read = [s for s in supplies if s["serial"] == truth["serial"]]
        assert [s["index"] for s in read] == [s["index"] for s in truth["supplies"]]
        for got, want in zip(read, truth["supplies"], strict=True):
            assert got["description"] == want["description"]
            assert got["max_capacity"] == want["max_capacity"]
            tolerance = max(1, want["max_capacity"] // 10_000)  # the API rounds to 0.01 %
            assert abs(got["level"] - served_level(want, profile)) <= tolerance, (got, want)
            assert got["colour"] == (want["colorant"] or "No colour")
        tray_rows = [t for t in trays if t["serial"] == truth["serial"]]
        assert [t["name"] for t in tray_rows] == [t["name"] for t in truth["trays"]]
        for got, want in zip(tray_rows, truth["trays"], strict=True):
            expected = {"exact": want["sheets"], "unknown": -2}.get(
                want["level_reporting"], -3 if want["sheets"] > 0 else 0)
            assert got["level"] == expected, (profile.name, got, want)
    assert queries.rejections(connection) == []
    kinds = {c["kind"] for c in queries.changes(connection)}
    assert kinds == {"new"}
