"""``protolab kantech ...``: decode and encode frames from captures, for debugging real traffic;
``emulate`` and ``gateway`` are added from their own modules.

The site key is a secret: ``--key-file PATH`` (preferred), ``$PROTOLAB_KANTECH_KEY`` or
``--key TEXT`` (visible to every user of the machine through ``ps``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kantech_proto.capture_text import (
    decode_ip_frame,
    decode_serial_text,
    encode_frame,
    parse_command,
    parse_hex,
)
from kantech_proto.errors import DecodeError
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.wire_profile import AesMode, ChecksumKind, WireProfile
from protolab.cli import kantech_emulate, kantech_gateway
from protolab.cli.kantech_options import add_key_option, site_key
from protolab.cli.support import EXIT_OK, EXIT_USAGE
from tools.reference.generate import reference_json, reference_text


def register(groups: Any) -> None:
    """Add ``protolab kantech`` and its subcommands."""
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

    spec = commands.add_parser(
        "spec", help="print the protocol reference for gateway authors (docs/kantech-protocol.md)")
    spec.add_argument("--json", action="store_true",
                      help="JSON: every layout's fields with name, offset, size, type, meaning")
    spec.set_defaults(handler=_spec)

    kantech_emulate.register(commands)
    kantech_gateway.register(commands)


def _profile_options(parser: argparse.ArgumentParser) -> None:
    add_key_option(parser)
    parser.add_argument("--checksum", default=ChecksumKind.CRC16_CCITT_FALSE.value,
                        choices=[kind.value for kind in ChecksumKind])
    parser.add_argument("--mode", default=AesMode.CBC_ZERO_IV.value,
                        choices=[mode.value for mode in AesMode])
    parser.add_argument("--serial", action="store_true",
                        help="a serial-link frame (address, command, length, data, checksum)")


def _int(text: str) -> int:
    return int(text, 0)


def _codec(args: argparse.Namespace) -> IpFrameCodec:
    key = site_key(args, required_for="for IP frames (or pass --serial)")
    assert key is not None
    return IpFrameCodec(key, WireProfile.from_names(args.checksum, args.mode))


def _decode(args: argparse.Namespace) -> int:
    raw = parse_hex(args.hex, "HEX")
    try:
        out = decode_serial_text(raw) if args.serial else decode_ip_frame(raw, _codec(args))
    except DecodeError as exc:  # the rule broken first, as logs and counters name it
        print(f"error: {exc.reason}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(out))
    return EXIT_OK


def _spec(args: argparse.Namespace) -> int:
    sys.stdout.write(reference_json() if args.json else reference_text())
    return EXIT_OK


def _encode(args: argparse.Namespace) -> int:
    command = parse_command(args.command)
    data = parse_hex(args.data, "--data")
    if args.serial:
        wire = encode_frame(command, data, serial=True, address=args.address)
    else:
        wire = encode_frame(command, data, codec=_codec(args), site_id=args.site_id,
                            sender=parse_hex(args.sender, "--sender"), sequence=args.sequence,
                            event_id=args.event_id)
    print(wire.hex())
    return EXIT_OK
