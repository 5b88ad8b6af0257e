"""The device analyser on every emulated profile: what each loop needs, answered or not and
with which type, counters in power save, the verdict; a recording the emulator plays back."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekm_proto.monitor.analyser import Analysis, analyse
from ekm_proto.monitor.credentials import community
from ekm_proto.snmp.client import SnmpClient
from ekm_proto.snmp.snmprec import format_snmprec
from emulators.printers.profiles import Profile
from emulators.printers.recorded import load_recording
from protolab.clock import SystemClock
from tests.ekm_proto.monitor.lab import FAST, Printers, serve_printers

PUBLIC = (community("public", 1),)


async def analysed(printers: Printers, index: int) -> Analysis:
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        return await analyse(client, printers.addresses[index], printers.port, PUBLIC, FAST)


def check(analysis: Analysis, loop: str, name: str) -> tuple[str, list[str]]:
    found = next(c for c in analysis.checks if c.loop == loop and c.name == name)
    return found.status, found.types


async def test_every_profile_is_judged(profiles: dict[str, Profile]) -> None:
    printers = await serve_printers(list(profiles.values()), 12, "127.47.0.1")
    try:
        results = {state.model.name: await analysed(printers, state.index)
                   for state in printers.fleet.printers}
    finally:
        await printers.close()
    for name, analysis in results.items():
        assert analysis.identity is not None
        assert analysis.identity.serial == next(
            s.serial for s in printers.fleet.printers if s.model.name == name)
        assert analysis.loops["consumables"] == "full" and analysis.loops["tray"] == "full"
        assert len(analysis.vendor_counters) == len(profiles[name].counters), name
        # awake, except models switched off at night or weekends: they were switched on at 07:30,
        # slept since, and keep their counters in power save
        expected = "survive" if profiles[name].power.switched_off != "never" else "not tested"
        assert analysis.power_save.startswith(expected), (name, analysis.power_save)
    lexmark = results["lexmark-optra-t614n"]
    assert check(lexmark, "meter", "prtMarkerLifeCount") == ("wrong type", ["INTEGER"])
    assert lexmark.loops["meter"] == "limited"
    assert lexmark.verdict == "manageable with limitations"
    assert results["hp-laserjet-m757"].verdict == "manageable"
    assert check(results["hp-laserjet-m757"], "meter", "prtMarkerLifeCount") == (
        "ok", ["Counter32"])
    assert results["hp-officejet-7210"].loops == {
        "alert": "full", "identity": "full", "meter": "full", "consumables": "full",
        "tray": "full"}


@pytest.mark.parametrize(("profile", "verdict"), [
    ("hp-laserjet-m757", "survive"), ("hp-color-laserjet-m577", "lost: the counters are missing"),
    ("samsung-clp-600n", "lost: the counters read zero")])
async def test_counters_in_power_save(profiles: dict[str, Profile], profile: str,
                                      verdict: str) -> None:
    printers = await serve_printers([profiles[profile]], 1, "127.47.1.1")
    try:
        await printers.control("POST", "/printers/0/power-save")
        analysis = await analysed(printers, 0)
    finally:
        await printers.close()
    assert analysis.power_save.startswith(verdict), analysis.power_save


async def test_a_device_without_snmp_answers_is_not_manageable() -> None:
    async with SnmpClient(SystemClock(), local_address=("127.0.0.1", 0)) as client:
        analysis = await analyse(client, "127.47.2.1", 9, PUBLIC, FAST)
    assert analysis.identity is None and analysis.verdict == "not manageable"


async def test_a_recording_plays_back_as_the_same_device(profiles: dict[str, Profile],
                                                         tmp_path: Path) -> None:
    printers = await serve_printers([profiles["lexmark-optra-t614n"]], 1, "127.47.3.1")
    try:
        await printers.control("POST", "/printers/0/alerts", {"code": "coverOpen"})
        original = await analysed(printers, 0)
    finally:
        await printers.close()
    recording = tmp_path / "lexmark.snmprec"
    recording.write_text(format_snmprec(original.records))
    replay = await serve_printers([load_recording(recording)], 1, "127.47.4.1")
    try:
        played = await analysed(replay, 0)
    finally:
        await replay.close()
    assert original.identity is not None and played.identity is not None
    assert (played.identity.model, played.identity.manufacturer) == (
        original.identity.model, original.identity.manufacturer)
    assert played.loops == original.loops
    assert [(c.name, c.status, c.types) for c in played.checks] == [
        (c.name, c.status, c.types) for c in original.checks]
    # this model has no prtAlertTable: its open cover shows only in the error-state bits
    assert check(original, "alert", "prtAlertCode") == ("empty", [])
    assert dict(original.records)[(1, 3, 6, 1, 2, 1, 25, 3, 5, 1, 2, 1)][1] == b"\x08"
    assert check(played, "meter", "prtMarkerLifeCount") == ("wrong type", ["INTEGER"])
