"""An IP-Link on the network: a ``DeviceRuntime`` whose TUNNELs go through its loop master and
whose polled loop events go to the gateway as reliable TUNNELs, as the real device does; it also
serves its firmware over TFTP."""

from __future__ import annotations

import asyncio

from emulators.kantech.device_runtime import DeviceRuntime
from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.iplink_device import IpLinkDevice
from emulators.kantech.iplink_firmware import serve_firmware
from emulators.kantech.iplink_master import IpLinkMaster, LoopTransport
from emulators.kantech.iplink_poller import DEFAULT_REPLY_TIMEOUT, IpLinkPoller
from emulators.kantech.serial_loop import (
    InProcessLoopLink,
    LoopControllers,
    SerialLoopPort,
    make_loop,
)
from emulators.kantech.tftp_server import TftpServer
from kantech_proto.codes import NakReason
from kantech_proto.endpoint_events import EndpointEvent, RequestReceived
from kantech_proto.errors import ConfigurationError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.loop_pacing import DEFAULT_RATE
from kantech_proto.messages import Nak, Tunnel
from kantech_proto.transports.serial_link import SerialLink
from kantech_proto.transports.shared_udp import SharedUdpSocket
from protolab.clock import Clock
from protolab.logs import get_logger

log = get_logger("kantech.iplink")


class IpLinkRuntime(DeviceRuntime):
    """A DeviceRuntime for an IP-Link with a real (or in-process) loop link and a poller.

    ``KantechFleet`` makes one per IP-Link with its default models (``polling_iplink_runtime``);
    tests create and start one directly to put the loop behind a real serial line.
    """

    __slots__ = ("_inflight", "_poll_task", "_tasks", "loop", "loop_port", "master", "tftp")

    def __init__(self, config: DeviceConfig, device: IpLinkDevice, link: LoopTransport, *,
                 loop_size: int | None = None, rate: float = DEFAULT_RATE,
                 reply_timeout: float = DEFAULT_REPLY_TIMEOUT,
                 codec: IpFrameCodec | None = None, clock: Clock | None = None) -> None:
        super().__init__(config, device, codec, clock)
        size = loop_size or config.loop_size
        self.master = IpLinkMaster(link, IpLinkPoller(size, rate=rate,
                                                      reply_timeout=reply_timeout),
                                   self._forward_event, self.clock)
        self._poll_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._inflight: set[tuple[bytes, int]] = set()
        self.tftp: TftpServer | None = None
        #: the loop controllers this process runs for this IP-Link (None when they live
        #: elsewhere, behind a real serial line), and the port they answer on
        self.loop: LoopControllers | None = None
        self.loop_port: SerialLoopPort | None = None

    @property
    def poller(self) -> IpLinkPoller:
        return self.master.poller

    async def start(self, shared: SharedUdpSocket | None = None) -> None:
        await super().start(shared)
        self._poll_task = asyncio.create_task(self.master.run(), name=f"poll {self.config.name}")
        cfg = self.config
        self.tftp = await serve_firmware(cfg.address, cfg.tftp_port, cfg.firmware, self.clock)

    async def close(self) -> None:
        if self.tftp is not None:
            self.tftp.close()
        if self.loop_port is not None:
            await self.loop_port.close()
        close_link = getattr(self.master.link, "close", None)
        self.master.stop()
        for task in [self._poll_task, *self._tasks]:
            if task is not None:
                task.cancel()
        for task in [self._poll_task, *self._tasks]:
            if task is not None:
                try:
                    await task
                except (asyncio.CancelledError, Exception):
                    pass
        if close_link is not None:
            await close_link()
        await super().close()

    def on_endpoint_event(self, event: EndpointEvent) -> None:
        if isinstance(event, RequestReceived) and isinstance(event.message, Tunnel):
            key = (event.frame.sender_id, event.frame.event_id)
            if self.online and key not in self._inflight:  # a retry of one still on the loop
                self._inflight.add(key)
                task = asyncio.ensure_future(self._answer_tunnel(event, key))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            return
        super().on_endpoint_event(event)

    async def _answer_tunnel(self, request: RequestReceived, key: tuple[bytes, int]) -> None:
        try:
            assert isinstance(request.message, Tunnel)
            reply = await self.master.tunnel(request.message)
        except Exception as exc:
            log.warning("tunnel failed", device=self.config.name, error=str(exc))
            reply = Nak(NakReason.BUSY)
        finally:
            self._inflight.discard(key)
        if not self.closed and self.driver is not None:
            self.endpoint.reply(request, reply)
            self.driver.pump()

    def _forward_event(self, tunnel: Tunnel) -> None:
        if self.closed or self.driver is None:
            return
        self.endpoint.send_reliable(tunnel, self.now())
        self.driver.pump()


def _loop_for(config: DeviceConfig) -> LoopControllers:
    if config.loop_size < 1:
        raise ConfigurationError(f"{config.name}: loop_size {config.loop_size}: an IP-Link "
                                 "needs at least 1 controller on its loop")
    return make_loop(config.loop_size, mac_prefix=config.mac[:3],
                     serial_prefix=f"{config.serial_number[:8]}-",
                     event_buffer=config.event_buffer)


def polling_iplink_runtime(config: DeviceConfig, codec: IpFrameCodec | None = None, *,
                           rate: float = DEFAULT_RATE, clock: Clock | None = None
                           ) -> IpLinkRuntime:
    """An IP-Link as the paper describes it, for ``KantechFleet``: it polls its own in-process
    loop of ``config.loop_size`` KT-100/KT-300 controllers at ``rate`` bytes/s and forwards
    their events to the gateway as TUNNEL messages."""
    loop = _loop_for(config)
    device = IpLinkDevice(config.mac, config.serial_number, firmware=config.firmware)
    runtime = IpLinkRuntime(config, device, InProcessLoopLink(loop, clock), rate=rate,
                            codec=codec, clock=clock)
    runtime.loop = loop
    return runtime


async def serial_iplink_runtime(config: DeviceConfig, codec: IpFrameCodec | None = None, *,
                                rate: float = DEFAULT_RATE, clock: Clock | None = None
                                ) -> IpLinkRuntime:
    """An IP-Link that polls its loop over the serial device ``config.loop_link`` (a real
    RS-485 adapter, or one end of a socat PTY pair); with ``config.loop_serve`` this process
    also runs the loop's ``loop_size`` controllers on that other device."""
    loop = _loop_for(config) if config.loop_serve else None
    port = None
    if loop is not None:
        port = await SerialLoopPort.open(loop, config.loop_serve, config.loop_baud, clock=clock)
    try:
        link = await SerialLink.open(config.loop_link, config.loop_baud)
    except BaseException:
        if port is not None:
            await port.close()
        raise
    device = IpLinkDevice(config.mac, config.serial_number, firmware=config.firmware)
    runtime = IpLinkRuntime(config, device, link, rate=rate, codec=codec, clock=clock)
    runtime.loop, runtime.loop_port = loop, port
    return runtime
