"""TFTP packets (RFC 1350) as an IP-Link serves firmware with them: encode and decode.

Only what a read-only server needs: requests (RFC 2347 options after the mode are ignored), DATA,
ACK and ERROR. Bad bytes raise ``TftpDecodeError``, a kantech_proto ``DecodeError``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kantech_proto.errors import DecodeError

BLOCK_SIZE = 512


class Opcode(enum.IntEnum):
    RRQ = 1
    WRQ = 2
    DATA = 3
    ACK = 4
    ERROR = 5


class ErrorCode(enum.IntEnum):
    NOT_DEFINED = 0
    FILE_NOT_FOUND = 1
    ACCESS_VIOLATION = 2
    DISK_FULL = 3
    ILLEGAL_OPERATION = 4
    UNKNOWN_TID = 5
    FILE_EXISTS = 6
    NO_SUCH_USER = 7


class TftpDecodeError(DecodeError):
    """Not a TFTP packet at all: dropped and counted, never answered."""

    reason = "not-tftp"


class UnknownOpcodeError(TftpDecodeError):
    """Two bytes of opcode that RFC 1350 does not define: answered with ERROR 4."""

    reason = "unknown-opcode"


@dataclass(frozen=True, slots=True)
class Request:
    opcode: Opcode  # RRQ or WRQ
    filename: str
    mode: str

    def encode(self) -> bytes:
        return (int(self.opcode).to_bytes(2, "big") + self.filename.encode("ascii") + b"\0"
                + self.mode.encode("ascii") + b"\0")


@dataclass(frozen=True, slots=True)
class Data:
    block: int
    payload: bytes

    def encode(self) -> bytes:
        return Opcode.DATA.to_bytes(2, "big") + self.block.to_bytes(2, "big") + self.payload


@dataclass(frozen=True, slots=True)
class Ack:
    block: int

    def encode(self) -> bytes:
        return Opcode.ACK.to_bytes(2, "big") + self.block.to_bytes(2, "big")


@dataclass(frozen=True, slots=True)
class Error:
    code: ErrorCode
    message: str

    def encode(self) -> bytes:
        return (Opcode.ERROR.to_bytes(2, "big") + int(self.code).to_bytes(2, "big")
                + self.message.encode("ascii", "replace") + b"\0")


Packet = Request | Data | Ack | Error


def decode_packet(data: bytes) -> Packet:
    if len(data) < 2:
        raise TftpDecodeError(f"{len(data)} bytes: shorter than an opcode")
    code = int.from_bytes(data[:2], "big")
    body = data[2:]
    if code in (Opcode.RRQ, Opcode.WRQ):
        parts = body.split(b"\0")
        # filename NUL mode NUL, then RFC 2347 options we ignore (pairs of NUL-terminated strings)
        if len(parts) < 3 or parts[-1] != b"" or not parts[0] or not parts[1]:
            raise TftpDecodeError("request is not filename NUL mode NUL")
        try:
            filename, mode = parts[0].decode("ascii"), parts[1].decode("ascii").lower()
        except UnicodeDecodeError:
            raise TftpDecodeError("request filename or mode is not ASCII") from None
        return Request(Opcode(code), filename, mode)
    if code == Opcode.DATA:
        if len(body) < 2 or len(body) > 2 + BLOCK_SIZE:
            raise TftpDecodeError(f"DATA of {len(data)} bytes")
        return Data(int.from_bytes(body[:2], "big"), bytes(body[2:]))
    if code == Opcode.ACK:
        if len(body) != 2:
            raise TftpDecodeError(f"ACK of {len(data)} bytes")
        return Ack(int.from_bytes(body, "big"))
    if code == Opcode.ERROR:
        if len(body) < 3 or body[-1] != 0:
            raise TftpDecodeError("ERROR is not code, message NUL")
        number = int.from_bytes(body[:2], "big")
        reason = ErrorCode(number) if number in ErrorCode._value2member_map_ else \
            ErrorCode.NOT_DEFINED
        # what ERROR.encode writes for a non-ASCII character, so a message survives a round trip
        return Error(reason, body[2:-1].decode("ascii", "replace").replace("\ufffd", "?"))
    raise UnknownOpcodeError(f"opcode {code} is not in RFC 1350")
