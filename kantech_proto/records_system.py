"""Reload records that describe the site and the controller itself: global system information,
the controller and its reader drivers (its expansion hardware is in ``records_modules``).

Table 7 counts these "per controller" and the paper's reload example sends them first, with the
date/time; they are what an emulator needs before any door, card or schedule makes sense.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar

import construct as c

from kantech_proto.codes import DeviceModel, RecordType
from kantech_proto.errors import FieldValueError
from kantech_proto.record_kinds import (
    Blob,
    Choice,
    Clock,
    Flags,
    HhMm,
    Maybe,
    Nested,
    Number,
    Text,
)
from kantech_proto.records_access import SITE_DOORS
from kantech_proto.records_base import ReloadRecord, WireModel, record

MAX_DOORS = 4


class SystemOption(enum.IntFlag):
    DAYLIGHT_SAVING = 0x0001  # apply dst_start / dst_end
    GLOBAL_PASSBACK = 0x0002  # passback across every controller of the site
    PASSBACK_RESET_DAILY = 0x0004  # forgive every passback at passback_reset
    TWELVE_HOUR_DISPLAY = 0x0008  # LCD readers show 12-hour time
    REPORT_CARD_DIGITS = 0x0010  # access events carry the BCD form when a card has one


DstRuleLayout = c.Struct(
    "month" / c.Int8ub * "1..12",
    "week" / c.Int8ub * "1..4, 5 = last",
    "weekday" / c.Int8ub * "0 = Monday",
    "hour" / c.Int8ub * "local time of the change",
)


@dataclass(frozen=True, slots=True)
class DstRule(WireModel):
    """A daylight-saving change: e.g. the second Sunday of March at 2:00 is (3, 2, 6, 2)."""

    STRUCT: ClassVar = DstRuleLayout
    KINDS: ClassVar = {"month": Number(1, 12), "week": Number(1, 5), "weekday": Number(0, 6),
                       "hour": Number(0, 23)}
    month: int
    week: int
    weekday: int
    hour: int = 2


GlobalSystemLayout = c.Struct(
    "site_id" / c.Int32ub * "the IP frame's site id ('PkData')",
    "site_name" / c.Bytes(40) * "ASCII, zero-padded",
    "options" / c.Int16ub * "SystemOption",
    "utc_offset" / c.Int16sb * "minutes, -720..840, for event time stamps",
    "dst_start" / DstRuleLayout * "when summer time starts; zero (with dst_end) = no daylight saving",
    "dst_end" / DstRuleLayout * "when summer time ends",
    "dst_shift" / c.Int8ub * "minutes added in summer, 0..120",
    "pin_length" / c.Int8ub * "digits a keypad waits for, 1..6; 0 = ends with '#'",
    "pin_attempts" / c.Int8ub * "wrong PINs before the card is locked out; 0 = never",
    "pin_lockout" / c.Int16ub * "s a card stays locked out",
    "heartbeat" / c.Int16ub * "s between PULSEs",
    "gateway_timeout" / c.Int16ub * "s without the gateway before stand-alone mode",
    "passback_reset" / HhMm * "time of day of PASSBACK_RESET_DAILY",
    "reserved" / c.Bytes(16),
)


@record(RecordType.GLOBAL_SYSTEM, GlobalSystemLayout)
@dataclass(frozen=True, slots=True)
class GlobalSystem(ReloadRecord):
    """Site-wide settings every controller of the site shares."""

    site_id: int
    site_name: str = ""
    options: SystemOption = SystemOption(0)
    utc_offset: int = 0
    dst_start: DstRule | None = None
    dst_end: DstRule | None = None
    dst_shift: int = 60
    pin_length: int = 4
    pin_attempts: int = 3
    pin_lockout: int = 60
    heartbeat: int = 30
    gateway_timeout: int = 120
    passback_reset: int = 0
    KINDS: ClassVar = {
        "site_name": Text(40), "options": Flags(SystemOption), "utc_offset": Number(-720, 840),
        "dst_start": Maybe(Nested(DstRule)), "dst_end": Maybe(Nested(DstRule)),
        "dst_shift": Number(0, 120), "pin_length": Number(0, 6), "passback_reset": Clock(),
    }
    FIELD_BEHAVIOUR: ClassVar = {
        "site_id": "the site's own id, the one every IP frame of the site carries in clear (the "
                   "simulated gateway fills in the site id it runs); the controller keeps the "
                   "last one received",
        "options": "GLOBAL_PASSBACK: one anti-passback zone for the site (an emulated "
                   "controller knows only its own doors, so its zone is the controller); "
                   "PASSBACK_RESET_DAILY: every card's passback state is forgotten at "
                   "passback_reset",
        "pin_attempts": "wrong PINs in a row before the card is locked out; 0 = never",
        "pin_lockout": "seconds a locked-out card is refused WRONG_PIN at readers that ask "
                       "for a PIN, even with its right PIN (card-only reads still pass)",
        "passback_reset": "time of the daily passback reset (with PASSBACK_RESET_DAILY)",
    }

    def check(self) -> None:
        if (self.dst_start is None) != (self.dst_end is None):
            raise FieldValueError("daylight saving needs both a start and an end rule")


class ControllerOption(enum.IntFlag):
    TAMPER_SUPERVISED = 0x0001
    AC_SUPERVISED = 0x0002
    BATTERY_SUPERVISED = 0x0004
    STANDALONE = 0x0008  # decides access with its own records when the gateway is away
    BUFFER_OFFLINE_EVENTS = 0x0010  # keeps events while offline, sent when the gateway returns
    KEYPAD_UNLOCK = 0x0020  # a supervisor's card + PIN + '*' toggles the door


ControllerLayout = c.Struct(
    "address" / c.Int8ub * "serial loop address 1..127; 0 on IP",
    "model" / c.Int8ub * "DeviceModel (not IP_LINK)",
    "first_site_door" / c.Int8ub * "site door number of its door 1, for AccessLevel",
    "door_count" / c.Int8ub * "0..4",
    "relay_count" / c.Int8ub * "relays in use",
    "input_count" / c.Int8ub * "inputs in use",
    "output_count" / c.Int8ub * "auxiliary outputs in use",
    "reader_count" / c.Int8ub * "readers wired",
    "options" / c.Int16ub * "ControllerOption",
    "tamper_input" / c.Int8ub * "input wired to the cabinet tamper (TAMPER_SUPERVISED); 0 = none",
    "ac_fail_input" / c.Int8ub * "input wired to the power supply's AC fail (AC_SUPERVISED); 0 = none",
    "battery_input" / c.Int8ub * "input wired to the low-battery output (BATTERY_SUPERVISED); 0 = none",
    "event_buffer" / c.Int16ub * "events kept while offline",
    "name" / c.Bytes(24) * "ASCII, zero-padded",
    "reserved" / c.Bytes(1),
)


@record(RecordType.CONTROLLER, ControllerLayout)
@dataclass(frozen=True, slots=True)
class ControllerRecord(ReloadRecord):
    """The controller itself: its model, loop address, doors and points in use, supervised inputs."""

    model: DeviceModel
    address: int = 0
    first_site_door: int = 1
    door_count: int = 0
    relay_count: int = 0
    input_count: int = 0
    output_count: int = 0
    reader_count: int = 0
    options: ControllerOption = ControllerOption.STANDALONE
    tamper_input: int = 0
    ac_fail_input: int = 0
    battery_input: int = 0
    event_buffer: int = 1000
    name: str = ""
    KINDS: ClassVar = {
        "model": Choice(DeviceModel), "address": Number(0, 127),
        "first_site_door": Number(1, SITE_DOORS), "door_count": Number(0, MAX_DOORS),
        "options": Flags(ControllerOption), "name": Text(24),
    }
    FIELD_BEHAVIOUR: ClassVar = {
        "first_site_door": "numbers the controller's doors in the site: door d is site door "
                           "first_site_door + d - 1, the index into ACCESS_LEVEL door_schedules",
        "event_buffer": "kept, not used: an emulated controller's bound is its fleet file's "
                        "event_buffer (default 5,000), past which the oldest are dropped",
    }

    def check(self) -> None:
        if self.model == DeviceModel.IP_LINK:
            raise FieldValueError("an IP-Link is not a controller")
        if self.first_site_door + self.door_count - 1 > SITE_DOORS:
            raise FieldValueError(f"doors {self.first_site_door}.. go past site door {SITE_DOORS}")

    def site_door(self, door: int) -> int:
        """The site door number of this controller's door 1..4 (for ``AccessLevel``)."""
        return self.first_site_door + door - 1


