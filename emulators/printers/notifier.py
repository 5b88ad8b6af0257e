"""Printers sending their notifications to the configured receivers (``--trap-sink``).

Each event a printer's state announces (trap_events.py) becomes, for every sink, an SNMPv1 Trap
or SNMPv2c Trap with the sink's community, or an Inform (SNMPv2c, or SNMPv3 with a user) that the
SNMP manager's state machine (ekm_proto.snmp.manager) sends, discovers the receiver's engine for,
and retries with backoff until the receiver acknowledges it. Every datagram leaves from the
printer's own address through the agent server's socket (``send``), so a receiver sees the
printer it came from; the server forwards the receivers' answers back here (``receive``).

A fleet of a million printers starting at once would announce a million coldStarts: sending is
paced (``rate`` per second), at most ``in_flight`` informs are outstanding, and the waiting queue is
bounded (the oldest are dropped, counted and logged), so the emulator never grows without end.
While notifications are on, printers are brought up to date in the background so that what
their simulated office does (a jam, a tray running empty) is announced when it happens.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ekm_proto.snmp.agent.engine_mib import IN_GET_RESPONSES, IN_PKTS, OUT_PKTS, OUT_TRAPS
from ekm_proto.snmp.manager.events import Failure
from ekm_proto.snmp.manager.session import SnmpManager
from ekm_proto.snmp.manager.targets import Target, inform
from ekm_proto.snmp.notifications import (
    Notification,
    encode_notification,
    encode_trap_v1,
    to_v1,
)
from emulators.printers.fleet import PrinterFleet
from emulators.printers.printer_state import F_SILENT, PrinterState
from emulators.printers.trap_events import cold_start, notification_for
from protolab.clock import Clock, Timer
from protolab.errors import ConfigurationError
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

Send = Callable[[bytes, str, tuple[str, int]], None]
_PACE = 0.05  # seconds between sending rounds
_log = get_logger("printers.notify")


@dataclass(frozen=True)
class TrapSink:
    """A receiver: SNMPv1/v2c traps with a community, or informs (v2c with a community, v3 with
    the user of ``target``); ``target`` holds the address, credentials and retry policy."""

    target: Target
    inform: bool = False

    @property
    def label(self) -> str:
        return self.target.describe() + (" informs" if self.inform else " traps")


@dataclass(slots=True)
class NotifierStats:
    queued: int = 0
    sent: int = 0  # traps sent and informs started
    acknowledged: int = 0
    unacknowledged: int = 0  # informs given up on after every retry
    dropped: int = 0  # waited too long in a full queue


class PrinterNotifier:
    """See the module docstring. ``start`` hooks it to the fleet and announces every printer's
    coldStart; ``close`` stops its timers."""

    def __init__(self, fleet: PrinterFleet, sinks: Sequence[TrapSink], send: Send, clock: Clock,
                 *, rate: float = 1000.0, in_flight: int = 256, queue_limit: int = 100_000
                 ) -> None:
        if rate <= 0 or in_flight < 1 or queue_limit < 1:
            raise ConfigurationError(f"notification rate {rate}/s, {in_flight} informs in flight, "
                                     f"queue of {queue_limit}: expected positive numbers")
        self.fleet = fleet
        self.sinks = list(sinks)
        self.send = send
        self.clock = clock
        self.rate = rate
        self.in_flight = in_flight
        self.queue_limit = queue_limit
        self.manager = SnmpManager()
        self.stats = NotifierStats()
        self._queue: deque[tuple[int, PrinterState, Notification]] = deque()
        self._sources: dict[int, PrinterState] = {}  # inform handle -> the printer sending it
        self._cold_cursor = len(fleet.printers)
        self._sweep_cursor = 0
        self._tokens = 0.0
        self._last = clock.now()
        self._timers: dict[str, Timer] = {}
        self._manager_deadline: float | None = None
        self._throttle = LogThrottle(10.0)

    @property
    def peers(self) -> list[tuple[str, int]]:
        """The receivers' addresses, whose datagrams the server forwards to ``receive``."""
        return [sink.target.address for sink in self.sinks]

    def start(self) -> None:
        self.fleet.listener = self.on_event
        self._cold_cursor = 0
        self._wake()
        self._later("sweep", 1.0, self._sweep)

    def close(self) -> None:
        if self.fleet.listener == self.on_event:
            self.fleet.listener = None
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    # ---- events in -------------------------------------------------------------------------

    def on_event(self, state: PrinterState, event: str, detail: object, now: float) -> None:
        if state.flags & F_SILENT or now < self.fleet.born:
            return  # switched off or off the network; or history from before the start
        notification = notification_for(state, event, detail, now)
        if notification is not None:
            self._enqueue(state, notification)

    def _enqueue(self, state: PrinterState, notification: Notification) -> None:
        for index in range(len(self.sinks)):
            if len(self._queue) >= self.queue_limit:
                self._queue.popleft()
                self.stats.dropped += 1
                self._warn("notify.queue_full", queue=self.queue_limit)
            self._queue.append((index, state, notification))
            self.stats.queued += 1
        self._wake()

    # ---- sending ---------------------------------------------------------------------------

    def _wake(self) -> None:
        if "pump" not in self._timers:
            self._later("pump", 0.0, self._pump)

    def _pump(self) -> None:
        now = self.clock.now()
        self._tokens = min(self.rate * _PACE * 2, self._tokens + (now - self._last) * self.rate)
        self._last = now
        while self._tokens >= 1.0:
            if not self._queue and not self._next_cold_start():
                break
            sink_index, state, notification = self._queue[0]
            sink = self.sinks[sink_index]
            if sink.inform and self.manager.in_flight >= self.in_flight:
                break  # the receiver is behind: wait for acknowledgements
            self._queue.popleft()
            self._tokens -= 1.0
            self._send_one(sink, state, notification, now)
        self._flush()
        if self._queue or self._cold_cursor < len(self.fleet.printers):
            self._later("pump", _PACE, self._pump)

    def _next_cold_start(self) -> bool:
        """Queue the next printer's coldStart (all printers, one at a time, as pacing allows)."""
        if self._cold_cursor >= len(self.fleet.printers):
            return False
        state = self.fleet.printers[self._cold_cursor]
        self._cold_cursor += 1
        now = self.fleet.refresh(state)
        if not state.flags & F_SILENT:  # a printer switched off boots (and says so) later
            self._enqueue(state, cold_start(state, now))
        return True

    def _send_one(self, sink: TrapSink, state: PrinterState, notification: Notification,
                  now: float) -> None:
        self.stats.sent += 1
        counters = state.snmp
        if counters is not None:
            counters[OUT_TRAPS] += 1
        security = sink.target.security
        if sink.inform:
            handle = self.manager.submit(sink.target, inform(notification.v2_varbinds()), now)
            self._sources[handle] = state
            return
        community = getattr(security, "community", b"public")
        if sink.target.version == 0:
            data = encode_trap_v1(community, to_v1(notification, _packed(state.address)))
        else:
            data = encode_notification(community, notification)
        self._transmit(data, state, sink.target.address)

    def _transmit(self, data: bytes, state: PrinterState | None, to: tuple[str, int]) -> None:
        if state is None:
            return
        counters = state.snmp
        if counters is not None:
            counters[OUT_PKTS] += 1
        self.send(data, state.address, to)

    def _flush(self) -> None:
        manager = self.manager
        for data, address, handle in manager.datagrams_to_send():
            self._transmit(data, self._sources.get(handle), address)
        while (event := manager.next_event()) is not None:
            self._sources.pop(event.handle, None)
            if isinstance(event, Failure):
                self.stats.unacknowledged += 1
                self._warn("notify.unacknowledged", receiver=event.target.describe(),
                           error=str(event.error))
            else:
                self.stats.acknowledged += 1
        deadline = manager.next_deadline()
        if deadline != self._manager_deadline:
            old = self._timers.pop("retry", None)
            if old is not None:
                old.cancel()
            self._manager_deadline = deadline
            if deadline is not None:
                self._timers["retry"] = self.clock.call_at(deadline, self._on_retry)
        if self._queue and "pump" not in self._timers:
            self._later("pump", _PACE, self._pump)

    def _on_retry(self) -> None:
        self._timers.pop("retry", None)
        self._manager_deadline = None
        self.manager.handle_timer(self.clock.now())
        self._flush()

    def receive(self, data: bytes, address: str, peer: tuple[str, int]) -> None:
        """A receiver's answer (an Inform's Response, a discovery Report) to ``address``."""
        state = self.fleet.state_at(address)
        if state is not None and state.snmp is not None:
            state.snmp[IN_PKTS] += 1
            state.snmp[IN_GET_RESPONSES] += 1
        self.manager.receive(data, peer, self.clock.now())
        self._flush()

    # ---- keeping simulated printers current --------------------------------------------------

    def _sweep(self) -> None:
        """Bring a slice of the printers up to date, so simulated alerts are announced soon
        after they happen (the whole fleet every ten seconds at most)."""
        printers = self.fleet.printers
        count = len(printers)
        step = max(10_000, math.ceil(count / 10))
        now = self.fleet.sim.now()
        for slot in range(self._sweep_cursor, min(count, self._sweep_cursor + step)):
            state = printers.existing(slot)
            if state is not None and now >= state.next_due:
                self.fleet.refresh(state)
        self._sweep_cursor = 0 if self._sweep_cursor + step >= count else self._sweep_cursor + step
        self._later("sweep", 1.0, self._sweep)

    # ---- plumbing ----------------------------------------------------------------------------

    def _later(self, name: str, delay: float, action: Callable[[], None]) -> None:
        old = self._timers.pop(name, None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._timers.pop(name, None)
            action()

        self._timers[name] = self.clock.call_later(delay, fire)

    def _warn(self, event: str, **context: object) -> None:
        suppressed = self._throttle.allow(self.clock.now(), event)
        if suppressed is not None:
            _log.warning(event, suppressed=suppressed, **context)


def _packed(address: str) -> bytes:
    return bytes(int(part) for part in address.split("."))
