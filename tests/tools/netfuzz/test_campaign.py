"""The campaign loop without a network: batches, the probe after each, the stop at the first
failed probe with the last two batches saved, and a dead-from-the-start target refused; the
generators are repeatable, their field-aware frames decrypt with the key, and each role starts
from what its side sends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ekm_proto.snmp.manager.targets import Target
from kantech_proto.errors import DecodeError
from kantech_proto.fuzzing import event_samples
from kantech_proto.ip_frame import IpFrameCodec
from kantech_proto.messages import Event, ReloadRecords
from protolab.clock import ManualClock
from tools.netfuzz.campaign import TargetNotAnsweringError, run_campaign
from tools.netfuzz.kantech_inputs import KantechInputs, device_messages, gateway_messages
from tools.netfuzz.snmp_inputs import SnmpInputs


class Probe:
    """Alive for the first ``lives`` probes."""

    def __init__(self, lives: int) -> None:
        self.lives, self.calls = lives, 0

    async def __call__(self) -> bool:
        self.calls += 1
        return self.calls <= self.lives


async def test_a_target_that_dies_stops_the_campaign_with_a_reproducer(tmp_path: Path) -> None:
    sent: list[bytes] = []

    async def send(data: bytes) -> None:
        sent.append(data)

    inputs = KantechInputs("k", 7, "device", seed=1)
    result = await run_campaign(inputs, send, Probe(4), ManualClock(), count=1000, batch=10,
                                out=tmp_path, describe={"target": "t"})
    assert not result.alive and result.sent == 40 and result.batches == 4
    report = json.loads((tmp_path / "reproducer.json").read_text())
    assert [item["number"] for item in report["inputs"]] == list(range(20, 40))
    assert [bytes.fromhex(item["hex"]) for item in report["inputs"]] == sent[20:]
    assert (tmp_path / "input-0000039.bin").read_bytes() == sent[-1]


async def test_a_target_alive_to_the_end_leaves_no_reproducer(tmp_path: Path) -> None:
    async def send(data: bytes) -> None:
        pass

    result = await run_campaign(KantechInputs("k", 7, "gateway", seed=1), send, Probe(10**6),
                                ManualClock(), count=95, batch=10, out=tmp_path,
                                describe={"target": "t"})
    assert result.alive and result.sent == 95 and result.batches == 10
    assert result.field_inputs + result.raw_inputs == 95 and result.field_inputs > 0
    assert not list(tmp_path.iterdir())


async def test_a_target_dead_before_fuzzing_is_refused(tmp_path: Path) -> None:
    async def send(data: bytes) -> None:
        raise AssertionError("nothing may be sent")

    with pytest.raises(TargetNotAnsweringError, match="does not answer the liveness probe"):
        await run_campaign(KantechInputs("k", 7, "device", seed=1), send, Probe(0),
                           ManualClock(), count=10, batch=10, out=tmp_path,
                           describe={"target": "127.0.0.1:9"})


def test_field_aware_frames_decrypt_and_the_seed_repeats_the_campaign() -> None:
    codec = IpFrameCodec("k")
    session = bytes.fromhex("020000000001")
    first = [KantechInputs("k", 7, "device", seed=5, sender=session).next_input()]
    one = KantechInputs("k", 7, "device", seed=5, sender=session)
    two = KantechInputs("k", 7, "device", seed=5, sender=session)
    a, b = [one.next_input() for _ in range(300)], [two.next_input() for _ in range(300)]
    assert a == b and first[0] == a[0]
    fields = [item for item in a if item.kind == "field"]
    passed = 0
    for item in fields:
        try:
            codec.check_outer(item.data)  # checksum and length right: re-checksummed
            passed += 1
        except DecodeError:
            pass
    assert passed == len(fields)


def test_snmp_inputs_keep_every_ber_length_right_in_field_mutations() -> None:
    inputs = SnmpInputs(Target.v2c("127.0.0.1", 161, "public"), seed=3)
    items = [inputs.next_input() for _ in range(300)]
    for item in items:
        if item.kind == "field":
            assert item.data[0] == 0x30
            length_octets = item.data[1]
            size = length_octets if length_octets < 0x80 else int.from_bytes(
                item.data[2:2 + (length_octets & 0x7F)], "big")
            head = 2 if length_octets < 0x80 else 2 + (length_octets & 0x7F)
            assert head + size == len(item.data)


def test_each_role_seeds_what_its_side_sends_on_the_wire() -> None:
    # WIRE.md section 3's direction column, typed in (POLL and TUNNEL are loop and IP-Link only)
    from_gateway = {0x02, 0x04, 0x05, 0x12, 0x14, 0x20, 0x30, 0x31, 0x32, 0x50, 0x51}
    from_device = {0x01, 0x03, 0x04, 0x05, 0x13, 0x21, 0x40}
    to_device, to_gateway = gateway_messages(), device_messages()
    assert {int(m.COMMAND) for m in to_device} == from_gateway
    assert {int(m.COMMAND) for m in to_gateway} == from_device
    assert {m.record_type for m in to_device if isinstance(m, ReloadRecords)} == set(range(1, 25))
    assert [m.event for m in to_gateway if isinstance(m, Event)] == event_samples()
