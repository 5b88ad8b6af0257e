"""Sizes on the wire of the messages the paper counts, taken from kantech_proto's own encoders
so the planner can never disagree with what the codecs send."""

from __future__ import annotations

from kantech_proto.codes import Command
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import FIRMWARE_CHUNK, FirmwareBlock, FirmwareEnd, Message, Tunnel
from kantech_proto.serial_frame import Presence, SerialFrame, poll_frame

#: the key changes no size; any valid key text will do
_CODEC = IpFrameCodec("size-only")
#: image bytes one FIRMWARE_BLOCK carries (its data is a 2-byte block number + this)
BLOCK_IMAGE_BYTES = FIRMWARE_CHUNK
#: FIRMWARE_END's block count is 16 bits
MAX_FIRMWARE_BLOCKS = 0xFFFF


def serial_size(message: Message) -> int:
    """Bytes of ``message`` as one serial-loop frame (4 bytes of overhead)."""
    return SerialFrame(1, Command(message.COMMAND), message.encode_data()).wire_size


def ip_frame_size(message: Message) -> int:
    """Bytes of ``message`` as one 0x99 IP frame (framing, AES blocks, checksum)."""
    return len(_CODEC.encode(IpFrame(0, bytes(6), 0, 0, message)))


def tunnel_frame_size(message: Message) -> int:
    """Bytes of ``message`` as a serial frame carried in a TUNNEL IP frame (via an IP-Link)."""
    frame = SerialFrame(1, Command(message.COMMAND), message.encode_data())
    return len(_CODEC.encode(IpFrame(0, bytes(6), 0, 0, Tunnel((frame,)))))


def data_size(message: Message) -> int:
    return len(message.encode_data())


FIRMWARE_BLOCK = FirmwareBlock(0, bytes(BLOCK_IMAGE_BYTES))
FIRMWARE_END = FirmwareEnd(1, 0)
POLL_BYTES = len(poll_frame(1))
PRESENCE_BYTES = len(Presence(1).encode())
