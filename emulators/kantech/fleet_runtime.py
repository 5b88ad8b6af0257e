"""A fleet of emulated IP devices in one process: start them, pulse them, answer DISCOVER, stop.

Shared pieces keep a many-thousand-device fleet cheap: one pulse scheduler (a heap and a single
``call_at`` handle), one discovery socket per discovery port (decoding each DISCOVER once per
key, then handing it to every device of that site), and one frame codec per key.
"""

from __future__ import annotations

import asyncio
import gc
import heapq
import itertools
import socket
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.device_runtime import REJECT_LOG_INTERVAL, DeviceRuntime
from emulators.kantech.fleet_config import DeviceConfig, format_mac, parse_mac
from kantech_proto.codes import DeviceModel
from kantech_proto.errors import DecodeError, KantechError, SiteMismatchError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Discover
from protolab.log_throttle import LogThrottle
from protolab.logs import get_logger

ModelFactory = Callable[[DeviceConfig], ControllerModel]

START_BATCH = 256
PER_DEVICE_LOG_LIMIT = 200  # larger fleets log progress instead of one line per device
_GOLDEN = 0.6180339887498949

log = get_logger("kantech.emulate")


def default_model_factory(config: DeviceConfig) -> ControllerModel:
    """The project's controller models (emulators.kantech.controller_model)."""
    from emulators.kantech.controller_model import make_controller

    model: ControllerModel = make_controller(config.model, config.mac, config.serial_number,
                                             firmware=config.firmware)
    return model


class PulseScheduler:
    """Every device's heartbeat from one timer; beats follow a fixed grid, so no drift."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._heap: list[tuple[float, int, DeviceRuntime]] = []
        self._seq = itertools.count()
        self._handle: asyncio.TimerHandle | None = None
        self._handle_at: float | None = None
        self.beats = 0

    def add(self, device: DeviceRuntime, first: float) -> None:
        heapq.heappush(self._heap, (first, next(self._seq), device))
        self._arm()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        self._heap.clear()

    def _arm(self) -> None:
        when = self._heap[0][0] if self._heap else None
        if when == self._handle_at:
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle_at = when
        self._handle = self._loop.call_at(when, self._fire) if when is not None else None

    def _fire(self) -> None:
        self._handle = None
        self._handle_at = None
        now = self._loop.time()
        heap = self._heap
        while heap and heap[0][0] <= now:
            due, _, device = heapq.heappop(heap)
            if device.closed:
                continue
            try:
                device.pulse()
            except Exception:  # one broken device must not stop every heartbeat
                log.exception("pulse failed", device=device.config.name)
            self.beats += 1
            interval = device.config.pulse
            nxt = due + interval
            if nxt <= now:  # the loop was stalled: skip missed beats, stay on the grid
                nxt = due + interval * (int((now - due) / interval) + 1)
            heapq.heappush(heap, (nxt, next(self._seq), device))
        self._arm()


class _DiscoveryProtocol(asyncio.DatagramProtocol):
    def __init__(self, responder: DiscoveryResponder) -> None:
        self._responder = responder

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self._responder.receive(data, addr)


class DiscoveryResponder:
    """The process's socket on the discovery port; devices answer from their own sockets."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.transport: asyncio.DatagramTransport | None = None
        self._groups: dict[str, tuple[IpFrameCodec, dict[int, list[DeviceRuntime]]]] = {}
        self.stats: Counter[str] = Counter()
        self._drop_log = LogThrottle(REJECT_LOG_INTERVAL)

    def add(self, device: DeviceRuntime) -> None:
        cfg = device.config
        _, sites = self._groups.setdefault(cfg.key, (device.endpoint.codec, {}))
        sites.setdefault(cfg.site_id, []).append(device)

    async def open(self, host: str = "0.0.0.0") -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            sock.bind((host, self.port))
        except OSError:
            sock.close()
            raise
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(
            lambda: _DiscoveryProtocol(self), sock=sock)

    @property
    def local_address(self) -> tuple[str, int]:
        assert self.transport is not None
        host, port = self.transport.get_extra_info("sockname")[:2]
        return host, port

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def receive(self, data: bytes, peer: Any) -> None:
        self.stats["bytes_in"] += len(data)
        error: DecodeError | None = None
        for codec, sites in self._groups.values():
            try:
                frame = codec.decode(data)
            except DecodeError as exc:
                error = error or exc
                continue
            devices = sites.get(frame.site_id)
            if devices is None:
                self._reject(peer, SiteMismatchError.reason, f"no device of site {frame.site_id} here")
                return
            if not isinstance(frame.message, Discover):
                self._reject(peer, "unexpected-command",
                             f"{frame.command.name} on the discovery port, expected DISCOVER")
                return
            self.stats["discovers"] += 1
            for device in devices:
                device.receive_discover(frame, peer)
            return
        if error is not None:
            self._reject(peer, error.reason, str(error))

    def _reject(self, peer: Any, reason: str, detail: str) -> None:
        self.stats["frames_rejected"] += 1
        self.stats[f"rejected.{reason}"] += 1
        suppressed = self._drop_log.allow(asyncio.get_running_loop().time())
        if suppressed is None:
            return
        log.warning("frame dropped", device="discovery", address=f"0.0.0.0:{self.port}",
                    peer=f"{peer[0]}:{peer[1]}", reason=reason, detail=detail,
                    expected="a DISCOVER for one of this process's sites under its key",
                    suppressed=suppressed)


