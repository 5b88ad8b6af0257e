"""Fuzz target: the EVENT data decoder.

A decoded event must re-encode to the very bytes it came from (one encoding per event) and give
a JSON-friendly ``as_dict``.
"""

from __future__ import annotations

import json

from kantech_proto.controller_events import decode_event, encode_event
from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import event_samples as samples
from kantech_proto.fuzzing import event_seeds as seeds

__all__ = ["TestOneInput", "samples", "seeds"]


def TestOneInput(data: bytes) -> None:
    try:
        event = decode_event(data)
    except DecodeError:
        return
    assert encode_event(event) == data, "a decoded event must re-encode to the same bytes"
    json.dumps(event.as_dict())
