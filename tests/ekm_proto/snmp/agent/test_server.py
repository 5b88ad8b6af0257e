"""The server over real loopback sockets, read by outside managers: net-snmp's command line tools,
pysnmp's asyncio manager, and a pysnmp command responder serving the same data for comparison."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import time
from typing import Any

import pytest

from ekm_proto.snmp.agent.server import SnmpServer
from ekm_proto.snmp.agent.static_view import StaticAgent, StaticDirectory, StaticMibView
from ekm_proto.snmp.message import CommunityMessage, Pdu, encode_community_message
from ekm_proto.snmp.types import SnmpType
from protolab.ports import free_port
from tests.ekm_proto.snmp.agent_setup import (
    ADDRESSES,
    PASSWORDS,
    SECURITY,
    SYS_DESCR,
    CliRunner,
    engine_id,
    needs_net_snmp,
    printer_items,
)

DESCR_LINE = '.1.3.6.1.2.1.1.1.0 = STRING: "HP Color LaserJet M577"'
ITEMS = printer_items()
FAST = ["-t", "1", "-r", "0"]


def target(server: SnmpServer, index: int = 0) -> str:
    return f"{ADDRESSES[index]}:{server.port}"


async def cli(snmp_cli: CliRunner, tool: str, *args: str) -> Any:
    """Run a net-snmp tool off the event loop, which must keep serving meanwhile."""
    return await asyncio.to_thread(snmp_cli, tool, *args)


# ----------------------------------------------------------------------------- net-snmp tools

@needs_net_snmp
@pytest.mark.parametrize("version", ["1", "2c"])
async def test_snmpget_v1_v2c(server: SnmpServer, snmp_cli: CliRunner, version: str) -> None:
    run = await cli(snmp_cli, "snmpget", f"-v{version}", "-c", "public", *FAST,
                    target(server, 2), ".1.3.6.1.2.1.1.1.0", ".1.3.6.1.2.1.43.10.2.1.4.1.1")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [DESCR_LINE, ".1.3.6.1.2.1.43.10.2.1.4.1.1 = Counter32: 123456"]


@needs_net_snmp
@pytest.mark.parametrize(("tool", "version", "extra"), [
    ("snmpwalk", "1", []), ("snmpwalk", "2c", []), ("snmpbulkwalk", "2c", ["-Cr3"]),
    ("snmpbulkwalk", "2c", ["-Cr50"])])
async def test_walks_return_every_object_in_order(server: SnmpServer, snmp_cli: CliRunner,
                                                  tool: str, version: str,
                                                  extra: list[str]) -> None:
    run = await cli(snmp_cli, tool, f"-v{version}", "-c", "monitor", *FAST, *extra,
                    "-Oq", target(server, 4), ".1")
    assert run.returncode == 0, run.stderr
    names = [line.split(" ", 1)[0] for line in run.stdout.splitlines()
             if line.startswith(".") and "No more variables" not in line]
    expected = ["." + ".".join(map(str, oid)) for oid, value in ITEMS
                if not (version == "1" and value[0] == SnmpType.COUNTER64)]
    assert names == expected


V3_USERS = [
    ("sha-aes", ["-l", "authPriv", "-a", "SHA", "-A", PASSWORDS["auth"], "-x", "AES", "-X",
                 PASSWORDS["priv"]]),
    ("sha256-aes", ["-l", "authPriv", "-a", "SHA-256", "-A", PASSWORDS["auth"], "-x", "AES",
                    "-X", PASSWORDS["priv"]]),
    ("sha224-aes", ["-l", "authPriv", "-a", "SHA-224", "-A", PASSWORDS["auth"], "-x", "AES",
                    "-X", PASSWORDS["priv"]]),
    ("md5-des", ["-l", "authPriv", "-a", "MD5", "-A", PASSWORDS["auth"], "-x", "DES", "-X",
                 PASSWORDS["priv"]]),
    ("sha512-auth", ["-l", "authNoPriv", "-a", "SHA-512", "-A", PASSWORDS["auth"]]),
    ("sha384-auth", ["-l", "authNoPriv", "-a", "SHA-384", "-A", PASSWORDS["auth"]]),
    ("nobody-noauth", ["-l", "noAuthNoPriv"]),
]


@needs_net_snmp
@pytest.mark.parametrize(("user", "security"), V3_USERS, ids=[u for u, _ in V3_USERS])
async def test_snmpv3_users_with_net_snmp(server: SnmpServer, snmp_cli: CliRunner, user: str,
                                          security: list[str]) -> None:
    run = await cli(snmp_cli, "snmpget", "-v3", "-u", user, *security, *FAST, target(server, 1),
                    ".1.3.6.1.2.1.1.1.0")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == DESCR_LINE
    walk = await cli(snmp_cli, "snmpbulkwalk", "-v3", "-u", user, *security, *FAST, "-Cr7",
                     target(server, 1), ".1.3.6.1.2.1.43")
    assert walk.returncode == 0, walk.stderr
    assert len(walk.stdout.splitlines()) == sum(1 for oid, _ in ITEMS if oid[:7] == (
        1, 3, 6, 1, 2, 1, 43))


@needs_net_snmp
@pytest.mark.parametrize(("security", "message"), [
    (["-u", "sha-aes", "-l", "authPriv", "-a", "SHA", "-A", "wrong-password", "-x", "AES", "-X",
      PASSWORDS["priv"]], "Authentication failure"),
    (["-u", "mallory", "-l", "authPriv", "-a", "SHA", "-A", PASSWORDS["auth"], "-x", "AES", "-X",
      PASSWORDS["priv"]], "Unknown user name"),
    (["-u", "sha512-auth", "-l", "authPriv", "-a", "SHA-512", "-A", PASSWORDS["auth"], "-x",
      "AES", "-X", PASSWORDS["priv"]], "Unsupported security level"),
    (["-u", "sha-aes", "-l", "authNoPriv", "-a", "SHA", "-A", PASSWORDS["auth"]],
     "authorizationError"),
    (["-u", "sha-aes", "-l", "authPriv", "-a", "SHA", "-A", PASSWORDS["auth"], "-x", "AES", "-X",
      "wrong-privacy"], "Timeout"),
])
async def test_snmpv3_failures_as_net_snmp_reports_them(server: SnmpServer, snmp_cli: CliRunner,
                                                        security: list[str], message: str
                                                        ) -> None:
    run = await cli(snmp_cli, "snmpget", "-v3", *security, *FAST, target(server),
                    ".1.3.6.1.2.1.1.1.0")
    assert run.returncode != 0
    assert message in run.stdout + run.stderr


@needs_net_snmp
async def test_wrong_community_is_silently_dropped(server: SnmpServer,
                                                   snmp_cli: CliRunner) -> None:
    run = await cli(snmp_cli, "snmpget", "-v2c", "-c", "private", *FAST, target(server),
                    ".1.3.6.1.2.1.1.1.0")
    assert "Timeout" in run.stdout + run.stderr
    assert server.stats.dropped["bad-community"] == 1


# ----------------------------------------------------------------------------- pysnmp manager

async def test_pysnmp_manager_v2c_and_v3(server: SnmpServer) -> None:
    import pysnmp.hlapi.v3arch.asyncio as hl  # a test dependency: missing means a broken venv
    engine = hl.SnmpEngine()
    transport = await hl.UdpTransportTarget.create((ADDRESSES[3], server.port), timeout=1,
                                                   retries=1)
    users = [hl.CommunityData("public", mpModel=1), hl.CommunityData("public", mpModel=0),
             hl.UsmUserData("sha-aes", PASSWORDS["auth"], PASSWORDS["priv"],
                            authProtocol=hl.USM_AUTH_HMAC96_SHA,
                            privProtocol=hl.USM_PRIV_CFB128_AES),
             hl.UsmUserData("md5-des", PASSWORDS["auth"], PASSWORDS["priv"],
                            authProtocol=hl.USM_AUTH_HMAC96_MD5,
                            privProtocol=hl.USM_PRIV_CBC56_DES),
             hl.UsmUserData("sha256-aes", PASSWORDS["auth"], PASSWORDS["priv"],
                            authProtocol=hl.USM_AUTH_HMAC192_SHA256,
                            privProtocol=hl.USM_PRIV_CFB128_AES)]
    for auth in users:
        error, status, _index, varbinds = await hl.get_cmd(
            engine, auth, transport, hl.ContextData(),
            hl.ObjectType(hl.ObjectIdentity("1.3.6.1.2.1.1.1.0")))
        assert error is None and int(status) == 0, (auth, error, status)
        assert bytes(varbinds[0][1]) == b"HP Color LaserJet M577"
    walked = []
    async for error, status, _index, varbinds in hl.bulk_walk_cmd(
            engine, users[2], transport, hl.ContextData(), 0, 4,
            hl.ObjectType(hl.ObjectIdentity("1.3")), lexicographicMode=True):
        assert error is None and int(status) == 0
        walked += [tuple(name) for name, _value in varbinds]
    assert walked == [oid for oid, _ in ITEMS]
    engine.close_dispatcher()


# ------------------------------------------------------------- pysnmp responder as reference

REFERENCE_RUNS = [
    ("snmpwalk", ["-v1"], [".1"]),
    ("snmpwalk", ["-v2c"], [".1"]),
    ("snmpbulkwalk", ["-v2c", "-Cr4"], [".1"]),
    ("snmpbulkwalk", ["-v2c", "-Cr2"], [".1.3.6.1.2.1.43"]),
    ("snmpget", ["-v2c"], [".1.3.6.1.2.1.1.9.0", ".1.3.6.1.2.1.1.1.7", ".1.3.6.1.2.1.1.3.0"]),
    ("snmpget", ["-v1"], [".1.3.6.1.4.1.11.2.3.9.4.2.1.1.0"]),
    ("snmpgetnext", ["-v1"], [".1.3.6.1.2.1.43.11.1.1.10.1.1", ".1.3.6.1.2.1.1.5.0"]),
    ("snmpgetnext", ["-v2c"], [".1.3.6.1.2.1.43.11.1.1.10.1.1", ".1.3.6.1.4.1.11.2.3.9.4.2.1.2.0"]),
]


@needs_net_snmp
async def test_same_answers_as_a_pysnmp_responder(server: SnmpServer,
                                                  snmp_cli: CliRunner) -> None:
    from tests.ekm_proto.snmp.pysnmp_responder import start_responder, stop_responder

    reference_port = free_port(kind=socket.SOCK_DGRAM)
    responder = await start_responder(ITEMS, "127.30.1.1", reference_port)
    try:
        for tool, options, oids in REFERENCE_RUNS:
            ours = await cli(snmp_cli, tool, *options, "-c", "public", *FAST, target(server),
                             *oids)
            theirs = await cli(snmp_cli, tool, *options, "-c", "public", *FAST,
                               f"127.30.1.1:{reference_port}", *oids)
            # pysnmp keeps repeating endOfMibView in GETBULK, snmpd and protolab stop: compare data
            assert _data(ours.stdout + ours.stderr) == _data(theirs.stdout + theirs.stderr), (
                tool, options, oids)
            assert ours.returncode == theirs.returncode
            assert "Timeout" not in ours.stdout + ours.stderr
    finally:
        stop_responder(responder)


def _data(output: str) -> list[str]:
    lines = [line for line in output.splitlines() if "No more variables" not in line]
    assert lines, "no output"
    return lines


# ------------------------------------------------------------------------ robustness on the port

def _garbage(rng: random.Random) -> list[bytes]:
    valid = encode_community_message(CommunityMessage(1, b"public", Pdu(0xA0, 7, 0, 0, [
        (SYS_DESCR, (SnmpType.NULL, None))])))
    samples = [b"", b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x80\x00\x00",
               b"\xff" * 1000, bytes(65000), valid[:-3], valid + b"\x00",
               valid.replace(b"\x02\x01\x01", b"\x02\x01\x02", 1),
               valid.replace(b"public", b"publiX"),
               b"\x30\x82\xff\xf0" + bytes(100)]
    for _ in range(300):
        blob = bytearray(valid)
        for _flip in range(rng.randrange(1, 4)):
            blob[rng.randrange(len(blob))] = rng.randrange(256)
        samples.append(bytes(blob))
        samples.append(rng.randbytes(rng.randrange(1, 200)))
    return samples


async def test_garbage_is_dropped_counted_and_valid_traffic_continues(
        server: SnmpServer) -> None:
    rng = random.Random(4)
    garbage = _garbage(rng)
    valid = encode_community_message(CommunityMessage(1, b"public", Pdu(0xA0, 99, 0, 0, [
        (SYS_DESCR, (SnmpType.NULL, None))])))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect((ADDRESSES[0], server.port))
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        for blob in garbage:
            await loop.sock_sendall(sock, blob)
        await loop.sock_sendall(sock, valid)
        answers = []
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            answer = await asyncio.wait_for(loop.sock_recv(sock, 65536), 2)
            answers.append(answer)
            if b"\x02\x01\x63" in answer:  # request-id 99
                break
    stats = server.stats
    assert stats.received == len(garbage) + 1
    assert stats.answered == len(answers) and stats.answered >= 1
    assert stats.total_dropped == len(garbage) - (len(answers) - 1)
    assert set(stats.dropped) <= {"truncated", "bad-length", "unexpected-tag", "bad-value",
                                  "trailing-bytes", "bad-version", "unknown-pdu",
                                  "bad-community", "unexpected-pdu"}


async def test_answers_come_from_the_address_asked(server: SnmpServer) -> None:
    request = encode_community_message(CommunityMessage(0, b"public", Pdu(0xA0, 5, 0, 0, [
        (SYS_DESCR, (SnmpType.NULL, None))])))
    loop = asyncio.get_running_loop()
    for address in ADDRESSES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            sock.bind(("127.0.0.1", 0))
            await loop.sock_sendto(sock, request, (address, server.port))
            _data, source = await asyncio.wait_for(loop.sock_recvfrom(sock, 65536), 2)
            assert source == (address, server.port)


async def test_response_delay_is_honoured(view: StaticMibView, free_udp_port: int) -> None:
    directory = StaticDirectory({ADDRESSES[0]: StaticAgent(view, engine_id(1), delay=0.3)})
    request = encode_community_message(CommunityMessage(1, b"public", Pdu(0xA0, 5, 0, 0, [
        (SYS_DESCR, (SnmpType.NULL, None))])))
    async with SnmpServer(directory, SECURITY, port=free_udp_port) as server:
        loop = asyncio.get_running_loop()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            sock.connect((ADDRESSES[0], server.port))
            started = time.monotonic()
            await loop.sock_sendall(sock, request)
            await asyncio.wait_for(loop.sock_recv(sock, 65536), 2)
            assert time.monotonic() - started >= 0.29
            await loop.sock_sendall(sock, request)  # held when the server closes: never sent
            await asyncio.sleep(0.05)
    assert server.stats.delayed == 2 and server.stats.answered == 2


async def test_no_agent_means_no_answer_and_close_frees_the_port(view: StaticMibView,
                                                                 free_udp_port: int) -> None:
    directory = StaticDirectory({ADDRESSES[0]: None})
    request = encode_community_message(CommunityMessage(1, b"public", Pdu(0xA0, 5, 0, 0, [
        (SYS_DESCR, (SnmpType.NULL, None))])))
    server = SnmpServer(directory, SECURITY, port=free_udp_port, bind_address="127.30.0.1")
    await server.start()
    loop = asyncio.get_running_loop()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        sock.connect((ADDRESSES[0], free_udp_port))
        await loop.sock_sendall(sock, request)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(loop.sock_recv(sock, 65536), 0.3)
        assert server.stats.dropped == {"no-agent": 1}
        directory.agents[ADDRESSES[0]] = StaticAgent(view, engine_id(1))  # the printer wakes up
        await loop.sock_sendall(sock, request)
        assert await asyncio.wait_for(loop.sock_recv(sock, 65536), 2)
    await server.close()
    again = SnmpServer(directory, SECURITY, port=free_udp_port)
    await again.start()
    assert again.port == free_udp_port
    await again.close()


def test_port_in_use_raises(free_udp_port: int) -> None:
    async def main() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as holder:
            holder.bind(("0.0.0.0", free_udp_port))
            with pytest.raises(OSError):
                await SnmpServer(StaticDirectory(), port=free_udp_port).start()

    asyncio.run(main())


assert os.name == "posix"  # IP_PKTINFO: Linux
