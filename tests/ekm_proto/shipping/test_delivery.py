"""The store-and-forward book, sans-IO: what goes when, and when a row is done."""

from __future__ import annotations

import itertools

from ekm_proto.shipping.delivery import DeliveryBook
from ekm_proto.shipping.outbox import OutboxRow


def rows(n: int, start: int = 1) -> list[OutboxRow]:
    return [OutboxRow(i, f"m{i}", "change", {}, 0.0) for i in range(start, start + n)]


def book(**kw: float) -> DeliveryBook:
    counter = itertools.count(1)
    settings = {"batch_size": 3, "window": 10, "receipt_timeout": 30.0, "retry_delay": 2.0, **kw}
    return DeliveryBook(lambda: f"b{next(counter)}", **settings)  # type: ignore[arg-type]


def ids(batches: list) -> list[list[str]]:
    return [[r.message_id for r in b.rows] for b in batches]


def ready(b: DeliveryBook) -> DeliveryBook:
    b.stream_started()
    b.portal_presence(True)
    return b


def test_nothing_goes_without_a_stream_and_the_portal() -> None:
    b = book()
    b.add_rows(rows(4))
    assert b.next_batches(0.0) == []
    b.stream_started()
    assert b.next_batches(0.0) == []  # the portal is not there
    b.portal_presence(True)
    assert ids(b.next_batches(0.0)) == [["m1", "m2", "m3"], ["m4"]]
    assert b.next_batches(0.0) == []  # sent once, not again


def test_a_receipt_settles_its_rows_and_names_the_refused() -> None:
    b = ready(book())
    b.add_rows(rows(3))
    [batch] = b.next_batches(0.0)
    assert b.server_acked(batch.batch_id)
    settled = b.receipt(batch.batch_id, {"m2": "bad level"}, None)
    assert settled.stored == ("m1", "m3") and dict(settled.refused) == {"m2": "bad level"}
    assert b.held == 0 and b.room == 10


def test_a_refused_batch_refuses_every_row() -> None:
    b = ready(book())
    b.add_rows(rows(2))
    [batch] = b.next_batches(0.0)
    assert dict(b.receipt(batch.batch_id, {}, "not base64").refused) == {
        "m1": "not base64", "m2": "not base64"}


def test_an_ack_alone_settles_nothing() -> None:
    b = ready(book())
    b.add_rows(rows(2))
    [batch] = b.next_batches(0.0)
    b.server_acked(batch.batch_id)
    assert b.held == 2 and b.counts()["sent"] == 2


def test_a_bounce_sends_again_after_the_retry_delay() -> None:
    b = ready(book())
    b.add_rows(rows(2))
    [batch] = b.next_batches(10.0)
    assert b.bounced(batch.batch_id, 10.0) == 2
    assert b.next_batches(11.0) == []
    assert b.next_deadline() == 12.0
    assert ids(b.next_batches(12.0)) == [["m1", "m2"]]


def test_a_new_stream_sends_everything_not_settled_again() -> None:
    b = ready(book())
    b.add_rows(rows(4))
    first = b.next_batches(0.0)
    b.receipt(first[0].batch_id, {}, None)
    b.stream_lost()
    assert b.next_batches(1.0) == []
    b.stream_started()
    assert ids(b.next_batches(1.0)) == [["m4"]]
    assert b.resends == 1


def test_a_receipt_for_the_old_copy_settles_a_resent_row() -> None:
    b = ready(book())
    b.add_rows(rows(1))
    [old] = b.next_batches(0.0)
    b.stream_started()
    [new] = b.next_batches(0.0)
    assert b.receipt(old.batch_id, {}, None).stored == ("m1",)
    assert b.receipt(new.batch_id, {}, None).stored == ()


def test_the_portal_coming_back_resends_what_it_may_have_missed() -> None:
    b = ready(book())
    b.add_rows(rows(2))
    b.next_batches(0.0)
    b.portal_presence(True)  # still there: nothing to do
    assert b.next_batches(0.0) == []
    b.portal_presence(False)
    b.portal_presence(True)
    assert ids(b.next_batches(0.0)) == [["m1", "m2"]]


def test_an_overdue_receipt_resends_only_while_the_portal_is_there() -> None:
    b = ready(book())
    b.add_rows(rows(1))
    b.next_batches(0.0)
    assert b.next_deadline() == 30.0
    assert b.expire(29.0) == 0
    b.portal_presence(False)
    assert b.expire(100.0) == 0
    b.portal_presence(True)  # the return itself resends
    assert ids(b.next_batches(100.0)) == [["m1"]]
    assert b.expire(131.0) == 1


def test_the_window_bounds_the_rows_held_and_the_cursor_moves_on() -> None:
    b = ready(book(window=5))
    b.add_rows(rows(5))
    assert (b.room, b.cursor) == (0, 5)
    b.add_rows(rows(2))  # the same rows offered again are not held twice
    assert b.held == 5
