"""A fleet of emulated IP devices in one process: start them, pulse them, answer DISCOVER, stop.

Shared pieces keep a 100,000-device fleet cheap: one UDP socket per device port for every
device address (IP_PKTINFO: each datagram's destination names the device, each answer leaves
from the device's address; ``sockets="per-device"`` gives each device its own socket instead),
one pulse scheduler (a heap and a single timer), one discovery socket per discovery port
(decoding each DISCOVER once, then handing it to the devices it is addressed to), one frame
codec per key and profile, and controller models built the first time something needs them.
Every part runs on the fleet's ``Clock``: the real one by default, a ``ManualClock`` in tests
that move time by hand.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
from collections.abc import Callable, Iterable
from typing import Any

from emulators.kantech.config_form import FactorySettings
from emulators.kantech.config_page import ConfigPage
from emulators.kantech.device_runtime import DeviceRuntime
from emulators.kantech.discovery_responder import DiscoveryResponder
from emulators.kantech.errors import UnknownDeviceError
from emulators.kantech.fleet_config import DeviceConfig, format_mac, parse_mac
from emulators.kantech.iplink_runtime import (
    IpLinkRuntime,
    polling_iplink_runtime,
    serial_iplink_runtime,
)
from emulators.kantech.loop_device import LoopDevice, loop_devices
from emulators.kantech.model_factory import ModelFactory, default_model_factory
from emulators.kantech.pulse_scheduler import PulseScheduler
from emulators.kantech.serial_loop import LoopControllers
from emulators.kantech.wire_observer import SERIAL_LOOP_HOST, Direction, WireObserver
from kantech_proto.codes import DeviceModel
from kantech_proto.errors import ConfigurationError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.transports.shared_udp import SharedUdpSocket
from protolab.clock import Clock, SystemClock, Timer
from protolab.errors import ProtolabError, bind_failure
from protolab.logs import get_logger

START_BATCH = 256
SOCKET_MODES = ("shared", "per-device")
#: ANNOUNCEs per second at start (a burst of 100,000 would overflow a gateway's socket buffer)
ANNOUNCE_RATE = 20_000.0
PER_DEVICE_LOG_LIMIT = 200  # larger fleets log progress instead of one line per device
_GOLDEN = 0.6180339887498949

log = get_logger("kantech.emulate")


class KantechFleet:
    """All devices of one emulation process (async context manager)."""

    def __init__(self, configs: Iterable[DeviceConfig],
                 model_factory: ModelFactory | None = None, *,
                 discovery_host: str = "0.0.0.0", clock: Clock | None = None,
                 sockets: str = "shared", device_host: str = "0.0.0.0",
                 announce_rate: float = ANNOUNCE_RATE, observer: WireObserver | None = None
                 ) -> None:
        """``observer`` sees every chunk of bytes the devices (and IP-Link loops) exchange."""
        if sockets not in SOCKET_MODES:
            raise ConfigurationError(f"sockets {sockets!r}: expected one of "
                                     f"{', '.join(SOCKET_MODES)}")
        self.sockets, self.device_host, self.announce_rate = sockets, device_host, announce_rate
        self.observer = observer
        self.device_sockets: dict[int, SharedUdpSocket] = {}
        self.config_pages: dict[int, ConfigPage] = {}  # by fleet index, factory-default only
        self._freeze_timer: Timer | None = None
        self._codecs: dict[tuple[str, str, str], IpFrameCodec] = {}
        #: datagrams on a shared device socket for an address no device has
        self.not_addressed = 0
        self.configs = list(configs)
        self.model_factory = model_factory or default_model_factory
        self.discovery_host = discovery_host
        self.clock: Clock = clock or SystemClock()
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
        """Build every model, bind every socket, announce; AddressUnavailableError naming the
        address when a socket cannot be bound."""
        pending = await self._build()
        total = len(pending)
        verbose = total <= PER_DEVICE_LOG_LIMIT
        for device in pending:  # lookups first: a shared socket may deliver at once
            self._by_address[device.config.address] = device
        for first in range(0, total, START_BATCH):
            batch = pending[first:first + START_BATCH]
            sockets = [await self._device_socket(d) for d in batch]
            # a device on a shared socket starts without awaiting anything (no task each)
            results: list[Any] = [None if s is not None and d.start_on(s) else d
                                  for d, s in zip(batch, sockets, strict=True)]
            waiting = [(i, d) for i, d in enumerate(results) if d is not None]
            outcomes = await asyncio.gather(*(d.start(sockets[i]) for i, d in waiting),
                                            return_exceptions=True)
            for (i, _), outcome in zip(waiting, outcomes, strict=True):
                results[i] = outcome
            for device, result in zip(batch, results, strict=True):
                self._register(device)
                if isinstance(result, BaseException):
                    raise result
                if verbose:
                    log.info("device started", device=device.config.name,
                             mac=device.config.mac_text, serial=device.config.serial_number,
                             replay=device.config.replay.value,
                             transport=device.config.transport)
            if not verbose:
                log.info("fleet starting", started=min(first + START_BATCH, total), total=total)
            if self.announce_rate > 0:  # a gateway takes a burst of ANNOUNCEs this fast
                await asyncio.sleep(len(batch) / self.announce_rate)
        for device in self.devices:
            port = device.config.discovery_port
            responder = self.responders.get(port)
            if responder is None:
                responder = self.responders[port] = DiscoveryResponder(port, self.clock)
                await responder.open(self.discovery_host)
            responder.add(device)
        for device in self.devices:
            if device.config.factory_default:
                await self._open_config_page(device)
        # Thousands of long-lived device objects make every full collection walk them all
        # (~0.3 s at 10,000 devices, a pulse-jitter spike); they live until stop, so freeze them.
        gc.collect()
        gc.freeze()
        self.scheduler = PulseScheduler(self.clock)
        now = self.clock.now()
        if self.devices:  # after one round every device holds what it keeps (its gateway's
            # replay window ...): freeze that too; until then no collection walks what the
            # first round makes (a full one there was a 0.2 s pulse stall at 100,000 devices)
            longest = max(d.config.pulse for d in self.devices)
            gc.disable()
            self._freeze_timer = self.clock.call_later(longest * 1.1, _freeze_and_collect_again)
        for device in self.devices:
            interval = device.config.pulse
            self.scheduler.add(device, now + interval * ((device.config.index * _GOLDEN) % 1.0))
        log.info("fleet running", devices=len(self.devices), skipped=len(self.skipped),
                 discovery_ports=sorted(r.local_address[1] for r in self.responders.values()))

    async def _build(self) -> list[DeviceRuntime]:
        pending: list[DeviceRuntime] = []
        for cfg in self.configs:
            codec = self.codec_for(cfg)
            if cfg.model is DeviceModel.IP_LINK and self.model_factory is default_model_factory:
                if cfg.loop_link:
                    pending.append(await serial_iplink_runtime(cfg, codec, clock=self.clock))
                else:
                    pending.append(polling_iplink_runtime(cfg, codec, clock=self.clock))
                continue
            if cfg.model is not DeviceModel.IP_LINK:  # built when first needed
                pending.append(DeviceRuntime(cfg, None, codec, self.clock,
                                             model_factory=self.model_factory))
                continue
            try:
                model = self.model_factory(cfg)
            except (ProtolabError, ValueError, KeyError, NotImplementedError) as exc:
                reason = f"no model for {cfg.model.name}: {exc}"
                log.warning("device skipped", device=cfg.name, reason=reason)
                self.skipped.append((cfg, reason))
                continue
            pending.append(DeviceRuntime(cfg, model, codec, self.clock))
        if self.observer is not None:
            for device in pending:
                self._observe(device, self.observer)
        return pending

    def _observe(self, device: DeviceRuntime, observer: WireObserver) -> None:
        device.observer = observer
        loop = getattr(device, "loop", None)
        if isinstance(loop, LoopControllers):
            peer, clock = (device.config.address, 0), self.clock

            def on_loop(direction: Direction, data: bytes) -> None:
                observer(direction, (SERIAL_LOOP_HOST, 0), peer, "serial", data, clock.wall())
            loop.observer = on_loop

    def codec_for(self, cfg: DeviceConfig) -> IpFrameCodec:
        """One codec per key and wire profile, shared by the devices that use them."""
        which = (cfg.key, cfg.checksum, cfg.aes_mode)
        codec = self._codecs.get(which)
        if codec is None:
            codec = self._codecs[which] = IpFrameCodec(cfg.key, cfg.profile)
        return codec

    async def _open_config_page(self, device: DeviceRuntime) -> None:
        cfg = device.config
        current = {"site_id": str(cfg.site_id), "gateway": f"{cfg.gateway[0]}:{cfg.gateway[1]}",
                   "ip": cfg.address, "netmask": cfg.netmask, "router": cfg.router}

        async def saved(settings: FactorySettings) -> None:
            await self._leave_factory(device, settings)
        page = ConfigPage(cfg.name, current, saved, check=self._address_free(device))
        try:
            await page.start(cfg.address, cfg.http_port)
        except OSError as exc:
            raise bind_failure(exc, cfg.address, cfg.http_port, flag="--http-port",
                               port_only=True, what=f"{cfg.name}'s configuration page") from None
        self.config_pages[cfg.index] = page

    def _address_free(self, device: DeviceRuntime) -> Callable[[FactorySettings], dict[str, str]]:
        def check(settings: FactorySettings) -> dict[str, str]:
            other = self._by_address.get(settings.ip)
            if other is not None and other is not device:
                return {"ip": f"an address no other device of this lab has ({settings.ip} is "
                              f"{other.name})"}
            return {}
        return check

    async def _leave_factory(self, device: DeviceRuntime, settings: FactorySettings) -> None:
        """The page was saved: the device takes its new settings and joins its site."""
        old = device.config
        new = dataclasses.replace(old, key=settings.key, site_id=settings.site_id,
                                  gateway=settings.gateway, address=settings.ip,
                                  netmask=settings.netmask, router=settings.router,
                                  factory_default=False)
        for responder in self.responders.values():
            responder.remove(device)
        await device.leave_factory_mode(new, self.codec_for(new))
        self._by_address.pop(old.address, None)
        self._by_address[new.address] = device
        self.responders[new.discovery_port].add(device)
        self.config_pages.pop(old.index, None)
        log.info("left factory-default mode", device=new.name, site_id=new.site_id,
                 gateway=f"{new.gateway[0]}:{new.gateway[1]}")

    async def _device_socket(self, device: DeviceRuntime) -> SharedUdpSocket | None:
        """The shared socket of the device's port (opened on first use), None per-device."""
        if self.sockets != "shared":
            return None
        port = device.config.device_port
        shared = self.device_sockets.get(port)
        if shared is None:
            try:
                shared = await SharedUdpSocket.open(self._datagram, self.device_host, port)
            except OSError as exc:
                raise bind_failure(exc, self.device_host, port, flag="--device-port",
                                   port_only=True, what="the devices' shared socket") from None
            self.device_sockets[port] = shared
        return shared

    def _datagram(self, data: bytes, peer: tuple[str, int], destination: str) -> None:
        device = self._by_address.get(destination)
        if device is None or device.driver is None or device.closed:
            self.not_addressed += 1
            return
        device.driver.feed(data, peer)

    async def stop(self) -> None:
        if self._freeze_timer is not None:
            self._freeze_timer.cancel()
            gc.enable()
        for page in list(self.config_pages.values()):
            await page.close()
        if self.scheduler is not None:
            self.scheduler.close()
        for responder in self.responders.values():
            responder.close()
        await asyncio.gather(*(d.close() for d in self.devices), return_exceptions=True)
        for shared in self.device_sockets.values():
            shared.close()

    def _register(self, device: DeviceRuntime) -> None:
        self.devices.append(device)
        self._by_index[device.config.index] = device
        self._by_address[device.config.address] = device
        self._by_mac[device.config.mac] = device

    # -- lookups ----------------------------------------------------------------------------
    def loop_devices(self) -> list[LoopDevice]:
        """Every loop controller this process runs, behind its IP-Link."""
        return [d for runtime in self.devices if isinstance(runtime, IpLinkRuntime)
                for d in loop_devices(runtime)]

    def loop_device(self, ident: str) -> LoopDevice:
        """``<loop address>@<IP-Link index, address or MAC>``; UnknownDeviceError otherwise."""
        address, _, iplink = ident.partition("@")
        runtime = self.get(iplink)
        if not address.isdigit() or not isinstance(runtime, IpLinkRuntime):
            raise UnknownDeviceError(ident)
        found = next((d for d in loop_devices(runtime) if d.address == int(address)), None)
        if found is None:
            raise UnknownDeviceError(ident)
        return found

    def get(self, ident: int | str) -> DeviceRuntime:
        """By fleet index (int or digits), IP address or MAC; UnknownDeviceError otherwise."""
        if isinstance(ident, int) or ident.isdigit():
            found = self._by_index.get(int(ident))
        else:
            found = self._by_address.get(ident)
            if found is None:
                return self.by_mac(ident)
        if found is None:
            raise UnknownDeviceError(ident)
        return found

    def by_address(self, address: str) -> DeviceRuntime:
        found = self._by_address.get(address)
        if found is None:
            raise UnknownDeviceError(address)
        return found

    def by_mac(self, mac: bytes | str) -> DeviceRuntime:
        try:
            key = parse_mac(mac) if isinstance(mac, str) else mac
        except ProtolabError:
            raise UnknownDeviceError(mac) from None
        found = self._by_mac.get(key)
        if found is None:
            raise UnknownDeviceError(mac)
        return found

    def discovery_address(self, port: int | None = None) -> tuple[str, int]:
        """Where a discovery socket really listens (useful when configured with port 0)."""
        responder = self.responders[port] if port is not None else next(iter(self.responders.values()))
        return responder.local_address

    def summary(self) -> dict[str, Any]:
        return {"count": len(self.devices), "skipped": [
            {"address": c.address, "model": c.model.name, "mac": format_mac(c.mac), "reason": r}
            for c, r in self.skipped]}


def _freeze_and_collect_again() -> None:
    gc.freeze()
    gc.enable()