class ReaderInterface(enum.IntEnum):
    WIEGAND = 1
    CLOCK_AND_DATA = 2
    OSDP = 3


class OsdpBaud(enum.IntEnum):
    NONE = 0
    B9600 = 1
    B19200 = 2
    B38400 = 3
    B57600 = 4
    B115200 = 5


class Parity(enum.IntFlag):
    EVEN_LEADING = 0x01  # the first bit is even parity over the first half
    ODD_TRAILING = 0x02  # the last bit is odd parity over the second half


class KeypadMode(enum.IntEnum):
    NONE = 0
    BURST_4BIT = 1
    BURST_8BIT = 2
    OSDP = 3


class LedMode(enum.IntEnum):
    SINGLE_WIRE = 0
    TWO_WIRE = 1  # separate red and green
    OSDP = 2


class ReaderFlag(enum.IntFlag):
    BEEP_ON_READ = 0x01
    LED_FOLLOWS_LOCK = 0x02  # green while the door is unlocked
    TAMPER_SUPERVISED = 0x04
    REVERSE_BITS = 0x08  # the card number's bits arrive least significant first


PROMPT_SIZE = 32
KEYS = "0123456789*#ABCD"
ReaderDriverLayout = c.Struct(
    "driver_id" / c.Int8ub * "1..255, the reader number doors refer to",
    "interface" / c.Int8ub * "ReaderInterface",
    "osdp_address" / c.Int8ub * "0..126",
    "osdp_baud" / c.Int8ub * "OsdpBaud",
    "data_bits" / c.Int8ub * "bits of a Wiegand / clock-and-data frame",
    "facility_start" / c.Int8ub * "first bit of the facility code",
    "facility_length" / c.Int8ub * "bits; 0 = no facility code",
    "number_start" / c.Int8ub * "first bit of the card number",
    "number_length" / c.Int8ub * "bits, up to 32",
    "parity" / c.Int8ub * "Parity",
    "keypad" / c.Int8ub * "KeypadMode",
    "led" / c.Int8ub * "LedMode",
    "flags" / c.Int8ub * "ReaderFlag",
    "osdp_key" / c.Bytes(16) * "OSDP secure channel base key; zero = the install-mode default",
    "name" / c.Bytes(16) * "ASCII, zero-padded",
    "keypad_map" / c.Bytes(16) * "character of key code 0, 1, ...; zero-padded",
    "prompt_idle" / c.Bytes(PROMPT_SIZE) * "LCD readers' two 16-character lines",
    "prompt_pin" / c.Bytes(PROMPT_SIZE) * "LCD text while waiting for the PIN",
    "prompt_granted" / c.Bytes(PROMPT_SIZE) * "LCD text on a grant",
    "prompt_denied" / c.Bytes(PROMPT_SIZE) * "LCD text on a denial",
    "prompt_unlocked" / c.Bytes(PROMPT_SIZE) * "LCD text while the door is unlocked by schedule",
    "prompt_disabled" / c.Bytes(PROMPT_SIZE) * "LCD text while the door is disabled",
)


