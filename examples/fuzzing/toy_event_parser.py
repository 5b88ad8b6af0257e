"""A user's harness for their own parser, built on ``kantech_proto.fuzzing`` alone.

The parser under test is a toy: a gateway's EVENT reader that decodes a frame with protolab's
codec and pulls the card number out of the event. Its contract is the one every parser keeps:
bad bytes raise its own ``ToyParseError`` (or protolab's ``DecodeError``), never anything else.

Run it under atheris (``python toy_event_parser.py -max_total_time=60``) or import
``fuzz_with_hypothesis`` into a pytest suite.
"""

from __future__ import annotations

import sys

from kantech_proto import DecodeError, Event, IpFrameCodec
from kantech_proto.fuzzing import FUZZ_KEY, IpFrameMutator, event_frame_seeds

CODEC = IpFrameCodec(FUZZ_KEY)
MUTATOR = IpFrameMutator(FUZZ_KEY)


class ToyParseError(Exception):
    """The toy parser's own refusal."""


def card_of(frame_bytes: bytes) -> int | None:
    """The parser under test: the card number an EVENT frame reports (None: no card)."""
    frame = CODEC.decode(frame_bytes)
    if not isinstance(frame.message, Event):
        raise ToyParseError(f"expected an EVENT frame, got {frame.command.name}")
    card = frame.message.event.card_number
    return int(card) if isinstance(card, int) else None


def TestOneInput(data: bytes) -> None:
    """The harness: only the parser's declared errors may escape... and they are caught."""
    try:
        card_of(data)
    except (ToyParseError, DecodeError):
        pass


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """Half the time libFuzzer's own edits, half the time ours (past AES and the checksum)."""
    import atheris

    if seed % 2:
        return bytes(atheris.Mutate(data, max_size))
    return MUTATOR.mutate_data(data, seed)[:max_size]


def fuzz_with_hypothesis(examples: int = 300) -> None:
    """The same harness driven by hypothesis: a seed frame and a mutation seed drawn."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=examples, deadline=None, database=None)
    @given(st.sampled_from(event_frame_seeds()), st.integers(0, 2**32 - 1), st.booleans())
    def check(seed_frame: bytes, seed: int, data_only: bool) -> None:
        mutate = MUTATOR.mutate_data if data_only else MUTATOR.mutate
        TestOneInput(mutate(seed_frame, seed))

    check()


if __name__ == "__main__":
    import atheris

    atheris.Setup(sys.argv, TestOneInput, custom_mutator=custom_mutator)
    atheris.Fuzz()
