"""Every command's data layout: round trips, sizes, and the padding rule that ends the data."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.codes import Command, ComponentKind, DeviceModel, ManualOperation, NakReason
from kantech_proto.controller_status import ComponentResult, OperationResult
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, DecodeError, EncodeError
from kantech_proto.message_fields import message_fields
from kantech_proto.message_layout import FIXED_DATA_SIZES, decode_message, measure_data
from kantech_proto.messages import (
    MESSAGE_TYPES,
    Ack,
    Announce,
    Discover,
    FirmwareBlock,
    FirmwareEnd,
    ManualOp,
    ManualOpReply,
    Nak,
    Poll,
    Pulse,
    ReloadBegin,
    ReloadEnd,
    SetDateTime,
    StatusQuery,
    Tunnel,
)
from kantech_proto.serial_frame import Presence, SerialFrame

ipv4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=16)
datetimes = st.builds(KantechDateTime, st.integers(2000, 2255), st.integers(1, 12),
                      st.integers(1, 28), st.integers(0, 23), st.integers(0, 59),
                      st.integers(0, 59), st.integers(0, 6))
serial_frames = st.builds(SerialFrame, st.integers(1, 127), st.sampled_from(Command),
                          st.binary(max_size=40))
messages = st.one_of(
    st.builds(Pulse, st.booleans()), st.just(Discover()), st.just(Ack()), st.just(Poll()),
    st.just(StatusQuery()), st.builds(Nak, st.sampled_from(NakReason)),
    st.builds(Announce, st.sampled_from(DeviceModel), st.tuples(*[st.integers(0, 255)] * 3),
              printable, ipv4, ipv4, ipv4),
    st.builds(SetDateTime, datetimes),
    st.builds(ManualOp, st.sampled_from(ManualOperation), st.sampled_from(ComponentKind),
              st.integers(1, 255), st.integers(1, 255), st.integers(0, 0xFFFF)),
    st.builds(ManualOpReply, st.lists(st.builds(
        ComponentResult, st.sampled_from(ComponentKind), st.integers(1, 255),
        st.sampled_from(ManualOperation), st.sampled_from(OperationResult), st.integers(0, 255),
        st.integers(0, 255), st.integers(0, 0xFFFF)), min_size=1, max_size=20).map(tuple)),
    st.builds(ReloadBegin, st.integers(0, 24)),
    st.builds(ReloadEnd, st.integers(0, 2**32 - 1)),
    st.builds(FirmwareBlock, st.integers(0, 0xFFFF), st.binary(min_size=128, max_size=128)),
    st.builds(FirmwareEnd, st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1)),
    st.builds(Tunnel, st.lists(serial_frames | st.builds(Presence, st.integers(1, 127)),
                               min_size=1, max_size=5).map(tuple)),
)


def test_every_command_has_a_message_type():
    assert set(MESSAGE_TYPES) == set(Command)


@given(messages, st.integers(0, 15))
def test_round_trip_with_any_padding(message, padding):
    data = message.encode_data()
    assert decode_message(message.COMMAND, data) == message
    # the layout, not a length field, says where the data ends and the zero padding starts
    assert measure_data(message.COMMAND, data + bytes(padding)) == len(data)


def test_wire_md_data_sizes():
    sizes = {Command.PULSE: 1, Command.DISCOVER: 0, Command.ACK: 0, Command.NAK: 1,
             Command.POLL: 0, Command.STATUS_QUERY: 0, Command.STATUS_REPLY: 63,
             Command.SET_DATETIME: 7, Command.MANUAL_OP: 6, Command.RELOAD_BEGIN: 1,
             Command.RELOAD_END: 4, Command.FIRMWARE_BLOCK: 130, Command.FIRMWARE_END: 6,
             Command.ANNOUNCE: 1 + 3 + 16 + 4 + 4 + 4}
    assert FIXED_DATA_SIZES == sizes


@pytest.mark.parametrize(("command", "data", "error"), [
    (Command.PULSE, b"\x02", BadFieldError),
    (Command.NAK, b"\x09", BadFieldError),
    (Command.MANUAL_OP, b"\x09\x01\x01\x01\x00\x00", BadFieldError),
    (Command.MANUAL_OP, b"\x01\x01\x00\x01\x00\x00", BadFieldError),  # index 0
    (Command.RELOAD_BEGIN, b"\x63", BadFieldError),
    (Command.ANNOUNCE, b"\x07" + bytes(31), BadFieldError),
    (Command.SET_DATETIME, bytes(7), BadFieldError),  # month 0
    (Command.MANUAL_OP_REPLY, b"\x01\x01\x01\x00", BadDataSizeError),
    (Command.TUNNEL, b"\x80", BadFieldError),
    (Command.TUNNEL, b"\x05\x10\x00\xec", DecodeError),  # bad serial checksum
    (Command.FIRMWARE_BLOCK, bytes(129), BadDataSizeError),
])
def test_bad_data_is_a_precise_decode_error(command, data, error):
    with pytest.raises(error):
        decode_message(command, data)


def test_unencodable_values_are_encode_errors():
    for message in (FirmwareBlock(1, b"short"), ManualOp(ManualOperation.UNLOCK_DOOR,
                                                         ComponentKind.DOOR, 0),
                    Announce(DeviceModel.KT_1, (1, 0, 0), "x" * 17, *[ipaddress.IPv4Address(0)] * 3),
                    Tunnel(()), ReloadBegin(99)):
        with pytest.raises(EncodeError):
            message.encode_data()


def test_message_fields_are_json_friendly():
    fields = message_fields(ManualOp(ManualOperation.ACTIVATE_RELAY_TIMED, ComponentKind.RELAY,
                                     2, 1, 30))
    assert fields == {"operation": "ACTIVATE_RELAY_TIMED", "kind": "RELAY", "first_index": 2,
                      "count": 1, "duration": 30}
    tunnel = message_fields(Tunnel((SerialFrame(5, Command.POLL), Presence(6))))
    assert tunnel == {"items": [{"address": 5, "command": "POLL", "data": ""}, {"presence": 6}]}


def test_announce_fast_encoder_matches_the_schema() -> None:
    import ipaddress

    from kantech_proto.codes import DeviceModel
    from kantech_proto.message_structs import AnnounceStruct
    from kantech_proto.messages import Announce
    announce = Announce(DeviceModel.KT_1, (2, 7, 19), "KT1-ABC", ipaddress.IPv4Address("127.1.2.3"),
                        ipaddress.IPv4Address("255.0.0.0"), ipaddress.IPv4Address("127.0.0.1"))
    assert announce.encode_data() == AnnounceStruct.build({
        "model": 2, "firmware": [2, 7, 19], "serial_number": b"KT1-ABC".ljust(16, b"\0"),
        "ip": bytes([127, 1, 2, 3]), "netmask": bytes([255, 0, 0, 0]),
        "gateway": bytes([127, 0, 0, 1])})
