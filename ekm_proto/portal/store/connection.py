"""The store's connection: portable SQL text with ``:name`` parameters, one transaction per
received batch, each statement outside a transaction committed on its own.

This is also the door for other parts of the portal (the web interface) that need SQL of their
own: ``query`` and ``execute`` take the same portable text, so they run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ekm_proto.portal.store.engine import database_url, make_engine, shown, upgrade


@functools.lru_cache(maxsize=512)
def _sql(text: str) -> sa.TextClause:
    return sa.text(text)


class StoreConnection:
    """An engine on ``db`` (a file path or a URL), migrated to the newest schema on open."""

    def __init__(self, db: str | Path) -> None:
        self.url = database_url(db)
        self.engine = make_engine(self.url)
        self.migrated_from = upgrade(self.engine, self.url)
        self._connection: sa.Connection | None = None

    @property
    def where(self) -> str:
        """The database for messages (no password)."""
        return shown(self.url)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all (nested: joins the outer one)."""
        if self._connection is not None:
            yield
            return
        with self.engine.begin() as connection:
            self._connection = connection
            try:
                yield
            finally:
                self._connection = None

    def _run(self, sql: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None
             ) -> tuple[int, list[Any]]:
        """(rows changed, rows returned): fetched before an implicit commit."""
        if self._connection is None:
            with self.transaction():
                return self._run(sql, params)
        result = self._connection.execute(_sql(sql), params or {})
        rows = list(result.fetchall()) if result.returns_rows else []
        return result.rowcount, rows

    def _rows(self, sql: str, **params: Any) -> list[Any]:
        return self._run(sql, params)[1]

    def _one(self, sql: str, **params: Any) -> Any:
        rows = self._run(sql, params)[1]
        return rows[0] if rows else None

    def _scalar(self, sql: str, **params: Any) -> Any:
        row = self._one(sql, **params)
        return None if row is None else row[0]

    def query(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of a portable SELECT (``:name`` parameters) as dicts."""
        return [dict(row._mapping) for row in self._run(sql, params)[1]]

    def execute(self, sql: str, **params: Any) -> int:
        """Run a portable INSERT/UPDATE/DELETE (``:name`` parameters); rows changed."""
        return self._run(sql, params)[0]
