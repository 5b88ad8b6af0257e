"""The controller through its ControllerModel surface and its test hooks, with explicit ``now``."""

from __future__ import annotations

import zlib

import pytest

from emulators.kantech.controller_api import ControllerModel
from emulators.kantech.controller_model import Controller, make_controller
from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation, NakReason, RecordType
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import (
    ControllerStatus,
    DoorFlag,
    DoorLockState,
    OperationResult,
    SystemFlag,
)
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.event_types import AccessResult, EventType
from kantech_proto.message_layout import decode_message
from kantech_proto.messages import (
    Ack,
    FirmwareBlock,
    FirmwareEnd,
    ManualOp,
    ManualOpReply,
    Message,
    Nak,
    Pulse,
    ReloadBegin,
    ReloadEnd,
    ReloadRecords,
    SetDateTime,
    StatusQuery,
    StatusReply,
)
from kantech_proto.records_access import (
    WEEKDAYS,
    AccessLevel,
    CardFlag,
    CardKt100,
    CardKt400,
    Interval,
    ScheduleKt100,
    ScheduleKt400,
    ShortCardFlag,
    ShortInterval,
)
from kantech_proto.records_hardware import DoorFlag as RecordDoorFlag
from kantech_proto.records_hardware import DoorRecord
from protolab.errors import ConfigurationError

MAC = bytes.fromhex("0011223344aa")
MONDAY_9 = KantechDateTime(2024, 3, 4, 9, 0, 0, 0)
OFFICE = ScheduleKt400(1, (Interval(8 * 60, 18 * 60, WEEKDAYS),))
LEVEL = AccessLevel(1, (1, 1, 1, 1))


def ask(ctrl: Controller, message: Message, now: float) -> Message:
    """Send through the wire codec both ways, as the runtime would."""
    request = decode_message(message.COMMAND, message.encode_data())
    reply = ctrl.handle_request(request, now)
    return decode_message(reply.COMMAND, reply.encode_data())


def status(ctrl: Controller, now: float) -> ControllerStatus:
    reply = ask(ctrl, StatusQuery(), now)
    assert isinstance(reply, StatusReply)
    return reply.status


def reload(ctrl: Controller, now: float, *packets: ReloadRecords) -> Message:
    assert ask(ctrl, ReloadBegin(0), now) == Ack()
    for packet in packets:
        assert ask(ctrl, packet, now) == Ack()
    return ask(ctrl, ReloadEnd(sum(len(p.records) for p in packets)), now)


@pytest.fixture
def kt400() -> Controller:
    ctrl = make_controller(DeviceModel.KT_400, MAC, "KT400-0001")
    assert ask(ctrl, SetDateTime(MONDAY_9), 0.0) == Ack()
    door1 = DoorRecord(door=1, unlock_time=5, open_time=30, pre_alarm_time=0,
                       flags=RecordDoorFlag(0))
    assert reload(ctrl, 0.0,
                  ReloadRecords(RecordType.SCHEDULE_KT400, (OFFICE,)),
                  ReloadRecords(RecordType.ACCESS_LEVEL, (LEVEL,)),
                  ReloadRecords(RecordType.DOOR, (door1,)),
                  ReloadRecords(RecordType.CARD_KT400, (
                      CardKt400(1000, access_levels=(1, 1, 1, 1)),
                      CardKt400(2000, flags=CardFlag.VALID | CardFlag.LOST_STOLEN,
                                access_levels=(1,)),
                      CardKt400(3000, access_levels=(1,), uses_left=1),
                  ))) == Ack()
    ctrl.take_events()
    return ctrl


def test_satisfies_the_protocol() -> None:
    ctrl: ControllerModel = make_controller(DeviceModel.KT_1, MAC, "SN1")
    assert ctrl.mac == MAC and ctrl.model == DeviceModel.KT_1 and ctrl.firmware == (1, 0, 0)
    announce = ctrl.announce("10.0.0.5", "255.255.255.0", "10.0.0.1")
    assert announce.serial_number == "SN1" and str(announce.ip) == "10.0.0.5"


