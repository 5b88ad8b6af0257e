"""Fuzzed Kantech IP frames for a live device (we play the gateway) or a live gateway (we play a
device), and the liveness probe for each, sans-IO.

Field-aware inputs start from a valid message of the role's side (every command it sends, every
reload record type, every event), mutate its data, command, event id or site id, and are
encoded again with the site key: the frame decrypts and its checksum is good, so the mutation
reaches the target's message parser and state machine. Raw inputs mutate a valid frame's bytes
after encoding (checksum, length, sync, ciphertext). Sequence numbers go up by one per frame so
a replay window lets the frames in.
"""

from __future__ import annotations

import ipaddress
import os
import random
from typing import Literal

from kantech_proto.codes import Command, ComponentKind, DeviceModel, ManualOperation
from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import event_samples, message_samples, mutate_bytes, record_samples
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import (
    Ack,
    Announce,
    Discover,
    Event,
    ManualOp,
    Message,
    Pulse,
    ReloadRecords,
    StatusReply,
)
from kantech_proto.reload_records import record_type_of
from kantech_proto.wire_profile import DEFAULT_PROFILE, WireProfile
from tools.netfuzz.fuzz_input import FuzzInput

Role = Literal["device", "gateway"]
ROLES = ("device", "gateway")
_BOUNDARIES = (b"\x00", b"\xff", b"\x7f", b"\x80", b"\x00\x00", b"\xff\xff", b"\xff\xff\xff\xff",
               b"\x80\x00\x00\x00")
#: who sends which command (WIRE.md section 3; ACK and NAK go both ways)
_GATEWAY_SENDS = frozenset({
    Command.DISCOVER, Command.ACK, Command.NAK, Command.STATUS_QUERY, Command.SET_DATETIME,
    Command.MANUAL_OP, Command.RELOAD_BEGIN, Command.RELOAD_RECORDS, Command.RELOAD_END,
    Command.FIRMWARE_BLOCK, Command.FIRMWARE_END})
_DEVICE_SENDS = frozenset({
    Command.PULSE, Command.ANNOUNCE, Command.ACK, Command.NAK, Command.STATUS_REPLY,
    Command.MANUAL_OP_REPLY, Command.EVENT})


def _samples_sent_by(commands: frozenset[Command]) -> list[Message]:
    return [message for message in message_samples() if message.COMMAND in commands]


def gateway_messages() -> list[Message]:
    """What a gateway sends a device: the seeds when the target is a device. Beyond the
    samples: DISCOVER, a relay and an input operation (the samples' one unlocks a door), and
    every reload record type."""
    return [*_samples_sent_by(_GATEWAY_SENDS), Discover(),
            ManualOp(ManualOperation.ACTIVATE_RELAY_TIMED, ComponentKind.RELAY, 1, 2, 3),
            ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.INPUT, 1, 1, 10),
            *(ReloadRecords(int(record_type_of(r)), (r,)) for r in record_samples())]


def device_messages() -> list[Message]:
    """What a device sends a gateway: the seeds when the target is a gateway. Beyond the
    samples: a pulse without events waiting, and every event."""
    return [*_samples_sent_by(_DEVICE_SENDS), Pulse(False),
            *(Event(event) for event in event_samples())]


def _announce() -> Announce:
    return Announce(DeviceModel.KT_400, (1, 0, 0), "KT400-FUZZ01",
                    ipaddress.IPv4Address("127.0.0.2"), ipaddress.IPv4Address("255.0.0.0"),
                    ipaddress.IPv4Address("127.0.0.1"))


class KantechInputs:
    """The inputs of one campaign (``seed`` makes it repeatable) and its probes."""

    def __init__(self, key: str, site_id: int, role: Role, seed: int,
                 profile: WireProfile = DEFAULT_PROFILE, sender: bytes | None = None) -> None:
        """``sender`` (a gateway session id, or a device MAC when playing a device) is new for
        each campaign by default: a target keeps a replay window per sender, and a second
        campaign under the same one would start below it."""
        self.codec = IpFrameCodec(key, profile)
        self.site_id, self.role = site_id, role
        self.rng = random.Random(seed)
        prefix = b"\x02" if role == "device" else b"\x00\x0b\x4c"
        self.sender = sender or prefix + os.urandom(6 - len(prefix))
        self.sequence = 0
        self.event_id = self.rng.randrange(1, 1 << 24)
        messages = gateway_messages() if role == "device" else device_messages()
        self.seeds = [(int(m.COMMAND), m.encode_data()) for m in messages]

    def next_input(self) -> FuzzInput:
        if self.rng.random() < 0.7:
            return self._field_aware()
        command, data = self.rng.choice(self.seeds)
        frame = self._encode(command, data, self._next_event_id())
        return FuzzInput(mutate_bytes(frame, self.rng), "raw",
                         f"{_name(command)} frame bytes mutated after encoding")

    def _field_aware(self) -> FuzzInput:
        rng = self.rng
        command, data = rng.choice(self.seeds)
        site_id, event_id = self.site_id, self._next_event_id()
        what = rng.randrange(10)
        if what < 6:
            data, note = mutate_bytes(data, rng), "data mutated"
        elif what == 6:
            data, note = self._boundary(data), "a boundary value written into the data"
        elif what == 7:
            command = rng.choice((rng.randrange(256), *[int(c) for c in Command]))
            note = f"sent as command 0x{command:02x}"
        elif what == 8:
            event_id = rng.choice((0, 0xFFFFFFFF, rng.randrange(1 << 32)))
            note = f"event id {event_id}"
        else:
            site_id = rng.choice((0, self.site_id ^ 1, 0xFFFFFFFF))
            note = f"site id {site_id}"
        frame = self._encode(command, data, event_id, site_id)
        return FuzzInput(frame, "field", f"{_name(command)}: {note}")

    def _boundary(self, data: bytes) -> bytes:
        value = self.rng.choice(_BOUNDARIES)
        at = self.rng.randrange(len(data) + 1)
        return data[:at] + value + data[at + len(value):]

    def _next_event_id(self) -> int:
        self.event_id = self.event_id % 0xFFFFFFFE + 1
        return self.event_id

    def _encode(self, command: int, data: bytes, event_id: int,
                site_id: int | None = None) -> bytes:
        self.sequence = (self.sequence + 1) & 0xFFFF
        return self.codec.encode_raw(self.site_id if site_id is None else site_id, self.sender,
                                     self.sequence, event_id, command, data)

    # -- liveness -------------------------------------------------------------------------
    def probe(self) -> tuple[bytes, int]:
        """The probe's frame and the event id its answer carries: a STATUS_QUERY for a device
        (answered by STATUS_REPLY), an ANNOUNCE for a gateway (answered by ACK; event id 0
        asks for one, as every device-initiated reliable message does)."""
        if self.role == "device":
            event_id = self._next_event_id()
            return self._encode(int(Command.STATUS_QUERY), b"", event_id), event_id
        return self._encode(int(Command.ANNOUNCE), _announce().encode_data(), 0), 0

    def is_probe_answer(self, data: bytes, event_id: int) -> bool:
        """True for the answer a live target gives the probe."""
        try:
            frame: IpFrame = self.codec.decode(data)
        except DecodeError:
            return False
        if self.role == "device":
            return isinstance(frame.message, StatusReply) and frame.event_id == event_id
        return isinstance(frame.message, Ack)


def _name(command: int) -> str:
    try:
        return Command(command).name
    except ValueError:
        return f"command 0x{command:02x}"
