"""Captures written by the tap, read back by Debian's tshark: every checksum good, TCP streams
whole and in order, times as given, and the decrypted twin carrying the WIRE.md plaintext."""

from __future__ import annotations

from pathlib import Path

from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Pulse, StatusQuery
from kantech_proto.serial_frame import Presence, poll_frame
from protolab.clock import ManualClock
from tests.tools.tshark_runner import run_tshark, tshark_fields
from tools.bandwidth.tables_protocols import ETHERNET_IPV4_TCP, ETHERNET_IPV4_UDP
from tools.capture.capture_tap import CaptureTap

KEY = "Lab-Key-0001"
GATEWAY = ("127.0.0.1", 18801)
DEVICE = ("127.20.0.1", 18810)
STREAM_GW = ("127.0.0.1", 18802)
STREAM_DEV = ("127.20.0.1", 40001)
SENDER = bytes.fromhex("5e5510000001")
CHECKS = ("ip.check_checksum:TRUE", "udp.check_checksum:TRUE", "tcp.check_checksum:TRUE")


def frames() -> tuple[bytes, bytes]:
    codec = IpFrameCodec(KEY)
    return (codec.encode(IpFrame(2561, SENDER, 1, 7, StatusQuery())),
            codec.encode(IpFrame(2561, SENDER, 2, 0, Pulse(True))))


def plaintext(sequence: int, event_id: int, command: int, data: bytes) -> bytes:
    """WIRE.md section 1's encrypted section, built from the table, zero-padded to 16."""
    plain = bytes.fromhex("3021") + SENDER + sequence.to_bytes(2, "big") \
        + event_id.to_bytes(4, "big") + bytes((command,)) + data
    return plain + bytes(-len(plain) % 16)


def write_lab(tmp_path: Path) -> tuple[Path, Path, ManualClock]:
    query, pulse = frames()
    clock = ManualClock(0.0, wall_start=1_700_000_000.0)
    raw, plain = tmp_path / "raw.pcap", tmp_path / "plain.pcap"
    with CaptureTap.open(raw, decrypted=plain, key=KEY) as tap:
        tap("sent", GATEWAY, DEVICE, "udp", query, clock.wall())
        clock.advance(0.25)
        tap("received", GATEWAY, DEVICE, "udp", pulse, clock.wall())
        tap.tcp_open("received", STREAM_GW, STREAM_DEV, clock.wall())
        clock.advance(0.5)
        tap("received", STREAM_GW, STREAM_DEV, "tcp", pulse + query, clock.wall())
        tap("sent", STREAM_GW, STREAM_DEV, "tcp", query, clock.wall())
        tap("received", STREAM_GW, STREAM_DEV, "tcp", b"\x99garbage", clock.wall())
        tap.tcp_close("received", STREAM_GW, STREAM_DEV, clock.wall())
        tap("sent", ("127.0.0.5", 0), ("127.0.0.6", 0), "serial",
            poll_frame(3) + Presence(3).encode(), clock.wall())
        tap("sent", ("::1", 18801), ("::1", 18810), "udp", query, clock.wall())
    return raw, plain, clock


def test_every_checksum_is_good_and_tcp_has_nothing_to_complain_about(tmp_path: Path) -> None:
    raw, _, _ = write_lab(tmp_path)
    rows = tshark_fields(raw, ["ip.checksum.status", "udp.checksum.status",
                               "tcp.checksum.status", "tcp.analysis.flags"], prefs=CHECKS)
    assert len(rows) == 2 + 3 + 3 + 4 + 1 + 1  # udp, handshake, data, FIN exchange, serial, v6
    for ip_status, udp_status, tcp_status, analysis in rows:
        assert ip_status in ("1", "")  # 1 = good; IPv6 has no header checksum
        assert (udp_status or tcp_status) == "1"
        assert analysis == ""
    # no warning or error from any dissector (a SYN is only "chat")
    assert run_tshark(raw, "-Y", "_ws.expert.severity >= 0x600000", prefs=CHECKS) == ""
    assert run_tshark(raw, "-Y", "_ws.expert.severity >= 0x200000", prefs=CHECKS) != ""


