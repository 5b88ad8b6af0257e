"""An SNMP message mutator for a user's own harness (atheris, hypothesis or a plain loop) and for
``protolab fuzz snmp``.

Field-aware messages are built TLV by TLV, so every length stays right while the fields take the
values an encoder would refuse: versions other than 0, 1 and 3, empty and oversized communities,
unknown PDU tags, request ids and error fields past Integer32, GETBULK repetitions up to 2^31 - 1,
no varbinds or hundreds, OIDs with one arc, 128 arcs or arcs past 2^64, values of every type
(and lengths none should have) in SETs. With SNMPv3 credentials, v3 messages are made too: the
envelope and USM parameters are mutated (they are not signed with the user's keys, so they test
what an agent does before authentication). Raw messages are a valid request's bytes mutated.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from ekm_proto.snmp import ber
from ekm_proto.snmp.manager.targets import Community, Target, Usm
from protolab.byte_edits import mutate_bytes


@dataclass(frozen=True, slots=True)
class MutatedMessage:
    #: the datagram to send or parse
    data: bytes
    #: "field": built with hostile field values, lengths right; "raw": bytes edited after encoding
    kind: Literal["field", "raw"]
    #: what was mutated, for a person reading a reproducer
    note: str


SYSTEM: tuple[int, ...] = (1, 3, 6, 1, 2, 1, 1)
_OIDS: tuple[tuple[int, ...], ...] = (
    (*SYSTEM, 1, 0), (*SYSTEM, 5, 0), (*SYSTEM, 3, 0), (1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 1),
    (1, 3, 6, 1, 2, 1, 25, 3, 2, 1, 3, 1), (1, 3, 6, 1, 2, 1, 43, 10, 2, 1, 4, 1, 1),
    (1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0), (1, 3, 6, 1), (0, 0))
_INTS = (0, 1, -1, 127, 128, 255, 256, 0x7FFFFFFF, -0x80000000, 0x80000000, 0xFFFFFFFF,
         1 << 63, -(1 << 63), 1 << 70)
_PDU_TAGS = (0xA0, 0xA1, 0xA2, 0xA3, 0xA5, 0xA6, 0xA7, 0xA8)
_VALUE_TAGS = (0x02, 0x04, 0x05, 0x06, 0x40, 0x41, 0x42, 0x43, 0x44, 0x46, 0x80, 0x81, 0x82)


def int_tlv(value: int, tag: int = ber.INTEGER) -> bytes:
    """Any integer as two's complement, however large (an encoder would refuse past 32 bits)."""
    return ber.encode_tlv(tag, ber.integer_content(value))


def oid_tlv(arcs: tuple[int, ...]) -> bytes:
    """An OID TLV from any arcs (first two joined when there are two); no limit checked."""
    joined = (arcs[0] * 40 + arcs[1], *arcs[2:]) if len(arcs) >= 2 else arcs
    content = bytearray()
    for arc in joined:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        content += bytes(reversed(chunk))
    return ber.encode_tlv(ber.OBJECT_IDENTIFIER, bytes(content))


def seq(*parts: bytes) -> bytes:
    return ber.encode_tlv(ber.SEQUENCE, b"".join(parts))


