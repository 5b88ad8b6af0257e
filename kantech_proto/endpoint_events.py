"""What the sans-IO endpoints hand back to their owner: one small dataclass per happening."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from kantech_proto.codes import NakReason
from kantech_proto.errors import DecodeError
from kantech_proto.ip_frame import FrameHeader, IpFrame
from kantech_proto.messages import Message
from kantech_proto.replay import REFUSAL_TEXT

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
    """A frame refused by the replay policy: ``why`` is ``replay.REPLAYED`` or ``TOO_OLD``."""

    peer: Address
    sender_id: bytes
    sequence: int
    why: str = "replayed"

    @property
    def reason(self) -> str:
        return self.why

    @property
    def text(self) -> str:
        """What the log says: which sequence, from whom, and why."""
        return (f"sequence {self.sequence} from {self.sender_id.hex()}: "
                f"{REFUSAL_TEXT.get(self.why, self.why)}")


@dataclass(frozen=True, slots=True)
class RequestRefused:
    """An authentic frame (checksum, key, site and sequence all good) whose command or data
    cannot be acted on; a device answers it with ``nak`` (sent already by ``DeviceEndpoint``)."""

    peer: Address
    header: FrameHeader
    error: DecodeError
    nak: NakReason | None

    @property
    def reason(self) -> str:
        return self.error.reason


EndpointEvent: TypeAlias = (
    MessageReceived | RequestReceived | ReplyReceived | RequestTimedOut | DeliveryConfirmed
    | DeliveryDelayed | FrameRejected | ReplayRejected | RequestRefused
)
