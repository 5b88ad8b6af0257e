"""The bounded buffer of unacknowledged events: nothing lost below the bound, the oldest dropped
past it with a BUFFER_OVERFLOW saying how many; and what PULSE and the status report of it."""

from __future__ import annotations

from typing import Any

import pytest

from emulators.kantech.event_buffer import EventBuffer, with_backlog
from emulators.kantech.model_factory import default_model_factory
from kantech_proto.codes import DeviceModel
from kantech_proto.controller_events import ControllerEvent
from kantech_proto.controller_status import ControllerStatus, SystemFlag
from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.endpoint_events import MessageReceived
from kantech_proto.event_types import EventType
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Event, Pulse, StatusQuery, StatusReply
from kantech_proto.transports.udp import UdpLink
from protolab.errors import ConfigurationError

T = KantechDateTime(2026, 1, 5, 8, 0, 0, 0)


def card(n: int) -> ControllerEvent:
    return ControllerEvent.access(T, 1, n)


def drain(buffer: EventBuffer) -> list[ControllerEvent]:
    out = []
    while (event := buffer.next_to_send()) is not None:
        out.append(event)
        buffer.delivered()
    return out


def test_below_the_bound_nothing_is_lost_and_order_is_kept() -> None:
    buffer = EventBuffer(bound=5)
    for n in range(1, 6):
        buffer.push(card(n))
    assert len(buffer) == 5
    assert [e.card_number for e in drain(buffer)] == [1, 2, 3, 4, 5] and len(buffer) == 0


def test_past_the_bound_the_oldest_go_and_an_overflow_event_says_how_many() -> None:
    buffer = EventBuffer(bound=3)
    for n in range(1, 9):
        buffer.push(card(n))
    assert buffer.dropped_total == 5 and len(buffer) == 4  # 3 events + the notice
    sent = drain(buffer)
    assert sent[0].event_type == EventType.BUFFER_OVERFLOW and sent[0].value == 5
    assert sent[0].component == 0
    assert [e.card_number for e in sent[1:]] == [6, 7, 8]


def test_the_event_in_flight_is_never_the_one_dropped() -> None:
    buffer = EventBuffer(bound=2)
    buffer.push(card(1))
    buffer.push(card(2))
    assert buffer.next_to_send() is not None  # card 1 in flight
    buffer.push(card(3))  # drops card 2, not the one the gateway may already hold
    buffer.delivered()
    assert [(e.event_type, e.card_number, e.value) for e in drain(buffer)] == [
        (EventType.BUFFER_OVERFLOW, None, 1), (EventType.ACCESS_GRANTED, 3, None)]


def test_bound_must_be_positive() -> None:
    with pytest.raises(ConfigurationError, match="at least 1"):
        EventBuffer(bound=0)


def test_with_backlog_sets_count_and_flag() -> None:
    status = ControllerStatus(DeviceModel.KT_1, (1, 0, 0), None)
    busy = with_backlog(status, 3)
    assert busy.events_queued == 3 and SystemFlag.EVENTS_PENDING in busy.system_flags
    assert SystemFlag.EVENTS_PENDING not in with_backlog(busy, 0).system_flags


async def test_pulse_and_status_report_unacknowledged_events(
        make_fleet: Any, settings: Any, site: Any, eventually: Any) -> None:
    """A gateway that does not ACK: three events wait, PULSE says so, and so does the status."""
    endpoint = GatewayEndpoint(IpFrameCodec(site.key), site.id, site.session, auto_ack=False)
    link = await UdpLink.open(endpoint, ("127.0.0.1", 0), name="silent-gateway")
    received: list[Any] = []
    link.driver.close()

    class Collect(type(link.driver)):  # type: ignore[misc]
        def _dispatch(self, event: Any) -> None:
            received.append(event)
            super()._dispatch(event)
    link.driver = Collect(endpoint, link.send, name="silent-gateway")
    try:
        nobody = type("G", (), {"address": link.local_address})()
        fleet = await make_fleet(settings(nobody, kt1=1, pulse=0.05),
                                 model_factory=default_model_factory)
        device = fleet.devices[0]
        for n in (11, 12, 13):
            device.model.present_card(1, n, now=device.now())
        device.sync()
        assert device.events_waiting >= 3

        def pulses() -> list[Pulse]:
            return [e.message for e in received if isinstance(e, MessageReceived)
                    and isinstance(e.message, Pulse)]
        await eventually(lambda: any(p.events_waiting for p in pulses()))
        reply = await link.driver.request((device.config.address, device.local_address[1]),
                                          StatusQuery())
        assert isinstance(reply.message, StatusReply)
        status = reply.message.status
        assert status.events_queued == device.events_waiting >= 3
        assert SystemFlag.EVENTS_PENDING in status.system_flags
        # stop-and-wait: the unacknowledged boot ANNOUNCE holds every event back
        assert not [e for e in received if isinstance(getattr(e, "message", None), Event)]
    finally:
        link.close()