@pytest.mark.parametrize(("model", "doors", "relays", "inputs", "outputs"), [
    (DeviceModel.KT_400, 4, 4, 16, 16), (DeviceModel.KT_1, 1, 2, 5, 5),
    (DeviceModel.KT_100, 1, 2, 4, 2), (DeviceModel.KT_300, 2, 2, 8, 4)])
def test_status_sizes_per_model(model: DeviceModel, doors: int, relays: int, inputs: int,
                                outputs: int) -> None:
    st = status(make_controller(model, MAC, "X"), 10.0)
    assert (len(st.doors), st.relay_count, st.input_count, st.output_count) == (
        doors, relays, inputs, outputs)
    assert SystemFlag.RELOAD_REQUIRED in st.system_flags
    assert SystemFlag.CLOCK_NOT_SET in st.system_flags and st.clock is None


def test_ip_link_is_not_a_controller() -> None:
    with pytest.raises(ConfigurationError, match="IP_LINK"):
        make_controller(DeviceModel.IP_LINK, MAC, "X")


def test_full_reload_counts_and_clears_reload_required(kt400: Controller) -> None:
    st = status(kt400, 1.0)
    assert SystemFlag.RELOAD_REQUIRED not in st.system_flags
    assert (st.cards_loaded, st.schedules_loaded, st.access_levels_loaded, st.records_loaded) == (
        3, 1, 1, 6)


def test_reload_done_event(kt400: Controller) -> None:
    assert reload(kt400, 1.0, ReloadRecords(RecordType.CARD_KT400, (CardKt400(1),))) == Ack()
    events = kt400.take_events()
    assert [e.event_type for e in events] == [EventType.RELOAD_DONE]
    assert events[0].value == 1  # scope 0 cleared the rest


def test_reload_end_count_mismatch_is_bad_data(kt400: Controller) -> None:
    ask(kt400, ReloadBegin(0), 1.0)
    ask(kt400, ReloadRecords(RecordType.CARD_KT400, (CardKt400(1),)), 1.0)
    assert ask(kt400, ReloadEnd(2), 1.0) == Nak(NakReason.BAD_DATA)
    assert SystemFlag.RELOAD_REQUIRED in status(kt400, 1.0).system_flags


def test_reload_records_and_end_outside_a_reload_are_not_allowed(kt400: Controller) -> None:
    cards = status(kt400, 1.0).cards_loaded
    refused = kt400.handle_request(ReloadRecords(RecordType.CARD_KT400, (CardKt400(77),)), 1.0)
    assert refused == Nak(NakReason.NOT_ALLOWED) and "RELOAD_BEGIN" in refused.detail
    assert status(kt400, 1.0).cards_loaded == cards  # nothing stored
    assert ask(kt400, ReloadEnd(0), 1.0) == Nak(NakReason.NOT_ALLOWED)


def test_scoped_reload_clears_only_that_type(kt400: Controller) -> None:
    assert ask(kt400, ReloadBegin(RecordType.CARD_KT400), 1.0) == Ack()
    assert ask(kt400, ReloadEnd(0), 1.0) == Ack()
    st = status(kt400, 1.0)
    assert (st.cards_loaded, st.schedules_loaded) == (0, 1)
    assert ask(kt400, ReloadBegin(RecordType.CARD_KT400), 1.0) == Ack()
    assert ask(kt400, ReloadRecords(RecordType.ACCESS_LEVEL, (LEVEL,)), 1.0) == \
        Nak(NakReason.BAD_DATA)


def test_foreign_model_records_are_bad_data(kt400: Controller) -> None:
    ask(kt400, ReloadBegin(0), 1.0)
    assert ask(kt400, ReloadRecords(RecordType.CARD_KT100, (CardKt100(5),)), 1.0) == \
        Nak(NakReason.BAD_DATA)
    kt100 = make_controller(DeviceModel.KT_100, MAC, "X")
    ask(kt100, ReloadBegin(0), 1.0)
    assert ask(kt100, ReloadRecords(RecordType.CARD_KT400, (CardKt400(5),)), 1.0) == \
        Nak(NakReason.BAD_DATA)
    assert ask(kt100, ReloadBegin(RecordType.SCHEDULE_KT400), 1.0) == Nak(NakReason.BAD_DATA)


