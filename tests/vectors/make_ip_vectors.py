"""Writes tests/vectors/ip_frames.json: golden IP frames built straight from WIRE.md.

Deliberately independent of kantech_proto: only struct, binascii and cryptography, with every data
layout packed by hand from the tables in WIRE.md and the project's documented layouts (README).
Rerun with ``python tests/vectors/make_ip_vectors.py`` after a deliberate wire change.
"""

from __future__ import annotations

import binascii
import json
import struct
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

OUT = Path(__file__).with_name("ip_frames.json")
KEY = "Lab-Key-0001"
MAC = bytes.fromhex("00a0c2010203")
SESSION = bytes.fromhex("5e5510000001")
SITE = 0x00000A01


def aes(key_text: str, mode: str, plain: bytes) -> bytes:
    key = key_text.encode("ascii").ljust(16, b"\0")
    algo = modes.CBC(bytes(16)) if mode == "cbc-zero-iv" else modes.ECB()
    enc = Cipher(algorithms.AES(key), algo).encryptor()
    return enc.update(plain) + enc.finalize()


def checksum(kind: str, data: bytes) -> int:
    return binascii.crc_hqx(data, 0xFFFF) if kind == "crc16-ccitt-false" else sum(data) & 0xFFFF


def frame(sender: bytes, seq: int, event: int, code: int, data: bytes, *, key: str = KEY,
          site: int = SITE, mode: str = "cbc-zero-iv", kind: str = "crc16-ccitt-false") -> bytes:
    plain = struct.pack(">H6sHIB", 0x3021, sender, seq, event, code) + data
    plain += bytes(-len(plain) % 16)
    cipher = aes(key, mode, plain)
    head = struct.pack(">BHI", 0x99, 4 + len(cipher) + 2, site)
    body = head + cipher
    return body + struct.pack(">H", checksum(kind, body))


def open_frame(wire: bytes, *, key: str = KEY, mode: str = "cbc-zero-iv") -> dict[str, object]:
    """The clear and decrypted fields of a frame, read as WIRE.md section 1 says (no codec)."""
    sync, _length, site = struct.unpack_from(">BHI", wire)
    key_bytes = key.encode("ascii").ljust(16, b"\0")
    algo = modes.CBC(bytes(16)) if mode == "cbc-zero-iv" else modes.ECB()
    dec = Cipher(algorithms.AES(key_bytes), algo).decryptor()
    plain = dec.update(wire[7:-2]) + dec.finalize()
    validation, sender, seq, event, code = struct.unpack_from(">H6sHIB", plain)
    return {"sync": sync, "site_id": site, "validation": validation, "sender_id": sender,
            "sequence": seq, "event_id": event, "code": code, "data": plain[15:]}


#: authentic requests a device must answer with a NAK (WIRE.md section 3): name, command code,
#: data, the NAK reason expected. Built by hand here, never by the codec under test.
REFUSALS: list[tuple[str, int, bytes, int]] = [
    ("unknown command 0x7E", 0x7E, b"", 1),
    ("MANUAL_OP component kind 9", 0x20, struct.pack(">BBBBH", 1, 9, 1, 1, 0), 2),
    ("MANUAL_OP operation 0", 0x20, struct.pack(">BBBBH", 0, 1, 1, 1, 0), 2),
    ("SET_DATETIME 30 February", 0x14, bytes([26, 2, 30, 10, 0, 0, 0]), 2),
    ("SET_DATETIME weekday 7", 0x14, bytes([26, 3, 2, 10, 0, 0, 7]), 2),
    # one relay record of type 10 whose flags byte (0x80) sets a bit RelayFlag does not define
    ("RELOAD_RECORDS relay with undefined flags", 0x31,
     bytes([10, 1]) + struct.pack(">BBBHB", 1, 0x80, 0, 5, 0), 2),
    ("RELOAD_RECORDS record type 99", 0x31, bytes([99, 1, 0, 0]), 2),
    ("RELOAD_BEGIN scope 77", 0x30, b"\x4d", 2),
    # a well-formed input record (type 11, 14 bytes) sent without RELOAD_BEGIN
    ("RELOAD_RECORDS outside a reload", 0x31,
     bytes([11, 1]) + struct.pack(">BBBBHHHBBBB", 3, 1, 0, 0x02, 50, 0, 30, 0, 0, 0, 0), 5),
    ("RELOAD_END outside a reload", 0x32, struct.pack(">I", 0), 5),
]


