"""The monitoring plugins people point at their printers, against one emulated printer of every
profile in a network namespace (UDP 161, which check_printer only knows): ConSol's
check_printer_health (hardware-health, supplies-status, uptime) and check_printer from Debian's
monitoring-plugins-contrib, check_snmp from monitoring-plugins-standard. Every profile gets a
verdict (never UNKNOWN), the levels and uptime they report are the printer's (the control API),
and a cover opened or a cartridge run low on the control API turns them WARNING or CRITICAL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulators.printers.profiles import load_profiles
from tests.emulators.printers.netns_lab import NetnsLab, start_lab

PLUGINS = Path("/usr/lib/nagios/plugins")
HEALTH, CHECK_PRINTER, CHECK_SNMP = (PLUGINS / "check_printer_health", PLUGINS / "check_printer",
                                     PLUGINS / "check_snmp")
VERDICT = re.compile(r"^(OK|WARNING|CRITICAL)\b|^Printer Supplies OK|^.* (WARNING|CRITICAL)\. ")
PERF = re.compile(r"'([^']+)'=(-?[\d.]+)%")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NetnsLab]:
    for plugin in (HEALTH, CHECK_PRINTER, CHECK_SNMP):
        if not plugin.exists():
            pytest.fail(f"{plugin} is missing: run `make test`, which installs Debian's "
                        "monitoring-plugins-contrib and monitoring-plugins-standard",
                        pytrace=False)
    started = start_lab(tmp_path_factory.mktemp("plugins"), len(load_profiles()))
    yield started
    started.stop()


def _printers(lab: NetnsLab) -> list[dict[str, Any]]:
    listed = lab.api("/printers?limit=1000")
    assert isinstance(listed, dict)
    shown = [lab.api(f"/printers/{p['id']}") for p in listed["printers"]]
    return [p for p in shown if isinstance(p, dict) and p["answers_snmp"]]


def _run(lab: NetnsLab, *argv: str) -> tuple[int, str]:
    done = lab.run([*argv])
    assert "line" not in done.stderr or "uninitialized value" in done.stderr, done.stderr
    return done.returncode, done.stdout.strip()


def _health(lab: NetnsLab, address: str, mode: str) -> tuple[int, str]:
    return _run(lab, str(HEALTH), "--hostname", address, "--community", "public", "--mode", mode)


def _consumables(printer: dict[str, Any]) -> list[float]:
    return [s["remaining_percent"] for s in printer["supplies"]
            if s["class"] == "consumable" and s["remaining_percent"] >= 0]


def test_every_profile_gets_a_verdict_with_its_own_levels_and_uptime(lab: NetnsLab) -> None:
    printers = _printers(lab)
    assert len(printers) >= len(load_profiles()) - 2  # a profile or two answer no SNMP at all
    for printer in printers:
        address, where = printer["address"], f"{printer['profile']} at {printer['address']}"
        for mode in ("hardware-health", "supplies-status", "uptime"):
            status, out = _health(lab, address, mode)
            assert status in (0, 1, 2) and VERDICT.match(out), (where, mode, status, out)
        _, out = _health(lab, address, "uptime")
        minutes = int(re.search(r"'uptime'=(\d+)", out).group(1))  # type: ignore[union-attr]
        assert abs(minutes - printer["uptime_seconds"] / 60) <= 2, (where, out)
        _, out = _health(lab, address, "supplies-status")
        levels = _consumables(printer)
        for label, value in PERF.findall(out):
            if label.endswith("_remaining"):
                assert any(abs(float(value) - level) <= 1 for level in levels), (where, label)
        status, out = _run(lab, str(CHECK_PRINTER), "-h", address, "-w", "20", "-c", "10")
        assert status in (0, 1, 2) and VERDICT.match(out), (where, status, out)
        reported = dict(PERF.findall(out))
        for supply in printer["supplies"]:
            value = reported.get(supply["description"])
            if value is not None and float(value) > 0 and supply["class"] == "consumable":
                assert abs(float(value) - supply["remaining_percent"]) <= 1, (where, supply)


def test_a_cover_opened_and_a_cartridge_run_low_turn_the_plugins_red(lab: NetnsLab) -> None:
    printer = next(p for p in _printers(lab) if p["profile"] == "hp-laserjet-m757")
    address, index = printer["address"], printer["id"]
    cartridge = next(s for s in printer["supplies"] if s["class"] == "consumable")
    assert _health(lab, address, "hardware-health")[0] == 0
    status, out = _run(lab, str(CHECK_SNMP), "-H", address, "-C", "public", "-P", "2c",
                       "-o", "1.3.6.1.2.1.25.3.5.1.1.1", "-w", "3:4", "-c", "3:5", "-l", "hrPrinterStatus")
    assert status == 0, out  # idle(3) or printing(4)

    lab.api(f"/printers/{index}/alerts", "POST", {"code": "cover_open"})
    status, out = _health(lab, address, "hardware-health")
    assert status == 1 and "is coverOpen" in out, out
    status, out = _run(lab, str(CHECK_SNMP), "-H", address, "-C", "public", "-P", "2c",
                       "-o", "1.3.6.1.2.1.25.3.5.1.1.1", "-w", "3:4", "-c", "3:5", "-l", "hrPrinterStatus")
    assert status == 2, out  # stopped: other(1), as RFC 3805 says a down printer reports

    lab.api(f"/printers/{index}/supplies/{cartridge['index']}", "POST", {"level": 3})
    status, out = _health(lab, address, "supplies-status")
    assert status == 2 and f"{cartridge['description']} is at 3.00%" in out, out
    status, out = _run(lab, str(CHECK_PRINTER), "-h", address, "-w", "20", "-c", "10")
    assert status == 2 and out.startswith(f"{cartridge['description']} CRITICAL"), out


def test_a_walk_replayed_offline_gives_the_live_verdict(lab: NetnsLab, tmp_path: Path) -> None:
    """check_printer_health's own walk commands (``--mode walk``), run, make a file its
    ``--snmpwalk`` reads offline: every profile is judged the same as live (but those that
    answer slowly on purpose: 0.3 s an answer makes a whole walk take minutes)."""
    for printer in [p for p in _printers(lab) if not p["quirks"]["response_delay"]]:
        address = printer["address"]
        _, out = _health(lab, address, "walk")
        walk = tmp_path / f"walk-{address}"
        for line in out.splitlines():
            if line.startswith("snmpwalk"):  # snmpwalk ... ADDRESS OID >> /tmp/snmpwalk_...
                command = line.split(" >>")[0]
                done = lab.run(["sh", "-c", f"{command} >> {walk}"])
                assert done.returncode == 0, (command, done.stderr)
        for mode in ("hardware-health", "supplies-status"):
            offline = _run(lab, str(HEALTH), "--snmpwalk", str(walk), "--mode", mode)
            assert offline == _health(lab, address, mode), (printer["profile"], mode)