class SnmpMessageMutator:
    """SNMP datagrams for one agent's credentials (``seed`` makes the sequence repeatable)."""

    def __init__(self, target: Target, seed: int) -> None:
        self.rng = random.Random(seed)
        security = target.security
        if isinstance(security, Community):
            self.community, self.version = security.community, int(security.version)
            self.user: bytes | None = None
        else:
            assert isinstance(security, Usm)
            self.community, self.version, self.user = b"public", 1, security.user.name

    def next_message(self) -> MutatedMessage:
        rng = self.rng
        if self.user is not None and rng.random() < 0.5:
            return self._v3()
        if rng.random() < 0.3:
            return MutatedMessage(mutate_bytes(self._request(*self._plain()), rng), "raw",
                             "a valid request's bytes mutated")
        version, community, note = self.version, self.community, "fields"
        choice = rng.randrange(4)
        if choice == 0:
            version = rng.choice((0, 1, 2, 3, -1, 0x7FFFFFFF, 1 << 40))
            note = f"version {version}"
        elif choice == 1:
            community = rng.choice((b"", community * 40, mutate_bytes(community, rng),
                                    bytes(255)))
            note = f"community of {len(community)} bytes"
        return MutatedMessage(self._request(version, community, *self._pdu()), "field", note)

    def _plain(self) -> tuple[int, bytes, int, bytes]:
        pdu = seq(oid_tlv(self.rng.choice(_OIDS)), b"\x05\x00")
        body = int_tlv(self.rng.randrange(1, 1 << 31)) + int_tlv(0) + int_tlv(0) + seq(pdu)
        return self.version, self.community, self.rng.choice((0xA0, 0xA1)), body

    def _pdu(self) -> tuple[int, bytes]:
        rng = self.rng
        tag = rng.choice(_PDU_TAGS) if rng.random() < 0.9 else rng.randrange(0xA0, 0xC0)
        fields = [rng.randrange(1, 1 << 31), 0, 0]
        if tag == 0xA5:  # GETBULK: non-repeaters, max-repetitions
            fields[1:] = [rng.choice((0, 1, 2, -1, 0x7FFFFFFF)),
                          rng.choice((0, 1, 10, 1000, 0x7FFFFFFF, -1))]
        if rng.random() < 0.3:
            fields[rng.randrange(3)] = rng.choice(_INTS)
        count = rng.choice((0, 1, 1, 2, 5, 60, 300))
        varbinds = b"".join(self._varbind(tag) for _ in range(count))
        return tag, b"".join(int_tlv(v) for v in fields) + seq(varbinds)

    def _varbind(self, tag: int) -> bytes:
        rng = self.rng
        arcs: tuple[int, ...] = rng.choice(_OIDS)
        shape = rng.randrange(6)
        if shape == 0:
            arcs = arcs[:1]
        elif shape == 1:
            arcs = arcs + tuple(rng.randrange(1 << 32) for _ in range(rng.choice((1, 50, 130))))
        elif shape == 2:
            arcs = (*arcs[:-1], rng.choice((1 << 32, 1 << 64, (1 << 31) - 1)))
        value = b"\x05\x00"
        if tag == 0xA3 or rng.random() < 0.1:  # SET, or a value where none belongs
            kind = rng.choice(_VALUE_TAGS)
            content = rng.choice((b"", b"\x00", rng.randbytes(rng.choice((1, 4, 8, 9, 300)))))
            value = ber.encode_tlv(kind, content)
        return seq(oid_tlv(arcs), value)

    def _request(self, version: int, community: bytes, tag: int, body: bytes) -> bytes:
        return seq(int_tlv(version), ber.encode_tlv(ber.OCTET_STRING, community),
                   ber.encode_tlv(tag, body))

    def _v3(self) -> MutatedMessage:
        rng = self.rng
        assert self.user is not None
        engine = rng.choice((b"", b"\x80\x00\x1f\x88\x80" + rng.randbytes(8), rng.randbytes(40)))
        user = rng.choice((self.user, b"", self.user * 8, mutate_bytes(self.user, rng)))
        auth = rng.choice((b"", bytes(12), rng.randbytes(rng.choice((1, 12, 24, 48)))))
        usm = seq(ber.encode_tlv(ber.OCTET_STRING, engine), int_tlv(rng.choice(_INTS)),
                  int_tlv(rng.choice(_INTS)), ber.encode_tlv(ber.OCTET_STRING, user),
                  ber.encode_tlv(ber.OCTET_STRING, auth),
                  ber.encode_tlv(ber.OCTET_STRING, rng.choice((b"", rng.randbytes(8)))))
        flags = rng.choice((0, 1, 3, 4, 5, 7, 2, 0xFF))
        tag, body = self._pdu()
        scoped = seq(ber.encode_tlv(ber.OCTET_STRING, engine), ber.encode_tlv(ber.OCTET_STRING, b""),
                     ber.encode_tlv(tag, body))
        data = scoped if not flags & 2 else ber.encode_tlv(ber.OCTET_STRING, rng.randbytes(32))
        header = seq(int_tlv(rng.randrange(1 << 31)), int_tlv(rng.choice((484, 65507, 0, -1))),
                     ber.encode_tlv(ber.OCTET_STRING, bytes((flags,))),
                     int_tlv(rng.choice((3, 3, 3, 0, 1, 0x7FFFFFFF))))
        message = seq(int_tlv(3), header, ber.encode_tlv(ber.OCTET_STRING, usm), data)
        if rng.random() < 0.3:
            return MutatedMessage(mutate_bytes(message, rng), "raw", "an SNMPv3 message's bytes mutated")
        return MutatedMessage(message, "field", f"SNMPv3, flags 0x{flags:02x}, user of {len(user)} bytes")
