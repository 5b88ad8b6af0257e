"""Any sequence of well-formed requests, in any order and with any field values the wire layout
allows: a controller answers each with a message that fits the wire (its reply, ACK or a NAK
with a reason), never raises, and every event it queues encodes. The network runtime catches a
model exception and NAKs it (so a device stays up), but an exception there is a model bug:
this property says there is none.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulators.kantech.controller_model import make_controller
from kantech_proto.codes import Command, DeviceModel
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import message_samples, mutate_bytes, record_samples
from kantech_proto.message_layout import decode_message
from kantech_proto.messages import (
    Ack,
    Message,
    Nak,
    ReloadBegin,
    ReloadEnd,
    ReloadRecords,
    SetDateTime,
)
from kantech_proto.reload_records import RECORD_CLASSES

#: what a gateway may send a controller (answers and device-side messages are refused too, but
#: through the same path: they are in the mix)
SAMPLES: list[Message] = [
    *message_samples(),
    *[ReloadRecords(int(record_type), (record,)) for record in record_samples()
      for record_type, kind in RECORD_CLASSES.items() if isinstance(record, kind)],
    SetDateTime(KantechDateTime(2026, 3, 2, 9, 0, 0, 0)), ReloadBegin(0), ReloadEnd(3),
]
assert {m.record_type for m in SAMPLES if isinstance(m, ReloadRecords)} == {
    int(t) for t in RECORD_CLASSES}, "a reload sample of every record type"
MODELS = (DeviceModel.KT_400, DeviceModel.KT_1, DeviceModel.KT_100, DeviceModel.KT_300)


def _request(rng: random.Random) -> Message | None:
    """A sample as sent, or with its data bytes edited (what still decodes is well-formed)."""
    sample = rng.choice(SAMPLES)
    data = sample.encode_data()
    command = sample.COMMAND
    if rng.random() < 0.6:
        data = mutate_bytes(data, rng)
    if rng.random() < 0.1:
        command = rng.choice(list(Command))
    try:
        return decode_message(command, data)
    except DecodeError:
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MODELS), st.integers(0, 2**32), st.integers(1, 60))
def test_any_requests_get_an_answer_that_fits_the_wire(model: DeviceModel, seed: int,
                                                       steps: int) -> None:
    rng = random.Random(seed)
    controller = make_controller(model, bytes.fromhex("0011223344aa"), "KT-0001")
    now = 0.0
    for _ in range(steps):
        request = _request(rng)
        now += rng.choice((0.0, 0.5, 3.0, 61.0, 3600.0))
        if request is None:
            continue
        reply = controller.handle_request(request, now)
        decoded = decode_message(reply.COMMAND, reply.encode_data())  # it fits the wire
        if isinstance(request, ReloadRecords | ReloadBegin | ReloadEnd | SetDateTime):
            assert isinstance(decoded, Ack | Nak), (request, reply)
        for event in controller.take_events():
            event.encode()
    controller.advance(now + 86400.0)
    assert all(e.encode() for e in controller.take_events())
