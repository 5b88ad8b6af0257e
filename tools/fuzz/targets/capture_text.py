"""Fuzz target: ``protolab kantech decode|encode``, frames as people paste them from captures.

The first byte chooses: hex text (``99 00 26``, colons, ``0x``), a command name or code, or the
rest as the raw bytes of a serial frame or an IP frame. Pasted text reads or raises
ConfigurationError; raw bytes decode or raise DecodeError. What decodes must print as JSON (the
command prints exactly that), and a decoded serial frame, encoded again from its printed fields,
gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from kantech_proto.capture_text import (
    decode_ip_frame,
    decode_serial_text,
    encode_frame,
    parse_command,
    parse_hex,
)
from kantech_proto.codes import Command
from kantech_proto.errors import ConfigurationError, DecodeError
from kantech_proto.fuzzing import ip_frame_seeds, serial_frame_seeds
from tools.fuzz.targets.ip_frame import CODEC

HEX_TEXT, COMMAND_TEXT, SERIAL, IP = range(4)


def _decoded(decode: Any, raw: bytes) -> dict[str, Any] | None:
    try:
        out: dict[str, Any] = decode(raw)
    except DecodeError:
        return None
    json.dumps(out)
    return out


def _serial(raw: bytes) -> None:
    out = _decoded(decode_serial_text, raw)
    if out is None or out.get("presence"):
        return
    again = encode_frame(Command[out["command"]], bytes.fromhex(out["data"]), serial=True,
                         address=out["address"])
    assert again == raw, "a printed serial frame encodes back to the bytes pasted"


def _command(text: str) -> None:
    try:
        command = parse_command(text)
    except ConfigurationError:
        return
    assert parse_command(command.name.lower()) is command
    assert parse_command(hex(command)) is command


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    which, rest = data[0] % 4, data[1:]
    if which == HEX_TEXT:
        try:
            raw = parse_hex(rest.decode("latin-1"), "HEX")
        except ConfigurationError:
            return
        _serial(raw)
        _decoded(lambda b: decode_ip_frame(b, CODEC), raw)
    elif which == COMMAND_TEXT:
        _command(rest.decode("utf-8", "surrogateescape"))
    elif which == SERIAL:
        _serial(rest)
    else:
        _decoded(lambda b: decode_ip_frame(b, CODEC), rest)


def seeds() -> list[bytes]:
    serial = serial_frame_seeds()[:6]
    frames = ip_frame_seeds(CODEC)[:6]
    return ([bytes([HEX_TEXT]) + f.hex(" ").encode() for f in serial[:3]]
            + [bytes([HEX_TEXT]) + b"0x" + f.hex(":").encode() for f in frames[:3]]
            + [bytes([COMMAND_TEXT]) + t for t in (b"status_query", b"0x12", b"18", b"PULSE")]
            + [bytes([SERIAL]) + f for f in serial] + [bytes([SERIAL, 0x85])]
            + [bytes([IP]) + f for f in frames])
