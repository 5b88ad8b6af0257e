"""Reload records: WIRE.md section 4 sizes, round trips, hand-built byte layouts, paper numbers."""

import datetime as dt
import struct
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kantech_proto.records_hardware as hw
import kantech_proto.records_modules as mod
import kantech_proto.records_system as sy
import kantech_proto.reload_records as rr
from kantech_proto.codes import DeviceModel, ManualOperation, RecordType
from kantech_proto.datetime_record import DateTimeStruct, KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, DecodeError, EncodeError
from kantech_proto.reload_records import (
    IP_DATA_BUDGET,
    RECORD_CLASSES,
    RECORD_LAYOUTS,
    RECORD_SIZES,
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
    DscZone,
    DstRule,
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
PAPER_SIZES = {1: 83, 2: 40, 3: 253, 4: 512, 5: 115, 6: 204, 7: 90, 8: 64, 9: 27, 10: 6, 11: 14,
               12: 15, 13: 78, 14: 17, 15: 41, 16: 21, 17: 249, 18: 249, 19: 33, 20: 200, 21: 3,
               22: 3, 23: 22, 24: 7}

u8, u16, u32 = st.integers(0, 255), st.integers(0, 0xFFFF), st.integers(0, 0xFFFFFFFF)
idx = st.integers(1, 255)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2255, 12, 31))
clock, clock_end = st.integers(0, 1439), st.integers(0, 1440)
uses = st.none() | st.integers(0, 0xFFFE)


PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def text(size, alphabet=PRINTABLE):
    return st.text(alphabet, max_size=size)


def flags(flag_type, mask=None):
    return st.integers(0, mask if mask is not None else sum(m.value for m in flag_type)).map(
        flag_type)


def tables(item, capacity):
    return st.lists(item, max_size=capacity).map(tuple)


@st.composite
def validity(draw):
    a, b = draw(st.none() | dates), draw(st.none() | dates)
    return (min(a, b), max(a, b)) if a and b else (a, b)


@st.composite
def cards_kt400(draw):
    start, end = draw(validity())
    return CardKt400(draw(st.integers(1, 0xFFFFFFFF)), draw(text(20, "0123456789")),
                     draw(text(6, "0123456789")), draw(flags(CardFlag)), draw(tables(u8, 4)),
                     draw(u8), start, end, draw(uses), draw(u32), draw(text(40)))


@st.composite
def cards_kt100(draw):
    start, end = draw(validity())
    return CardKt100(draw(st.integers(1, 0xFFFFFFFF)), draw(text(6, "0123456789")),
                     draw(flags(rr.ShortCardFlag)), draw(u8), start, end, draw(uses))


@st.composite
def global_systems(draw):
    dst = st.builds(DstRule, st.integers(1, 12), st.integers(1, 5), st.integers(0, 6),
                    st.integers(0, 23))
    start, end = draw(st.just((None, None)) | st.tuples(dst, dst))
    return GlobalSystem(draw(u32), draw(text(40)), draw(flags(sy.SystemOption)),
                        draw(st.integers(-720, 840)), start, end, draw(st.integers(0, 120)),
                        draw(st.integers(0, 6)), draw(u8), draw(u16), draw(u16), draw(u16),
                        draw(clock))


@st.composite
def controllers(draw):
    doors = draw(st.integers(0, 4))
    first = draw(st.integers(1, 248 - max(doors - 1, 0)))
    model = draw(st.sampled_from([m for m in DeviceModel if m != DeviceModel.IP_LINK]))
    return ControllerRecord(model, draw(st.integers(0, 127)), first, doors, draw(u8), draw(u8),
                            draw(u8), draw(u8), draw(flags(sy.ControllerOption)), draw(u8),
                            draw(u8), draw(u8), draw(u16), draw(text(24)))


@st.composite
def dsc_modules(draw):
    parts = draw(st.integers(1, 8))
    zone = st.just(DscZone()) | st.builds(DscZone, u8, st.integers(1, parts),
                                           st.sampled_from(list(mod.ZoneType)[1:]))
    return DscModule(draw(st.sampled_from(mod.DscPanel)), draw(u8), parts,
                     draw(flags(mod.DscOption)),
                     draw(u8), draw(u8), draw(text(6, "0123456789")), draw(tables(zone, 64)))


@st.composite
def doors(draw):
    open_time = draw(u16)
    return DoorRecord(draw(idx), draw(flags(DoorFlag)), draw(u16), draw(u16), open_time,
                      draw(u16), draw(st.integers(0, open_time)), draw(u16),
                      *(draw(u8) for _ in range(11)))


@st.composite
def actions(draw):
    start, end = draw(validity())
    return ActionScheduler(draw(idx), draw(st.sampled_from(ManualOperation)), draw(idx),
                           draw(idx), draw(u16), draw(clock), draw(u16), draw(clock),
                           draw(flags(Day, 0x7F)), draw(u8), start, end, draw(u8),
                           draw(st.integers(0, 3)))


intervals = st.builds(Interval, clock, clock_end, flags(Day, 0x7F), u8)
short_intervals = st.builds(ShortInterval, clock, clock_end, flags(Day))
holidays = st.one_of(
    st.builds(lambda d, t: Holiday(d.month, d.day, t, d.year), st.dates(
        dt.date(2000, 1, 1), dt.date(2254, 12, 31)), st.integers(1, 8)),
    st.builds(lambda d, t: Holiday(d.month, d.day, t), st.dates(
        dt.date(2000, 1, 1), dt.date(2000, 12, 31)), st.integers(1, 8)))
