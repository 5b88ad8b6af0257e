"""The contract between a controller model (no sockets, no clock) and what puts it on a network.

The network runtime owns endpoints, sockets and timers; the model owns doors, cards and events.
Time always comes in as ``now`` (monotonic seconds from the runtime's clock); wall-clock date and
time inside a controller come only from SET_DATETIME (``KantechDateTime``), advanced by ``now``.
"""

from __future__ import annotations

import ipaddress
from abc import ABC, abstractmethod
from typing import Protocol

from kantech_proto.codes import DeviceModel
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.messages import Announce, Message


class ControllerModel(Protocol):
    """One emulated controller as the network runtime drives it."""

    @property
    def model(self) -> DeviceModel: ...

    @property
    def mac(self) -> bytes:
        """6 bytes: the sender id of every frame this device sends."""
        ...

    @property
    def serial_number(self) -> str: ...

    @property
    def firmware(self) -> tuple[int, int, int]: ...

    def announce(self, ip: str, netmask: str, gateway: str) -> Announce:
        """The ANNOUNCE this device sends at start-up, after a reboot and in answer to DISCOVER."""
        ...

    def handle_request(self, message: Message, now: float) -> Message:
        """Answer one gateway request (STATUS_QUERY, SET_DATETIME, MANUAL_OP, RELOAD_*,
        FIRMWARE_*, POLL ...) with the reply message (STATUS_REPLY, ACK, NAK, MANUAL_OP_REPLY ...).
        Never raises for a well-formed message: unsupported or invalid requests answer NAK."""
        ...

    def advance(self, now: float) -> None:
        """Let timed things happen up to ``now``: timed unlocks and relays expire, held-open
        doors raise their events, a pending firmware reboot completes."""
        ...

    def next_deadline(self) -> float | None:
        """The next ``now`` at which ``advance`` has something to do, or None."""
        ...

    def take_events(self) -> list[ControllerEvent]:
        """Events queued since the last call, oldest first (the runtime sends them as EVENT)."""
        ...

    @property
    def events_waiting(self) -> bool:
        """For the PULSE flag: events not yet taken."""
        ...

    @property
    def reboot_pending(self) -> bool:
        """True once after an accepted firmware image or a reboot request: the runtime re-announces
        and calls ``acknowledge_reboot``."""
        ...

    def acknowledge_reboot(self) -> None: ...


class DeviceIdentity(ABC):
    """Who a device is (MAC, serial number, firmware) and the ANNOUNCE that says so: the part
    every ControllerModel implementation shares. Subclasses set the three attributes and
    provide ``model``."""

    _mac: bytes
    _serial: str
    _firmware: tuple[int, int, int]

    @property
    @abstractmethod
    def model(self) -> DeviceModel:
        """Which model this device is."""

    @property
    def mac(self) -> bytes:
        return self._mac

    @property
    def serial_number(self) -> str:
        return self._serial

    @property
    def firmware(self) -> tuple[int, int, int]:
        return self._firmware

    def announce(self, ip: str, netmask: str, gateway: str) -> Announce:
        return Announce(self.model, self._firmware, self._serial, ipaddress.IPv4Address(ip),
                        ipaddress.IPv4Address(netmask), ipaddress.IPv4Address(gateway))