def status_63() -> bytes:
    # model, fw x3, clock 7, system flags, events queued, door count, 4 x (lock state, flags),
    # relay count, relays active, relays timed, input count, inputs active/alarm/shunted/trouble,
    # output count, outputs active, cards, schedules, access levels, records, uptime, fw crc32,
    # 3 reserved
    doors = bytes([1, 0x01, 0, 0x02, 0, 0, 0, 0])
    clock = bytes([26, 11, 21, 9, 15, 0, 5])
    out = struct.pack(">B3B7sBHB8sBHHBHHHHBHIHHIII3s", 1, 1, 2, 3, clock, 0x01, 2, 2, doors,
                      4, 0b0001, 0b0000, 16, 0b11, 0b10, 0b1000, 0, 16, 0x00FF, 200, 12, 20,
                      260, 3600, 0xCAFEBABE, bytes(3))
    assert len(out) == 63
    return out


def vectors() -> list[dict[str, object]]:
    image = bytes(range(128))
    cases: list[tuple[str, bytes, int, int, int, bytes]] = [
        # name, sender, sequence, event id, command code, data
        ("PULSE", MAC, 1, 0, 0x01, b"\x01"),
        ("DISCOVER", SESSION, 2, 0x11, 0x02, b""),
        ("ANNOUNCE", MAC, 3, 0x11, 0x03,
         struct.pack(">B3B16s4s4s4s", 1, 1, 2, 3, b"KT400-000042", bytes([127, 20, 0, 1]),
                     bytes([255, 0, 0, 0]), bytes([127, 0, 0, 1]))),
        ("ACK", SESSION, 4, 0, 0x04, b""),
        ("NAK", MAC, 5, 0x12, 0x05, b"\x03"),
        ("POLL", SESSION, 6, 0x13, 0x10, b""),
        ("STATUS_QUERY", SESSION, 7, 0x14, 0x12, b""),
        ("STATUS_REPLY", MAC, 8, 0x14, 0x13, status_63()),
        ("SET_DATETIME", SESSION, 9, 0x15, 0x14, bytes([26, 11, 21, 9, 15, 30, 5])),
        ("MANUAL_OP", SESSION, 10, 0x16, 0x20, struct.pack(">BBBBH", 3, 1, 1, 2, 5)),
        ("MANUAL_OP_REPLY", MAC, 11, 0x16, 0x21,
         struct.pack(">BBBBBBH", 1, 1, 3, 0, 2, 0, 5) + struct.pack(">BBBBBBH", 1, 2, 3, 0, 2, 1, 5)),
        ("RELOAD_BEGIN", SESSION, 12, 0x17, 0x30, b"\x00"),
        ("RELOAD_END", SESSION, 13, 0x18, 0x32, struct.pack(">I", 20)),
        ("FIRMWARE_BLOCK", SESSION, 14, 0x19, 0x50, struct.pack(">H", 7) + image),
        ("FIRMWARE_END", SESSION, 15, 0x1A, 0x51, struct.pack(">HI", 8, zlib.crc32(image * 8))),
        # two relay records (type 10, 6 bytes each: relay, flags (0x02 = report changes),
        # schedule, u16 pulse time in s, follow input)
        ("RELOAD_RECORDS", SESSION, 17, 0x1C, 0x31,
         bytes([10, 2]) + struct.pack(">BBBHB", 1, 0x02, 3, 10, 0)
         + struct.pack(">BBBHB", 2, 0x03, 0, 300, 4)),
        # door 2, granted access (type 0x80) for the 32-bit card 0x00C0FFEE: 7 + 1 + 5 bytes
        ("EVENT", MAC, 18, 0, 0x40,
         bytes([26, 11, 21, 9, 15, 42, 5]) + bytes([2]) + bytes([0x80]) + struct.pack(">I", 0xC0FFEE)),
        # a poll of loop address 5: 05 10 00, checksum (-(5 + 0x10)) mod 256 = 0xEB
        ("TUNNEL", SESSION, 16, 0x1B, 0x60, bytes([0x05, 0x10, 0x00, 0xEB])),
    ]
    out: list[dict[str, object]] = []
    for name, sender, seq, event, code, data in cases:
        out.append({"name": name, "key": KEY, "checksum": "crc16-ccitt-false",
                    "mode": "cbc-zero-iv", "site_id": SITE, "sender_id": sender.hex(),
                    "sequence": seq, "event_id": event, "command": name, "code": code,
                    "data": data.hex(), "frame": frame(sender, seq, event, code, data).hex()})
    for kind, mode in (("sum16", "cbc-zero-iv"), ("crc16-ccitt-false", "ecb"), ("sum16", "ecb")):
        data = b"\x00"
        out.append({"name": f"PULSE {kind} {mode}", "key": "0123456789abcdef", "checksum": kind,
                    "mode": mode, "site_id": 7, "sender_id": MAC.hex(), "sequence": 0xFFFF,
                    "event_id": 0, "command": "PULSE", "code": 1, "data": data.hex(),
                    "frame": frame(MAC, 0xFFFF, 0, 1, data, key="0123456789abcdef", site=7,
                                   mode=mode, kind=kind).hex()})
    return out


if __name__ == "__main__":
    OUT.write_text(json.dumps(vectors(), indent=1) + "\n")
    print(f"wrote {OUT}")
