import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation
from kantech_proto.controller_status import (
    FAST_STATUS,
    STATUS_SIZE,
    ComponentResult,
    ControllerStatus,
    ControllerStatusStruct,
    DoorFlag,
    DoorLockState,
    DoorStatus,
    OperationResult,
    SystemFlag,
)
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, DecodeError, EncodeError

u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
clocks = st.none() | st.builds(KantechDateTime, st.integers(2000, 2099), st.integers(1, 12),
                               st.integers(1, 28), st.integers(0, 23), st.integers(0, 59),
                               st.integers(0, 59), st.integers(0, 6))
statuses = st.builds(
    ControllerStatus,
    model=st.sampled_from(DeviceModel), firmware=st.tuples(*[st.integers(0, 255)] * 3),
    clock=clocks, system_flags=st.builds(SystemFlag, st.integers(0, 0x7F)),
    events_queued=u16,
    doors=st.lists(st.builds(DoorStatus, st.sampled_from(DoorLockState),
                             st.builds(DoorFlag, st.integers(0, 0x1F))), max_size=4).map(tuple),
    relay_count=st.integers(0, 16), relays_active=u16, relays_timed=u16,
    input_count=st.integers(0, 16), inputs_active=u16, inputs_alarm=u16, inputs_shunted=u16,
    inputs_trouble=u16, output_count=st.integers(0, 16), outputs_active=u16, cards_loaded=u32,
    schedules_loaded=u16, access_levels_loaded=u16, records_loaded=u32, uptime_seconds=u32,
    firmware_crc32=u32,
)


def test_the_construct_schema_and_the_fast_format_are_63_bytes():
    assert ControllerStatusStruct.sizeof() == FAST_STATUS.size == STATUS_SIZE == 63


@given(statuses)
def test_round_trip(status):
    wire = status.encode()
    assert len(wire) == 63
    assert ControllerStatus.decode(wire) == status


@given(statuses)
def test_fast_path_agrees_with_the_declarative_schema(status):
    wire = status.encode()
    ref = ControllerStatusStruct.parse(wire)
    assert ControllerStatusStruct.build(ref) == wire
    decoded = ControllerStatus.decode(wire)
    assert ref.model == decoded.model and list(ref.firmware) == list(decoded.firmware)
    assert ref.door_count == len(decoded.doors)
    assert [d.lock_state for d in ref.doors[: ref.door_count]] == [
        d.lock_state for d in decoded.doors]
    for name in ("events_queued", "relays_active", "inputs_alarm", "outputs_active",
                 "cards_loaded", "records_loaded", "uptime_seconds", "firmware_crc32"):
        assert ref[name] == getattr(decoded, name)


def test_known_answer_layout():
    status = ControllerStatus(DeviceModel.KT_1, (2, 1, 0), None, SystemFlag.EVENTS_PENDING,
                              events_queued=3, doors=(DoorStatus(DoorLockState.UNLOCKED,
                                                                 DoorFlag.OPEN),),
                              input_count=5, inputs_alarm=0b10, uptime_seconds=3600)
    wire = status.encode()
    assert wire[0] == 2 and wire[1:4] == b"\x02\x01\x00"
    assert wire[4:11] == bytes(7)  # clock never set
    assert wire[11] == 0x01 and wire[12:14] == b"\x00\x03"
    assert wire[14] == 1 and wire[15:17] == b"\x01\x01" and wire[17:23] == bytes(6)
    assert wire[28] == 5 and wire[31:33] == b"\x00\x02"
    assert struct.unpack(">I", wire[52:56]) == (3600,)
    assert wire[60:] == bytes(3)


@pytest.mark.parametrize(("offset", "value"), [(0, 9), (14, 5), (23, 17), (60, 1), (15, 9)])
def test_impossible_values_are_bad_fields(offset, value):
    wire = bytearray(ControllerStatus(DeviceModel.KT_400, (1, 0, 0), None,
                                      doors=(DoorStatus(),)).encode())
    wire[offset] = value
    with pytest.raises(BadFieldError):
        ControllerStatus.decode(bytes(wire))


def test_wrong_size_and_unencodable_values():
    with pytest.raises(BadDataSizeError):
        ControllerStatus.decode(bytes(62))
    with pytest.raises(EncodeError):
        ControllerStatus(DeviceModel.KT_400, (1, 0, 0), None, doors=(DoorStatus(),) * 5).encode()
    with pytest.raises(EncodeError):
        ControllerStatus(DeviceModel.KT_400, (1, 0, 300), None).encode()


results = st.builds(ComponentResult, st.sampled_from(ComponentKind), st.integers(1, 255),
                    st.sampled_from(ManualOperation), st.sampled_from(OperationResult),
                    st.integers(0, 255), st.integers(0, 255), u16)


@given(results)
def test_component_result_round_trip(result):
    wire = result.encode()
    assert len(wire) == 8  # the paper's "8 bytes reply per activated component"
    assert ComponentResult.decode(wire) == result


def test_component_result_rejects_index_zero_and_unknown_codes():
    for wire in (b"\x01\x00\x01\x00\x00\x00\x00\x00", b"\x09\x01\x01\x00\x00\x00\x00\x00",
                 b"\x01\x01\x01\x07\x00\x00\x00\x00"):
        with pytest.raises(DecodeError):
            ComponentResult.decode(wire)
