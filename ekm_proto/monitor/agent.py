"""The monitoring agent: discovery, the five loops, rediscovery and the daily meter report, on
one SNMP client and one database, all timed by the injected clock.

    store = MonitorStore(settings.db)
    async with SnmpClient(clock, max_in_flight=settings.max_in_flight) as client:
        agent = MonitorAgent(settings, clock=clock, client=client, store=store)
        await agent.run(stop)            # or run(stop, once=True): discovery + one pass each

``read_now(address)`` reads a device's alerts at once (what a trap receiver calls);
``latest_counts(serial)`` queues the latest counts for the portal.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Sequence
from typing import Any

from ekm_proto.monitor.agent_time import AgentTime
from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.discovery import Discoverer
from ekm_proto.monitor.interval_overrides import restore_intervals
from ekm_proto.monitor.loop_runner import LoopRunner
from ekm_proto.monitor.loops.alert_loop import AlertLoop
from ekm_proto.monitor.loops.context import ReadContext
from ekm_proto.monitor.loops.identity_loop import IdentityLoop
from ekm_proto.monitor.loops.levels_loops import ConsumablesLoop, TrayLoop
from ekm_proto.monitor.loops.meter_loop import MeterLoop
from ekm_proto.monitor.meter_reports import daily_reports, latest_counts
from ekm_proto.monitor.pacing import Pacer
from ekm_proto.monitor.recorder import Recorder
from ekm_proto.monitor.registry import Registry
from ekm_proto.monitor.settings import MonitorSettings
from ekm_proto.monitor.store import MonitorStore
from ekm_proto.monitor.targets import Asset, candidates, read_assets
from ekm_proto.monitor.trap_intake import TrapIntake
from ekm_proto.monitor.trap_listener import TrapListener
from ekm_proto.monitor.web_reader import WebCounterFetcher
from ekm_proto.snmp.client import SnmpClient
from protolab.clock import Clock
from protolab.logs import get_logger

_log = get_logger("monitor.agent")
#: workers of each secondary loop, as a share of the in-flight bound (the pacer decides how many
#: of them read at once; the alert loop has one worker per request that may be in flight)
SECONDARY_WORKERS = 4
FLUSH_SECONDS = 0.5


class MonitorAgent:
    """See the module docstring."""

    def __init__(self, settings: MonitorSettings, *, clock: Clock, client: SnmpClient,
                 store: MonitorStore) -> None:
        self.settings = settings
        self.clock = clock
        self.client = client
        self.store = store
        self.time = AgentTime(clock, settings.time_scale)
        #: the loops' intervals as configured, before what remote commands set and kept
        self.configured_intervals = restore_intervals(store, settings.schedule)
        self.assets: list[Asset] = (read_assets(settings.asset_list)
                                    if settings.asset_list is not None else [])
        self.registry = Registry(store.load_devices(), next_device_id=store.next_id("devices"),
                                 next_alert_id=store.next_id("alerts"), assets=self.assets)
        self.recorder = Recorder(store)
        self.pacer = Pacer(settings.max_in_flight, minimum=min(8, settings.max_in_flight),
                           start=min(256, settings.max_in_flight),
                           target=settings.retry.timeout / 2,
                           late=lambda: client.manager.stats.unmatched)
        self.discoverer = Discoverer(client, settings.credentials, settings.port,
                                     settings.discovery_retry, self.pacer)
        context = ReadContext(client, self.registry, settings, self.discoverer, self.pacer)
        self.web = WebCounterFetcher(client.clock, port=settings.web_port)
        loops = (AlertLoop(context), IdentityLoop(context), MeterLoop(context, self.web),
                 ConsumablesLoop(context), TrayLoop(context))
        self.loops = {loop.name: LoopRunner(
            loop, self, settings.max_in_flight if loop.name == "alert" else
            max(4, settings.max_in_flight // SECONDARY_WORKERS)) for loop in loops}
        self.discoveries = 0
        self.discovering = (0, 0)  # addresses asked, addresses to ask in the current sweep
        self.traps: TrapListener | None = None
        self._trap_reads: dict[str, asyncio.Task[None]] = {}
        self._trap_again: set[str] = set()

    # ---- discovery ----------------------------------------------------------------------------

    async def discover(self, ranges: Sequence[str] | None = None) -> int:
        """Ask every configured address once (or those of ``ranges``: a remote command's);
        returns the printers found."""
        settings = self.settings
        addresses = list(candidates(settings.ranges, settings.points, self.assets)
                         if ranges is None else candidates(ranges, ()))
        found = 0
        asked = 0
        self.discovering = (0, len(addresses))
        queue = iter(addresses)

        async def worker() -> None:
            nonlocal found, asked
            for address in queue:
                known = self.registry.by_address.get(address)
                await self.pacer.acquire(True)
                try:
                    identity = await self.discoverer.identify(
                        address, known.credential if known is not None else None)
                finally:
                    self.pacer.release(True)
                asked += 1
                self.discovering = (asked, len(addresses))
                if identity is None:
                    continue
                found += 1
                batch = Batch("discovery", self.time.now())
                self.registry.register(identity, batch)
                self.recorder.add(batch)

        workers = min(len(addresses), max(4, settings.max_in_flight))
        await asyncio.gather(*(worker() for _ in range(workers)))
        now = self.time.now()
        batch = Batch("discovery", now)
        for device in self.registry.active():
            last = device.availability.last_answer
            if last is not None and now - last > settings.gone_after:
                self.registry.mark_gone(device, batch)
        batch.meta("last_discovery", repr(now))
        self.recorder.add(batch)
        self.recorder.flush()
        self.discoveries += 1
        _log.info("monitor.discovered", asked=len(addresses), printers=found,
                  devices=len(self.registry.active()))
        return found

    async def _rediscover(self) -> None:
        while True:
            last = self.store.meta("last_discovery")
            due = (float(last) if last else self.time.now()) + self.settings.rediscovery_interval
            await self.time.sleep_until(due)
            await self.discover()

    # ---- running ------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event | None = None, *, once: bool = False) -> None:
        """Discovery (now, unless one ran within the rediscovery interval), then the loops until
        ``stop`` is set; with ``once``, discovery and one pass of every loop."""
        if self.settings.trap_listen is not None and self.traps is None:
            await self.listen_for_traps(*self.settings.trap_listen)
        last = self.store.meta("last_discovery")
        if once or last is None or self.time.now() - float(last) >= \
                self.settings.rediscovery_interval or not self.registry.active():
            await self.discover()
        tasks = [asyncio.ensure_future(runner.run(once)) for runner in self.loops.values()]
        if not once:
            tasks.append(asyncio.ensure_future(self._rediscover()))
            tasks.append(asyncio.ensure_future(self._flush_often()))
        stopper = asyncio.ensure_future(stop.wait()) if stop is not None else None
        main: asyncio.Future[Any] = asyncio.gather(*tasks) if once else asyncio.Future()
        try:
            waiting = {main, *([] if once else tasks), *([stopper] if stopper else [])}
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopper:
                    task.result()  # a loop that ended by itself: its error is the agent's
        finally:
            for pending in [*tasks, stopper, main]:
                if pending is not None and not pending.done():
                    pending.cancel()
            reads = list(self._trap_reads.values())
            for read in reads:
                read.cancel()
            for task in [*tasks, main, *reads]:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if self.traps is not None:
                self.traps.close()
                self.traps = None
            await self.web.close()
            self.recorder.flush()

    async def _flush_often(self) -> None:
        while True:
            await self.clock.sleep(FLUSH_SECONDS)
            self.recorder.flush()

    def pass_finished(self, loop: str) -> None:
        """After a meter pass: report the days that ended (once a day per device)."""
        if loop != "meter":
            return
        now = self.time.now()
        today = self.settings.schedule.hours.day_of(now)
        for batch in daily_reports(self.store.connection, self.registry, today, now):
            self.recorder.add(batch)
        self.recorder.flush()

    # ---- on demand ----------------------------------------------------------------------------

    def read_now(self, address: str) -> asyncio.Task[None] | None:
        """Read the alerts of the device at ``address`` at once (a trap arrived) and store what
        was read; None for an address the agent does not monitor."""
        device = self.registry.by_address.get(address)
        if device is None:
            return None

        async def read() -> None:
            await self.pacer.acquire(True)  # a storm of traps waits its turn like a pass
            try:
                await self.loops["alert"].read_device(device)
            finally:
                self.pacer.release(True)
            self.recorder.flush()

        return asyncio.ensure_future(read())

    # ---- traps --------------------------------------------------------------------------------

    async def listen_for_traps(self, host: str, port: int) -> TrapListener:
        """Receive notifications on ``host:port`` (0: a free port; ``traps.port`` says which).
        The receiver's SNMPv3 engine ID is kept in the database and its boots grow at every
        start, so printers sending SNMPv3 informs keep their cached engine time valid."""
        engine_id = self.store.meta("trap_engine_id")
        boots = int(self.store.meta("trap_engine_boots") or 0) + 1
        batch = Batch("traps", self.time.now())
        if engine_id is None:
            engine_id = (b"\x80\x00\x00\x00\x05" + os.urandom(8)).hex()  # RFC 3411: octets
            batch.meta("trap_engine_id", engine_id)
        batch.meta("trap_engine_boots", str(boots))
        self.recorder.add(batch)
        self.recorder.flush()
        intake = TrapIntake(self.settings.credentials,
                            lambda address: address in self.registry.by_address,
                            engine_id=bytes.fromhex(engine_id), boots=boots)
        listener = TrapListener(intake, self.on_trap, self.clock, host, port)
        await listener.start()
        self.traps = listener
        return listener

    def on_trap(self, address: str) -> None:
        """A device spoke: read its alerts now. One read per device at a time; notifications
        arriving during it are answered by one more read after it (the first may have missed
        what they announce)."""
        if address in self._trap_reads:
            self._trap_again.add(address)
            return
        task = self.read_now(address)
        if task is None:
            return
        self._trap_reads[address] = task
        task.add_done_callback(lambda _task: self._trap_read_done(address))

    def _trap_read_done(self, address: str) -> None:
        self._trap_reads.pop(address, None)
        if address in self._trap_again:
            self._trap_again.discard(address)
            self.on_trap(address)

    def latest_counts(self, serial: str) -> list[dict[str, Any]] | None:
        """Queue the latest counts of a device for the portal; returns them (None: unknown)."""
        self.recorder.flush()
        made = latest_counts(self.store.connection, serial, self.time.now())
        if made is None:
            return None
        batch, readings = made
        self.recorder.add(batch)
        self.recorder.flush()
        return readings

    def snapshot(self) -> dict[str, Any]:
        """Counters for the progress display and logs."""
        devices = self.registry.active()
        stats = self.client.manager.stats
        return {
            "devices": len(devices), "unavailable": sum(not d.availability.available
                                                        for d in devices),
            "discovering": self.discovering, "requests": stats.sent,
            "retransmitted": stats.retransmitted, "timeouts": stats.timeouts,
            "in_flight": self.client.in_flight, "outbox": self.recorder.messages,
            "window": int(self.pacer.limit),
            "rejections": sum(getattr(r.loop, "rejected", 0) for r in self.loops.values()),
            "traps": self.traps.intake.stats.snapshot() if self.traps is not None else None,
            "loops": {name: {"passes": r.passes, "done": r.done, "total": r.total,
                             "answered": r.answered, "failed": r.failed,
                             "last_seconds": r.last_pass_seconds}
                      for name, r in self.loops.items()}}
