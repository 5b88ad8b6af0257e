"""Benchmark: the printer emulator where users run it, side by side with net-snmp's snmpd serving
the same OIDs with the same values.

The emulator runs as ``protolab printers emulate`` (usage simulation on, a real profile, dynamic
values); its OIDs and values at start are walked and given to snmpd as ``override`` lines (snmpd's
own modules left out, so both serve the same objects). Each server is pinned to core 0, the load
client (64 requests in flight, every answer checked) to core 1. Scenarios: GET of one OID, GETBULK
of 25, SNMPv3 authPriv GET. Rounds are interleaved; each server's best round and the median are
kept with the server's CPU time per answer (user + system, /proc), the comparison the goals are
stated in: CPU per GET and per GETBULK OID at least 1.2x better than snmpd, and v3 at least 0.8x.

``.venv/bin/python -m bench printer_path`` (``--quick``: one short round).
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
from collections.abc import Callable

from bench.bench_snmp_engine import measure
from bench.benchmarks_md import write_section
from bench.printer_servers import AUTH, PRIV, USER, servable, start_emulator, start_snmpd_serving
from bench.snmp_load import LoadResult
from bench.snmp_servers import Server
from ekm_proto.snmp import ber, usm
from ekm_proto.snmp.manager.encoding import (
    decode_v3_response,
    encode_community_request,
    encode_discovery,
    encode_v3_request,
    response_id,
)
from ekm_proto.snmp.manager.targets import Community
from ekm_proto.snmp.message import Pdu, decode_community_message
from ekm_proto.snmp.types import NULL, Oid, SnmpType, SnmpValue
from protolab.ports import free_port

COMMAND = "make bench  (or: .venv/bin/python -m bench printer_path)"
IN_FLIGHT, BULK, REQUESTS, FIRST_ID = 64, 25, 2048, 10_000
SERVER_CORE, CLIENT_CORE = 0, 1
PUBLIC = Community(b"public")
Scenario = tuple[list[bytes], Callable[[bytes], int], Callable[[bytes, int], int]]
GOALS = {"get": 1.2, "bulk": 1.2, "v3": 0.8}


def walk(server: Server) -> list[tuple[Oid, SnmpValue]]:
    """Every object a server serves, by GETBULK from the root (v2c)."""
    found: list[tuple[Oid, SnmpValue]] = []
    oid: Oid = (1, 3)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect((server.address, server.port))
        for request_id in range(1, 10_000):
            sock.send(encode_community_request(PUBLIC, Pdu(0xA5, request_id, 0, 25,
                                                            [(oid, NULL)])))
            for name, value in decode_community_message(sock.recv(65536)).pdu.varbinds:
                if value[0] == SnmpType.END_OF_MIB_VIEW:
                    return found
                found.append((name, value))
                oid = name
    return found


def _status_ok(response: bytes) -> bool:
    return b"\x02\x01\x00\x02\x01\x00" in response[:60]


def get_scenario(oids: list[Oid]) -> Scenario:
    requests, names = [], []
    for index in range(REQUESTS):
        oid = oids[(index * 7) % len(oids)]
        requests.append(encode_community_request(PUBLIC, Pdu(0xA0, FIRST_ID + index, 0, 0,
                                                             [(oid, NULL)])))
        names.append(ber.encode_oid(oid))

    def check(response: bytes, index: int) -> int:  # values move: the name and noError
        return 1 if _status_ok(response) and names[index] in response else 0

    return requests, response_id, check


def bulk_scenario(oids: list[Oid]) -> Scenario:
    requests = []
    for index in range(REQUESTS):
        start = oids[(index * 13) % (len(oids) - BULK - 1)]
        requests.append(encode_community_request(PUBLIC, Pdu(0xA5, FIRST_ID + index, 0, BULK,
                                                             [(start, NULL)])))

    def check(response: bytes, index: int) -> int:
        pdu = decode_community_message(response).pdu
        return len(pdu.varbinds) if pdu.error_status == 0 and len(pdu.varbinds) == BULK else 0

    return requests, response_id, check


def v3_scenario(server: Server, oids: list[Oid]) -> Scenario:
    keys = usm.UserKeys(usm.UsmUser(USER, "SHA", AUTH, "AES", PRIV))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect((server.address, server.port))
        sock.send(encode_discovery(1))
        _message, params, _scoped = decode_v3_response(sock.recv(65536))
    requests, names = [], []
    for index in range(REQUESTS):
        oid = oids[(index * 7) % len(oids)]
        pdu = Pdu(0xA0, FIRST_ID + index, 0, 0, [(oid, NULL)])
        requests.append(encode_v3_request(keys, params.engine_id, params.boots, params.time,
                                          pdu, msg_id=FIRST_ID + index, salt=index))
        names.append(oid)

    def check(response: bytes, index: int) -> int:  # MAC verified, decrypted
        try:
            pdu = decode_v3_response(response, keys)[2].pdu
        except Exception:
            return 0
        return 1 if pdu.error_status == 0 and pdu.varbinds[0][0] == names[index] else 0

    return requests, response_id, check


def main() -> None:
    quick = "--quick" in sys.argv
    seconds, rounds = (1.5, 1) if quick else (2.0, 7)
    if len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(0, {CLIENT_CORE})
    servers: list[Server] = []
    load_before = os.getloadavg()
    try:
        ours = start_emulator("127.30.0.1", free_port(kind=socket.SOCK_DGRAM), SERVER_CORE)
        servers.append(ours)
        items = servable(walk(ours))
        servers.append(start_snmpd_serving(items, "127.30.0.2", free_port(kind=socket.SOCK_DGRAM),
                                           SERVER_CORE))
        oids = [oid for oid, _ in items]
        walked = [o for o, _ in servable(walk(servers[1]))]
        if walked != oids:
            raise RuntimeError(f"snmpd serves {len(walked)} objects, the printer {len(oids)}")
        samples: dict[tuple[str, str], list[tuple[LoadResult, float]]] = {}
        for round_number in range(rounds):
            for name in GOALS:
                for server in servers:
                    scenario = (get_scenario(oids) if name == "get" else bulk_scenario(oids)
                                if name == "bulk" else v3_scenario(server, oids))
                    result, cpu = measure(server, scenario, seconds)
                    samples.setdefault((server.name, name), []).append((result, cpu))
                    print(f"round {round_number + 1} {name:4} {server.name:24} "
                          f"{result.oid_rate if name == 'bulk' else result.rate:10,.0f}/s "
                          f"cpu {cpu / max(result.answers, 1) * 1e6:5.1f} us/answer "
                          f"bad {result.bad} lost {result.lost}", flush=True)
    finally:
        for server in servers:
            server.stop()
    write_section("printer-path", COMMAND, report(servers, samples, seconds, rounds, len(oids),
                                                  load_before))


def _summary(runs: list[tuple[LoadResult, float]], name: str) -> dict[str, float]:
    def rate(run: tuple[LoadResult, float]) -> float:
        return run[0].oid_rate if name == "bulk" else run[0].rate

    def cpu(run: tuple[LoadResult, float]) -> float:  # us per answer (per OID for GETBULK)
        counted = run[0].oids if name == "bulk" else run[0].answers
        return run[1] / max(counted, 1) * 1e6

    return {"best": max(map(rate, runs)), "median": statistics.median(map(rate, runs)),
            "cpu_best": min(map(cpu, runs)), "cpu_median": statistics.median(map(cpu, runs)),
            "faults": sum(r.bad + r.lost for r, _ in runs)}


def _paired(ours: list[tuple[LoadResult, float]], theirs: list[tuple[LoadResult, float]],
            name: str) -> tuple[float, float, float]:
    """Throughput ratio of the two servers within each round (measured back to back, so under
    much the same load from other jobs): median, lowest, highest."""
    ratios = [(a.oid_rate / max(b.oid_rate, 1e-9)) if name == "bulk" else
              (a.rate / max(b.rate, 1e-9)) for (a, _), (b, _) in zip(ours, theirs, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


def report(servers: list[Server], samples: dict[tuple[str, str], list[tuple[LoadResult, float]]],
           seconds: float, rounds: int, objects: int,
           load_before: tuple[float, float, float]) -> str:
    ours, theirs = servers[0].name, servers[1].name
    rows, verdicts = [], []
    for name, label in (("get", "GET 1 OID"), ("bulk", "GETBULK 25 (per OID)"),
                        ("v3", "v3 authPriv GET")):
        a, b = _summary(samples[ours, name], name), _summary(samples[theirs, name], name)
        unit = "OIDs/s" if name == "bulk" else "answers/s"
        for server, s in ((ours, a), (theirs, b)):
            rows.append(f"| {label} | {server} | {s['best']:,.0f} {unit} (median "
                        f"{s['median']:,.0f}) | {s['cpu_best']:.1f} us (median "
                        f"{s['cpu_median']:.1f}) |" + (f" {s['faults']:.0f} lost/bad" if
                                                       s["faults"] else ""))
        cpu_ratio = b["cpu_best"] / a["cpu_best"]
        cpu_median_ratio = b["cpu_median"] / a["cpu_median"]
        rate_ratio = a["best"] / b["best"]
        measured = rate_ratio if name == "v3" else cpu_ratio
        paired = _paired(samples[ours, name], samples[theirs, name], name)
        verdicts.append(
            f"{label}: CPU per answer {cpu_ratio:.2f}x better than snmpd (medians "
            f"{cpu_median_ratio:.2f}x), throughput {rate_ratio:.2f}x (medians "
            f"{a['median'] / b['median']:.2f}x; round by round, median {paired[0]:.2f}x, "
            f"{paired[1]:.2f}x to {paired[2]:.2f}x); goal {GOALS[name]}x "
            f"{'(throughput)' if name == 'v3' else '(CPU)'}: "
            f"{'met' if measured >= GOALS[name] else 'MISSED'}")
    load = os.getloadavg()
    return (
        f"The emulator as users run it (`protolab printers emulate --profile "
        f"hp-color-laserjet-m577`, usage simulation on) and net-snmp's snmpd serving the same "
        f"{objects} objects with the printer's values at start (`override` lines, snmpd's own "
        f"modules left out with `-I`; both walks compared equal before measuring). Server "
        f"pinned to core {SERVER_CORE}, load client (64 in flight, every answer checked; v3 "
        f"answers MAC-verified and decrypted) on core {CLIENT_CORE}; {rounds} interleaved rounds "
        f"of {seconds:.1f} s. CPU is the server's user+system time per answer (per OID for "
        f"GETBULK) over the round, best and median of the rounds.\n\n"
        "| scenario | server | throughput | server CPU per answer |\n|---|---|---|---|\n"
        + "\n".join(rows) + "\n\n" + "\n".join(f"- {v}" for v in verdicts)
        + f"\n- load average (1, 5, 15 min) at the start: {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, "
        "other jobs running: throughput is the noisier figure, CPU per answer the steadier)\n")


if __name__ == "__main__":
    main()
