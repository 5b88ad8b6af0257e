"""Fuzz target: RELOAD_RECORDS data, and each reload record decoder on its own.

The whole input is tried as RELOAD_RECORDS data; then its first byte picks a record type (1..24,
wrapping) and the rest is tried as one record of that type, as given and cut or zero-filled to the
type's size, so mutations reach every field check. A decoded record must re-encode to the very
bytes it came from (layouts have one encoding) and must give a JSON-friendly ``as_dict``.
"""

from __future__ import annotations

import json

from kantech_proto.codes import RecordType
from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import record_samples as samples
from kantech_proto.fuzzing import reload_record_seeds as seeds
from kantech_proto.reload_records import (
    RECORD_SIZES,
    Record,
    ReloadRecord,
    decode_record,
    decode_reload_records,
    encode_record,
    encode_reload_records,
)

__all__ = ["TestOneInput", "samples", "seeds"]


def _check(record: Record, data: bytes) -> None:
    assert encode_record(record) == data, "a decoded record must re-encode to the same bytes"
    if isinstance(record, ReloadRecord):
        json.dumps(record.as_dict())


def TestOneInput(data: bytes) -> None:
    try:
        record_type, records = decode_reload_records(data)
    except DecodeError:
        pass
    else:
        assert encode_reload_records(record_type, records) == data, "packet must re-encode"
    if not data:
        return
    chosen = RecordType((data[0] - 1) % len(RecordType) + 1)
    size = RECORD_SIZES[chosen]
    for body in (data[1:], data[1: 1 + size].ljust(size, b"\x00")):
        try:
            record = decode_record(chosen, body)
        except DecodeError:
            continue
        _check(record, body)
