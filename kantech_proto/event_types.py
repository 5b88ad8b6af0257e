"""Message type codes of the controller's events (WIRE.md section 5, paper table 12).

An event body starts with its message type byte; table 12 gives each row's body size *with* that
byte, and the type byte also carries what a one-byte body cannot: for an access request, granted
or which denial; for a door report, forced open or held open; and so on. Codes are grouped by
row: 0x01-0x0F system reports, 0x10 command reports, 0x18 card counts, 0x20 door reports,
0x28 door status, 0x30-0x3F inputs, 0x40 relays, 0x48 outputs, 0x50 stand-alone mode,
0x80/0x90 access results (32-bit/BCD card, low nibble = ``AccessResult``), 0xA0/0xB0 floors.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import construct as c

from kantech_proto.errors import LayoutError

TYPE = "event_type" / c.Int8ub * ("EventType: which row of table 12, and for access results "
                                  "granted or which denial")


class AccessResult(enum.IntEnum):
    """Low nibble of an access request result's type code."""

    GRANTED = 0x0  # the card may pass; the lock is released
    GRANTED_DURESS = 0x1  # granted, the holder keyed the duress PIN
    UNKNOWN_CARD = 0x2  # no such card
    CARD_SUSPENDED = 0x3  # card not VALID
    NOT_YET_VALID = 0x4  # before the card's first valid day
    EXPIRED = 0x5  # after the card's last valid day
    LOST_STOLEN = 0x6  # the card is reported lost or stolen
    BAD_ACCESS_LEVEL = 0x7  # no access level for this door
    OUTSIDE_SCHEDULE = 0x8  # a level for the door, but its schedule is not active
    WRONG_PIN = 0x9  # the PIN is not the card's (or the card is locked out)
    PIN_TIMEOUT = 0xA  # a PIN was asked for and none came
    DOOR_DISABLED = 0xB  # the door refuses every card
    PASSBACK = 0xC  # hard anti-passback: the card is already on that side
    NO_USES_LEFT = 0xD  # the card's uses are used up
    GRANTED_PASSBACK = 0xE  # granted, with a soft anti-passback violation logged
    INTERLOCKED = 0xF  # the door's interlocked door is open or released


#: the results that let the holder through
GRANTED_RESULTS = frozenset({AccessResult.GRANTED, AccessResult.GRANTED_DURESS,
                             AccessResult.GRANTED_PASSBACK})


class Source(enum.IntEnum):
    """What changed a door, relay or input (second byte of the two-byte status reports)."""

    MANUAL = 1  # a MANUAL_OP from the gateway
    SCHEDULE = 2
    CARD = 3  # a granted or supervisor card
    REX = 4
    INPUT = 5  # a relay following an input, a door contact shunting its door
    ACTION = 6  # an action scheduler
    POWER_UP = 7  # the state restored after a power-up or reload


