"""Supervised inputs: what an open or short circuit on an input's wiring means to the controller.

A line is normal, open (a cut wire) or short (a bridged pair). With end-of-line resistors
(InputRecord.supervision) the controller tells a fault from a contact change and reports a
trouble; without, a fault reads as a contact state:

| supervision | open circuit                  | short circuit                  |
|-------------|-------------------------------|--------------------------------|
| NONE        | contact open                  | contact closed                 |
| SINGLE_EOL  | trouble INPUT_TROUBLE_OPEN    | contact closed                 |
| DOUBLE_EOL  | trouble INPUT_TROUBLE_OPEN    | trouble INPUT_TROUBLE_SHORT    |

"Contact open" is an alarm on a normally closed input (NormalState.CLOSED) and normal on a
normally open one, and the other way round for "contact closed". A door's contact input is
supervised as DOUBLE_EOL when the door has DoorFlag.CONTACT_SUPERVISED. During a trouble the
input keeps its last contact state; when the line is repaired the trouble restores and a fault
read as a contact gives the contact back its own state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from emulators.kantech.errors import ModelInputError
from kantech_proto.event_types import EventType
from kantech_proto.records_hardware import InputRecord, NormalState, Supervision


class Line(enum.Enum):
    NORMAL = "normal"
    OPEN = "open"
    SHORT = "short"


@dataclass(frozen=True, slots=True)
class LineReading:
    """What the controller reads from a line: a trouble, or a contact state (True = abnormal),
    or neither (a normal line: the contact reads as it is)."""

    trouble: EventType | None = None
    abnormal: bool | None = None


def read_line(line: Line, record: InputRecord | None, contact_supervised: bool = False
              ) -> LineReading:
    """How the controller reads ``line`` on an input run by ``record`` (defaults without one)."""
    supervision = record.supervision if record else Supervision.NONE
    if contact_supervised:
        supervision = Supervision.DOUBLE_EOL
    normal = record.normal_state if record else NormalState.CLOSED
    if line is Line.NORMAL:
        return LineReading()
    if line is Line.OPEN:
        if supervision != Supervision.NONE:
            return LineReading(trouble=EventType.INPUT_TROUBLE_OPEN)
        return LineReading(abnormal=normal == NormalState.CLOSED)
    if supervision == Supervision.DOUBLE_EOL:
        return LineReading(trouble=EventType.INPUT_TROUBLE_SHORT)
    return LineReading(abnormal=normal == NormalState.OPEN)


def parse_line(text: str | Line) -> Line:
    """A line state by name (normal, open, short); ModelInputError naming the choices."""
    try:
        return Line(text) if isinstance(text, Line) else Line(str(text).lower())
    except ValueError:
        raise ModelInputError(f"line {text!r}: expected one of normal, open, short") from None
