"""``protolab printers emulate --pcap``: what net-snmp's snmpget asked and was answered, and a PJL
exchange on the raw port, read back from the capture by Debian's tshark (its own SNMP and TCP
dissectors) and compared with what the clients saw."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from protolab.ports import free_port
from tests.tools.tshark_runner import tshark_fields

ROOT = Path(__file__).parents[3]
FIRST, SECOND = "127.31.77.1", "127.31.77.2"
SYS_DESCR, SYS_NAME, PAGES = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.43.10.2.1.4.1.1"
PJL = b"\x1b%-12345X@PJL INFO ID\r\n\x1b%-12345X"


def _snmpget(host: str, port: int, *oids: str) -> dict[str, str]:
    result = subprocess.run(["snmpget", "-v2c", "-c", "public", "-On", "-t", "1", "-r", "0",
                             f"{host}:{port}", *oids], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    values = {}
    for line in result.stdout.splitlines():
        oid, _, value = line.partition(" = ")
        values[oid.lstrip(".")] = value.split(": ", 1)[1].strip('"')
    return values


def _pjl_exchange(host: str, port: int) -> bytes:
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(PJL)
        answer = b""
        while b"\x0c" not in answer:  # a PJL answer ends with a form feed
            chunk = conn.recv(4096)
            assert chunk, f"raw port closed after {answer!r}"
            answer += chunk
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(4096):
            pass
    return answer


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("printers")
    snmp_port, raw_port = free_port(kind=socket.SOCK_DGRAM), free_port()
    pcap = folder / "printers.pcap"
    emulator = subprocess.Popen(
        [sys.executable, "-m", "protolab", "printers", "emulate", "--count", "2",
         "--first-address", FIRST, "--port", str(snmp_port), "--raw-port", str(raw_port),
         "--http-port", "off", "--start-time", "2026-06-03T10:00:00", "--duration", "60",
         "--pcap", str(pcap)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while subprocess.run(["snmpget", "-v2c", "-c", "public", "-t", "0.3", "-r", "0",
                              f"{FIRST}:{snmp_port}", SYS_NAME], capture_output=True,
                             timeout=10).returncode != 0:
            assert emulator.poll() is None and time.monotonic() < deadline, "no emulator"
        probes = _packets(pcap, snmp_port)  # the readiness probes: left out of what is checked
        first = _snmpget(FIRST, snmp_port, SYS_DESCR, SYS_NAME)
        second = _snmpget(SECOND, snmp_port, PAGES)
        answer = _pjl_exchange(FIRST, raw_port)
        time.sleep(0.5)
    finally:
        emulator.terminate()
        emulator.wait(timeout=20)
    return {"pcap": pcap, "snmp_port": snmp_port, "raw_port": raw_port, "skip": len(probes),
            "first": first, "second": second, "answer": answer}


def _packets(pcap: Path, snmp_port: int) -> list[list[str]]:
    return tshark_fields(pcap, ["ip.src", "ip.dst", "udp.srcport", "udp.dstport", "snmp.name",
                                "snmp.value.octets", "snmp.value.counter", "tcp.srcport",
                                "tcp.dstport", "tcp.flags.str", "tcp.payload"],
                         "-d", f"udp.port=={snmp_port},snmp")


def test_snmp_requests_and_answers_are_in_the_capture_as_snmpget_saw_them(
        capture: dict[str, object]) -> None:
    pcap, port = capture["pcap"], capture["snmp_port"]
    assert isinstance(pcap, Path) and isinstance(port, int) and isinstance(capture["skip"], int)
    snmp = [row for row in _packets(pcap, port) if row[2]][capture["skip"]:]
    assert [(r[0], r[1], r[4]) for r in snmp] == [
        ("127.0.0.1", FIRST, f"{SYS_DESCR},{SYS_NAME}"), (FIRST, "127.0.0.1", f"{SYS_DESCR},{SYS_NAME}"),
        ("127.0.0.1", SECOND, PAGES), (SECOND, "127.0.0.1", PAGES)]
    assert {snmp[1][2], snmp[3][2]} == {str(port)}, "answers leave from the SNMP port"
    assert snmp[0][3] == str(port) and snmp[1][3] == snmp[0][2], "answer goes back to the asker"
    first, second = capture["first"], capture["second"]
    assert isinstance(first, dict) and isinstance(second, dict)
    texts = [bytes.fromhex(value).decode() for value in snmp[1][5].split(",")]
    assert texts == [first[SYS_DESCR], first[SYS_NAME]]
    assert snmp[3][6] == second[PAGES]


def test_the_raw_port_connection_is_captured_with_its_handshake_bytes_and_close(
        capture: dict[str, object]) -> None:
    pcap, port, raw = capture["pcap"], capture["snmp_port"], capture["raw_port"]
    assert isinstance(pcap, Path) and isinstance(port, int)
    tcp = [row for row in _packets(pcap, port) if row[7]]
    flags = [re.sub(r"[^A-Z]", "", row[9].replace("\u00b7", "")) for row in tcp]
    assert flags[:3] == ["S", "AS", "A"], flags  # SYN from the client, SYN/ACK, ACK
    assert tcp[0][8] == str(raw) and tcp[0][1] == FIRST
    received = b"".join(bytes.fromhex(r[10]) for r in tcp if r[8] == str(raw) and r[10])
    sent = b"".join(bytes.fromhex(r[10]) for r in tcp if r[7] == str(raw) and r[10])
    assert received == PJL
    assert sent == capture["answer"] and sent.startswith(b"@PJL INFO ID\r\n")
    assert "F" in flags[-4] and flags[-1] == "A", "the client closed first, then the printer"
    assert tcp[-4][8] == str(raw), "the first FIN is the client's"
