"""Every layout a gateway sees, declared from kantech_proto in one table: every command's data
layout, the 24 reload records, the event rows, the headers, and the display of fields the codecs
keep as plain integers or bytes (their enums, flags, text and addresses). The Wireshark
dissector and the protocol reference are both generated from ``build_schema()``.

Filter names follow one rule: ``kantech.<scope>.<field path>``, array indexes left out (an
array's values are repeated occurrences of one field). Scopes are listed in ``COMMAND_SCOPES``,
``rec.<record type>`` for reload records, ``event`` and ``event.timestamp`` for events,
``serial`` for the loop's frames.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import construct as c

from kantech_proto.codes import (
    Command,
    ComponentKind,
    DeviceModel,
    ManualOperation,
    NakReason,
    RecordType,
)
from kantech_proto.controller_status import (
    COMPONENT_RESULT_SIZE,
    STATUS_SIZE,
    ComponentResultStruct,
    ControllerStatusStruct,
    DoorFlag,
    DoorLockState,
    OperationResult,
    SystemFlag,
)
from kantech_proto.datetime_record import DateTimeStruct
from kantech_proto.event_types import EVENT_ROWS, AccessResult, EventType, Row, Source
from kantech_proto.ip_frame import OuterHeader, PlainHeader
from kantech_proto.message_layout import FIXED_DATA_SIZES
from kantech_proto.messages import (
    AnnounceStruct,
    FirmwareBlockStruct,
    FirmwareEndStruct,
    ManualOpStruct,
)
from kantech_proto.record_kinds import Choice, Text
from kantech_proto.reload_records import RECORD_CLASSES, RECORD_LAYOUTS, RECORD_SIZES
from kantech_proto.schema_walk import Catalog, Node, walk
from protolab.errors import UsageError

PROTO = "kantech"

#: the data layouts WIRE.md gives in words and kantech_proto builds by hand; a test checks
#: each builds what the message's ``encode_data`` does
PulseStruct = c.Struct("events_waiting" / c.Int8ub * (
    "bit 0: the device holds events the gateway has not acknowledged; other bits zero"))
NakStruct = c.Struct("reason" / c.Int8ub * "NakReason: why the request was refused")
ReloadBeginStruct = c.Struct("scope" / c.Int8ub * (
    "0: a full reload (every record type is cleared first); else the one record type reloaded"))
ReloadEndStruct = c.Struct("record_count" / c.Int32ub * (
    "records sent since RELOAD_BEGIN; the device NAKs (2) when it received another number"))
ReloadHeaderStruct = c.Struct(
    "record_type" / c.Int8ub * "RecordType of every record in this packet",
    "count" / c.Int8ub * "records that follow, 1..255, each exactly the type's size")
EventHeaderStruct = c.Struct("component" / c.Int8ub * (
    "the door, relay, input or output (1-based) the event is about; 0 = the controller"))
#: RELOAD_BEGIN's scope: 0 for everything, else one record type
_SCOPES = [("ALL", 0), *((t.name, int(t)) for t in RecordType)]
ReloadScope: type[enum.IntEnum] = enum.IntEnum("ReloadScope", _SCOPES)  # type: ignore[misc]

#: command -> (scope, layout, display of its fields); commands without data have no layout
FIXED_LAYOUTS: dict[Command, tuple[str, c.Struct, dict[str, object]]] = {
    Command.PULSE: ("pulse", PulseStruct, {}),
    Command.ANNOUNCE: ("announce", AnnounceStruct, {
        "model": Choice(DeviceModel), "serial_number": Text(16), "ip": "ipv4",
        "netmask": "ipv4", "gateway": "ipv4"}),
    Command.NAK: ("nak", NakStruct, {"reason": Choice(NakReason)}),
    Command.STATUS_REPLY: ("status", ControllerStatusStruct, {
        "model": Choice(DeviceModel), "system_flags": SystemFlag,
        "doors": {"lock_state": Choice(DoorLockState), "flags": DoorFlag},
        **dict.fromkeys(("relays_active", "relays_timed", "inputs_active", "inputs_alarm",
                         "inputs_shunted", "inputs_trouble", "outputs_active", "firmware_crc32"),
                        "hex")}),
    Command.SET_DATETIME: ("datetime", DateTimeStruct, {}),
    Command.MANUAL_OP: ("manual_op", ManualOpStruct, {
        "operation": Choice(ManualOperation), "kind": Choice(ComponentKind)}),
    Command.RELOAD_BEGIN: ("reload", ReloadBeginStruct, {"scope": ReloadScope}),
    Command.RELOAD_END: ("reload", ReloadEndStruct, {}),
    Command.FIRMWARE_BLOCK: ("firmware_block", FirmwareBlockStruct, {}),
    Command.FIRMWARE_END: ("firmware_end", FirmwareEndStruct, {"crc32": "hex"}),
}
NO_DATA = (Command.DISCOVER, Command.ACK, Command.POLL, Command.STATUS_QUERY)
#: commands whose data the engine walks itself, with the layouts given below
VARIABLE = (Command.MANUAL_OP_REPLY, Command.RELOAD_RECORDS, Command.EVENT, Command.TUNNEL)
COMMAND_SCOPES = {**{cmd: scope for cmd, (scope, _, _) in FIXED_LAYOUTS.items()},
                  Command.MANUAL_OP_REPLY: "result", Command.RELOAD_RECORDS: "reload",
                  Command.EVENT: "event", Command.TUNNEL: "serial"}

#: the serial frame around its data (WIRE.md section 2); a test checks the names against
#: kantech_proto's SerialLayout
SERIAL_FIELDS = ("address", "command", "length", "data")


@dataclass(frozen=True)
class Layout:
    scope: str
    size: int
    nodes: tuple[Node, ...]


@dataclass
class Schema:
    catalog: Catalog
    outer: Layout
    plain: Layout
    commands: dict[int, Layout]
    records: dict[int, Layout]
    result: Layout
    reload_header: Layout
    event_header: Layout
    event_timestamp: Layout
    event_rows: list[tuple[Row, Layout]]


def _layout(scope: str, layout: c.Struct, kinds: dict[str, object], catalog: Catalog) -> Layout:
    prefix = f"{PROTO}.{scope}" if scope else PROTO
    return Layout(scope, layout.sizeof(), walk(layout, prefix, kinds, catalog))


def record_scope(record_type: RecordType) -> str:
    return f"rec.{record_type.name.lower()}"


def _check(condition: bool, problem: str) -> None:
    if not condition:
        raise UsageError(f"the dissector schema disagrees with kantech_proto: {problem}")


def build_schema() -> Schema:
    catalog = Catalog()
    for kind in (Command, RecordType, EventType, AccessResult, Source):
        catalog.add_enum(kind)
    outer = _layout("", OuterHeader, {}, catalog)
    plain = _layout("", PlainHeader, {"sender_id": "ether", "command": Command}, catalog)
    commands = {int(cmd): _layout(scope, layout, kinds, catalog)
                for cmd, (scope, layout, kinds) in FIXED_LAYOUTS.items()}
    for cmd, (_, layout, _) in FIXED_LAYOUTS.items():
        _check(layout.sizeof() == FIXED_DATA_SIZES[cmd], f"{cmd.name} data size")
    _check(STATUS_SIZE == ControllerStatusStruct.sizeof(), "status size")
    records = {int(t): _layout(record_scope(t), RECORD_LAYOUTS[t],
                               dict(getattr(RECORD_CLASSES[t], "KINDS", {})), catalog)
               for t in RecordType}
    for t in RecordType:
        _check(records[int(t)].size == RECORD_SIZES[t], f"{t.name} record size")
    result = _layout("result", ComponentResultStruct, {
        "kind": Choice(ComponentKind), "operation": Choice(ManualOperation),
        "result": Choice(OperationResult)}, catalog)
    _check(result.size == COMPONENT_RESULT_SIZE, "component result size")
    rows: list[tuple[Row, Layout]] = []
    for row in dict.fromkeys(EVENT_ROWS.values()):
        rows.append((row, _layout("event", row.layout, {
            "event_type": EventType, "source": Choice(Source),
            "card_digits": "bcd"}, catalog)))
    return Schema(
        catalog, outer, plain, commands, records, result,
        _layout("reload", ReloadHeaderStruct, {"record_type": RecordType}, catalog),
        _layout("event", EventHeaderStruct, {}, catalog),
        _layout("event.timestamp", DateTimeStruct, {}, catalog), rows)
