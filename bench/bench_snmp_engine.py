"""SNMP engine throughput, side by side: protolab vs net-snmp's snmpd vs snmpsim, same tree, same client.

Each server runs pinned to core 0 and serves the same 401-OID Printer-MIB-shaped tree (checked by
walking every server before measuring); the load client (bench/snmp_load.py) runs pinned to core 1
with 64 requests in flight. Scenarios: GET of 1 OID, GETBULK of 25 OIDs, SNMPv3 authPriv
(HMAC-SHA-96 + AES-128) GET. Rounds are interleaved across servers and each server's best round
is kept (other jobs on the machine preempt whichever server runs; every server gets as many
chances), with the median and the CPU time per answer beside it. Goals (issue 4): GET and GETBULK
>= 1.2x snmpd, v3 >= 0.5x snmpd.

``.venv/bin/python -m bench snmp_engine`` (snmpsim is pip-installed into its own virtualenv on
first run; ``--quick`` for one short round).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Callable

from bench.benchmarks_md import write_section
from bench.snmp_load import LoadClient, LoadResult, printer_tree
from bench.snmp_servers import AUTH, PRIV, USER, Server, start_protolab, start_snmpd, start_snmpsim
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
from ekm_proto.snmp.types import SnmpType
from protolab.ports import free_port

IN_FLIGHT = 64
BULK = 25
REQUESTS = 2048
FIRST_ID = 10_000
SERVER_CORE, CLIENT_CORE = 0, 1
NULL = (SnmpType.NULL, None)
PUBLIC = Community(b"public")
Scenario = tuple[list[bytes], Callable[[bytes], int], Callable[[bytes, int], int]]


def get_scenario() -> Scenario:
    tree = printer_tree()
    requests, expected = [], []
    for index in range(REQUESTS):
        oid, value = tree[(index * 7) % len(tree)]
        pdu = Pdu(0xA0, FIRST_ID + index, 0, 0, [(oid, NULL)])
        requests.append(encode_community_request(PUBLIC, pdu))
        expected.append(ber.varbind_tlv(oid, value[0], value[1]))

    def check(response: bytes, index: int) -> int:  # the exact VarBind closes the message
        return 1 if response.endswith(expected[index]) and b"\x02\x01\x00\x02\x01\x00" in \
            response[:40] else 0

    return requests, response_id, check


def bulk_scenario() -> Scenario:
    tree = printer_tree()
    requests, starts = [], []
    for index in range(REQUESTS):
        start = (index * 13) % (len(tree) - BULK - 1)
        pdu = Pdu(0xA5, FIRST_ID + index, 0, BULK, [(tree[start][0], NULL)])
        requests.append(encode_community_request(PUBLIC, pdu))
        starts.append(start)

    def check(response: bytes, index: int) -> int:
        end = len(response)
        m_start, m_stop = ber.expect(response, 0, end, 0x30)
        _version, pos = ber.decode_int32(response, m_start, m_stop)
        _c, pos = ber.expect(response, pos, m_stop, 0x04)
        _tag, p_start, p_stop = ber.read_tlv(response, pos, m_stop)
        _rid, pos = ber.decode_int32(response, p_start, p_stop)
        status, pos = ber.decode_int32(response, pos, p_stop)
        _index, pos = ber.decode_int32(response, pos, p_stop)
        v_start, v_stop = ber.expect(response, pos, p_stop, 0x30)
        first = tree[starts[index] + 1]
        if status or not response.startswith(ber.varbind_tlv(first[0], *first[1]), v_start):
            return 0
        count = 0
        while v_start < v_stop:
            v_start = ber.read_tlv(response, v_start, v_stop)[2]
            count += 1
        return count if count == BULK else 0

    return requests, response_id, check


def discover(server: Server) -> tuple[bytes, int, int]:
    """Engine ID, boots and time of a server (RFC 3414 4: an unauthenticated request)."""
    request = encode_discovery(1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect((server.address, server.port))
        sock.send(request)
        _message, params, _scoped = decode_v3_response(sock.recv(65536))
    return params.engine_id, params.boots, params.time


def v3_scenario(server: Server) -> Scenario:
    tree = printer_tree()
    user = usm.UserKeys(usm.UsmUser(USER, "SHA", AUTH, "AES", PRIV))
    engine_id, boots, engine_time = discover(server)
    requests, expected = [], []
    for index in range(REQUESTS):
        oid, value = tree[(index * 7) % len(tree)]
        pdu = Pdu(0xA0, FIRST_ID + index, 0, 0, [(oid, NULL)])
        requests.append(encode_v3_request(user, engine_id, boots, engine_time, pdu,
                                          msg_id=FIRST_ID + index, salt=index,
                                          context_name=server.context_name))
        expected.append((oid, value))

    def check(response: bytes, index: int) -> int:  # MAC verified, decrypted, value compared
        try:
            _message, _params, scoped = decode_v3_response(response, user)
        except Exception:
            return 0
        pdu = scoped.pdu
        return 1 if pdu.error_status == 0 and pdu.varbinds == [expected[index]] else 0

    return requests, response_id, check


def walk_matches_tree(server: Server) -> bool:
    """Every server must serve exactly the benchmark tree: a GETBULK walk from the root."""
    tree = printer_tree()
    walked: list[tuple[tuple[int, ...], object]] = []
    oid: tuple[int, ...] = (1, 3)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.connect((server.address, server.port))
        for request_id in range(1, 100):
            pdu = Pdu(0xA5, request_id, 0, 20, [(oid, NULL)])
            sock.send(encode_community_request(PUBLIC, pdu))
            varbinds = decode_community_message(sock.recv(65536)).pdu.varbinds
            for name, value in varbinds:
                if value[0] == SnmpType.END_OF_MIB_VIEW:
                    return walked == tree
                walked.append((name, value))
                oid = name
    return False


def measure(server: Server, scenario: Scenario, seconds: float) -> tuple[LoadResult, float]:
    requests, id_of, check = scenario
    client = LoadClient((server.address, server.port), requests, FIRST_ID, id_of, check,
                        in_flight=IN_FLIGHT)
    marks: list[float] = []
    result = asyncio.run(client.run(seconds, on_window=lambda _edge: marks.append(
        server.cpu_seconds())))
    return result, marks[1] - marks[0]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        from bench.snmp_servers import serve_protolab

        serve_protolab(sys.argv[2], int(sys.argv[3]))
        return
    quick = "--quick" in sys.argv
    seconds, rounds = (1.5, 1) if quick else (2.0, 7)
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) >= 2:
        os.sched_setaffinity(0, {CLIENT_CORE})
    servers: list[Server] = []
    notes: list[str] = []
    try:
        servers.append(start_protolab("127.30.0.1", free_port(kind=socket.SOCK_DGRAM), SERVER_CORE))
        servers.append(start_snmpd("127.30.0.2", free_port(kind=socket.SOCK_DGRAM), SERVER_CORE))
        try:
            snmpsim = start_snmpsim("127.30.0.3", free_port(kind=socket.SOCK_DGRAM), SERVER_CORE)
        except RuntimeError as exc:
            snmpsim = None
            notes.append(f"snmpsim did not start: {exc}")
        if snmpsim is None:
            notes.append("snmpsim: not measured (could not be installed or started)")
        else:
            servers.append(snmpsim)
        for server in servers:
            if not walk_matches_tree(server):
                raise RuntimeError(f"{server.name} does not serve the benchmark tree")
        scenarios = {"get": lambda s: get_scenario(), "bulk": lambda s: bulk_scenario(),
                     "v3": v3_scenario}
        built = {(s.name, name): make(s) for s in servers for name, make in scenarios.items()}
        samples: dict[tuple[str, str], list[tuple[LoadResult, float]]] = {k: [] for k in built}
        for round_number in range(rounds):
            for name in scenarios:
                for server in servers:
                    if name == "v3":  # fresh engine time: requests stay inside the 150 s window
                        built[server.name, name] = v3_scenario(server)
                    result, cpu = measure(server, built[server.name, name], seconds)
                    samples[server.name, name].append((result, cpu))
                    print(f"round {round_number + 1} {name:4} {server.name:16} "
                          f"{result.rate:9,.0f} answers/s {result.oid_rate:10,.0f} OIDs/s "
                          f"cpu {cpu / result.seconds:4.2f} bad {result.bad} "
                          f"lost {result.lost}",
                          flush=True)
    finally:
        for server in servers:
            server.stop()
    write_section("snmp-engine", "make bench  (or: .venv/bin/python -m bench snmp_engine)",
                  report(servers, samples, seconds, rounds, notes))


def report(servers: list[Server], samples: dict[tuple[str, str], list[tuple[LoadResult, float]]],
           seconds: float, rounds: int, notes: list[str]) -> str:
    def rate(result: LoadResult, name: str) -> float:
        return result.oid_rate if name == "bulk" else result.rate

    def summary(server: str, name: str) -> tuple[float, float, float, int]:
        """Best rate, median rate, CPU per answer in the best run, lost+bad in all runs."""
        runs = sorted(samples[server, name], key=lambda run: rate(run[0], name))
        result, cpu = runs[-1]
        faults = sum(r.bad + r.lost for r, _cpu in runs)
        return (rate(result, name), rate(runs[len(runs) // 2][0], name),
                cpu / max(result.answers, 1) * 1e6, faults)

    snmpd = "net-snmp snmpd"
    rows = []
    for server in servers:
        cells = []
        for name in ("get", "bulk", "v3"):
            best, median, per_answer, faults = summary(server.name, name)
            ratio = best / summary(snmpd, name)[0]
            cells.append(f"{best:,.0f} ({ratio:.2f}x; median {median:,.0f}; {per_answer:.0f} us "
                         f"CPU/answer)" + (f", {faults} lost/bad" if faults else ""))
        rows.append(f"| {server.name} | " + " | ".join(cells) + " |")
    verdicts = []
    for name, goal in {"get": 1.2, "bulk": 1.2, "v3": 0.5}.items():
        ours, theirs = summary("protolab", name), summary(snmpd, name)
        ratio, median_ratio = ours[0] / theirs[0], ours[1] / theirs[1]
        cpu_ratio = theirs[2] / ours[2]  # answers per CPU-second, relative to snmpd
        verdicts.append(f"{name}: best {ratio:.2f}x snmpd (median vs median {median_ratio:.2f}x, "
                        f"answers per CPU-second {cpu_ratio:.2f}x), goal {goal}x: "
                        f"{'met' if ratio >= goal else 'MISSED'}")
    load = os.getloadavg()
    return (
        f"Same 401-OID Printer-MIB-shaped tree (bench/snmp_load.py, verified by a full walk of "
        f"every server before measuring), served on loopback; each server pinned to core "
        f"{SERVER_CORE}, the load client (protolab's BER codec, {IN_FLIGHT} requests in flight, "
        f"every answer checked: request id and value; v3 answers MAC-verified and decrypted) on "
        f"core {CLIENT_CORE}. {rounds} interleaved rounds of {seconds:.1f} s per server and "
        f"scenario; each server's best round is shown (it is the least disturbed: other jobs "
        f"share this 2-core machine and preempt whichever server is running), the median "
        f"beside it. snmpd serves the tree from one `override` line per OID inside a "
        f"view of exactly those subtrees; snmpsim from a .snmprec of the tree (SNMPv3 context "
        f"\"public\" selects it); protolab from `StaticMibView` through `SnmpServer` (one "
        f"IP_PKTINFO socket).\n\n"
        "| server | GET 1 OID, req/s | GETBULK 25, OIDs/s | v3 authPriv GET, req/s |\n"
        "|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "Ratios are best against snmpd's best; CPU is the server's user+system time per "
        "answer in its best run (the least noise-sensitive comparison).\n\n"
        + "\n".join(f"- {v}" for v in verdicts) + "\n"
        + "".join(f"- {note}\n" for note in notes)
        + f"- load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )


if __name__ == "__main__":
    main()
