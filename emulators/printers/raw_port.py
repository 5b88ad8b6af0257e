"""The raw printing port (TCP 9100, ``--raw-port``) of every printer, on each printer's own address.

One listening socket serves the whole fleet: the address a connection was made to says which
printer it reached. The bytes go through job_stream (PJL, PCL, PostScript) and pjl_replies (PJL
answers, unsolicited status); each finished job is printed as the control API prints one
(``PrinterState.print_pages``: counters, trays and supplies together). A printer that is
switched off or off the network resets the connection at once (nothing listens there on a real
network); a sleeping one wakes for the job. Idle connections are closed after ``idle`` seconds,
and at most ``max_connections`` are open at once (a flood of connections costs nothing more).
An ``observer`` (``--pcap``) sees each connection open and close and every chunk both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Callable
from typing import Literal, Protocol

from emulators.printers.fleet import PrinterFleet
from emulators.printers.job_stream import JobDone, JobStream, PjlCommand
from emulators.printers.pjl_replies import PjlSession
from emulators.printers.printer_state import PrinterState
from protolab.logs import get_logger

Direction = Literal["sent", "received"]
Address = tuple[str, int]


class PrinterCapture(Protocol):
    """What sees the printers' traffic (``--pcap``; ``tools.capture.CaptureTap`` fits): every
    datagram and chunk, and each TCP connection's opening and closing ("received" when the peer
    did it). The SNMP server takes it as its ``DatagramObserver``."""

    def __call__(self, direction: Direction, local_addr: Address, peer_addr: Address,
                 transport: Literal["udp", "tcp"], data: bytes, timestamp: float) -> None: ...

    def tcp_open(self, direction: Direction, local_addr: Address, peer_addr: Address,
                 timestamp: float) -> None: ...

    def tcp_close(self, direction: Direction, local_addr: Address, peer_addr: Address,
                  timestamp: float) -> None: ...


_log = get_logger("printers.raw")
_TICK = 0.5
_READ = 65536


class RawPortServer:
    """See the module docstring; ``port`` is where it listens once started."""

    def __init__(self, fleet: PrinterFleet, bind: str = "0.0.0.0", port: int = 9100, *,
                 idle: float = 90.0, max_connections: int = 1024,
                 observer: PrinterCapture | None = None) -> None:
        self.fleet = fleet
        self.bind = bind
        self.port = port
        self.idle = idle
        self.max_connections = max_connections
        self.observer = observer
        self.jobs = 0
        self.pages = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accepted, self.bind, self.port,
                                                  reuse_address=True, backlog=1024)
        self.port = int(self._server.sockets[0].getsockname()[1])
        self.fleet.raw_port = self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for task in list(self._open):
                task.cancel()
            await asyncio.gather(*self._open, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
        self.fleet.raw_port = None

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._open.add(task)
        show = self._shower(writer)
        try:
            await self._serve(reader, writer, show)
        except (ConnectionError, OSError):
            pass  # the client went away: whatever it sent was handled as it came
        finally:
            self._open.discard(task)
            show("closed", b"")
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    def _shower(self, writer: asyncio.StreamWriter) -> Callable[[str, bytes], None]:
        """This connection's view for the observer: "sent"/"received" chunks, "eof" (the peer
        closed), then "closed".
        The connection shows from its first byte: one reset at once (a printer that is off)
        never appears, as nothing answered on the wire."""
        observer, clock = self.observer, self.fleet.sim.clock
        local, peer = writer.get_extra_info("sockname"), writer.get_extra_info("peername")
        if observer is None or not local or not peer:
            return lambda _what, _data: None
        here, there = (str(local[0]), int(local[1])), (str(peer[0]), int(peer[1]))
        opened, peer_closed = False, False

        def show(what: str, data: bytes) -> None:
            nonlocal opened, peer_closed
            if what == "eof":
                peer_closed = True
                return
            if what == "closed":
                if opened:
                    observer.tcp_close("received" if peer_closed else "sent", here, there,
                                       clock.wall())
                return
            if not opened:
                observer.tcp_open("received", here, there, clock.wall())
                opened = True
            observer("sent" if what == "sent" else "received", here, there, "tcp", data,
                     clock.wall())
        return show

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     show: Callable[[str, bytes], None]) -> None:
        local = writer.get_extra_info("sockname")
        state = self.fleet.state_at(str(local[0])) if local else None
        if state is None or not self.fleet.reachable(state) or \
                len(self._open) > self.max_connections:
            _reset(writer)
            return
        stream, session = JobStream(), PjlSession()
        clock = self.fleet.sim.clock
        idle_for = 0.0
        while True:
            try:
                data = await clock.wait_for(reader.read(_READ), _TICK)
            except TimeoutError:
                idle_for += _TICK
                await self._write(writer, session.tick(state, self.fleet.refresh(state)), show)
                if idle_for >= self.idle:
                    _log.info("printer.raw_idle", printer=state.index, address=state.address)
                    return
                continue
            idle_for = 0.0
            if not data:
                show("eof", b"")
                break
            show("received", data)
            await self._handle(stream.feed(data), state, session, writer, show)
            await self._write(writer, session.tick(state, self.fleet.refresh(state)), show)
        await self._handle(stream.close(), state, session, writer, show)

    async def _handle(self, events: list[PjlCommand | JobDone], state: PrinterState,
                      session: PjlSession, writer: asyncio.StreamWriter,
                      show: Callable[[str, bytes], None]) -> None:
        for event in events:
            now = self.fleet.refresh(state)
            if isinstance(event, PjlCommand):
                await self._write(writer, session.answer(event, state, now), show)
                continue
            printed = self._print(event, state, now)
            await self._write(writer, session.job_done(event, printed), show)

    def _print(self, job: JobDone, state: PrinterState, now: float) -> int:
        """A finished job, printed as the control API prints one."""
        profile = state.model.profile
        printed = state.print_pages(now, job.pages, job.colour and profile.color,
                                    job.large and profile.a3, job.duplex) if job.pages else 0
        self.jobs += 1
        self.pages += printed
        _log.info("printer.raw_job", printer=state.index, address=state.address, name=job.name,
                  pages=job.pages, printed=printed, colour=job.colour, duplex=job.duplex)
        return printed

    @staticmethod
    async def _write(writer: asyncio.StreamWriter, data: bytes,
                     show: Callable[[str, bytes], None]) -> None:
        if data:
            writer.write(data)
            show("sent", data)
            await writer.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset, as a host with nobody on the port answers."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