modules = st.builds(ModuleSerial, st.sampled_from(mod.ModuleKind), st.integers(1, 15), text(12))
spi_modules = st.builds(rr.SpiModule, st.sampled_from(mod.ModuleKind), st.integers(1, 15), idx, u8,
                        flags(mod.SpiOption), u8)
reader_drivers = st.builds(
    ReaderDriver, idx, st.sampled_from(sy.ReaderInterface), st.integers(0, 126),
    st.sampled_from(sy.OsdpBaud), u8, u8, u8, u8, st.integers(0, 32), flags(sy.Parity),
    st.sampled_from(sy.KeypadMode), st.sampled_from(sy.LedMode), flags(sy.ReaderFlag),
    st.binary(min_size=16, max_size=16), text(16), text(16, "0123456789*#ABCD"),
    *(text(32) for _ in range(6)))

STRATEGIES = {
    1: global_systems(), 2: controllers(), 3: reader_drivers,
    4: st.builds(rr.FloorAssignation, tables(st.builds(rr.FloorButton, u8, u8), 256)),
    5: st.builds(SerialNumber, text(16), u8, tables(modules, 7)),
    6: dsc_modules(), 7: st.builds(rr.SpiBus, tables(spi_modules, 15)),
    8: st.builds(rr.FloorDefinition, idx, st.integers(-128, 127), u8, st.integers(0, 3), text(30),
                 text(30)),
    9: doors(), 10: st.builds(RelayRecord, idx, flags(hw.RelayFlag), u8, u16, u8),
    11: st.builds(InputRecord, idx, st.sampled_from(hw.NormalState),
                  st.sampled_from(hw.Supervision),
                  flags(hw.InputFlag), u16, u16, u16, u8, u8, u8, u8),
    12: st.builds(OutputRecord, idx, flags(hw.OutputFlag), u8, u16, u8, u8, flags(hw.OutputTrigger),
                  u8, u8),
    13: cards_kt400(), 14: cards_kt100(),
    15: st.builds(ScheduleKt400, idx, tables(intervals, 6)),
    16: st.builds(ScheduleKt100, idx, tables(short_intervals, 4)),
    17: st.builds(AccessLevel, idx, tables(u8, 248)),
    18: st.builds(rr.FloorGroup, idx, tables(u8, 248)),
    19: st.builds(FloorGroupMask, idx, st.frozensets(st.integers(1, 256))),
    20: st.builds(Holidays, tables(holidays, 50)),
    21: st.builds(RelayGroup, idx, st.frozensets(st.integers(1, 16))),
    22: st.builds(rr.InputGroup, idx, st.frozensets(st.integers(1, 16))),
    23: actions(),
    24: st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2255, 12, 31, 23, 59, 59)).map(
        lambda d: KantechDateTime.from_datetime(d.replace(microsecond=0))),
}
CODES = sorted(PAPER_SIZES)
DATETIME_COMPILED = DateTimeStruct.compile()


def test_every_record_type_has_the_papers_size():
    assert {int(t): size for t, size in RECORD_SIZES.items()} == PAPER_SIZES
    assert {int(t) for t in RECORD_CLASSES} == set(PAPER_SIZES) == set(STRATEGIES)


@pytest.mark.parametrize("code", CODES)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_round_trip_at_the_papers_size(code, data):
    record = data.draw(STRATEGIES[code])
    wire = encode_record(record)
    assert len(wire) == PAPER_SIZES[code]
    assert record_type_of(record) == code
    assert decode_record(code, wire) == record
    packet = encode_reload_records(code, [record, record])
    assert packet[:2] == bytes((code, 2)) and len(packet) == 2 + 2 * PAPER_SIZES[code]
    assert decode_reload_records(packet) == (code, [record, record])


def _outcome(decode, data):
    try:
        return decode(data)
    except DecodeError as exc:
        return type(exc)


@pytest.mark.parametrize("code", CODES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_compiled_and_plain_parsers_agree(code, data):
    plain = RECORD_LAYOUTS[code]
    compiled = DATETIME_COMPILED if code == 24 else RECORD_CLASSES[code].COMPILED
    valid = encode_record(data.draw(STRATEGIES[code]))
    spot = data.draw(st.integers(0, len(valid) - 1))
    mutated = valid[:spot] + bytes((data.draw(u8),)) + valid[spot + 1:]
    noise = data.draw(st.binary(min_size=len(valid), max_size=len(valid)))
    for wire in (valid, mutated, noise):
        assert plain.parse(wire) == compiled.parse(wire)
        if code != 24:
            decode = RECORD_CLASSES[code].decode
            assert _outcome(partial(decode, parser=plain), wire) == _outcome(decode, wire)
    for short in (valid[:-1], b""):
        with pytest.raises(BadDataSizeError):
            decode_record(code, short)


@pytest.mark.parametrize("code", CODES)
def test_wrong_sizes_are_bad_data_size(code):
    for size in (0, PAPER_SIZES[code] - 1, PAPER_SIZES[code] + 1):
        with pytest.raises(BadDataSizeError):
            decode_record(code, bytes(size))


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


CARD = CardKt400(0x1234, "12", "1234", CardFlag.VALID, (1,), 0, dt.date(2026, 1, 1),
                 dt.date(2026, 12, 31), None, 0, "AB")
SCHEDULE = ScheduleKt400(1, (Interval(60, 120, Day.MON, 0),))
DST = GlobalSystem(1, dst_start=DstRule(3, 2, 6), dst_end=DstRule(11, 1, 6))
DSC = DscModule(mod.DscPanel.MAXSYS, partitions=2, zones=(DscZone(1, 2, mod.ZoneType.DELAY),))


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
    (9, _patched(DoorRecord(1), 26, 1), "door reserved byte"),
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
