"""A message's decoded fields as JSON-friendly values, for the command line and logs."""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import fields, is_dataclass
from typing import Any

from kantech_proto.codes import Command
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.messages import (
    Event,
    ManualOpReply,
    Message,
    ReloadRecords,
    StatusReply,
    Tunnel,
)
from kantech_proto.serial_frame import Presence


def message_fields(message: Message) -> dict[str, Any]:
    """The decoded fields of a message as JSON-friendly values (for the CLI and logs)."""
    if isinstance(message, StatusReply):
        return {"status": message.status.as_dict()}
    if isinstance(message, ManualOpReply):
        return {"results": [r.as_dict() for r in message.results]}
    if isinstance(message, Event):
        return {"event": message.event.as_dict()}
    if isinstance(message, ReloadRecords):
        return {"record_type": message.record_type, "count": len(message.records),
                "records": [_jsonable(r) for r in message.records]}
    if isinstance(message, Tunnel):
        return {"items": [{"presence": item.address} if isinstance(item, Presence) else
                          {"address": item.address, "command": Command(item.command).name,
                           "data": item.data.hex()} for item in message.items]}
    return {f.name: _jsonable(getattr(message, f.name)) for f in fields(message) if f.compare}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, KantechDateTime):
        return value.as_json()
    if isinstance(value, ipaddress.IPv4Address):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return str(value)
