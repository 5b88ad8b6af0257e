"""The IP-Link's TFTP server, fetched from by Debian's tftp-hpa client over loopback."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulators.kantech.tftp_packets import (
    BLOCK_SIZE,
    Ack,
    Data,
    Error,
    ErrorCode,
    Opcode,
    Request,
    TftpDecodeError,
    UnknownOpcodeError,
    decode_packet,
)
from emulators.kantech.tftp_server import TftpServer
from emulators.kantech.tftp_transfer import ReadTransfer
from kantech_proto.errors import DecodeError
from protolab.clock import ManualClock
from protolab.errors import AddressUnavailableError

IMAGES = {
    "kt100.bin": os.urandom(3 * BLOCK_SIZE + 77),
    "kt300-exact.bin": os.urandom(4 * BLOCK_SIZE),  # exact multiple: ends with an empty block
    "empty.bin": b"",
}


@pytest.fixture
async def server() -> AsyncIterator[TftpServer]:
    srv = await TftpServer.start(IMAGES, "127.0.0.1", 0, timeout=0.2, retries=2)
    yield srv
    srv.close()


async def _tftp(port: int, *commands: str) -> tuple[int, str]:
    tftp = shutil.which("tftp")
    if tftp is None:
        pytest.fail("Debian's tftp-hpa client is not installed (apt-get install tftp-hpa)",
                    pytrace=False)
    proc = await asyncio.create_subprocess_exec(
        tftp, "127.0.0.1", str(port), "-m", "binary", "-c", *commands,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 10)
    return proc.returncode or 0, out.decode(errors="replace")


class _Client(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.received: asyncio.Queue[tuple[bytes, tuple[str, int]]] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.received.put_nowait((data, addr))


async def _raw_client() -> tuple[asyncio.DatagramTransport, _Client]:
    transport, proto = await asyncio.get_running_loop().create_datagram_endpoint(
        _Client, local_addr=("127.0.0.1", 0), family=socket.AF_INET)
    return transport, proto


@pytest.mark.parametrize("name", sorted(IMAGES))
async def test_tftp_hpa_fetches_image(server: TftpServer, tmp_path: Path, name: str) -> None:
    local = tmp_path / name
    code, output = await _tftp(server.local_address[1], "get", name, str(local))
    assert code == 0, output
    assert local.read_bytes() == IMAGES[name]
    async with asyncio.timeout(3):  # the client's final ACK crosses loopback
        while server.stats["completed"] < 1:
            await asyncio.sleep(0.005)
    assert server.stats["completed"] == 1
    assert server.active_transfers == 0


async def test_unknown_file_gives_error(server: TftpServer, tmp_path: Path) -> None:
    _, output = await _tftp(server.local_address[1], "get", "nope.bin", str(tmp_path / "x"))
    assert "Error code 1" in output, output
    assert server.stats["not_found"] == 1


async def test_write_request_refused(server: TftpServer, tmp_path: Path) -> None:
    source = tmp_path / "upload.bin"
    source.write_bytes(b"x" * 100)
    _, output = await _tftp(server.local_address[1], "put", str(source), "upload.bin")
    assert "Error code 2" in output, output
    assert server.stats["write_refused"] == 1
    assert server.store.get("upload.bin") is None


async def test_garbage_counted_and_bad_opcode_answered(server: TftpServer) -> None:
    transport, client = await _raw_client()
    try:
        transport.sendto(b"\x01", server.local_address)  # shorter than an opcode: dropped
        transport.sendto(b"\x00\x01nofilename", server.local_address)  # malformed RRQ: dropped
        transport.sendto(b"\x00\x09junk", server.local_address)  # unknown opcode: ERROR 4
        data, _ = await asyncio.wait_for(client.received.get(), 2)
        packet = decode_packet(data)
        assert isinstance(packet, Error) and packet.code == ErrorCode.ILLEGAL_OPERATION
        assert server.stats["garbage"] == 3
        # the server still serves after the garbage
        transport.sendto(Request(Opcode.RRQ, "kt100.bin", "octet").encode(), server.local_address)
        data, tid = await asyncio.wait_for(client.received.get(), 2)
        assert decode_packet(data) == Data(1, IMAGES["kt100.bin"][:BLOCK_SIZE])
        assert tid[1] != server.local_address[1]  # a new TID per transfer
    finally:
        transport.close()


async def test_retransmit_then_give_up_and_unknown_tid() -> None:
    clock = ManualClock()
    server = await TftpServer.start(IMAGES, "127.0.0.1", 0, timeout=1.0, retries=2, clock=clock)
    transport, client = await _raw_client()
    intruder, intruder_client = await _raw_client()
    try:
        transport.sendto(Request(Opcode.RRQ, "kt100.bin", "octet").encode(), server.local_address)
        first, tid = await asyncio.wait_for(client.received.get(), 2)
        intruder.sendto(Ack(1).encode(), tid)
        data, _ = await asyncio.wait_for(intruder_client.received.get(), 2)
        assert decode_packet(data) == Error(ErrorCode.UNKNOWN_TID, "unknown TID")
        clock.advance(0.9)
        assert client.received.empty() and server.active_transfers == 1
        clock.advance(0.1)  # no ACK within the timeout: the same block again
        again, _ = await asyncio.wait_for(client.received.get(), 2)
        assert again == first
        clock.advance(1.0)  # second and last retry
        assert (await asyncio.wait_for(client.received.get(), 2))[0] == first
        clock.advance(1.0)  # out of retries: ERROR, and the transfer is over
        data, _ = await asyncio.wait_for(client.received.get(), 2)
        assert decode_packet(data) == Error(ErrorCode.NOT_DEFINED, "timed out")
        assert server.stats["failed"] == 1 and server.active_transfers == 0
        assert clock.pending == 0
    finally:
        transport.close()
        intruder.close()
        server.close()


async def test_a_taken_port_is_named() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(AddressUnavailableError, match=f"127.0.0.1:{port}.*--tftp-port"):
            await TftpServer.start(IMAGES, "127.0.0.1", port)


async def test_directory_source(tmp_path: Path) -> None:
    (tmp_path / "fw.bin").write_bytes(b"abc" * 400)
    srv = await TftpServer.start(tmp_path, "127.0.0.1", 0)
    try:
        assert srv.store.get("fw.bin") == b"abc" * 400
        assert srv.store.get("../etc/passwd") is None
        out = tmp_path / "out.bin"
        code, output = await _tftp(srv.local_address[1], "get", "fw.bin", str(out))
        assert code == 0 and out.read_bytes() == b"abc" * 400, output
    finally:
        srv.close()


def test_transfer_state_machine_ignores_duplicate_acks() -> None:
    transfer = ReadTransfer(b"a" * BLOCK_SIZE, timeout=1.0)
    assert decode_packet(transfer.start(0.0)) == Data(1, b"a" * BLOCK_SIZE)
    assert decode_packet(transfer.receive(Ack(1), 0.1) or b"") == Data(2, b"")
    assert transfer.receive(Ack(1), 0.2) is None  # duplicate: no sorcerer's apprentice
    assert transfer.receive(Ack(2), 0.3) is None and transfer.done and transfer.failed is None


def test_codec_round_trip_and_errors() -> None:
    for packet in (Request(Opcode.RRQ, "a.bin", "octet"), Data(7, b"xy"), Ack(65535),
                   Error(ErrorCode.FILE_NOT_FOUND, "nope")):
        assert decode_packet(packet.encode()) == packet
    with pytest.raises(UnknownOpcodeError):
        decode_packet(b"\x00\x10")
    for bad in (b"", b"\x00\x04\x00", b"\x00\x03" + b"x" * 600, b"\x00\x05\x00\x01no-nul"):
        with pytest.raises(TftpDecodeError) as info:
            decode_packet(bad)
        assert isinstance(info.value, DecodeError) and info.value.reason == "not-tftp"
