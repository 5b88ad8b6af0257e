"""Frames as people paste them from captures: hex text in, decoded fields out, and back.

What ``protolab kantech decode|encode`` does, as plain functions: the command line only parses
its options and prints the result.
"""

from __future__ import annotations

import re
from typing import Any

from kantech_proto.codes import Command
from kantech_proto.errors import ConfigurationError, DecodeError, EncodeError
from kantech_proto.ip_frame import SENDER_ID_SIZE, IpFrameCodec
from kantech_proto.message_fields import message_fields
from kantech_proto.message_layout import decode_message
from kantech_proto.serial_frame import SerialFrame, decode_serial_frame


def parse_hex(text: str, what: str) -> bytes:
    """Hex with optional spaces, colons and a leading 0x; ConfigurationError naming ``what``."""
    cleaned = re.sub(r"[\s:]|^0x", "", text)
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise ConfigurationError(f"{what} {text!r}: expected hex bytes such as 99 00 26") \
            from None


def parse_command(text: str) -> Command:
    """A WIRE.md command by name (any case) or code (``0x12``)."""
    try:
        return Command[text.upper()] if not text[:1].isdigit() else Command(int(text, 0))
    except (KeyError, ValueError):
        names = ", ".join(c.name for c in Command)
        raise ConfigurationError(f"command {text!r}: expected one of {names}") from None


def decode_ip_frame(raw: bytes, codec: IpFrameCodec) -> dict[str, Any]:
    """One IP frame's header and command fields, JSON-friendly; DecodeError when it is bad."""
    frame = codec.decode(raw)
    out: dict[str, Any] = {"site_id": frame.site_id, "sender_id": frame.sender_id.hex(),
                           "sequence": frame.sequence, "event_id": frame.event_id,
                           "command": frame.command.name, "data": frame.data.hex()}
    out.update({k: v for k, v in message_fields(frame.message).items() if k not in out})
    return out


def decode_serial_text(raw: bytes) -> dict[str, Any]:
    """One serial-link frame (or a single presence byte), JSON-friendly."""
    if len(raw) == 1 and raw[0] & 0x80 and raw[0] != 0x80:
        return {"presence": True, "address": raw[0] & 0x7F}
    frame = decode_serial_frame(raw)
    out: dict[str, Any] = {"address": frame.address, "command": Command(frame.command).name,
                           "data": frame.data.hex()}
    fields = message_fields(decode_message(frame.command, frame.data))
    out.update({k: v for k, v in fields.items() if k not in out})
    return out


def encode_frame(command: Command, data: bytes, *, codec: IpFrameCodec | None = None,
                 serial: bool = False, address: int = 1, site_id: int = 0,
                 sender: bytes = bytes(SENDER_ID_SIZE), sequence: int = 0,
                 event_id: int = 0) -> bytes:
    """A serial frame (``serial``) or an IP frame made with ``codec``; data that is not the
    command's layout is refused (EncodeError), so what comes out always decodes."""
    try:
        decode_message(command, data)
    except DecodeError as exc:
        raise EncodeError(f"the data is not valid {command.name} data: {exc}") from None
    if serial:
        return SerialFrame(address, command, data).encode()
    if codec is None:
        raise ConfigurationError("an IP frame needs the site key (or encode a serial frame)")
    return codec.encode_raw(site_id, sender, sequence, event_id, int(command), data)
