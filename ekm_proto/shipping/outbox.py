"""The outbox contract the shipper needs, and a reference SQLite outbox that keeps it.

The monitor writes every message it will ship into its outbox in the same transaction as the data
the message describes; the outbox is the truth about what still has to reach the portal. The
shipper only reads pending rows in ``seq`` order and marks them: acknowledged once the portal's
receipt says the message is stored, rejected when the portal (or the schema, before sending)
refused it. A row is never deleted by the shipper, so a late error can never lose one.

``SqliteOutbox`` keeps the contract over one table (``TABLE``, WAL): on a file of its own (the
shipping tests and benchmarks) or over a connection whose database already has the table (the
monitor's, where its migrations create it), with a ``translate`` hook that turns a row's stored
payload into the record the format ships, or says why it is not shipped.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeAlias

from ekm_proto.shipping.errors import BadRecordError
from protolab.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One message waiting to be shipped.

    ``seq`` grows with every row written (an INTEGER PRIMARY KEY AUTOINCREMENT does); rows
    committed later always have a larger ``seq``. ``message_id`` is unique for the outbox's
    whole life (``uuid4().hex`` is fine) and stays the same on every resend: it is what the
    portal de-duplicates on. ``kind`` and ``payload`` are what ``records.record_from_payload``
    reads; ``created_at`` is POSIX seconds.
    """

    seq: int
    message_id: str
    kind: str
    payload: Mapping[str, Any]
    created_at: float


class MessageIds:
    """Message ids unique for an outbox's life that compress well in a batch: a random prefix
    per instance (48 bits) and a counter (``3f9a1c2b7d4e-1a2f``). Random ids (uuid4) are as
    safe but cost about 90 bytes per device per day more on the wire, since deflate cannot
    shorten them. Never reuse a counter with the same prefix: the portal would drop the new
    message as a copy of the old one."""

    def __init__(self) -> None:
        self.prefix = uuid.uuid4().hex[:12]
        self._counter = itertools.count(1)

    def __call__(self) -> str:
        return f"{self.prefix}-{next(self._counter):x}"


class Outbox(Protocol):
    """What the shipper asks of an outbox. Calls come from the event loop; each is short."""

    def pending(self, limit: int, after: int = 0) -> list[OutboxRow]:
        """Up to ``limit`` rows neither acknowledged nor rejected with ``seq > after``, by seq."""
        ...

    def pending_count(self) -> int:
        """How many rows are neither acknowledged nor rejected."""
        ...

    def mark_acked(self, message_ids: Collection[str], at: float) -> None:
        """The portal stored these messages: they leave the pending set (one transaction)."""
        ...

    def mark_rejected(self, message_id: str, reason: str, at: float) -> None:
        """The message will never be accepted (the schema or the portal refused it): it leaves
        the pending set, kept with ``reason`` for people to look at."""
        ...


#: the outbox table; a database that holds data beside it creates it in its own migrations
TABLE = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    serial TEXT,
    payload TEXT NOT NULL,
    created_at REAL NOT NULL,
    acked_at REAL,
    rejected_at REAL,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq)
    WHERE acked_at IS NULL AND rejected_at IS NULL;
