"""Encoding the agent's SNMPv3 answers (the outgoing half of RFC 3414 section 3.1): scope,
encrypt, add the USM parameters, sign.

An answer is a handful of pieces joined once; everything that is the same from one answer to
the next is kept: the engine ID, user name and context prefix per (engine ID, user), the USM
parameters up to the MAC per (engine ID, user, boots, time, MAC length) (time moves once a
second), msgMaxSize/msgFlags/msgSecurityModel per level. The MAC is computed over the pieces
around its zero placeholder and the answer joined once with it in place, so the message is never
encoded twice.
"""

from __future__ import annotations

from ekm_proto.snmp import usm
from ekm_proto.snmp.ber import encode_integer, header
from ekm_proto.snmp.message import FLAG_AUTH, FLAG_PRIV, USM_SECURITY_MODEL
from ekm_proto.snmp.usm import HmacKey, PrivCipher

_SHAPES_LIMIT = 4096
_VERSION_3 = b"\x02\x01\x03"


class _Shape:
    """What answers to one user at one agent share."""

    __slots__ = ("context", "engine_tlv", "head", "head_key", "user_tlv")

    def __init__(self, engine_id: bytes, user_name: bytes) -> None:
        self.engine_tlv = header(0x04, len(engine_id)) + engine_id
        self.user_tlv = header(0x04, len(user_name)) + user_name
        self.context = self.engine_tlv + b"\x04\x00"  # contextEngineID, empty contextName
        self.head_key = (-1, -1, -1)
        self.head = b""

    def usm_head(self, boots: int, engine_time: int, mac_length: int) -> bytes:
        """UsmSecurityParameters' fields up to the MAC's content."""
        key = (boots, engine_time, mac_length)
        if key != self.head_key:
            self.head = (self.engine_tlv + encode_integer(boots) + encode_integer(engine_time)
                         + self.user_tlv + bytes((0x04, mac_length)))
            self.head_key = key
        return self.head


class ReplyEncoder:
    """Builds the agent's v3 messages; ``next_salt`` gives the privacy salts (never repeated
    within a process for one key, RFC 3826 3.1.2.1)."""

    def __init__(self, max_message_size: int) -> None:
        self.max_message_size = max_message_size
        self.next_salt = usm.new_salt_source()
        self._shapes: dict[tuple[bytes, bytes], _Shape] = {}
        self._tails: dict[int, bytes] = {}

    def wrap(self, msg_id: int, level: int, user_name: bytes, engine_id: bytes, boots: int,
             engine_time: int, context_engine_id: bytes, parts: list[bytes], pdu_length: int,
             hmac_key: HmacKey | None, cipher: PrivCipher | None) -> bytes:
        """The whole message around a response PDU given as ``parts`` (``pdu_length`` octets)."""
        shape = self._shapes.get((engine_id, user_name))
        if shape is None:
            shape = self._shape(engine_id, user_name)
        context = shape.context if context_engine_id == engine_id else (
            header(0x04, len(context_engine_id)) + context_engine_id + b"\x04\x00")
        size = len(context) + pdu_length
        scoped = b"".join((bytes((0x30, size)) if size < 0x80 else header(0x30, size), context,
                           *parts))
        if level & FLAG_PRIV and cipher is not None:
            ciphertext, salt = cipher.encrypt(scoped, self.next_salt(), boots, engine_time)
            size = len(ciphertext)
            after_mac = b"".join((b"\x04\x08", salt, bytes((0x04, size)) if size < 0x80
                                  else header(0x04, size), ciphertext))
            usm_tail = 10  # the OCTET STRING of the 8 salt octets
        else:
            after_mac = b"\x04\x00" + scoped
            usm_tail = 2
        mac_length = hmac_key.mac_length if hmac_key is not None and level & FLAG_AUTH else 0
        usm_head = shape.head
        if shape.head_key != (boots, engine_time, mac_length):
            usm_head = shape.usm_head(boots, engine_time, mac_length)
        size = len(usm_head) + mac_length + usm_tail
        tail = self._tails.get(level)
        if tail is None:
            tail = self._tail(level)
        global_data = encode_integer(msg_id) + tail
        before_mac = b"".join((_VERSION_3, bytes((0x30, len(global_data))), global_data,
                               bytes((0x04, size + 2, 0x30, size)) if size < 0x7E
                               else header(0x04, size + len(header(0x30, size)))
                               + header(0x30, size), usm_head))
        size = len(before_mac) + mac_length + len(after_mac)
        head = (bytes((0x30, size)) if size < 0x80 else header(0x30, size)) + before_mac
        if not mac_length or hmac_key is None:
            return head + after_mac
        return b"".join((head, hmac_key.mac_of(head, usm.MAC_ZEROS[mac_length], after_mac), after_mac))

    def _shape(self, engine_id: bytes, user_name: bytes) -> _Shape:
        if len(self._shapes) >= _SHAPES_LIMIT:
            self._shapes.pop(next(iter(self._shapes)))  # bounded: oldest out
        shape = self._shapes[engine_id, user_name] = _Shape(engine_id, user_name)
        return shape

    def _tail(self, level: int) -> bytes:
        """msgMaxSize, msgFlags and msgSecurityModel of our answers (fixed per level)."""
        tail = self._tails[level] = (encode_integer(self.max_message_size)
                                     + bytes((0x04, 1, level))
                                     + encode_integer(USM_SECURITY_MODEL))
        return tail