def test_granted_card_unlocks_and_queues_event(kt400: Controller) -> None:
    assert kt400.present_card(1, 1000, now=10.0) == AccessResult.GRANTED
    events = kt400.take_events()
    assert events[0].event_type == EventType.ACCESS_GRANTED and events[0].card_number == 1000
    assert events[0].component == 1 and events[0].timestamp == KantechDateTime(
        2024, 3, 4, 9, 0, 10, 0)
    assert EventType.DOOR_UNLOCKED_TIMED in [e.event_type for e in events]
    assert status(kt400, 14.0).doors[0].lock_state == DoorLockState.UNLOCKED_TIMED
    assert kt400.next_deadline() == 15.0
    assert status(kt400, 15.0).doors[0].lock_state == DoorLockState.LOCKED
    for event in events + kt400.take_events():
        event.encode()  # every queued event fits its table-12 row


def test_denials_do_not_unlock(kt400: Controller) -> None:
    assert kt400.present_card(1, 2000, now=10.0) == AccessResult.LOST_STOLEN
    assert kt400.present_card(1, 4242, now=10.0) == AccessResult.UNKNOWN_CARD
    assert [e.event_type for e in kt400.take_events()] == [
        EventType.ACCESS_DENIED_LOST_STOLEN, EventType.ACCESS_DENIED_UNKNOWN_CARD]
    assert status(kt400, 10.0).doors[0].lock_state == DoorLockState.LOCKED


def test_limited_card_uses_run_out(kt400: Controller) -> None:
    assert kt400.present_card(1, 3000, now=10.0) == AccessResult.GRANTED
    assert kt400.present_card(1, 3000, now=20.0) == AccessResult.NO_USES_LEFT


def test_clock_runs_with_now_and_drives_schedule(kt400: Controller) -> None:
    # 09:00 + 9 h = 18:00, the end of office hours (exclusive)
    assert kt400.present_card(1, 1000, now=9 * 3600 - 1) == AccessResult.GRANTED
    assert kt400.present_card(1, 1000, now=9 * 3600) == AccessResult.OUTSIDE_SCHEDULE
    assert status(kt400, 9 * 3600).clock == KantechDateTime(2024, 3, 4, 18, 0, 0, 0)


def test_without_clock_cards_are_refused() -> None:
    ctrl = make_controller(DeviceModel.KT_1, MAC, "X")
    reload(ctrl, 0.0, ReloadRecords(RecordType.SCHEDULE_KT400, (OFFICE,)),
           ReloadRecords(RecordType.ACCESS_LEVEL, (LEVEL,)),
           ReloadRecords(RecordType.CARD_KT400, (CardKt400(1, access_levels=(1,)),)))
    assert ctrl.present_card(1, 1, now=5.0) == AccessResult.OUTSIDE_SCHEDULE


def test_kt100_uses_short_records_and_clamps_door_timers() -> None:
    ctrl = make_controller(DeviceModel.KT_100, MAC, "X")
    ask(ctrl, SetDateTime(MONDAY_9), 0.0)
    assert reload(ctrl, 0.0,
                  ReloadRecords(RecordType.SCHEDULE_KT100,
                                (ScheduleKt100(1, (ShortInterval(0, 1440, WEEKDAYS),)),)),
                  ReloadRecords(RecordType.ACCESS_LEVEL, (LEVEL,)),
                  ReloadRecords(RecordType.DOOR, (DoorRecord(door=1, unlock_time=1000,
                                                             flags=RecordDoorFlag(0)),)),
                  ReloadRecords(RecordType.CARD_KT100,
                                (CardKt100(55, flags=ShortCardFlag.VALID, access_level=1),)),
                  ) == Ack()
    assert ctrl.present_card(1, 55, now=1.0) == AccessResult.GRANTED
    assert ctrl.next_deadline() == 1.0 + 255


def test_forced_door_and_restore(kt400: Controller) -> None:
    assert kt400.force_door(2, now=5.0) is True
    st = status(kt400, 5.0)
    assert DoorFlag.FORCED in st.doors[1].flags and DoorFlag.OPEN in st.doors[1].flags
    assert st.inputs_active & (1 << 2)  # door 2 contact is input 3, by the default wiring
    assert st.inputs_alarm == 0  # a door contact raises door reports, not input alarms
    kt400.close_door(2, now=6.0)
    assert [e.event_type for e in kt400.take_events()] == [EventType.DOOR_FORCED_OPEN,
                                                           EventType.DOOR_CLOSED]


