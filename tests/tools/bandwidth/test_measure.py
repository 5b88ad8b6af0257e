"""``protolab bandwidth plan --measure`` on a small site: three KT-400s reloaded by the simulated
gateway over loopback, and an IP-Link polling its loop for the site's TCP/IP site. What it reports
for each line is what a capture of the same run holds, read back by tshark and our dissector; the
payload is the paper's table 7 arithmetic."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from kantech_proto.codes import Command, RecordType
from kantech_proto.reload_records import RECORD_SIZES
from protolab.errors import ConfigurationError
from tests.tools.tshark_runner import tshark_fields
from tools.bandwidth.measure_run import KEY, PULSE_SECONDS, Measurement, measure_site
from tools.bandwidth.measure_site import COMPONENTS
from tools.bandwidth.planner import plan_site
from tools.bandwidth.site import Site
from tools.capture.capture_tap import CaptureTap
from tools.capture.packet_builder import SERIAL_CAPTURE_PORT
from tools.wireshark.generate import DISSECTOR

ROOT = Path(__file__).parents[3]
SITE = Site(name="small", workstations=1, tcpip_sites=1, sites=1, controllers=3, doors=5,
            relays=4, inputs=9, outputs=3, cards=40, schedules=3, access_levels=2, holidays=2)
SITE_TOML = """name = "small"
workstations = 1
tcpip_sites = 1
sites = 1
controllers = 3
doors = 5
relays = 4
inputs = 9
outputs = 3
cards = 40
schedules = 3
access_levels = 2
holidays = 2
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Measurement, Path]:
    pcap = tmp_path_factory.mktemp("measure") / "measure.pcap"
    with CaptureTap.open(pcap) as tap:
        measurement = asyncio.run(measure_site(SITE, first_address="127.78.0.1",
                                               observer=tap, idle_window=30.0))
    return measurement, pcap


def _component_key(section: str, component: str) -> str:
    return f"{section}.{component.lower().replace('/', '_').replace(' ', '_')}"


def test_reload_lines_are_what_the_capture_holds(run: tuple[Measurement, Path]) -> None:
    measurement, pcap = run
    rows = tshark_fields(pcap, ["ip.dst", "frame.len", "udp.length", "kantech.reload.record_type",
                                "kantech.reload.count"],
                         "-Y", f"kantech.command == {int(Command.RELOAD_RECORDS)}",
                         lua=DISSECTOR, prefs=[f"kantech.key:{KEY}", "kantech.udp_ports:1-65535"])
    seen: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    first_host = "127.78.0.1"
    first: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for host, frame_len, udp_len, kind, count in rows:
        record_type = RecordType(int(kind, 0))
        payload = int(count) * RECORD_SIZES[record_type]
        frame = int(udp_len) - 8  # the 0x99 frame: the UDP payload
        figures = (payload, frame - payload, int(frame_len) - frame)
        for target in (seen, first) if host == first_host else (seen,):
            line = target[COMPONENTS[record_type]]
            for i, value in enumerate(figures):
                line[i] += value
    assert len(seen) == 11  # every record type the site has, date/time included
    for component, (payload, protocol, transport) in seen.items():
        got = measurement.measured[_component_key("controller_reload_total", component)]
        assert (got.payload, got.protocol_overhead, got.transport_overhead) == (
            payload, protocol, transport), component
    for component, (payload, protocol, transport) in first.items():
        got = measurement.measured[_component_key("controller_reload_per_controller", component)]
        assert (got.payload, got.protocol_overhead, got.transport_overhead) == (
            payload, protocol, transport), component


def test_the_measured_payload_is_the_planned_table_7_figure(
        run: tuple[Measurement, Path]) -> None:
    measurement, _ = run
    plan = plan_site(SITE)
    compared = 0
    for line in plan.lines:
        got = measurement.measured.get(line.key)
        if got is not None and line.section.startswith("controller_reload"):
            assert got.payload == line.bytes, line.key
            compared += 1
    assert compared == 2 * 11