class EventType(enum.IntEnum):
    # system report, value: u24 (see SYSTEM_REPORT)
    POWER_UP = 0x01
    AC_FAIL = 0x02
    AC_RESTORED = 0x03
    LOW_BATTERY = 0x04
    BATTERY_RESTORED = 0x05
    TAMPER = 0x06
    TAMPER_RESTORED = 0x07
    RELOAD_DONE = 0x08
    BUFFER_OVERFLOW = 0x09
    GATEWAY_LOST = 0x0A
    GATEWAY_RESTORED = 0x0B
    # report following a command on the network
    COMMAND_DONE = 0x10
    COMMAND_REFUSED = 0x11
    # internal/external card number status, value: u24 cards held
    CARDS_INTERNAL = 0x18
    CARDS_EXTERNAL = 0x19
    # door report
    DOOR_OPENED = 0x20
    DOOR_CLOSED = 0x21  # also the restore of FORCED_OPEN and OPEN_TOO_LONG
    DOOR_FORCED_OPEN = 0x22
    DOOR_OPEN_TOO_LONG = 0x23
    DOOR_PRE_ALARM = 0x24
    DOOR_REX = 0x25
    # door status, source: u8
    DOOR_LOCKED = 0x28
    DOOR_UNLOCKED = 0x29
    DOOR_UNLOCKED_TIMED = 0x2A
    DOOR_DISABLED = 0x2B
    # inputs in alarm report
    INPUT_ALARM = 0x30
    INPUT_RESTORED = 0x31
    # shunt inputs report, source: u8
    INPUT_SHUNTED = 0x32
    INPUT_UNSHUNTED = 0x33
    # temporarily shunt inputs report, minutes: u8
    INPUT_TEMP_SHUNTED = 0x34
    INPUT_TEMP_SHUNT_ENDED = 0x35
    # supervised inputs report
    INPUT_TROUBLE_OPEN = 0x38
    INPUT_TROUBLE_SHORT = 0x39
    INPUT_TROUBLE_RESTORED = 0x3A
    # relay activation status, source: u8
    RELAY_ACTIVATED = 0x40
    RELAY_DEACTIVATED = 0x41
    # output by event activation status
    OUTPUT_ACTIVATED = 0x48
    OUTPUT_DEACTIVATED = 0x49
    # status on unlocking door in stand-alone mode, schedule: u8
    STANDALONE_DOOR_UNLOCKED = 0x50
    STANDALONE_DOOR_RELOCKED = 0x51
    # status on disabling door in stand-alone mode
    STANDALONE_DOOR_DISABLED = 0x52
    STANDALONE_DOOR_ENABLED = 0x53
    # status on activating relay in stand-alone mode, schedule: u8
    STANDALONE_RELAY_ACTIVATED = 0x54
    STANDALONE_RELAY_DEACTIVATED = 0x55
    # access request results, 32-bit card: card_number u32
    ACCESS_GRANTED = 0x80
    ACCESS_GRANTED_DURESS = 0x81
    ACCESS_DENIED_UNKNOWN_CARD = 0x82
    ACCESS_DENIED_CARD_SUSPENDED = 0x83
    ACCESS_DENIED_NOT_YET_VALID = 0x84
    ACCESS_DENIED_EXPIRED = 0x85
    ACCESS_DENIED_LOST_STOLEN = 0x86
    ACCESS_DENIED_BAD_ACCESS_LEVEL = 0x87
    ACCESS_DENIED_OUTSIDE_SCHEDULE = 0x88
    ACCESS_DENIED_WRONG_PIN = 0x89
    ACCESS_DENIED_PIN_TIMEOUT = 0x8A
    ACCESS_DENIED_DOOR_DISABLED = 0x8B
    ACCESS_DENIED_PASSBACK = 0x8C
    ACCESS_DENIED_NO_USES_LEFT = 0x8D
    ACCESS_GRANTED_PASSBACK = 0x8E
    ACCESS_DENIED_INTERLOCKED = 0x8F
    # access request results, BCD card: card_digits, 10 bytes (20 digits)
    ACCESS_GRANTED_BCD = 0x90
    ACCESS_GRANTED_DURESS_BCD = 0x91
    ACCESS_DENIED_UNKNOWN_CARD_BCD = 0x92
    ACCESS_DENIED_CARD_SUSPENDED_BCD = 0x93
    ACCESS_DENIED_NOT_YET_VALID_BCD = 0x94
    ACCESS_DENIED_EXPIRED_BCD = 0x95
    ACCESS_DENIED_LOST_STOLEN_BCD = 0x96
    ACCESS_DENIED_BAD_ACCESS_LEVEL_BCD = 0x97
    ACCESS_DENIED_OUTSIDE_SCHEDULE_BCD = 0x98
    ACCESS_DENIED_WRONG_PIN_BCD = 0x99
    ACCESS_DENIED_PIN_TIMEOUT_BCD = 0x9A
    ACCESS_DENIED_DOOR_DISABLED_BCD = 0x9B
    ACCESS_DENIED_PASSBACK_BCD = 0x9C
    ACCESS_DENIED_NO_USES_LEFT_BCD = 0x9D
    ACCESS_GRANTED_PASSBACK_BCD = 0x9E
    ACCESS_DENIED_INTERLOCKED_BCD = 0x9F
    # valid or invalid floor selection results: card_number u32, floor u8
    FLOOR_VALID = 0xA0
    FLOOR_INVALID = 0xA1
    # ... BCD card: card_digits 8 bytes (16 digits), floor u8
    FLOOR_VALID_BCD = 0xB0
    FLOOR_INVALID_BCD = 0xB1


