"""A capture that cannot be made says so, with the flag and path; misuse is a UsageError."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
import structlog

from protolab.errors import ConfigurationError, UsageError
from tools.capture.capture_tap import CaptureTap, CaptureWriter
from tools.capture.errors import CaptureError
from tools.capture.packet_builder import PacketSynthesizer


def test_an_uncreatable_file_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"--pcap .*no/x.pcap: cannot create"):
        CaptureTap.open(tmp_path / "no" / "x.pcap")
    with pytest.raises(ConfigurationError, match="--pcap-decrypted"):
        CaptureTap.open(tmp_path / "a.pcap", decrypted=tmp_path / "no" / "b.pcap", key="k")


def test_the_twin_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="needs the site's AES key"):
        CaptureTap.open(decrypted=tmp_path / "b.pcap")


def test_writing_after_close_is_a_usage_error(tmp_path: Path) -> None:
    tap = CaptureTap.open(tmp_path / "a.pcap")
    tap.close()
    with pytest.raises(UsageError, match="is closed"):
        tap("sent", ("127.0.0.1", 1), ("127.0.0.2", 2), "udp", b"x", 1.0)


@pytest.mark.parametrize(("local", "peer", "transport", "match"), [
    (("nowhere", 1), ("127.0.0.1", 2), "udp", "not .IP address, port."),
    (("127.0.0.1", 70000), ("127.0.0.1", 2), "udp", "port 70000"),
    (("127.0.0.1", 1), ("::1", 2), "udp", "not both IPv4 or IPv6"),
    (("127.0.0.1", 1), ("127.0.0.2", 2), "sctp", "not udp, tcp or serial"),
])
def test_bad_tap_calls_are_capture_errors(local: tuple[str, int], peer: tuple[str, int],
                                          transport: str, match: str) -> None:
    with pytest.raises(CaptureError, match=match):
        PacketSynthesizer().frames("sent", local, peer, transport, b"x")  # type: ignore[arg-type]


def test_a_datagram_too_large_for_ip_is_refused() -> None:
    with pytest.raises(CaptureError, match="do not fit one UDP datagram"):
        PacketSynthesizer().frames("sent", ("127.0.0.1", 1), ("127.0.0.1", 2), "udp",
                                   bytes(70000))


def test_large_tcp_writes_are_split_into_segments() -> None:
    frames = PacketSynthesizer().frames("sent", ("127.0.0.1", 40000), ("127.0.0.1", 18802),
                                        "tcp", bytes(100_000))
    assert len(frames) == 3 + 2  # handshake, then two segments
    assert sum(len(f) - 54 for f in frames[3:]) == 100_000


class _FullDisk(io.BytesIO):
    """A file system that fills up after the pcap header."""

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() >= 24:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def test_a_capture_that_cannot_be_written_stops_alone_and_says_why() -> None:
    """The runtime calling the tap must not fail: the full capture stops (logged once, naming
    the file), the other one carries on."""
    good = io.BytesIO()
    tap = CaptureTap([CaptureWriter(_FullDisk(), "full.pcap"), CaptureWriter(good, "ok.pcap")])
    with structlog.testing.capture_logs() as logs:
        for n in range(3):
            tap("sent", ("127.0.0.1", 1), ("127.0.0.2", 2), "udp", b"x", float(n))
    assert tap.failed == {"full.pcap": "capture full.pcap: cannot write: No space left on device"}
    assert [(e["event"], e["capture"]) for e in logs] == [("capture.stopped", "full.pcap")]
    assert len(good.getvalue()) == 24 + 3 * (16 + 42 + 1)  # every datagram still captured
