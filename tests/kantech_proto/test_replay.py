from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.replay import ReplayGuard, ReplayPolicy, seq_ahead


def feed(guard: ReplayGuard, seq: int) -> bool:
    ok = guard.check(seq)
    if ok:
        guard.accept(seq)
    return ok


def test_serial_arithmetic_across_the_wrap():
    assert seq_ahead(0, 0xFFFF) == 1
    assert seq_ahead(0xFFFF, 0) == -1
    assert seq_ahead(100, 50) == 50


def test_none_accepts_replays():
    guard = ReplayGuard(ReplayPolicy.NONE)
    assert all(feed(guard, 5) for _ in range(3))


def test_strict_accepts_only_increasing_with_wrap():
    guard = ReplayGuard(ReplayPolicy.STRICT)
    assert feed(guard, 0xFFFE)
    assert feed(guard, 0xFFFF)
    assert feed(guard, 0)  # wrapped
    assert not feed(guard, 0)  # replay
    assert not feed(guard, 0xFFFF)  # older
    assert feed(guard, 5)  # gaps are fine


def test_window_accepts_reordering_once_inside_64():
    guard = ReplayGuard(ReplayPolicy.WINDOW)
    assert feed(guard, 100)
    assert feed(guard, 103)
    assert feed(guard, 101)  # late but inside the window
    assert not feed(guard, 101)  # replay of it
    assert not feed(guard, 100)
    assert feed(guard, 102)
    assert feed(guard, 103 + 63) and not feed(guard, 103 + 63 - 64)  # fell out of the window


def test_window_check_does_not_change_state():
    guard = ReplayGuard(ReplayPolicy.WINDOW)
    feed(guard, 10)
    assert guard.check(11) and guard.check(11)
    assert guard.highest == 10


@given(st.lists(st.integers(0, 0xFFFF), max_size=200))
def test_window_never_accepts_the_same_sequence_twice_while_it_is_remembered(seqs):
    guard = ReplayGuard(ReplayPolicy.WINDOW)
    for seq in seqs:
        if feed(guard, seq):
            # right after acceptance a replay must fail
            assert not guard.check(seq)


@given(st.integers(0, 0xFFFF), st.lists(st.integers(1, 1000), min_size=1, max_size=100))
def test_strictly_advancing_senders_are_always_accepted(start, steps):
    strict, window = ReplayGuard(ReplayPolicy.STRICT), ReplayGuard(ReplayPolicy.WINDOW)
    seq = start
    for step in steps:
        assert feed(strict, seq) and feed(window, seq)
        seq = (seq + step) % 0x10000
