"""Controller events carried inside TUNNEL messages: EVENT serial frames from an IP-Link's loop.

An IP-Link forwards what its polling found, and a gateway polling through TUNNEL gets the same
frames back; either way an EVENT frame whose data does not decode is skipped, not fatal.
"""

from __future__ import annotations

from collections.abc import Iterable

from kantech_proto.codes import Command
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.errors import DecodeError
from kantech_proto.message_layout import decode_message
from kantech_proto.messages import Event, TunnelItem
from kantech_proto.serial_frame import SerialFrame


def serial_event(item: TunnelItem) -> ControllerEvent | None:
    """The event an EVENT serial frame carries; None for anything else or undecodable data."""
    if not isinstance(item, SerialFrame) or item.command != Command.EVENT:
        return None
    try:
        message = decode_message(item.command, item.data)
    except DecodeError:
        return None
    return message.event if isinstance(message, Event) else None


def loop_events(items: Iterable[TunnelItem]) -> list[tuple[int, ControllerEvent]]:
    """(loop address, event) for every event among a TUNNEL's items, in order."""
    found = []
    for item in items:
        event = serial_event(item)
        if event is not None:
            found.append((item.address, event))
    return found
