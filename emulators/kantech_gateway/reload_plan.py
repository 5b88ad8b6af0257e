"""Turning a site's records into RELOAD packets, and reporting what the reload cost on the wire.

One RELOAD_RECORDS packet carries one record type (WIRE.md section 3), so the plan batches each
type separately with ``max_records_per_packet``. The report sets the wire cost next to the paper's
table 7 arithmetic (count x record size), so the protocol overhead the paper leaves out is visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kantech_proto.codes import RecordType
from kantech_proto.ip_frame import IpFrame, IpFrameCodec
from kantech_proto.messages import ReloadBegin, ReloadEnd, ReloadRecords
from kantech_proto.reload_records import (
    IP_DATA_BUDGET,
    RECORD_SIZES,
    Record,
    max_records_per_packet,
)

#: IP frame framing around the ciphertext: sync 1, length 2, site id 4, checksum 2
_FRAME_FIXED = 9
#: plaintext header before the data: validation 2, sender 6, sequence 2, event id 4, command 1
_PLAIN_HEADER = 15
_BLOCK = 16
#: RELOAD_RECORDS data header: record type, count
_RECORDS_HEADER = 2
#: the paper's "minimum of 106 bytes" loaded with every controller reload (its note to table 7)
PAPER_MINIMUM_RELOAD = 106


def ip_frame_size(data_bytes: int) -> int:
    """Wire size of one IP frame carrying ``data_bytes`` of command data (WIRE.md section 1)."""
    plain = _PLAIN_HEADER + data_bytes
    return _FRAME_FIXED + -(-plain // _BLOCK) * _BLOCK


@dataclass(frozen=True, slots=True)
class ReloadPlan:
    """Every packet of one reload, full (scope 0) or of one record type, in sending order."""

    batches: tuple[ReloadRecords, ...]
    scope: int = 0

    @property
    def record_count(self) -> int:
        return sum(len(b.records) for b in self.batches)

    def messages(self) -> list[ReloadBegin | ReloadRecords | ReloadEnd]:
        return [ReloadBegin(self.scope), *self.batches, ReloadEnd(self.record_count)]


def plan_frames(plan: ReloadPlan, codec: IpFrameCodec, site_id: int, session_id: bytes,
                first_sequence: int = 0, first_event_id: int = 1) -> list[dict[str, Any]]:
    """The frames a reload sends, encoded as a gateway would (one event id per request), for
    ``reload --dry-run``: command, records, data and wire bytes, and the frame in hex."""
    frames = []
    for i, message in enumerate(plan.messages()):
        wire = codec.encode(IpFrame(site_id, session_id, (first_sequence + i) & 0xFFFF,
                                    first_event_id + i, message))
        kind = RecordType(message.record_type) if isinstance(message, ReloadRecords) else None
        records = len(message.records) if isinstance(message, ReloadRecords) else 0
        frames.append({"command": message.COMMAND.name, "event_id": first_event_id + i,
                       "record_type": kind.name if kind is not None else None,
                       "records": records, "data_bytes": len(message.encode_data()),
                       "wire_bytes": len(wire), "hex": wire.hex()})
    return frames


def plan_reload(groups: Iterable[tuple[RecordType, Sequence[Record]]],
                budget: int = IP_DATA_BUDGET, scope: int = 0) -> ReloadPlan:
    """Batch each type's records into as few packets as ``budget`` data bytes allow."""
    batches: list[ReloadRecords] = []
    for record_type, records in groups:
        if not records:
            continue
        per_packet = max_records_per_packet(record_type, budget)
        for start in range(0, len(records), per_packet):
            batches.append(ReloadRecords(int(record_type),
                                         tuple(records[start:start + per_packet])))
    return ReloadPlan(tuple(batches), scope)


@dataclass(slots=True)
class TypeLine:
    """One record type's share of a reload."""

    record_type: RecordType
    records: int = 0
    frames: int = 0
    wire_bytes: int = 0

    @property
    def record_size(self) -> int:
        return RECORD_SIZES[self.record_type]

    @property
    def table7_bytes(self) -> int:
        """What the paper's table 7 counts: records x record size, no protocol at all."""
        return self.records * self.record_size

    def as_dict(self) -> dict[str, Any]:
        return {"record_type": self.record_type.name, "code": int(self.record_type),
                "records": self.records, "record_size": self.record_size,
                "table7_bytes": self.table7_bytes, "frames": self.frames,
                "wire_bytes": self.wire_bytes,
                "overhead_bytes": self.wire_bytes - self.table7_bytes}


@dataclass(slots=True)
class ReloadReport:
    """What a reload sent, per record type, against the paper's figures.

    ``wire_bytes_out``/``frames_out`` and ``*_in`` are measured on the socket (retransmissions
    and the device's ACKs included); the per-type lines are computed from the packets sent once.
    """

    device: str
    lines: list[TypeLine] = field(default_factory=list)
    frames_out: int = 0
    wire_bytes_out: int = 0
    frames_in: int = 0
    wire_bytes_in: int = 0
    seconds: float = 0.0

    @classmethod
    def for_plan(cls, device: str, plan: ReloadPlan) -> ReloadReport:
        lines: dict[RecordType, TypeLine] = {}
        for batch in plan.batches:
            kind = RecordType(batch.record_type)
            line = lines.setdefault(kind, TypeLine(kind))
            line.records += len(batch.records)
            line.frames += 1
            line.wire_bytes += ip_frame_size(_RECORDS_HEADER + len(batch.records)
                                             * RECORD_SIZES[kind])
        return cls(device, list(lines.values()))

    @property
    def records(self) -> int:
        return sum(line.records for line in self.lines)

    @property
    def table7_bytes(self) -> int:
        return sum(line.table7_bytes for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        table7 = self.table7_bytes
        return {
            "device": self.device, "records": self.records,
            "record_types": [line.as_dict() for line in self.lines],
            "table7_bytes": table7,
            "paper_minimum_bytes": PAPER_MINIMUM_RELOAD,
            "frames_out": self.frames_out, "wire_bytes_out": self.wire_bytes_out,
            "frames_in": self.frames_in, "wire_bytes_in": self.wire_bytes_in,
            "protocol_overhead_bytes": self.wire_bytes_out - table7,
            "overhead_ratio": round(self.wire_bytes_out / table7, 4) if table7 else None,
            "seconds": round(self.seconds, 4),
        }
