"""Reload records: known-answer bytes, every field check, packet errors and the paper's examples."""

import datetime as dt
import struct

import pytest

import kantech_proto.records_hardware as hw
import kantech_proto.records_modules as mod
import kantech_proto.reload_records as rr
from kantech_proto.codes import DeviceModel, ManualOperation, RecordType
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, EncodeError
from kantech_proto.fuzzing.record_samples import record_samples
from kantech_proto.reload_records import (
    IP_DATA_BUDGET,
    SERIAL_DATA_BUDGET,
    AccessLevel,
    ActionScheduler,
    CardFlag,
    CardKt100,
    CardKt400,
    ControllerRecord,
    Day,
    DoorFlag,
    DoorRecord,
    DscModule,
    FloorGroupMask,
    GlobalSystem,
    Holiday,
    Holidays,
    InputRecord,
    Interval,
    ModuleSerial,
    OutputRecord,
    ReaderDriver,
    Record,
    RelayGroup,
    RelayRecord,
    ScheduleKt100,
    ScheduleKt400,
    SerialNumber,
    ShortInterval,
    decode_record,
    decode_reload_records,
    encode_record,
    encode_reload_records,
    max_records_per_packet,
    record_type_of,
)


# WIRE.md section 4 / paper table 7, typed in from the spec: code -> bytes
def test_known_answer_door():
    door = DoorRecord(2, DoorFlag.RELOCK_ON_CLOSE | DoorFlag.REX_UNLOCKS | DoorFlag.PASSBACK,
                      5, 15, 30, 60, 10, 2, 3, 4, 2, 1, 1, 2, 7, 8, 0, 1, 12)
    expected = struct.pack(">BH6H11Bx", 2, 0x0106, 5, 15, 30, 60, 10, 2,
                           3, 4, 2, 1, 1, 2, 7, 8, 0, 1, 12)
    assert door.encode() == expected
    assert DoorRecord.decode(expected) == door


def test_known_answer_card_kt400():
    card = CardKt400(0x00C0FFEE, "4242", "1234", CardFlag.VALID | CardFlag.PIN_REQUIRED,
                     (3, 0, 9), 2, dt.date(2026, 1, 31), dt.date(2027, 12, 31), 12, 0xABCDEF,
                     "Alice Tremblay")
    expected = struct.pack(">I10s3sH4BB3B3BHI40s2x", 0x00C0FFEE,
                           bytes.fromhex("4242ffffffffffffffff"), bytes.fromhex("1234ff"), 0x0005,
                           3, 0, 9, 0, 2, 26, 1, 31, 27, 12, 31, 12, 0xABCDEF, b"Alice Tremblay")
    assert card.encode() == expected
    assert CardKt400.decode(expected) == card
    no_pin = CardKt400(7, user_name="x")
    assert no_pin.encode()[14:17] == b"\xff\xff\xff"  # no PIN
    assert no_pin.encode()[24:32] == bytes(6) + b"\xff\xff"  # no dates, unlimited uses


def test_known_answer_small_records():
    assert CardKt100(0x01020304, "987654", rr.ShortCardFlag.VALID, 5, None, dt.date(2030, 6, 1),
                     3).encode() == struct.pack(">I3sBB3B3BH", 0x01020304,
                                                bytes.fromhex("987654"), 1, 5, 0, 0, 0, 30, 6,
                                                1, 3)
    schedule = ScheduleKt100(4, (ShortInterval(8 * 60 + 30, 17 * 60, Day.MON | Day.FRI),
                                 ShortInterval(22 * 60, 24 * 60, Day.HOLIDAY)))
    assert schedule.encode() == struct.pack(">B5B5B10x", 4, 8, 30, 17, 0, 0x11,
                                            22, 0, 24, 0, 0x80)
    assert RelayGroup(3, frozenset({1, 16})).encode() == bytes((3, 0x80, 0x01))
    mask = FloorGroupMask(1, frozenset({1, 9, 256})).encode()
    assert mask == b"\x01\x01\x01" + bytes(29) + b"\x80"
    holidays = Holidays((Holiday(12, 25, 1), Holiday(2, 29, 2, 2028)))
    assert holidays.encode() == struct.pack(">4B4B192x", 0xFF, 12, 25, 1, 28, 2, 29, 2)
    assert AccessLevel(1, (0, 4)).encode() == b"\x01\x00\x04" + bytes(246)
    contact = InputRecord(3, hw.NormalState.CLOSED, hw.Supervision.DOUBLE_EOL,
                          hw.InputFlag.LATCHED, 50, 20, 30, 0, 5, 2, 0)
    assert contact.encode() == struct.pack(">4B3H4B", 3, 1, 2, 1, 50, 20, 30, 0, 5, 2, 0)


def _patched(record, offset, value):
    wire = bytearray(record.encode())
    wire[offset] = value
    return bytes(wire)