class KantechFleet:
    """All devices of one emulation process (async context manager)."""

    def __init__(self, configs: Iterable[DeviceConfig],
                 model_factory: ModelFactory | None = None, *,
                 discovery_host: str = "0.0.0.0") -> None:
        self.configs = list(configs)
        self.model_factory = model_factory or default_model_factory
        self.discovery_host = discovery_host
        self.devices: list[DeviceRuntime] = []
        self.skipped: list[tuple[DeviceConfig, str]] = []
        self.responders: dict[int, DiscoveryResponder] = {}
        self.scheduler: PulseScheduler | None = None
        self._by_index: dict[int, DeviceRuntime] = {}
        self._by_address: dict[str, DeviceRuntime] = {}
        self._by_mac: dict[bytes, DeviceRuntime] = {}

    async def __aenter__(self) -> KantechFleet:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Build every model, bind every socket, announce; raises if a socket cannot open."""
        codecs: dict[str, IpFrameCodec] = {}
        pending: list[DeviceRuntime] = []
        for cfg in self.configs:
            codec = codecs.get(cfg.key) or codecs.setdefault(cfg.key, IpFrameCodec(cfg.key))
            if cfg.model is DeviceModel.IP_LINK and self.model_factory is default_model_factory:
                from emulators.kantech.iplink import polling_iplink_runtime

                pending.append(polling_iplink_runtime(cfg, codec))
                continue
            try:
                model = self.model_factory(cfg)
            except (KantechError, ValueError, KeyError, NotImplementedError) as exc:
                if cfg.model is not DeviceModel.IP_LINK:
                    raise
                reason = f"no model for {cfg.model.name}: {exc}"
                log.warning("device skipped", device=cfg.name, reason=reason)
                self.skipped.append((cfg, reason))
                continue
            pending.append(DeviceRuntime(cfg, model, codec))
        total = len(pending)
        verbose = total <= PER_DEVICE_LOG_LIMIT
        for first in range(0, total, START_BATCH):
            batch = pending[first:first + START_BATCH]
            results = await asyncio.gather(*(d.start() for d in batch), return_exceptions=True)
            for device, result in zip(batch, results, strict=True):
                self._register(device)
                if isinstance(result, BaseException):
                    raise OSError(f"device {device.config.name} could not start: {result}") \
                        from result
                if verbose:
                    log.info("device started", device=device.config.name,
                             mac=device.config.mac_text, serial=device.config.serial_number,
                             replay=device.config.replay.value,
                             transport=device.config.transport)
            if not verbose:
                log.info("fleet starting", started=min(first + START_BATCH, total), total=total)
        for device in self.devices:
            port = device.config.discovery_port
            responder = self.responders.get(port)
            if responder is None:
                responder = self.responders[port] = DiscoveryResponder(port)
                await responder.open(self.discovery_host)
            responder.add(device)
        # Thousands of long-lived device objects make every full collection walk them all
        # (~0.3 s at 10,000 devices, a pulse-jitter spike); they live until stop, so freeze them.
        gc.collect()
        gc.freeze()
        self.scheduler = PulseScheduler()
        now = asyncio.get_running_loop().time()
        for device in self.devices:
            interval = device.config.pulse
            self.scheduler.add(device, now + interval * ((device.config.index * _GOLDEN) % 1.0))
        log.info("fleet running", devices=len(self.devices), skipped=len(self.skipped),
                 discovery_ports=sorted(r.local_address[1] for r in self.responders.values()))

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.close()
        for responder in self.responders.values():
            responder.close()
        await asyncio.gather(*(d.close() for d in self.devices), return_exceptions=True)

    def _register(self, device: DeviceRuntime) -> None:
        self.devices.append(device)
        self._by_index[device.config.index] = device
        self._by_address[device.config.address] = device
        self._by_mac[device.config.mac] = device

    # -- lookups ----------------------------------------------------------------------------
    def get(self, ident: int | str) -> DeviceRuntime:
        """By fleet index (int or digits) or by IP address; KeyError when there is none."""
        if isinstance(ident, int) or ident.isdigit():
            return self._by_index[int(ident)]
        if ident in self._by_address:
            return self._by_address[ident]
        return self.by_mac(ident)

    def by_address(self, address: str) -> DeviceRuntime:
        return self._by_address[address]

    def by_mac(self, mac: bytes | str) -> DeviceRuntime:
        try:
            key = parse_mac(mac) if isinstance(mac, str) else mac
        except KantechError:
            raise KeyError(mac) from None
        return self._by_mac[key]

    def discovery_address(self, port: int | None = None) -> tuple[str, int]:
        """Where a discovery socket really listens (useful when configured with port 0)."""
        responder = self.responders[port] if port is not None else next(iter(self.responders.values()))
        return responder.local_address

    def summary(self) -> dict[str, Any]:
        return {"count": len(self.devices), "skipped": [
            {"address": c.address, "model": c.model.name, "mac": format_mac(c.mac), "reason": r}
            for c, r in self.skipped]}
