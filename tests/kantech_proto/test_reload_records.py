"""Reload records: WIRE.md section 4 sizes, round trips, compiled and plain parsers agreeing."""

import datetime as dt
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kantech_proto.records_hardware as hw
import kantech_proto.records_modules as mod
import kantech_proto.records_system as sy
import kantech_proto.reload_records as rr
from kantech_proto.codes import DeviceModel, ManualOperation
from kantech_proto.datetime_record import DateTimeStruct, KantechDateTime
from kantech_proto.errors import BadDataSizeError, DecodeError, EncodeError
from kantech_proto.records_actions import ActionFlag
from kantech_proto.reload_records import (
    RECORD_CLASSES,
    RECORD_LAYOUTS,
    RECORD_SIZES,
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
                      *(draw(u8) for _ in range(11)), draw(st.sampled_from(hw.ReaderMode)))


@st.composite
def actions(draw):
    start, end = draw(validity())
    operation = draw(st.sampled_from(ManualOperation))
    action_flags = draw(st.integers(0, 3))
    if operation > ManualOperation.UNLOCK_DOOR_TIMED and draw(st.booleans()):
        action_flags |= ActionFlag.GROUPS
    if operation in (4, 5, 6) and draw(st.booleans()):
        action_flags |= ActionFlag.OUTPUTS
    return ActionScheduler(draw(idx), operation, draw(idx),
                           draw(idx), draw(u16), draw(clock), draw(u16), draw(clock),
                           draw(flags(Day, 0x7F)), draw(u8), start, end, draw(u8),
                           ActionFlag(action_flags))


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


def _built(encode):
    try:
        return encode()
    except EncodeError as exc:
        return type(exc)


@pytest.mark.parametrize("code", [c for c in CODES if c != 24])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_compiled_and_plain_builders_agree(code, data):
    record = data.draw(STRATEGIES[code])
    plain = RECORD_LAYOUTS[code]
    assert _built(partial(record.encode, builder=plain)) == _built(record.encode)


@pytest.mark.parametrize("code", CODES)
def test_wrong_sizes_are_bad_data_size(code):
    for size in (0, PAPER_SIZES[code] - 1, PAPER_SIZES[code] + 1):
        with pytest.raises(BadDataSizeError):
            decode_record(code, bytes(size))