@dataclass(frozen=True, eq=False)
class Row:
    """One row of table 12: body size with the type byte, and the body's layout."""

    title: str
    size: int
    layout: c.Struct
    controller_wide: bool = False  # the component byte may be 0 (the controller itself)
    compiled: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.layout.sizeof() != self.size:
            raise LayoutError(f"{self.title}: layout of {self.layout.sizeof()} bytes, "
                            f"table 12 says {self.size}")
        object.__setattr__(self, "compiled", self.layout.compile())

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(sc.name for sc in self.layout.subcons[1:])

    def parse(self, data: bytes, *, plain: bool = False) -> Any:
        return (self.layout if plain else self.compiled).parse(data)


# value: POWER_UP firmware major/minor/build bytes, RELOAD_DONE records loaded, BUFFER_OVERFLOW
# events lost, GATEWAY_RESTORED events buffered meanwhile, 0 for the others
SYSTEM_REPORT = Row("system report", 4, c.Struct(TYPE, "value" / c.Int24ub * (
    "POWER_UP: firmware major << 16 | minor << 8 | build; RELOAD_DONE: records held; "
    "BUFFER_OVERFLOW: events lost; GATEWAY_RESTORED: events buffered meanwhile; else 0")), True)
COMMAND_REPORT = Row("report following a command on the network", 1, c.Struct(TYPE), True)
DOOR_REPORT = Row("door report", 1, c.Struct(TYPE))
INPUT_ALARM_REPORT = Row("inputs in alarm report", 1, c.Struct(TYPE))
SHUNT_REPORT = Row("shunt inputs report", 2, c.Struct(TYPE, "source" / c.Int8ub * "Source: what changed it"))
TEMP_SHUNT_REPORT = Row("temporarily shunt inputs report", 2,
                        c.Struct(TYPE, "minutes" / c.Int8ub * "length of the shunt, minutes rounded up"))
SUPERVISED_REPORT = Row("supervised inputs report", 1, c.Struct(TYPE))
RELAY_STATUS = Row("relay activation status", 2,
                   c.Struct(TYPE, "source" / c.Int8ub * "Source: what changed it"))
DOOR_STATUS = Row("door status", 2, c.Struct(TYPE, "source" / c.Int8ub * "Source: what changed it"))
CARD_COUNT = Row("internal/external card number status", 4,
                 c.Struct(TYPE, "value" / c.Int24ub * "cards held (internal or external)"), True)
OUTPUT_STATUS = Row("output by event activation status", 1, c.Struct(TYPE))
ACCESS_32 = Row("access request results, 32-bit card", 5,
                c.Struct(TYPE, "card_number" / c.Int32ub * "the 32-bit card number read"))
ACCESS_BCD = Row("access request results, BCD card", 11,
                 c.Struct(TYPE, "card_digits" / c.Bytes(10) * "BCD card number, up to 20 digits, 0xF filler"))
FLOOR_32 = Row("valid or invalid floor selection results, 32-bit card", 6,
               c.Struct(TYPE, "card_number" / c.Int32ub * "the 32-bit card number read",
                        "floor" / c.Int8ub * "the floor selected, 1..255"))
FLOOR_BCD = Row("valid or invalid floor selection results, BCD card", 10,
                c.Struct(TYPE, "card_digits" / c.Bytes(8) * "BCD card number, up to 16 digits, 0xF filler",
                         "floor" / c.Int8ub * "the floor selected, 1..255"))
STANDALONE_UNLOCK = Row("status on unlocking door in stand-alone mode", 2,
                        c.Struct(TYPE, "schedule" / c.Int8ub * "the schedule that caused it"))
