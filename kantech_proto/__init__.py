"""Sans-IO codecs and protocol endpoints for Kantech controllers (WIRE.md profile "kt-v1").

The public surface, stable across releases (everything else is internal and may change):

- codecs: ``IpFrameCodec`` (encrypt, checksum and frame one message; decode and check one frame),
  ``IpStreamDecoder`` (frames out of a TCP byte stream, rescanning after garbage),
  ``decode_serial_frame`` / ``SerialStreamDecoder`` (the RS-485 loop), ``WireProfile``;
- messages: ``IpFrame``, ``Message`` and the message classes a gateway sees most
  (``Announce``, ``Pulse``, ``Event``, ``Ack``, ``Nak``), ``ControllerEvent``;
- sans-IO endpoints: ``GatewayEndpoint``, ``DeviceEndpoint``, ``ReplayPolicy``, and what they
  hand back: ``MessageReceived``, ``RequestReceived``, ``ReplyReceived``, ``RequestTimedOut``;
- errors: ``KantechError``, ``DecodeError`` (every parser's one error) and
  ``ConfigurationError``;
- ``kantech_proto.fuzzing``: mutators and seed corpora for a user's own fuzz harness.
"""

from kantech_proto.controller_events import ControllerEvent
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_events import (
    MessageReceived,
    ReplyReceived,
    RequestReceived,
    RequestTimedOut,
)
from kantech_proto.errors import ConfigurationError, DecodeError, KantechError
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.ip_stream import IpStreamDecoder
from kantech_proto.messages import Ack, Announce, Event, Message, Nak, Pulse
from kantech_proto.replay import ReplayPolicy
from kantech_proto.serial_frame import SerialStreamDecoder, decode_serial_frame
from kantech_proto.wire_profile import WireProfile

__all__ = [
    "Ack",
    "Announce",
    "ConfigurationError",
    "ControllerEvent",
    "DecodeError",
    "DeviceEndpoint",
    "Event",
    "GatewayEndpoint",
    "IpFrame",
    "IpFrameCodec",
    "IpStreamDecoder",
    "KantechError",
    "Message",
    "MessageReceived",
    "Nak",
    "Pulse",
    "ReplayPolicy",
    "ReplyReceived",
    "RequestReceived",
    "RequestTimedOut",
    "SerialStreamDecoder",
    "WireProfile",
    "decode_serial_frame",
]
