"""SmartLink command lines (WIRE.md section 7) and the white paper's <N> notation."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.errors import (
    BadFieldError,
    BadLengthError,
    BadSyncError,
    DecodeError,
    EncodeError,
    TruncatedError,
)
from kantech_proto.smartlink import (
    ControlByteError,
    EmptyKeyError,
    EmptyLineError,
    LineTooLongError,
    MissingEqualsError,
    MissingEtxError,
    MissingQuoteError,
    MissingSeparatorError,
    MissingStxError,
    NonAsciiError,
    NotationError,
    SmartLinkCommand,
    SmartLinkDecodeError,
    SmartLinkStreamDecoder,
    TrailingBytesError,
    decode_smartlink,
    format_notation,
    notation_length,
    parse_notation,
)

PAPER_NOTATION = '<2>"COMMAND=ACTIVATERELAY"<28>"RELAYID=525"<28><3>'
PAPER_WIRE = b'\x02"COMMAND=ACTIVATERELAY"\x1c"RELAYID=525"\x1c\x03'
PAPER = SmartLinkCommand((("COMMAND", "ACTIVATERELAY"), ("RELAYID", "525")))

printable = "".join(chr(c) for c in range(0x20, 0x7F))
keys = st.text(alphabet=printable.replace('"', "").replace("=", ""), min_size=1, max_size=12)
values = st.text(alphabet=printable.replace('"', ""), max_size=20)
commands = st.lists(st.tuples(keys, values), min_size=1, max_size=6).map(
    lambda pairs: SmartLinkCommand(tuple(pairs)))


def test_paper_example_on_the_wire_is_40_bytes() -> None:
    assert PAPER.encode() == PAPER_WIRE
    # STX, then per pair the quoted KEY=VALUE and an FS, then ETX: one byte per character
    wire = PAPER.encode()
    assert wire[0] == 0x02 and wire[-1] == 0x03 and wire.count(0x1C) == len(PAPER.pairs)
    assert len(wire) == 1 + sum(len(f'"{k}={v}"') + 1 for k, v in PAPER.pairs) + 1 == 40


def test_paper_example_notation_is_the_paper_s_50_bytes() -> None:
    assert format_notation(PAPER) == PAPER_NOTATION
    assert len(PAPER_NOTATION) == 50
    assert notation_length(PAPER) == 50


def test_paper_example_decodes_with_typed_access() -> None:
    for cmd in (decode_smartlink(PAPER_WIRE), parse_notation(PAPER_NOTATION),
                SmartLinkCommand.make("ACTIVATERELAY", RELAYID=525)):
        assert cmd == PAPER
        assert cmd.command == "ACTIVATERELAY"
        assert cmd.get("RELAYID") == "525"
        assert cmd.get("relayid") is None and cmd.get("DOOR", "none") == "none"


def test_value_may_hold_equals_and_be_empty_duplicates_kept() -> None:
    raw = b'\x02"FILTER=a=b"\x1c"EMPTY="\x1c"K=1"\x1c"K=2"\x1c\x03'
    cmd = decode_smartlink(raw)
    assert cmd.pairs == (("FILTER", "a=b"), ("EMPTY", ""), ("K", "1"), ("K", "2"))
    assert cmd.command is None and cmd.get("K") == "1"
    assert cmd.encode() == raw


@pytest.mark.parametrize(("data", "error", "base"), [
    (b"", MissingStxError, BadSyncError),
    (b'"A=B"\x1c\x03', MissingStxError, BadSyncError),
    (b'\x02"A=B"\x1c', MissingEtxError, TruncatedError),
    (b'\x02"A=B', MissingEtxError, TruncatedError),
    (b'\x02"A=B"', MissingEtxError, TruncatedError),
    (b'\x02"A=B"\x1c\x03\x03', TrailingBytesError, BadLengthError),
    (b'\x02A=B"\x1c\x03', MissingQuoteError, BadFieldError),
    (b'\x02"A=B\x1c\x03', MissingQuoteError, BadFieldError),
    (b'\x02"A=B"\x03', MissingSeparatorError, BadFieldError),
    (b'\x02"A=B""C=D"\x1c\x03', MissingSeparatorError, BadFieldError),
    (b'\x02"AB"\x1c\x03', MissingEqualsError, BadFieldError),
    (b'\x02"=B"\x1c\x03', EmptyKeyError, BadFieldError),
    (b'\x02"A=B\x01C"\x1c\x03', ControlByteError, BadFieldError),
    (b'\x02"A=B\x7f"\x1c\x03', ControlByteError, BadFieldError),
    (b'\x02"A=\xc3\xa9"\x1c\x03', NonAsciiError, BadFieldError),
    (b"\x02\x03", EmptyLineError, BadFieldError),
])
def test_decode_errors_are_precise(data: bytes, error: type[DecodeError],
                                   base: type[DecodeError]) -> None:
    with pytest.raises(error) as info:
        decode_smartlink(data)
    assert isinstance(info.value, base) and isinstance(info.value, SmartLinkDecodeError)
    assert info.value.reason.startswith("smartlink-")


@pytest.mark.parametrize("pairs", [(), (("", "x"),), (("A=B", "x"),), (("A", 'say "hi"'),),
                                   (("A", "line\nbreak"),), (("A", "caf\u00e9"),)])
def test_unencodable_commands_are_refused(pairs: tuple[tuple[str, str], ...]) -> None:
    with pytest.raises(EncodeError):
        SmartLinkCommand(pairs)


@given(commands)
def test_round_trip(cmd: SmartLinkCommand) -> None:
    raw = cmd.encode()
    assert raw[0] == 0x02 and raw[-2:] == b"\x1c\x03"
    assert decode_smartlink(raw) == cmd
    assert parse_notation(format_notation(cmd)) == cmd
    # <2> and <3> add 2 characters each, every <28> and <60> ('<') adds 3
    assert notation_length(cmd) == len(raw) + 4 + 3 * len(cmd.pairs) + 3 * raw.count(b"<")


def test_notation_escapes_a_literal_angle_bracket() -> None:
    cmd = SmartLinkCommand((("NOTE", "a<3>b"),))
    text = format_notation(cmd)
    assert text == '<2>"NOTE=a<60>3>b"<28><3>'
    assert parse_notation(text) == cmd
    assert parse_notation('<2>"NOTE=x<y"<28><3>\n').get("NOTE") == "x<y"


@pytest.mark.parametrize(("text", "error"), [
    ('<2>"A=B"<28><300>', NotationError),
    ('<2>"A=B"<28><200>', NotationError),
    ('<2>"A=\u00e9"<28><3>', NotationError),
    ('"A=B"<28><3>', MissingStxError),
    ('<2>"A=B"<3>', MissingSeparatorError),
])
def test_notation_errors(text: str, error: type[DecodeError]) -> None:
    with pytest.raises(error):
        parse_notation(text)


# --- stream decoder -----------------------------------------------------------------------------

@given(st.lists(commands, max_size=6), st.lists(st.integers(0, 2000), max_size=12))
def test_stream_every_split(cmds: list[SmartLinkCommand], cuts: list[int]) -> None:
    raw = b"".join(cmd.encode() for cmd in cmds)
    points = sorted({c % (len(raw) + 1) for c in cuts} | {0, len(raw)})
    decoder = SmartLinkStreamDecoder()
    out = [cmd for a, b in itertools.pairwise(points)
           for cmd in decoder.feed(raw[a:b])]
    assert out == cmds
    assert decoder.pending == 0 and decoder.bad_lines == 0 and decoder.dropped_bytes == 0


def test_stream_resyncs_on_the_next_stx() -> None:
    good = PAPER.encode()
    noise = b"garbage\x1c\x03"
    unfinished = b'\x02"COMMAND=ACTIV'  # cut off by the next STX
    malformed = b'\x02"RELAYID"\x1c\x03'  # no '='
    decoder = SmartLinkStreamDecoder()
    out = decoder.feed(noise + good + unfinished + good + malformed + good + b"\x00")
    assert out == [PAPER, PAPER, PAPER]
    assert decoder.bad_lines == 2
    assert decoder.dropped_bytes == len(noise) + len(unfinished) + len(malformed) + 1
    assert isinstance(decoder.last_error, MissingEqualsError)


def test_stream_keeps_a_partial_line_and_bounds_a_runaway_one() -> None:
    decoder = SmartLinkStreamDecoder(max_line=64)
    assert decoder.feed(PAPER_WIRE[:10]) == []
    assert decoder.pending == 10
    assert decoder.feed(PAPER_WIRE[10:]) == [PAPER]
    assert decoder.feed(b'\x02"A=' + b"x" * 100) == []
    assert decoder.pending == 0 and isinstance(decoder.last_error, LineTooLongError)
    assert decoder.feed(PAPER_WIRE) == [PAPER]


@given(st.lists(st.binary(max_size=80), max_size=20))
def test_stream_random_bytes_accounted(chunks: list[bytes]) -> None:
    decoder = SmartLinkStreamDecoder(max_line=256)
    out = [cmd for chunk in chunks for cmd in decoder.feed(chunk)]
    consumed = sum(len(cmd.encode()) for cmd in out)
    assert consumed + decoder.dropped_bytes + decoder.pending == sum(map(len, chunks))
    assert decoder.pending <= 256