STANDALONE_DISABLE = Row("status on disabling door in stand-alone mode", 1, c.Struct(TYPE))
STANDALONE_RELAY = Row("status on activating relay in stand-alone mode", 2,
                       c.Struct(TYPE, "schedule" / c.Int8ub * "the schedule that caused it"))


def _rows() -> dict[EventType, Row]:
    t = EventType
    groups: list[tuple[Row, range]] = [
        (SYSTEM_REPORT, range(t.POWER_UP, t.GATEWAY_RESTORED + 1)),
        (COMMAND_REPORT, range(t.COMMAND_DONE, t.COMMAND_REFUSED + 1)),
        (CARD_COUNT, range(t.CARDS_INTERNAL, t.CARDS_EXTERNAL + 1)),
        (DOOR_REPORT, range(t.DOOR_OPENED, t.DOOR_REX + 1)),
        (DOOR_STATUS, range(t.DOOR_LOCKED, t.DOOR_DISABLED + 1)),
        (INPUT_ALARM_REPORT, range(t.INPUT_ALARM, t.INPUT_RESTORED + 1)),
        (SHUNT_REPORT, range(t.INPUT_SHUNTED, t.INPUT_UNSHUNTED + 1)),
        (TEMP_SHUNT_REPORT, range(t.INPUT_TEMP_SHUNTED, t.INPUT_TEMP_SHUNT_ENDED + 1)),
        (SUPERVISED_REPORT, range(t.INPUT_TROUBLE_OPEN, t.INPUT_TROUBLE_RESTORED + 1)),
        (RELAY_STATUS, range(t.RELAY_ACTIVATED, t.RELAY_DEACTIVATED + 1)),
        (OUTPUT_STATUS, range(t.OUTPUT_ACTIVATED, t.OUTPUT_DEACTIVATED + 1)),
        (STANDALONE_UNLOCK, range(t.STANDALONE_DOOR_UNLOCKED, t.STANDALONE_DOOR_RELOCKED + 1)),
        (STANDALONE_DISABLE, range(t.STANDALONE_DOOR_DISABLED, t.STANDALONE_DOOR_ENABLED + 1)),
        (STANDALONE_RELAY,
         range(t.STANDALONE_RELAY_ACTIVATED, t.STANDALONE_RELAY_DEACTIVATED + 1)),
        (ACCESS_32, range(t.ACCESS_GRANTED, t.ACCESS_DENIED_INTERLOCKED + 1)),
        (ACCESS_BCD, range(t.ACCESS_GRANTED_BCD, t.ACCESS_DENIED_INTERLOCKED_BCD + 1)),
        (FLOOR_32, range(t.FLOOR_VALID, t.FLOOR_INVALID + 1)),
        (FLOOR_BCD, range(t.FLOOR_VALID_BCD, t.FLOOR_INVALID_BCD + 1)),
    ]
    rows = {EventType(code): row for row, codes in groups for code in codes}
    if set(rows) != set(EventType) or sum(map(len, (r for _, r in groups))) != len(EventType):
        raise LayoutError("every event type belongs to exactly one table 12 row")
    return rows


EVENT_ROWS: dict[EventType, Row] = _rows()
EVENT_BODY_SIZES: dict[EventType, int] = {t: row.size for t, row in EVENT_ROWS.items()}
ACCESS_32_BASE, ACCESS_BCD_BASE = EventType.ACCESS_GRANTED, EventType.ACCESS_GRANTED_BCD


def access_event_type(result: AccessResult, *, bcd: bool = False) -> EventType:
    return EventType((ACCESS_BCD_BASE if bcd else ACCESS_32_BASE) + result)


def access_result_of(event_type: EventType) -> AccessResult | None:
    """The granted/denial result an access event type encodes, None for other types."""
    if EVENT_ROWS[event_type] is ACCESS_32 or EVENT_ROWS[event_type] is ACCESS_BCD:
        return AccessResult(event_type & 0x0F)
    return None
