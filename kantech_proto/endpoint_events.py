"""What the sans-IO endpoints hand back to their owner: one small dataclass per happening."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from kantech_proto.errors import DecodeError
from kantech_proto.ip_frame import IpFrame
from kantech_proto.messages import Message

Address: TypeAlias = Any  # whatever the adapter uses to name a peer, e.g. ("127.20.0.1", 18810)


@dataclass(frozen=True, slots=True)
class MessageReceived:
    """A valid frame that answers nothing we are waiting for (device-initiated, or late)."""

    peer: Address
    frame: IpFrame

    @property
    def message(self) -> Message:
        return self.frame.message


@dataclass(frozen=True, slots=True)
class RequestReceived:
    """A request (non-zero event id) the owner must answer with ``DeviceEndpoint.reply``."""

    peer: Address
    frame: IpFrame

    @property
    def message(self) -> Message:
        return self.frame.message


@dataclass(frozen=True, slots=True)
class ReplyReceived:
    """The answer to one of our requests, matched by event id."""

    event_id: int
    peer: Address
    frame: IpFrame
    attempts: int

    @property
    def message(self) -> Message:
        return self.frame.message


@dataclass(frozen=True, slots=True)
class RequestTimedOut:
    event_id: int
    peer: Address
    message: Message
    attempts: int


@dataclass(frozen=True, slots=True)
class DeliveryConfirmed:
    """The gateway acknowledged a device-initiated message (EVENT, ANNOUNCE)."""

    message: Message
    attempts: int
    accepted: bool  # False when the gateway answered NAK


@dataclass(frozen=True, slots=True)
class DeliveryDelayed:
    """A device-initiated message went unanswered ``attempts`` times; it stays queued."""

    message: Message
    attempts: int


@dataclass(frozen=True, slots=True)
class FrameRejected:
    peer: Address
    error: DecodeError

    @property
    def reason(self) -> str:
        return self.error.reason


@dataclass(frozen=True, slots=True)
class ReplayRejected:
    peer: Address
    sender_id: bytes
    sequence: int


EndpointEvent: TypeAlias = (
    MessageReceived | RequestReceived | ReplyReceived | RequestTimedOut | DeliveryConfirmed
    | DeliveryDelayed | FrameRejected | ReplayRejected
)
