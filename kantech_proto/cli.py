"""``protolab kantech ...``: decode and encode frames from captures, for debugging real traffic."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from kantech_proto.codes import Command
from kantech_proto.errors import ConfigurationError, DecodeError, EncodeError, KantechError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import decode_message, message_fields
from kantech_proto.serial_frame import SerialFrame, decode_serial_frame
from kantech_proto.wire_profile import AesMode, ChecksumKind, WireProfile

EXIT_BAD_INPUT = 2


def register(groups: Any) -> Any:
    """Add ``protolab kantech``; returns its subcommand set so emulators can add theirs."""
    kantech = groups.add_parser("kantech", help="Kantech IP and serial protocol tools")
    commands = kantech.add_subparsers(dest="kantech_command", metavar="SUBCOMMAND")
    commands.required = True

    decode = commands.add_parser("decode", help="decode one frame given as hex; prints JSON")
    _profile_options(decode)
    decode.add_argument("hex", metavar="HEX", help="the frame bytes in hex (spaces, ':' allowed)")
    decode.set_defaults(handler=_decode)

    encode = commands.add_parser("encode", help="encode one frame; prints hex")
    _profile_options(encode)
    encode.add_argument("--site-id", type=_int, default=0, help="EntraPass site id (PkData)")
    encode.add_argument("--sender", default="000000000000",
                        help="sender id: the MAC or session id, 12 hex digits")
    encode.add_argument("--sequence", type=_int, default=0)
    encode.add_argument("--event-id", type=_int, default=0)
    encode.add_argument("--address", type=_int, default=1, help="loop address (with --serial)")
    encode.add_argument("--command", required=True,
                        help="WIRE.md command name (PULSE, STATUS_QUERY, ...) or its code")
    encode.add_argument("--data", default="", help="the command's data in hex")
    encode.set_defaults(handler=_encode)

    return commands


def _profile_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", default=None, help="the site's AES key text (required on IP)")
    parser.add_argument("--checksum", default=ChecksumKind.CRC16_CCITT_FALSE.value,
                        choices=[kind.value for kind in ChecksumKind])
    parser.add_argument("--mode", default=AesMode.CBC_ZERO_IV.value,
                        choices=[mode.value for mode in AesMode])
    parser.add_argument("--serial", action="store_true",
                        help="a serial-link frame (address, command, length, data, checksum)")


def _int(text: str) -> int:
    return int(text, 0)


def _hex(text: str, what: str) -> bytes:
    cleaned = re.sub(r"[\s:]|^0x", "", text)
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise ConfigurationError(f"{what} is not valid hex: {text!r}") from None


def _codec(args: argparse.Namespace) -> IpFrameCodec:
    if args.key is None:
        raise ConfigurationError("--key is required for IP frames (or use --serial)")
    return IpFrameCodec(args.key, WireProfile.from_names(args.checksum, args.mode))


def _command(text: str) -> Command:
    try:
        return Command[text.upper()] if not text[:1].isdigit() else Command(int(text, 0))
    except (KeyError, ValueError):
        names = ", ".join(c.name for c in Command)
        raise ConfigurationError(f"unknown command {text!r}; expected one of {names}") from None


def _fail(error: KantechError) -> int:
    kind = error.reason if isinstance(error, DecodeError) else type(error).__name__
    print(f"error: {kind}: {error}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _decode(args: argparse.Namespace) -> int:
    try:
        raw = _hex(args.hex, "HEX")
        out: dict[str, Any]
        if args.serial:
            out = _decode_serial(raw)
        else:
            frame = _codec(args).decode(raw)
            out = {"site_id": frame.site_id, "sender_id": frame.sender_id.hex(),
                   "sequence": frame.sequence, "event_id": frame.event_id,
                   "command": frame.command.name, "data": frame.data.hex()}
            out.update({k: v for k, v in message_fields(frame.message).items() if k not in out})
    except KantechError as exc:
        return _fail(exc)
    print(json.dumps(out))
    return 0


def _decode_serial(raw: bytes) -> dict[str, Any]:
    if len(raw) == 1 and raw[0] & 0x80 and raw[0] != 0x80:
        return {"presence": True, "address": raw[0] & 0x7F}
    frame = decode_serial_frame(raw)
    out: dict[str, Any] = {"address": frame.address, "command": Command(frame.command).name,
                           "data": frame.data.hex()}
    fields = message_fields(decode_message(frame.command, frame.data))
    out.update({k: v for k, v in fields.items() if k not in out})
    return out


def _encode(args: argparse.Namespace) -> int:
    try:
        command = _command(args.command)
        data = _hex(args.data, "--data")
        decode_message(command, data)  # refuse data that is not this command's layout
        if args.serial:
            wire = SerialFrame(args.address, command, data).encode()
        else:
            sender = _hex(args.sender, "--sender")
            wire = _codec(args).encode_raw(args.site_id, sender, args.sequence, args.event_id,
                                           int(command), data)
    except KantechError as exc:
        if isinstance(exc, DecodeError):
            exc = EncodeError(f"--data is not valid {args.command.upper()} data: {exc}")
        return _fail(exc)
    print(wire.hex())
    return 0
