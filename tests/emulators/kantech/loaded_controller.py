"""A controller model reloaded with records through the wire codec, on a clock the test names.

Everything crosses the codec both ways (as the device runtime would), so a record or event the
wire cannot carry fails here rather than passing in memory. ``at(ctl, when)`` is the ``now`` at
which the controller's clock reads ``when``: tests speak in wall-clock times and the model in
monotonic seconds, as in a real runtime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from emulators.kantech.controller_model import Controller, make_controller
from kantech_proto.codes import DeviceModel
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import EventType
from kantech_proto.message_layout import decode_message
from kantech_proto.messages import (
    Ack,
    Message,
    ReloadBegin,
    ReloadEnd,
    ReloadRecords,
    SetDateTime,
)
from kantech_proto.reload_records import (
    IP_DATA_BUDGET,
    ReloadRecord,
    max_records_per_packet,
    record_type_of,
)

MAC = bytes.fromhex("00112233aabb")
MONDAY_9 = dt.datetime(2024, 3, 4, 9, 0, 0)  # 4 March 2024 is a Monday


def ask(ctl: Controller, message: Message, now: float) -> Message:
    """One request through the wire codec both ways."""
    request = decode_message(message.COMMAND, message.encode_data())
    reply = ctl.handle_request(request, now)
    return decode_message(reply.COMMAND, reply.encode_data())


def packets(records: Iterable[ReloadRecord]) -> list[ReloadRecords]:
    """RELOAD_RECORDS packets for ``records``, one type per packet, in the order given."""
    by_type: dict[int, list[ReloadRecord]] = {}
    for record in records:
        by_type.setdefault(record_type_of(record), []).append(record)
    out = []
    for kind, items in by_type.items():
        step = max_records_per_packet(kind, IP_DATA_BUDGET)
        out += [ReloadRecords(kind, tuple(items[i:i + step])) for i in range(0, len(items), step)]
    return out


def reload(ctl: Controller, now: float, *records: ReloadRecord, scope: int = 0) -> None:
    """A reload (BEGIN ``scope``: 0 full, else that record type; the records; END with their
    count), every step ACKed."""
    assert ask(ctl, ReloadBegin(scope), now) == Ack()
    batches = packets(records)
    for batch in batches:
        assert ask(ctl, batch, now) == Ack(), batch.record_type
    assert ask(ctl, ReloadEnd(sum(len(b.records) for b in batches)), now) == Ack()


def loaded(*records: ReloadRecord, model: DeviceModel = DeviceModel.KT_400,
           when: dt.datetime = MONDAY_9, now: float = 0.0) -> Controller:
    """A controller whose clock reads ``when`` at ``now``, reloaded with ``records``, its
    events taken (the reload's own are not what the tests look at)."""
    ctl = make_controller(model, MAC, "DEPTH-1")
    assert ask(ctl, SetDateTime(KantechDateTime.from_datetime(when)), now) == Ack()
    reload(ctl, now, *records)
    ctl.take_events()
    return ctl


def at(ctl: Controller, when: dt.datetime) -> float:
    """The ``now`` at which the controller's clock reads ``when``."""
    now = ctl.clock.monotonic_at(when)
    assert now is not None, "the controller's clock is not set"
    return now


def events(ctl: Controller) -> list[ControllerEvent]:
    """The events queued so far, each checked to survive the wire (exact size, same value)."""
    taken = ctl.take_events()
    for event in taken:
        assert ControllerEvent.decode(event.encode()) == event
    return taken


def kinds(ctl: Controller) -> list[EventType]:
    return [e.event_type for e in events(ctl)]


def stamp(event: ControllerEvent) -> dt.datetime:
    return event.timestamp.to_datetime()