def test_idle_counts_every_pulse_of_the_window(run: tuple[Measurement, Path]) -> None:
    measurement, pcap = run
    pulses = tshark_fields(pcap, ["frame.len"], "-Y", f"kantech.command == {int(Command.PULSE)}",
                           lua=DISSECTOR, prefs=[f"kantech.key:{KEY}",
                                                 "kantech.udp_ports:1-65535"])
    size = {int(row[0]) for row in pulses}
    assert len(size) == 1
    details = measurement.details
    assert details["idle_pulses"] == 3 * 30.0 / PULSE_SECONDS
    assert details["idle_bytes_on_wire"] == details["idle_pulses"] * size.pop()
    idle = measurement.measured["idle.tcp_ip_sites"]
    assert idle.total == pytest.approx(details["idle_bytes_on_wire"] / 30.0, abs=1.5)


def test_polling_is_the_measured_ip_links_loop_as_the_capture_holds_it(
        run: tuple[Measurement, Path]) -> None:
    """The loop's POLLs and answers (UDP 18899 in the capture, the IP-Link's own address on one
    side) over the last 30 s of the lab clock, per second: the figure beside table 10."""
    measurement, pcap = run
    rows = tshark_fields(pcap, ["frame.time_epoch", "udp.length", "ip.src", "ip.dst"],
                         "-Y", f"udp.port == {SERIAL_CAPTURE_PORT}")
    iplink = "127.78.0.4"  # after the three controllers
    assert rows and all(iplink in (row[2], row[3]) for row in rows)
    end = max(float(row[0]) for row in rows)
    window = [int(row[1]) - 8 for row in rows if float(row[0]) > end - 30.0]
    assert {4, 1} <= set(window), "POLLs (4 bytes) and presence bytes (1)"
    polling = measurement.measured["polling.tcp_ip_sites"]
    assert polling.payload == pytest.approx(sum(window) / 30.0, rel=0.01)
    details = measurement.details
    assert details["polling_loop_bytes_per_second_per_site"] == pytest.approx(polling.payload,
                                                                               abs=0.5)
    assert details["polling_network_bytes_per_second_per_site"] > 0  # the IP-Link's PULSEs
    assert details["idle_pulses"] == 3 * 30.0 / PULSE_SECONDS, "the IP-Link is not a controller"


def test_a_site_the_emulators_cannot_hold_is_refused_before_anything_runs() -> None:
    crowded = Site(controllers=1, doors=5)
    with pytest.raises(ConfigurationError, match="5 doors over 1 controllers puts 5 on one, and "
                                                 "a KT-400 has 4"):
        asyncio.run(measure_site(crowded))
    with pytest.raises(ConfigurationError, match="KT-100/KT-300 sit on serial loops"):
        asyncio.run(measure_site(Site(controllers=1, controller_model="KT-100")))


def test_the_command_prints_measured_figures_beside_the_plan(tmp_path: Path) -> None:
    site = tmp_path / "site.toml"
    site.write_text(SITE_TOML)
    out = subprocess.run([sys.executable, "-m", "protolab", "bandwidth", "plan", str(site),
                          "--measure", "--json"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    cards = next(item for item in result["items"]
                 if item["key"] == "controller_reload_total.cards")
    assert cards["bytes"] == 3 * 40 * 78
    assert cards["measured"]["payload"] == 3 * 40 * 78
    assert cards["measured"]["difference"] == 0
    assert cards["measured"]["transport_overhead"] == 3 * 42  # one datagram each
    assert result["measurement"]["exchange_per_controller"]["frames"] > 0
    text = subprocess.run([sys.executable, "-m", "protolab", "bandwidth", "plan", str(site),
                           "--measure"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0 and "measured  protocol  transport  difference" in text.stdout
    assert "Not measured: the gateway reload" in text.stdout
    assert "Polling: one IP-Link polling a loop" in text.stdout
    polling = next(item for item in result["items"] if item["key"] == "polling.tcp_ip_sites")
    assert polling["measured"]["payload"] > 0
