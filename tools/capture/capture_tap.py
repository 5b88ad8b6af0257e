"""The capture edge: a ``Tap`` runtimes call with every send and receive, writing pcap files.

```python
tap = CaptureTap.open("run.pcap", decrypted="run-plain.pcap", key="LabKey")
tap("sent", ("127.0.0.1", 18801), ("127.20.0.1", 18810), "udp", frame, clock.wall())
tap.close()
```

The time is the caller's (a ``protolab.clock.Clock``'s ``wall()``): nothing here reads a clock.
Every call is written and flushed at once, so a capture can be read while the lab runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Protocol

from kantech_proto.wire_profile import DEFAULT_PROFILE, WireProfile
from protolab.errors import ConfigurationError, UsageError
from protolab.logs import get_logger
from tools.capture.decrypted_twin import DecryptedTwin
from tools.capture.errors import CaptureError
from tools.capture.packet_builder import Address, Direction, PacketSynthesizer, Transport
from tools.capture.pcap_format import global_header, packet_record


class Tap(Protocol):
    """What a runtime calls for every chunk of bytes it sends (``"sent"``) or receives."""

    def __call__(self, direction: Direction, local_addr: Address, peer_addr: Address,
                 transport: Transport, data: bytes, timestamp: float) -> None: ...


class CaptureWriter:
    """One pcap stream: packets synthesised from tap calls, ``transform`` applied to IP
    payloads (the decrypted twin), written to ``sink``."""

    def __init__(self, sink: BinaryIO, name: str,
                 transform: Callable[[bytes], bytes] | None = None) -> None:
        self.sink, self.name, self.transform = sink, name, transform
        self.packets = 0
        self._builder = PacketSynthesizer()
        self._write(global_header())

    def data(self, direction: Direction, local: Address, peer: Address, transport: Transport,
             payload: bytes, timestamp: float) -> None:
        if self.transform is not None and transport != "serial":
            payload = self.transform(payload)
        self._frames(self._builder.frames(direction, local, peer, transport, payload), timestamp)

    def tcp_open(self, direction: Direction, local: Address, peer: Address,
                 timestamp: float) -> None:
        self._frames(self._builder.tcp_open(direction, local, peer), timestamp)

    def tcp_close(self, direction: Direction, local: Address, peer: Address,
                  timestamp: float) -> None:
        self._frames(self._builder.tcp_close(direction, local, peer), timestamp)

    def _frames(self, frames: list[bytes], timestamp: float) -> None:
        self._write(b"".join(packet_record(timestamp, frame) for frame in frames))
        self.packets += len(frames)

    def _write(self, data: bytes) -> None:
        if self.sink.closed:
            raise UsageError(f"capture {self.name} is closed")
        try:
            self.sink.write(data)
            self.sink.flush()
        except OSError as exc:
            raise CaptureError(f"capture {self.name}: cannot write: {exc.strerror or exc}") \
                from None


_log = get_logger("tools.capture")


class CaptureTap:
    """A ``Tap`` writing a raw capture, a decrypted twin, or both.

    Runtimes call it from their I/O callbacks and it never raises into them: a capture that
    cannot be written (a full disk, a file gone) is logged once, naming the file and why, and
    stops while the lab and the other capture carry on. Only a call after ``close`` is an error
    (``UsageError``): that is the caller's mistake, not the disk's.
    """

    def __init__(self, writers: list[CaptureWriter]) -> None:
        self.writers = writers
        #: the captures that stopped, with the reason
        self.failed: dict[str, str] = {}

    @classmethod
    def open(cls, pcap: str | Path | None = None, *, decrypted: str | Path | None = None,
             key: str | bytes | None = None, profile: WireProfile = DEFAULT_PROFILE
             ) -> CaptureTap:
        """Create the files (``--pcap``, ``--pcap-decrypted``); the twin needs the site key."""
        if decrypted is not None and key is None:
            raise ConfigurationError("--pcap-decrypted needs the site's AES key to decrypt")
        writers = []
        try:
            if pcap is not None:
                writers.append(CaptureWriter(_create(pcap, "--pcap"), str(pcap)))
            if decrypted is not None and key is not None:
                twin = DecryptedTwin(key, profile)
                writers.append(CaptureWriter(_create(decrypted, "--pcap-decrypted"),
                                             str(decrypted), twin.transform))
        except BaseException:
            for writer in writers:
                writer.sink.close()
            raise
        return cls(writers)

    def __call__(self, direction: Direction, local_addr: Address, peer_addr: Address,
                 transport: Transport, data: bytes, timestamp: float) -> None:
        payload = bytes(data)
        self._each(lambda w: w.data(direction, local_addr, peer_addr, transport, payload,
                                    timestamp))

    def tcp_open(self, direction: Direction, local_addr: Address, peer_addr: Address,
                 timestamp: float) -> None:
        """A TCP connection opened; "sent" when the local end connected."""
        self._each(lambda w: w.tcp_open(direction, local_addr, peer_addr, timestamp))

    def tcp_close(self, direction: Direction, local_addr: Address, peer_addr: Address,
                  timestamp: float) -> None:
        """A TCP connection closed; "sent" when the local end closed first."""
        self._each(lambda w: w.tcp_close(direction, local_addr, peer_addr, timestamp))

    def _each(self, write: Callable[[CaptureWriter], None]) -> None:
        for writer in list(self.writers):
            try:  # a closed capture's UsageError is the caller's mistake: it is not caught
                write(writer)
            except CaptureError as exc:
                self.writers.remove(writer)
                self.failed[writer.name] = str(exc)
                with contextlib.suppress(OSError):
                    writer.sink.close()
                _log.error("capture.stopped", capture=writer.name, packets=writer.packets,
                           reason=str(exc))

    def close(self) -> None:
        for writer in self.writers:
            writer.sink.close()

    def __enter__(self) -> CaptureTap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _create(path: str | Path, flag: str) -> BinaryIO:
    try:
        return open(path, "wb")  # closed by CaptureTap.close
    except OSError as exc:
        raise ConfigurationError(f"{flag} {path}: cannot create the capture: "
                                 f"{exc.strerror or exc}") from None