"""


#: a stored row -> the row to ship, or the reason it is not shipped (it leaves the pending set
#: with that reason); BadRecordError for a row that can never be shipped (kept as rejected).
#: Both are settled with the row's own created_at as their time: ``pending`` has no clock.
Translate: TypeAlias = Callable[[OutboxRow], "OutboxRow | str"]


class SqliteOutbox:
    """The outbox table in a SQLite database in WAL mode: its own file (``path``), or the
    ``connection`` of a database that has the table (autocommit, used from one thread; the
    owner's transactions never stay open across an await)."""

    def __init__(self, path: str | Path | None = None, *,
                 connection: sqlite3.Connection | None = None,
                 translate: Translate | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._own = connection is None
        try:
            if connection is None:
                if self.path is None:
                    raise ConfigurationError("an outbox needs a file or a connection")
                connection = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(TABLE)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(outbox)")}
        except sqlite3.Error as exc:
            raise ConfigurationError(f"{self.path}: cannot open the outbox: {exc}",
                                     source=str(self.path)) from None
        if not {"seq", "acked_at", "rejected_at", "reason"} <= columns:
            raise ConfigurationError("the database has no outbox table of this version "
                                     f"(columns: {sorted(columns)}); expected {TABLE.strip()}")
        self._db = connection
        self.translate = translate
        self.new_id = MessageIds()

    def close(self) -> None:
        if self._own:
            self._db.close()

    def add(self, kind: str, payload: Mapping[str, Any], created_at: float,
            message_id: str | None = None) -> str:
        """Write one message (in its own transaction); its id."""
        return self.add_many([(kind, payload)], created_at, [message_id] if message_id else None)[0]

    def add_many(self, messages: Iterable[tuple[str, Mapping[str, Any]]], created_at: float,
                 message_ids: list[str] | None = None) -> list[str]:
        """Write several messages in one transaction; their ids in order."""
        items = list(messages)
        ids = message_ids or [self.new_id() for _ in items]
        with self._transaction():
            self._db.executemany(
                "INSERT INTO outbox (message_id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
                [(ident, kind, json.dumps(dict(payload), separators=(",", ":")), created_at)
                 for ident, (kind, payload) in zip(ids, items, strict=True)])
        return ids

    def pending(self, limit: int, after: int = 0) -> list[OutboxRow]:
        found: list[OutboxRow] = []
        while len(found) < limit:
            wanted = limit - len(found)
            rows = self._db.execute(
                "SELECT seq, message_id, kind, payload, created_at FROM outbox WHERE seq > ? "
                "AND acked_at IS NULL AND rejected_at IS NULL ORDER BY seq LIMIT ?",
                (after, wanted)).fetchall()
            stored = [OutboxRow(seq, ident, kind, _payload(text), created)
                      for seq, ident, kind, text, created in rows]
            if self.translate is None:
                return stored
            found += self._translated(stored)
            if len(rows) < wanted:
                break
            after = stored[-1].seq
        return found

    def _translated(self, rows: list[OutboxRow]) -> list[OutboxRow]:
        assert self.translate is not None
        shipped: list[OutboxRow] = []
        kept: list[tuple[float, str, str]] = []
        for row in rows:
            try:
                result = self.translate(row)
            except BadRecordError as exc:
                self.mark_rejected(row.message_id, str(exc), row.created_at)
                continue
            if isinstance(result, str):
                kept.append((row.created_at, result, row.message_id))
            else:
                shipped.append(result)
        if kept:
            with self._transaction():
                self._db.executemany("UPDATE outbox SET acked_at = ?, reason = ? WHERE "
                                     "message_id = ? AND acked_at IS NULL", kept)
        return shipped

    def pending_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM outbox WHERE acked_at IS NULL "
                                    "AND rejected_at IS NULL").fetchone()[0])

    def mark_acked(self, message_ids: Collection[str], at: float) -> None:
        with self._transaction():
            self._db.executemany("UPDATE outbox SET acked_at = ? WHERE message_id = ? "
                                 "AND acked_at IS NULL", [(at, i) for i in message_ids])

    def mark_rejected(self, message_id: str, reason: str, at: float) -> None:
        with self._transaction():
            self._db.execute("UPDATE outbox SET rejected_at = ?, reason = ? WHERE message_id = ? "
                             "AND acked_at IS NULL", (at, reason, message_id))

    def rejected(self) -> dict[str, str]:
        """Rejected message ids and why (for people and tests)."""
        return dict(self._db.execute(
            "SELECT message_id, reason FROM outbox WHERE rejected_at IS NOT NULL").fetchall())

    def prune(self, acked_before: float) -> int:
        """Delete rows acknowledged before ``acked_before``; how many went."""
        with self._transaction():
            cursor = self._db.execute("DELETE FROM outbox WHERE acked_at < ?", (acked_before,))
        return cursor.rowcount

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _payload(text: str) -> Mapping[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"__unreadable__": text[:200]}
    return value if isinstance(value, dict) else {"__unreadable__": text[:200]}