def test_granted_passage_held_open_too_long(kt400: Controller) -> None:
    kt400.present_card(1, 1000, now=10.0)
    assert kt400.open_door(1, now=11.0) is True
    kt400.advance(40.9)
    assert not kt400.take_events()[-1].event_type == EventType.DOOR_OPEN_TOO_LONG
    kt400.advance(41.0)  # open_time 30 s after opening at 11
    last = kt400.take_events()[-1]
    assert last.event_type == EventType.DOOR_OPEN_TOO_LONG
    assert DoorFlag.HELD_OPEN in status(kt400, 41.0).doors[0].flags


def test_rex_then_open_is_not_forced(kt400: Controller) -> None:
    kt400.press_rex(1, now=1.0)
    assert kt400.open_door(1, now=2.0) is True


def test_hold_door_hook(kt400: Controller) -> None:
    kt400.hold_door(3, now=1.0)
    types = [e.event_type for e in kt400.take_events()]
    assert types[-1] == EventType.DOOR_OPEN_TOO_LONG and EventType.DOOR_FORCED_OPEN not in types


def test_input_alarm_and_shunt(kt400: Controller) -> None:
    kt400.set_input(10, True, now=1.0)
    assert status(kt400, 1.0).inputs_alarm == 1 << 9
    reply = ask(kt400, ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.INPUT, 10), 2.0)
    assert isinstance(reply, ManualOpReply) and reply.results[0].result == OperationResult.DONE
    st = status(kt400, 2.0)
    assert st.inputs_alarm == 0 and st.inputs_shunted == 1 << 9
    ask(kt400, ManualOp(ManualOperation.UNSHUNT_INPUT, ComponentKind.INPUT, 10), 3.0)
    assert status(kt400, 3.0).inputs_alarm == 1 << 9
    assert [e.event_type for e in kt400.take_events()] == [
        EventType.INPUT_ALARM, EventType.INPUT_SHUNTED, EventType.INPUT_UNSHUNTED,
        EventType.INPUT_ALARM]


def test_temporary_shunt_expires(kt400: Controller) -> None:
    ask(kt400, ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.INPUT, 12, duration=90), 0.0)
    kt400.set_input(12, True, now=10.0)
    assert status(kt400, 89.0).inputs_alarm == 0
    assert status(kt400, 90.0).inputs_alarm == 1 << 11
    events = [ControllerEvent.decode(e.encode()) for e in kt400.take_events()]  # all fit the wire
    assert events[0].event_type == EventType.INPUT_TEMP_SHUNTED and events[0].minutes == 2
    ended = [e for e in events if e.event_type == EventType.INPUT_TEMP_SHUNT_ENDED]
    assert [e.minutes for e in ended] == [0]  # it ran out: nothing was left


def test_a_temporary_shunt_ended_early_reports_what_was_left(kt400: Controller) -> None:
    ask(kt400, ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.INPUT, 12, duration=600), 0.0)
    ask(kt400, ManualOp(ManualOperation.UNSHUNT_INPUT, ComponentKind.INPUT, 12), 100.0)
    events = [ControllerEvent.decode(e.encode()) for e in kt400.take_events()]
    assert [(e.event_type, e.minutes) for e in events] == [
        (EventType.INPUT_TEMP_SHUNTED, 10), (EventType.INPUT_TEMP_SHUNT_ENDED, 9)]


def test_manual_op_results_per_component(kt400: Controller) -> None:
    reply = ask(kt400, ManualOp(ManualOperation.ACTIVATE_RELAY_TIMED, ComponentKind.RELAY, 3, 3,
                                duration=20), 0.0)
    assert isinstance(reply, ManualOpReply)
    assert [(r.index, r.result) for r in reply.results] == [
        (3, OperationResult.DONE), (4, OperationResult.DONE),
        (5, OperationResult.NO_SUCH_COMPONENT)]
    assert reply.results[0].remaining_seconds == 20 and reply.results[0].state == 1
    st = status(kt400, 5.0)
    assert st.relays_active == 0b1100 and st.relays_timed == 0b1100
    assert status(kt400, 20.0).relays_active == 0