@record(RecordType.READER_DRIVER, ReaderDriverLayout)
@dataclass(frozen=True, slots=True)
class ReaderDriver(ReloadRecord):
    """How to talk to one reader and turn what it sends into a card number.

    Table 7 lists "per reader driver" twice, 253 then 203 bytes; WIRE.md keeps 253.
    """

    driver_id: int
    interface: ReaderInterface = ReaderInterface.WIEGAND
    osdp_address: int = 0
    osdp_baud: OsdpBaud = OsdpBaud.NONE
    data_bits: int = 26
    facility_start: int = 1
    facility_length: int = 8
    number_start: int = 9
    number_length: int = 16
    parity: Parity = Parity.EVEN_LEADING | Parity.ODD_TRAILING
    keypad: KeypadMode = KeypadMode.NONE
    led: LedMode = LedMode.SINGLE_WIRE
    flags: ReaderFlag = ReaderFlag.BEEP_ON_READ
    osdp_key: bytes = bytes(16)
    name: str = ""
    keypad_map: str = ""
    prompt_idle: str = ""
    prompt_pin: str = ""
    prompt_granted: str = ""
    prompt_denied: str = ""
    prompt_unlocked: str = ""
    prompt_disabled: str = ""
    KINDS: ClassVar = {
        "driver_id": Number(1, 255), "interface": Choice(ReaderInterface),
        "osdp_address": Number(0, 126), "osdp_baud": Choice(OsdpBaud),
        "number_length": Number(0, 32), "parity": Flags(Parity), "keypad": Choice(KeypadMode),
        "led": Choice(LedMode), "flags": Flags(ReaderFlag), "osdp_key": Blob(16),
        "name": Text(16), "keypad_map": Text(16, KEYS),
        **{f"prompt_{p}": Text(PROMPT_SIZE) for p in
           ("idle", "pin", "granted", "denied", "unlocked", "disabled")},
    }
    BEHAVIOUR: ClassVar = (
        "Kept by driver_id (one sent again replaces it) and listed by the control API. The "
        "emulated readers hand over card numbers and PINs whole (control API card reads), so "
        "no field here changes what they read; doors name drivers in entry_reader and "
        "exit_reader.")
