"""Gateway and device endpoints joined by an in-memory wire, with a hand-driven clock."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address

import pytest

from kantech_proto.codes import ComponentKind, DeviceModel, ManualOperation, NakReason
from kantech_proto.controller_status import ControllerStatus
from kantech_proto.device_endpoint import DeviceEndpoint
from kantech_proto.endpoint_core import EndpointCore
from kantech_proto.endpoint_events import (
    DeliveryConfirmed,
    DeliveryDelayed,
    FrameRejected,
    MessageReceived,
    ReplayRejected,
    ReplyReceived,
    RequestReceived,
    RequestTimedOut,
)
from kantech_proto.gateway_endpoint import GatewayEndpoint
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Ack, Announce, ManualOp, Nak, Pulse, StatusQuery, StatusReply
from kantech_proto.replay import ReplayPolicy
from protolab.clock import ManualClock

SITE = 42
GW, DEV = ("127.0.0.1", 18801), ("127.20.0.1", 18810)
MAC = bytes.fromhex("00a0c2000042")
SESSION = bytes.fromhex("5e5510000001")
STATUS = StatusReply(ControllerStatus(DeviceModel.KT_1, (1, 0, 0), None))
ANNOUNCE = Announce(DeviceModel.KT_400, (1, 2, 3), "KT400-1", IPv4Address("127.20.0.1"),
                    IPv4Address("255.0.0.0"), IPv4Address("127.0.0.1"))


class Wire:
    """Moves datagrams between the two ends; a test can drop or capture them."""

    def __init__(self, policy: ReplayPolicy = ReplayPolicy.WINDOW) -> None:
        codec = IpFrameCodec("pair-key")
        self.clock = ManualClock()
        self.gateway = GatewayEndpoint(codec, SITE, SESSION, replay_policy=policy)
        self.device = DeviceEndpoint(codec, SITE, MAC, GW, replay_policy=policy)
        self.drop: Callable[[bytes, object], bool] = lambda data, peer: False
        self.captured: list[tuple[bytes, object]] = []

    def run(self) -> None:
        moved = True
        while moved:
            moved = False
            for src, dst, src_addr in ((self.gateway, self.device, GW),
                                       (self.device, self.gateway, DEV)):
                for data, peer in src.datagrams_to_send():
                    moved = True
                    self.captured.append((data, peer))
                    if not self.drop(data, peer):
                        dst.receive_datagram(data, src_addr, self.clock.now())

    def tick(self, seconds: float) -> None:
        self.clock.advance(seconds)
        for end in (self.gateway, self.device):
            end.handle_timer(self.clock.now())
        self.run()


def answer_requests(wire: Wire, message=STATUS) -> list[RequestReceived]:
    requests = [e for e in wire.device.events() if isinstance(e, RequestReceived)]
    for request in requests:
        wire.device.reply(request, message)
    wire.run()
    return requests


def test_request_and_reply_are_matched_by_event_id():
    wire = Wire()
    first = wire.gateway.request(DEV, StatusQuery(), 0.0)
    second = wire.gateway.request(DEV, StatusQuery(), 0.0)
    wire.run()
    requests = answer_requests(wire)
    assert [r.frame.event_id for r in requests] == [first, second]
    replies = [e for e in wire.gateway.events() if isinstance(e, ReplyReceived)]
    assert sorted(r.event_id for r in replies) == [first, second]
    assert all(r.message == STATUS for r in replies)
    assert wire.gateway.pending_requests == 0


def test_sequence_numbers_advance_and_wrap():
    codec = IpFrameCodec("k")
    gateway = GatewayEndpoint(codec, SITE, SESSION, initial_sequence=0xFFFF)
    for _ in range(2):
        gateway.send(DEV, Pulse())
    seqs = [codec.decode(data).sequence for data, _ in gateway.datagrams_to_send()]
    assert seqs == [0xFFFF, 0]


def test_lost_request_is_retried_with_a_new_sequence_and_the_same_event_id():
    wire = Wire(ReplayPolicy.STRICT)
    drops = iter([True])
    wire.drop = lambda data, peer: next(drops, False)
    event_id = wire.gateway.request(DEV, StatusQuery(), 0.0)
    wire.run()
    assert wire.device.events() == []
    wire.tick(1.0)
    (request,) = answer_requests(wire)
    assert request.frame.event_id == event_id
    codec = wire.gateway.codec
    sent = [codec.decode(d) for d, p in wire.captured if p == DEV]
    assert sent[0].sequence != sent[1].sequence and sent[0].event_id == sent[1].event_id
    (reply,) = [e for e in wire.gateway.events() if isinstance(e, ReplyReceived)]
    assert reply.attempts == 2


def test_lost_reply_is_answered_again_from_the_cache_not_executed_twice():
    wire = Wire()
    wire.gateway.request(DEV, ManualOp(ManualOperation.UNLOCK_DOOR, ComponentKind.DOOR), 0.0)
    wire.run()
    drops = iter([True])
    wire.drop = lambda data, peer: peer == GW and next(drops, False)
    assert len(answer_requests(wire)) == 1
    wire.tick(1.0)  # the gateway retries; the device re-sends its cached answer
    assert [e for e in wire.device.events() if isinstance(e, RequestReceived)] == []
    assert wire.device.stats["duplicate_requests"] == 1
    assert any(isinstance(e, ReplyReceived) for e in wire.gateway.events())


def test_request_times_out_after_max_attempts():
    wire = Wire()
    wire.drop = lambda data, peer: True
    event_id = wire.gateway.request(DEV, StatusQuery(), 0.0)
    wire.run()
    for _ in range(3):
        wire.tick(1.0)
    (timeout,) = [e for e in wire.gateway.events() if isinstance(e, RequestTimedOut)]
    assert (timeout.event_id, timeout.attempts) == (event_id, 3)
    assert wire.gateway.next_timer() is None


def test_device_events_are_acked_and_delivered_one_at_a_time():
    wire = Wire()
    wire.device.send_reliable(Pulse(True), 0.0)  # any message: the ACK rule is what matters
    wire.device.send_reliable(Pulse(False), 0.0)
    assert wire.device.queued == 2
    wire.gateway.auto_ack = False
    wire.run()
    received = [e for e in wire.gateway.events() if isinstance(e, MessageReceived)]
    assert [r.message for r in received] == [Pulse(True)]  # stop-and-wait
    wire.gateway.send(DEV, Ack())
    wire.run()
    wire.gateway.send(DEV, Nak(NakReason.BUSY))
    wire.run()
    confirmed = [e for e in wire.device.events() if isinstance(e, DeliveryConfirmed)]
    assert [(c.message, c.accepted) for c in confirmed] == [(Pulse(True), True),
                                                            (Pulse(False), False)]
    assert wire.device.queued == 0


def test_unacknowledged_events_are_kept_and_retried_with_backoff():
    wire = Wire()
    wire.drop = lambda data, peer: True
    wire.device.send_reliable(ANNOUNCE, 0.0)
    wire.run()
    for _ in range(6):
        wire.tick(wire.device.next_timer() - wire.clock.now())
    events = wire.device.events()
    assert any(isinstance(e, DeliveryDelayed) for e in events)
    assert wire.device.queued == 1
    wire.drop = lambda data, peer: False
    wire.tick(wire.device.next_timer() - wire.clock.now())
    assert any(isinstance(e, DeliveryConfirmed) for e in wire.device.events())
    assert wire.device.queued == 0


def replay_scenario(policy: ReplayPolicy) -> tuple[int, int]:
    """Send two frames, replay the first, then deliver one out of order; count what got in."""
    wire = Wire(policy)
    frames = []
    for _ in range(3):
        wire.gateway.send(DEV, StatusQuery(), event_id=0)
        frames += wire.gateway.datagrams_to_send()
    deliver = [frames[0], frames[2], frames[0], frames[1]]  # replay of #0, then #1 late
    for data, _ in deliver:
        wire.device.receive_datagram(data, GW, 0.0)
    events = wire.device.events()
    accepted = sum(isinstance(e, MessageReceived) for e in events)
    rejected = sum(isinstance(e, ReplayRejected) for e in events)
    return accepted, rejected


@pytest.mark.parametrize(("policy", "accepted", "rejected"), [
    (ReplayPolicy.NONE, 4, 0),    # replay accepted, like vulnerable firmware
    (ReplayPolicy.STRICT, 2, 2),  # replay and the late frame both refused
    (ReplayPolicy.WINDOW, 3, 1),  # replay refused, in-window reordering accepted
])
def test_replay_policies(policy, accepted, rejected):
    assert replay_scenario(policy) == (accepted, rejected)


def test_window_moves_only_after_a_frame_validates():
    wire = Wire(ReplayPolicy.WINDOW)
    for _ in range(2):
        wire.gateway.send(DEV, StatusQuery())
    (first, _), (second, _) = wire.gateway.datagrams_to_send()
    forged = bytearray(second)
    forged[12] ^= 0x01  # breaks the checksum: rejected before any replay bookkeeping
    wire.device.receive_datagram(bytes(forged), GW, 0.0)
    wire.device.receive_datagram(first, GW, 0.0)
    wire.device.receive_datagram(second, GW, 0.0)
    events = wire.device.events()
    assert isinstance(events[0], FrameRejected)
    assert sum(isinstance(e, MessageReceived) for e in events) == 2


def test_frames_for_another_site_or_key_are_rejected_and_counted():
    wire = Wire()
    other_site = GatewayEndpoint(IpFrameCodec("pair-key"), SITE + 1, SESSION)
    other_key = GatewayEndpoint(IpFrameCodec("wrong-key"), SITE, SESSION)
    for end in (other_site, other_key):
        end.send(DEV, StatusQuery())
        for data, _ in end.datagrams_to_send():
            wire.device.receive_datagram(data, GW, 0.0)
    wire.device.receive_datagram(b"\x99garbage", GW, 0.0)
    reasons = [e.reason for e in wire.device.events() if isinstance(e, FrameRejected)]
    assert reasons == ["wrong-site", "wrong-key", "too-long"]
    assert wire.device.stats["frames_rejected"] == 3


def test_gateway_auto_acks_announce_but_not_pulse():
    wire = Wire()
    wire.device.send_reliable(ANNOUNCE, 0.0)
    wire.run()
    assert [e.message for e in wire.device.events() if isinstance(e, DeliveryConfirmed)] == [
        ANNOUNCE]
    wire.device.send_reliable(Pulse(True), 0.0)
    wire.run()
    assert wire.device.queued == 1  # heartbeats get no answer from the gateway


def test_endpoints_touch_no_clock_or_socket():
    import inspect

    import kantech_proto.device_endpoint as d
    import kantech_proto.endpoint_core as c
    import kantech_proto.gateway_endpoint as g

    for module in (c, d, g):
        source = inspect.getsource(module)
        assert "import socket" not in source and "import time" not in source
        assert "asyncio" not in source
    assert issubclass(GatewayEndpoint, EndpointCore) and issubclass(DeviceEndpoint, EndpointCore)


def test_gateway_counts_sequences_per_device():
    """A device's window sees +1 per frame it receives, however many other devices the gateway
    talks to (with one counter for 100,000 devices it would see jumps past half the range)."""
    codec = IpFrameCodec("k")
    gateway = GatewayEndpoint(codec, SITE, SESSION)
    other = ("127.9.9.9", 18810)
    for _ in range(40_000):
        gateway.send(other, Pulse())
    gateway.send(DEV, Pulse())
    gateway.send(DEV, Pulse())
    to_dev = [codec.decode(data).sequence for data, peer in gateway.datagrams_to_send()
              if peer == DEV]
    assert to_dev == [0, 1]