def test_operation_not_valid_for_kind_is_not_allowed(kt400: Controller) -> None:
    reply = ask(kt400, ManualOp(ManualOperation.SHUNT_INPUT, ComponentKind.DOOR, 1), 0.0)
    assert isinstance(reply, ManualOpReply)
    assert reply.results[0].result == OperationResult.NOT_ALLOWED


def test_manual_door_unlock_until_told_and_lock(kt400: Controller) -> None:
    ask(kt400, ManualOp(ManualOperation.UNLOCK_DOOR, ComponentKind.DOOR, 1, 2), 0.0)
    st = status(kt400, 10_000.0)
    assert [d.lock_state for d in st.doors[:2]] == [DoorLockState.UNLOCKED] * 2
    assert st.relays_active == 0b11  # the doors' lock relays
    ask(kt400, ManualOp(ManualOperation.LOCK_DOOR, ComponentKind.DOOR, 1), 10_001.0)
    assert status(kt400, 10_001.0).doors[0].lock_state == DoorLockState.LOCKED


def test_unknown_request_is_nak(kt400: Controller) -> None:
    assert kt400.handle_request(Pulse(), 0.0) == Nak(NakReason.UNKNOWN_COMMAND)


def _send_image(ctrl: Controller, image: bytes, now: float) -> Message:
    blocks = [image[i: i + 128].ljust(128, b"\x00") for i in range(0, len(image), 128)]
    for n, block in enumerate(blocks):
        assert ask(ctrl, FirmwareBlock(n, block), now) == Ack()
    return ask(ctrl, FirmwareEnd(len(blocks), zlib.crc32(image)), now)


def test_firmware_update_reboots_and_requires_reload(kt400: Controller) -> None:
    image = b"KTFW\x03\x01\x04" + bytes(range(256)) * 3
    assert _send_image(kt400, image, 100.0) == Ack()
    assert kt400.reboot_pending and kt400.firmware == (3, 1, 4)
    st = status(kt400, 101.0)
    assert SystemFlag.RELOAD_REQUIRED in st.system_flags and st.cards_loaded == 0
    assert st.firmware == (3, 1, 4) and st.firmware_crc32 == zlib.crc32(image)
    assert st.uptime_seconds == 1
    assert kt400.present_card(1, 1000, now=102.0) == AccessResult.UNKNOWN_CARD
    kt400.acknowledge_reboot()
    assert not kt400.reboot_pending
    assert EventType.POWER_UP in [e.event_type for e in kt400.take_events()]


def test_firmware_without_marker_bumps_build() -> None:
    ctrl = make_controller(DeviceModel.KT_300, MAC, "X", firmware=(2, 4, 9))
    assert _send_image(ctrl, b"plain image", 0.0) == Ack()
    assert ctrl.firmware == (2, 4, 10)


def test_firmware_bad_crc_keeps_everything(kt400: Controller) -> None:
    ask(kt400, FirmwareBlock(0, bytes(128)), 0.0)
    assert SystemFlag.FIRMWARE_PENDING in status(kt400, 0.0).system_flags
    assert ask(kt400, FirmwareEnd(1, 12345), 0.0) == Nak(NakReason.BAD_DATA)
    assert not kt400.reboot_pending and status(kt400, 0.0).cards_loaded == 3


def test_reboot_keeps_records(kt400: Controller) -> None:
    kt400.present_card(1, 1000, now=1.0)
    kt400.reboot(2.0)
    st = status(kt400, 2.0)
    assert kt400.reboot_pending and st.cards_loaded == 3
    assert st.doors[0].lock_state == DoorLockState.LOCKED


def test_snapshot_is_json_friendly(kt400: Controller) -> None:
    import json

    kt400.present_card(1, 1000, now=3.0)
    snap = json.loads(json.dumps(kt400.snapshot()))
    assert snap["model"] == "KT_400" and snap["doors"][0]["lock_state"] == "UNLOCKED_TIMED"
    assert snap["records"]["CARD_KT400"] == 3 and len(snap["inputs"]) == 16