def test_tcp_stream_reassembles_to_what_was_sent(tmp_path: Path) -> None:
    raw, _, _ = write_lab(tmp_path)
    query, pulse = frames()
    out = run_tshark(raw, "-q", "-z", "follow,tcp,raw,0")
    hexes = [line.strip() for line in out.splitlines()
             if line.strip() and all(ch in "0123456789abcdef" for ch in line.strip())]
    # tshark prints the client's bytes at the margin and the server's indented, in order
    assert "".join(hexes) == (pulse + query).hex() + query.hex() + b"\x99garbage".hex()
    flags = tshark_fields(raw, ["tcp.flags.str"], "-Y", "tcp")
    assert [f[0].replace("·", "") for f in flags][:3] == ["S", "AS", "A"]


def test_times_sizes_and_addresses_are_as_given(tmp_path: Path) -> None:
    raw, _, _ = write_lab(tmp_path)
    rows = tshark_fields(raw, ["frame.time_epoch", "frame.len", "ip.src", "udp.dstport",
                               "data.len"], "-Y", "udp && ip")
    query, pulse = frames()
    assert [float(r[0]) for r in rows] == [1_700_000_000.0, 1_700_000_000.25, 1_700_000_000.75]
    assert [int(r[1]) for r in rows[:2]] == [ETHERNET_IPV4_UDP + len(query),
                                            ETHERNET_IPV4_UDP + len(pulse)]
    assert (rows[0][2], rows[1][2], rows[0][3]) == ("127.0.0.1", "127.20.0.1", "18810")
    assert rows[2][3] == "18899" and rows[2][4] == "5"  # serial poll (4) + presence (1)
    tcp = tshark_fields(raw, ["frame.len", "tcp.len"], "-Y", "tcp.len > 0")
    assert [int(r[0]) - int(r[1]) for r in tcp] == [ETHERNET_IPV4_TCP] * 3


def test_decrypted_twin_carries_the_plaintext_section(tmp_path: Path) -> None:
    raw, plain, _ = write_lab(tmp_path)
    query, pulse = frames()
    rows = tshark_fields(plain, ["data.data"], "-Y", "data")
    twin_query = bytes.fromhex(rows[0][0])
    assert twin_query[0] == 0x9A and twin_query[1:7] == query[1:7]
    assert twin_query[7:-2] == plaintext(1, 7, 0x12, b"")
    assert twin_query[-2:] == query[-2:]  # the checksum as sent
    assert bytes.fromhex(rows[1][0])[7:-2] == plaintext(2, 0, 0x01, b"\x01")
    # two frames in one TCP segment are both decrypted; garbage is kept as it was
    stream = [bytes.fromhex(r[0]) for r in tshark_fields(plain, ["tcp.payload"], "-Y",
                                                         "tcp.len > 0")]
    assert stream[0][:len(pulse)][7:-2] == plaintext(2, 0, 0x01, b"\x01")
    assert stream[0][len(pulse)] == 0x9A and stream[2] == b"\x99garbage"
    # the twin lines up with the raw capture packet for packet
    raw_rows = tshark_fields(raw, ["frame.len", "tcp.seq_raw"])
    assert tshark_fields(plain, ["frame.len", "tcp.seq_raw"]) == raw_rows


def test_a_frame_made_with_another_key_stays_encrypted_in_the_twin(tmp_path: Path) -> None:
    other = IpFrameCodec("another-key").encode(IpFrame(1, SENDER, 1, 0, StatusQuery()))
    plain = tmp_path / "plain.pcap"
    with CaptureTap.open(decrypted=plain, key=KEY) as tap:
        tap("sent", GATEWAY, DEVICE, "udp", other, 1.0)
        tap("sent", GATEWAY, DEVICE, "udp", other[:-1] + bytes((other[-1] ^ 1,)), 2.0)
    rows = tshark_fields(plain, ["data.data"])
    assert bytes.fromhex(rows[0][0]) == other
    assert bytes.fromhex(rows[1][0])[0] == 0x99
