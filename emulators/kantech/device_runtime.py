"""One emulated IP device on the network: a model, a DeviceEndpoint, its sockets and its timers.

Everything is callback-driven on the running loop (no task per device), because a lab process
runs thousands of these: the endpoint's retry timer and the model's deadline are each one timer
of the device's ``Clock``, pulses come from the fleet's shared scheduler, and DISCOVER from the
fleet's shared discovery socket. Answers always leave through the device's own UDP socket, so the
gateway sees them come from the device's address, as with real hardware.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.device_driver import DeviceDriver
from emulators.kantech.device_log import DeviceLog, command_name
from emulators.kantech.event_buffer import EventBuffer, with_backlog
from emulators.kantech.fleet_config import DeviceConfig
from emulators.kantech.gateway_tcp_link import GatewayTcpLink
from emulators.kantech.wire_observer import WireObserver
from kantech_proto.codes import NakReason
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_events import (
    Address,
    DeliveryConfirmed,
    DeliveryDelayed,
    EndpointEvent,
    FrameRejected,
    MessageReceived,
    ReplayRejected,
    RequestReceived,
    RequestRefused,
)
from kantech_proto.errors import ConfigurationError
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import Announce, Discover, Event, Message, Nak, Pulse, StatusReply
from kantech_proto.transports.shared_udp import SharedUdpSocket
from kantech_proto.transports.udp import UdpLink
from protolab.clock import Clock, SystemClock, Timer
from protolab.errors import bind_failure
from protolab.logs import get_logger

STUCK_MODEL_RETRY = 0.1

log = get_logger("kantech.emulate")


class DeviceRuntime:
    """A started (or startable) device; small on purpose, one per emulated IP device."""

    __slots__ = (
        "_drop_log",
        "_model",
        "_model_at",
        "_model_factory",
        "_model_floor",
        "_model_timer",
        "clock",
        "closed",
        "config",
        "driver",
        "endpoint",
        "events",
        "observer",
        "online",
        "shared",
        "tcp",
        "udp",
    )

    def __init__(self, config: DeviceConfig, model: ControllerModel | None,
                 codec: IpFrameCodec | None = None, clock: Clock | None = None, *,
                 model_factory: Callable[[DeviceConfig], ControllerModel] | None = None) -> None:
        """``model`` now, or None and ``model_factory`` to build it the first time something
        needs it (a request, a test hook): an untouched controller is a fresh one, and a fleet
        of 100,000 only pays for those in use."""
        if model is None and model_factory is None:
            raise ConfigurationError(f"{config.name}: expected a model or a model factory")
        self.config = config
        self._model = model
        self._model_factory = model_factory
        self.clock: Clock = clock or SystemClock()
        self.endpoint = DeviceEndpoint(codec or IpFrameCodec(config.key, config.profile),
                                       config.site_id,
                                       config.mac, config.gateway, replay_policy=config.replay)
        self.events = EventBuffer(config.event_buffer)
        self.udp: UdpLink | None = None
        self.shared: SharedUdpSocket | None = None
        self.tcp: GatewayTcpLink | None = None
        self.driver: DeviceDriver | None = None
        self.online = True
        self.closed = False
        self._model_timer: Timer | None = None
        self._model_at: float | None = None
        self._model_floor: float | None = None
        self._drop_log: DeviceLog | None = None  # made on the first drop
        #: sees every datagram and stream chunk the device sends and receives (a capture)
        self.observer: WireObserver | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start_on(self, shared: SharedUdpSocket) -> bool:
        """Start at once on the fleet's shared socket, when nothing needs awaiting (a UDP
        device): True when done, False when ``start`` must run (TCP, an IP-Link)."""
        if self.config.transport == "tcp" or type(self) is not DeviceRuntime:
            return False
        self.shared = shared
        self.driver = DeviceDriver(self, self._send)
        if not self.config.factory_default:
            self.endpoint.send_reliable(self.announce_message(), self.now())
            self.sync()
        return True

    async def start(self, shared: SharedUdpSocket | None = None) -> None:
        """Bind the device's UDP socket (or use the fleet's ``shared`` one, which receives for
        every device address and sends from this one), connect TCP when configured, announce.

        A socket that cannot be bound raises ``AddressUnavailableError`` naming the address.
        """
        cfg = self.config
        if shared is not None:
            self.shared = shared
            self.driver = DeviceDriver(self, self._send)
        else:
            try:
                self.udp = await UdpLink.open(self.endpoint, (cfg.address, cfg.device_port),
                                              name=cfg.name, clock=self.clock)
            except OSError as exc:
                raise bind_failure(exc, cfg.address, cfg.device_port, flag="--device-port",
                                   port_only=True, what=f"{cfg.name}'s UDP socket") from None
            self.udp.driver.close()  # replaced by ours before any datagram could be dispatched
            self.driver = self.udp.driver = DeviceDriver(self, self._send)
        if cfg.factory_default:  # silent until its configuration page is saved
            return
        await self._join()

    async def _join(self) -> None:
        """Connect TCP when configured, announce: what a configured device does at boot."""
        cfg = self.config
        assert self.driver is not None
        if cfg.transport == "tcp":
            self.tcp = GatewayTcpLink(self.endpoint, self.driver, self.clock, cfg.name,
                                      local_host=cfg.address)
            self.tcp.observer = self.observer
            await self.tcp.connect()
        self.endpoint.send_reliable(self.announce_message(), self.now())
        self.sync()

    async def close(self) -> None:
        self.closed = True
        if self._model_timer is not None:
            self._model_timer.cancel()
        if self.tcp is not None:
            await self.tcp.close()
        if self.udp is not None:
            self.udp.close()

    @property
    def name(self) -> str:
        """Model and address (``KT_400@127.20.0.1``): what logs and the scheduler call it."""
        return self.config.name

    @property
    def pulse_interval(self) -> float:
        return self.config.pulse

    @property
    def local_address(self) -> tuple[str, int]:
        """Where the device listens (the real port when configured with port 0)."""
        if self.shared is not None:
            return self.config.address, self.shared.local_address[1]
        assert self.udp is not None
        return self.udp.local_address

    @property
    def model(self) -> ControllerModel:
        """The controller model, built on first use when the runtime was given a factory."""
        model = self._model
        if model is None:
            assert self._model_factory is not None
            model = self._model = self._model_factory(self.config)
        return model

    @property
    def model_built(self) -> bool:
        return self._model is not None

    def now(self) -> float:
        return self.clock.now()

    # -- what the fleet calls ---------------------------------------------------------------
    async def leave_factory_mode(self, config: DeviceConfig, codec: IpFrameCodec) -> None:
        """Take the settings saved on the configuration page (a new key, site, gateway and
        address: a new endpoint, a new socket when the address changed) and join the site."""
        old = self.config
        self.config = config
        self.endpoint = DeviceEndpoint(codec, config.site_id, config.mac, config.gateway,
                                       replay_policy=config.replay)
        if self.driver is not None:
            self.driver.endpoint = self.endpoint
        if self.udp is not None and config.address != old.address:
            self.udp.close()
            self.udp = None
            await self.start()
            return
        await self._join()

    def pulse(self) -> None:
        """One heartbeat (the fleet's scheduler calls this for every device)."""
        if self.closed or not self.online or self.driver is None or self.config.factory_default:
            return
        if self.tcp is not None and not self.tcp.connected:
            self.tcp.reconnect_soon()
            return
        self.endpoint.send(Pulse(events_waiting=self.events_waiting > 0))
        self.driver.pump()

    @property
    def events_waiting(self) -> int:
        """Events the gateway has not acknowledged: buffered, in flight, or still in the model."""
        model = self._model
        return len(self.events) + (model is not None and bool(model.events_waiting))

    def receive_discover(self, frame: IpFrame, peer: Address) -> None:
        """A DISCOVER already decoded by the fleet's discovery socket."""
        if self.closed or not self.online or self.driver is None:
            return
        self.endpoint.receive_frame(frame, peer, self.now())
        self.driver.pump()

    def set_online(self, online: bool) -> None:
        """Offline is a pulled cable: silent, deaf, but the model keeps its state and events."""
        self.online = online
        if online:
            self.sync()

    def announce_message(self) -> Announce:
        cfg = self.config
        router = cfg.router or cfg.gateway[0]
        if self._model is None:  # an untouched controller is who its configuration says
            return Announce(cfg.model, cfg.firmware, cfg.serial_number,
                            ipaddress.IPv4Address(cfg.address),
                            ipaddress.IPv4Address(cfg.netmask), ipaddress.IPv4Address(router))
        return self.model.announce(cfg.address, cfg.netmask, router)

    def sync(self) -> None:
        """After anything touched the model: send its events, re-announce after a reboot,
        re-arm its deadline, flush the endpoint."""
        if self.closed or self.driver is None:
            return
        now = self.now()
        model = self._model
        if model is not None:
            for event in model.take_events():
                self.events.push(event)  # buffered while offline too, up to the bound
        if self.online:
            self._send_next_event(now)
            if model is not None and model.reboot_pending:
                model.acknowledge_reboot()
                log.info("device rebooted, announcing", device=self.config.name)
                self.endpoint.send_reliable(self.announce_message(), now)
        self._arm_model_timer(now)
        self.driver.pump()

    def _send_next_event(self, now: float) -> None:
        """Stop-and-wait: the oldest unacknowledged event goes out once the last one is ACKed."""
        event = self.events.next_to_send()
        if event is not None:
            self.endpoint.send_reliable(Event(event), now)

    def snapshot(self) -> dict[str, Any]:
        """What the control API shows: the model's own view when it has one, plus the network's."""
        cfg = self.config
        basic: dict[str, Any] = {
            "index": cfg.index, "address": cfg.address, "port": cfg.device_port,
            "model": cfg.model.name, "mac": cfg.mac_text, "serial_number": cfg.serial_number,
            "firmware": ".".join(map(str, self.model.firmware)), "site_id": cfg.site_id,
            "replay": cfg.replay.value, "transport": cfg.transport, "pulse": cfg.pulse,
            "checksum": cfg.checksum, "aes_mode": cfg.aes_mode, "online": self.online,
            "factory_default": cfg.factory_default, "events_waiting": bool(self.events_waiting),
            "events_queued": self.events_waiting, "events_dropped": self.events.dropped_total,
            "event_buffer": self.events.bound, "reliable_queued": self.endpoint.queued}
        snap = getattr(self.model, "snapshot", None)
        if callable(snap):
            basic["state"] = snap()
        basic["stats"] = dict(self.endpoint.stats)
        return basic

    # -- endpoint events --------------------------------------------------------------------
    def on_endpoint_event(self, event: EndpointEvent) -> None:
        if isinstance(event, RequestReceived):
            self._answer(event)
        elif isinstance(event, MessageReceived):
            if isinstance(event.message, Discover) and self.online:
                self.endpoint.send(self.announce_message(), event.peer)
            else:
                self.endpoint.stats["unsolicited_ignored"] += 1
        elif isinstance(event, FrameRejected):
            self._log_drop(event.peer, event.reason, str(event.error))
        elif isinstance(event, ReplayRejected):
            self._log_drop(event.peer, event.reason,
                           f"{event.text} (replay policy {self.config.replay.value})")
        elif isinstance(event, RequestRefused):
            self._log_refusal(event.peer, command_name(event.header.command),
                              event.nak.name if event.nak else "none (an answer is not answered)",
                              str(event.error))
        elif isinstance(event, DeliveryConfirmed):
            if isinstance(event.message, Event):
                self.events.delivered()
                if self.online:
                    self._send_next_event(self.now())
        elif isinstance(event, DeliveryDelayed):
            log.info("gateway not acknowledging", device=self.config.name,
                     message=event.message.COMMAND.name, attempts=event.attempts)

    def _answer(self, request: RequestReceived) -> None:
        if not self.online:
            return
        message = request.message
        if isinstance(message, Discover):
            self.endpoint.reply(request, self.announce_message())
            return
        reply: Message
        try:
            reply = self.model.handle_request(message, self.now())
        except Exception as exc:  # a model bug must not take the device off the network
            log.exception("model failed on a request", device=self.config.name,
                          command=message.COMMAND.name, error=str(exc))
            reply = Nak(NakReason.BAD_DATA, f"the model failed: {exc}")
        for event in self.model.take_events():  # they count in the status this answers
            self.events.push(event)
        if isinstance(reply, StatusReply):
            reply = StatusReply(with_backlog(reply.status, self.events_waiting))
        if isinstance(reply, Nak):
            self._log_refusal(request.peer, message.COMMAND.name, reply.reason.name,
                              reply.detail or "(no detail)")
        self.endpoint.reply(request, reply)
        self.sync()

    def _log_drop(self, peer: Address, reason: str, detail: str) -> None:
        cfg = self.config
        port = self.local_address[1] if self.udp is not None else cfg.device_port
        self._throttle().dropped(self.now(), f"{cfg.address}:{port}", peer, reason, detail,
                                 f"a kt-v1 frame for site {cfg.site_id} under the site key")

    def _log_refusal(self, peer: Address, command: str, nak: str, detail: str) -> None:
        self._throttle().refused(self.now(), self.config.address, peer, command, nak, detail)

    def _throttle(self) -> DeviceLog:
        if self._drop_log is None:
            self._drop_log = DeviceLog(self.config.name)
        return self._drop_log

    # -- sending ----------------------------------------------------------------------------
    def _send(self, data: bytes, peer: Address) -> None:
        if not self.online:
            return
        if self.tcp is not None and peer == self.endpoint.gateway:
            if self.tcp.send(data, peer) and self.observer is not None:
                self.observer("sent", self.tcp.local_address, peer, "tcp", data,
                              self.clock.wall())
            return
        if self.observer is not None:
            self.observer("sent", self.local_address, peer, "udp", data, self.clock.wall())
        if self.shared is not None:
            self.shared.send(data, peer, self.config.address)
        elif self.udp is not None:
            self.udp.send(data, peer)

    # -- model deadline ---------------------------------------------------------------------
    def _arm_model_timer(self, now: float) -> None:
        if self._model is None:
            return
        when = self._model.next_deadline()
        if when is not None and self._model_floor is not None and when <= self._model_floor:
            when = self._model_floor + STUCK_MODEL_RETRY  # a model that keeps a served deadline
        if when == self._model_at:
            return
        if self._model_timer is not None:
            self._model_timer.cancel()
            self._model_timer = None
        self._model_at = when
        if when is not None:
            self._model_timer = self.clock.call_at(max(when, now), self._on_model_timer)

    def _on_model_timer(self) -> None:
        self._model_floor = self._model_at
        self._model_timer = None
        self._model_at = None
        if self.closed:
            return
        self.model.advance(self.now())
        self.sync()