# valid records to spoil one byte of: the fuzzing samples (a card with dates, PIN and name; a
# schedule whose first interval starts at 08:00; daylight saving start and end; a 2-partition
# panel with a zone in partition 2)
SAMPLES = {type(record): record for record in record_samples()}
CARD, SCHEDULE = SAMPLES[CardKt400], SAMPLES[ScheduleKt400]
DST, DSC = SAMPLES[GlobalSystem], SAMPLES[DscModule]


@pytest.mark.parametrize("record", [CARD, SCHEDULE, DST, DSC], ids=lambda r: type(r).__name__)
def test_the_records_spoiled_below_are_valid_before(record):
    assert decode_record(record_type_of(record), record.encode()) == record


@pytest.mark.parametrize(("code", "wire", "why"), [
    (13, _patched(CARD, 77, 1), "reserved byte"),
    (13, _patched(CARD, 17, 0x80), "undefined card flag bit"),
    (13, _patched(CARD, 14, 0x1A), "BCD nibble A in the PIN"),
    (13, _patched(CARD, 5, 0xF3), "BCD digit after the filler"),
    (13, _patched(CARD, 25, 13), "month 13"),
    (13, _patched(CARD, 24, 27), "valid_from after valid_until"),
    (13, _patched(CARD, 36, 0), "text after the zero padding"),
    (13, _patched(CARD, 36, 7), "control character in the name"),
    (14, _patched(CardKt100(5), 3, 0), "card number 0"),
    (9, _patched(DoorRecord(1), 0, 0), "door index 0"),
    (9, _patched(DoorRecord(1), 26, 3), "reader mode 3"),
    (9, _patched(DoorRecord(1), 12, 31), "pre-alarm longer than the open time"),
    (15, _patched(SCHEDULE, 2, 60), "minute 60"),
    (15, _patched(SCHEDULE, 1, 24), "a start at 24:00"),
    (15, _patched(SCHEDULE, 5, 0x81), "Day.HOLIDAY in a KT-400 interval"),
    (15, _patched(SCHEDULE, 40, 1), "schedule reserved byte"),
    (20, _patched(Holidays((Holiday(1, 1),)), 9, 1), "a holiday after an unused slot"),
    (20, _patched(Holidays((Holiday(1, 1),)), 3, 9), "holiday type 9"),
    (20, _patched(Holidays((Holiday(2, 28),)), 2, 30), "30 February"),
    (2, _patched(ControllerRecord(DeviceModel.KT_400), 1, 3), "an IP-Link as a controller"),
    (2, _patched(ControllerRecord(DeviceModel.KT_400), 3, 5), "five doors"),
    (1, DST.encode()[:52] + bytes(4) + DST.encode()[56:], "daylight saving start, no end"),
    (1, _patched(GlobalSystem(1, utc_offset=840), 47, 0x85), "UTC offset of 901 minutes"),
    (6, _patched(DSC, 2, 1), "zone partition over the panel's"),
    (6, _patched(DscModule(mod.DscPanel.MAXSYS), 12, 4), "unused zone with an input"),
    (23, _patched(ActionScheduler(1, ManualOperation.UNLOCK_DOOR), 1, 9), "operation 9"),
    (5, _patched(SerialNumber("KT300", 1, (ModuleSerial(mod.ModuleKind.RELAY_8, 1),)), 17, 0),
     "module kind 0"),
    (3, _patched(ReaderDriver(1, keypad_map="0123"), 45, ord("x")), "key character x"),
    (19, _patched(FloorGroupMask(1), 0, 0), "floor group 0"),
    (24, _patched(KantechDateTime(2026, 1, 31, 0, 0, 0, 5), 2, 32), "day 32"),
])
def test_bad_fields_are_bad_field_errors(code, wire, why):
    with pytest.raises(BadFieldError):
        decode_record(code, wire)


@pytest.mark.parametrize("make", [
    lambda: DoorRecord(0), lambda: DoorRecord(1, unlock_time=70000),
    lambda: DoorRecord(1, open_time=5, pre_alarm_time=6), lambda: CardKt400(1, user_name="x" * 41),
    lambda: CardKt400(1, user_name="Zoé"), lambda: CardKt400(1, pin="12a4"),
    lambda: CardKt400(1, pin="1234567"), lambda: CardKt400(1, access_levels=(1, 2, 3, 4, 5)),
    lambda: CardKt400(1, valid_from=dt.date(1999, 12, 31)), lambda: CardKt400(0),
    lambda: CardKt100(1, flags=CardFlag.DELETE_ON_EXPIRY),  # type: ignore[arg-type]
    lambda: CardKt100(1, uses_left=0xFFFF),
    lambda: ScheduleKt400(1, (Interval(0, 1441),)),
    lambda: ScheduleKt400(1, (Interval(0, 60, Day.MON),) * 7),
    lambda: Holidays((Holiday(2, 30),)), lambda: Holidays((Holiday(1, 1, 0),)),
    lambda: RelayGroup(1, frozenset({17})), lambda: FloorGroupMask(1, frozenset({0})),
    lambda: ControllerRecord(DeviceModel.KT_400, first_site_door=248, door_count=2),
    lambda: ReaderDriver(1, osdp_key=b"short"), lambda: KantechDateTime(1999, 1, 1, 0, 0, 0, 4),
])
def test_unencodable_values_are_encode_errors(make):
    with pytest.raises(EncodeError):
        encode_record(make())


