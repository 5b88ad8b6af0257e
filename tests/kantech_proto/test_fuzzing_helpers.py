"""kantech_proto.fuzzing as a user's harness uses it: corpora that parse, mutators whose output
gets past AES and the checksum so mutations reach the parser, and the example harness run."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path

import pytest

from kantech_proto import DecodeError, Event, IpFrameCodec
from kantech_proto.controller_events import decode_event
from kantech_proto.errors import ChecksumMismatchError, WrongKeyError
from kantech_proto.fuzzing import (
    FUZZ_KEY,
    IpFrameMutator,
    event_frame_seeds,
    event_samples,
    event_seeds,
    ip_frame_seeds,
    message_samples,
    mutate_bytes,
    mutate_ip_frame,
    mutate_serial_frame,
    record_samples,
    reload_record_seeds,
    serial_frame_seeds,
)
from kantech_proto.reload_records import decode_reload_records
from kantech_proto.serial_frame import SerialStreamDecoder, serial_checksum
from kantech_proto.wire_profile import ChecksumKind, WireProfile

CODEC = IpFrameCodec(FUZZ_KEY)
EXAMPLE = Path(__file__).parents[2] / "examples" / "fuzzing" / "toy_event_parser.py"


def test_the_corpora_are_valid_messages() -> None:
    assert [CODEC.decode(f).message for f in ip_frame_seeds()] == message_samples()
    assert [CODEC.decode(f).message for f in event_frame_seeds()] == \
        [Event(e) for e in event_samples()]
    assert [decode_event(d) for d in event_seeds()] == event_samples()
    packets = reload_record_seeds()[::2]
    assert [decode_reload_records(p)[1][0] for p in packets] == record_samples()
    decoder = SerialStreamDecoder()
    items = [i for seed in serial_frame_seeds()[:8] for i in decoder.feed(seed)]
    assert len(items) == 8 and decoder.bad_frames == 0


def test_a_users_own_key_and_profile_give_their_corpus() -> None:
    profile = WireProfile(checksum=ChecksumKind.SUM16)
    codec = IpFrameCodec("users-site", profile)
    seeds = ip_frame_seeds(codec)
    assert [codec.decode(f).message for f in seeds] == message_samples()
    with pytest.raises(DecodeError):
        CODEC.decode(seeds[0])
    mutator = IpFrameMutator("users-site", profile)
    for seed in range(200):
        codec.check_outer(mutator.mutate(seeds[seed % len(seeds)], seed))


def test_frame_mutations_get_past_the_checksum_and_the_key() -> None:
    outcomes: Counter[str] = Counter()
    seeds = ip_frame_seeds()
    for seed in range(600):
        base = seeds[seed % len(seeds)]
        mutated = mutate_ip_frame(base, seed)
        CODEC.check_outer(mutated)  # sync, length and checksum always hold
        try:
            CODEC.decode(mutated)
        except ChecksumMismatchError as exc:
            raise AssertionError(f"seed {seed}: the mutation stopped at {exc}") from exc
        except DecodeError as exc:
            outcomes[type(exc).__name__] += 1
        else:
            outcomes["decoded" if mutated != base else "unchanged"] += 1
    # the validation field is plaintext too, so a few edits hit it; most go past it
    assert outcomes["WrongKeyError"] < 600 * 0.3, outcomes
    assert outcomes["decoded"] > 0 and len(outcomes) >= 4, outcomes


def test_data_mutations_keep_the_header_and_reach_the_message_decoder() -> None:
    mutator = IpFrameMutator()
    decoded_events, refused = 0, Counter[str]()
    seeds = event_frame_seeds()
    for seed in range(400):
        base = seeds[seed % len(seeds)]
        mutated = mutator.mutate_data(base, seed)
        original = CODEC.decode(base)
        try:
            frame = CODEC.decode(mutated)
        except DecodeError as exc:
            assert not isinstance(exc, ChecksumMismatchError | WrongKeyError)
            refused[type(exc).__name__] += 1
            continue
        assert (frame.sender_id, frame.sequence, frame.command) == \
            (original.sender_id, original.sequence, original.command)
        decoded_events += frame.message != original.message
    assert decoded_events > 0 and refused, refused


def test_serial_mutations_mostly_repair_the_checksum() -> None:
    repaired = 0
    for seed in range(300):
        out = mutate_serial_frame(serial_frame_seeds()[seed % 8], seed)
        if len(out) >= 4:
            end = min(len(out), 4 + out[2]) - 1
            repaired += out[end] == serial_checksum(out[:end])
    assert repaired > 150


def test_mutators_are_pure_functions_of_their_seed() -> None:
    frame = ip_frame_seeds()[3]
    assert mutate_ip_frame(frame, 42) == mutate_ip_frame(frame, 42)
    assert len({mutate_ip_frame(frame, s) for s in range(50)}) > 40
    assert mutate_bytes(frame, random.Random(5)) == mutate_bytes(frame, random.Random(5))


def _example() -> object:
    spec = importlib.util.spec_from_file_location("toy_event_parser", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("toy_event_parser", module)
    spec.loader.exec_module(module)
    return module


def test_the_example_harness_runs_under_hypothesis() -> None:
    example = _example()
    assert example.card_of(event_frame_seeds()[14]) == 0x00C0FFEE  # type: ignore[attr-defined]
    example.fuzz_with_hypothesis(200)  # type: ignore[attr-defined]


def test_the_example_harness_finds_a_parser_that_breaks_its_contract() -> None:
    """The harness can fail: a parser that lets an IndexError out is caught by it."""
    example = _example()
    original = example.card_of  # type: ignore[attr-defined]

    def fragile(data: bytes) -> int | None:
        if len(data) > 40:
            raise IndexError("the toy parser read past the end")
        return original(data)

    example.card_of = fragile  # type: ignore[attr-defined]
    try:
        with pytest.raises(IndexError):
            example.fuzz_with_hypothesis(50)  # type: ignore[attr-defined]
    finally:
        example.card_of = original  # type: ignore[attr-defined]