def test_reload_packet_errors():
    card = encode_record(CardKt100(1))
    with pytest.raises(BadDataSizeError):
        decode_reload_records(b"\x0e")
    with pytest.raises(BadFieldError):
        decode_reload_records(b"\x00\x01" + card)  # type 0
    with pytest.raises(BadFieldError):
        decode_reload_records(b"\x19\x01" + card)  # type 25
    with pytest.raises(BadFieldError):
        decode_reload_records(b"\x0e\x00")
    with pytest.raises(BadDataSizeError):
        decode_reload_records(b"\x0e\x02" + card)
    with pytest.raises(BadDataSizeError):
        decode_reload_records(b"\x0e\x01" + card + b"\x00")
    with pytest.raises(EncodeError):
        encode_reload_records(RecordType.CARD_KT100, [CardKt100(1), CardKt400(1)])
    with pytest.raises(EncodeError):
        encode_reload_records(RecordType.CARD_KT100, [CardKt100(1)] * 256)
    with pytest.raises(EncodeError):
        encode_reload_records(99, [CardKt100(1)])


def test_batching_budget():
    # 9 framing bytes leave 4087 for the ciphertext: 255 whole blocks, less the 15-byte header
    assert IP_DATA_BUDGET == 16 * ((4096 - 9) // 16) - 15
    assert max_records_per_packet(RecordType.CARD_KT400, IP_DATA_BUDGET) == 52  # 4063 // 78
    assert max_records_per_packet(RecordType.RELAY_GROUP, IP_DATA_BUDGET) == 255  # count is a u8
    assert max_records_per_packet(RecordType.CARD_KT100, SERIAL_DATA_BUDGET) == 14  # 253 // 17
    assert max_records_per_packet(RecordType.READER_DRIVER, SERIAL_DATA_BUDGET) == 1
    with pytest.raises(EncodeError):
        max_records_per_packet(RecordType.FLOOR_ASSIGNATION, SERIAL_DATA_BUDGET)


def test_papers_controller_reload_example():
    """One controller of the paper's example: 2 doors, 8 inputs, 2 relays, 2 outputs, 200 cards,
    12 schedules and the one access level line.

    The paper's own lines do not add up: "Card = 200 x 78 = 1600" (200 x 78 is 15,600),
    "Schedule = 12 x 81 = 252" (252 is 12 x 21, the KT-100 size, for a KT-400 system whose
    schedules are 41 bytes), and its lines sum to 2,438, not the 2,355 it states. WIRE.md's sizes
    give 83 + 7 + 40 + 54 + 112 + 12 + 30 + 15,600 + 492 + 249 = 16,679 bytes.
    """
    assert 83 + 7 + 40 + 54 + 112 + 12 + 30 + 1600 + 252 + 248 == 2438
    when = KantechDateTime(2026, 3, 2, 8, 0, 0, 0)
    records: list[Record] = [GlobalSystem(1), when,
                             ControllerRecord(DeviceModel.KT_400, door_count=2)]
    records += [DoorRecord(d) for d in (1, 2)] + [InputRecord(i) for i in range(1, 9)]
    records += [RelayRecord(r) for r in (1, 2)] + [OutputRecord(o) for o in (1, 2)]
    records += [CardKt400(n, access_levels=(1, 1)) for n in range(1, 201)]
    records += [ScheduleKt400(s) for s in range(1, 13)] + [AccessLevel(1, (1, 1))]
    assert sum(len(encode_record(r)) for r in records) == 16679


def test_schedule_and_holiday_semantics():
    night = Interval(22 * 60, 6 * 60, Day.FRI, 0b10)
    assert night.is_active(4, 23 * 60) and night.is_active(4, 5 * 60)
    assert not night.is_active(4, 12 * 60) and not night.is_active(3, 23 * 60)
    assert night.is_active(0, 23 * 60, holiday_type=2) and not night.is_active(4, 23 * 60, 1)
    days = Holidays((Holiday(7, 1, 3), Holiday(12, 25, 1, 2026)))
    assert days.holiday_type_on(dt.date(2031, 7, 1)) == 3
    assert days.holiday_type_on(dt.date(2027, 12, 25)) is None
    assert DoorRecord(1, open_time=600, pre_alarm_time=300).clamped().open_time == 255
    assert ScheduleKt400(1, (Interval(0, 0), Interval())).intervals == ()
