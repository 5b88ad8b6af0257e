"""The store's connection: portable SQL text with ``:name`` parameters, one transaction per
received batch, each statement outside a transaction committed on its own.

This is also the door for other parts of the portal (the web interface) that need SQL of their
own: ``query`` and ``execute`` take the same portable text, so they run on SQLite and PostgreSQL.

The statements go to the driver's cursor on the connection SQLAlchemy holds (its pool and its
transaction): SQLAlchemy's per-statement layer cost several times what SQLite itself spends on
these small statements. Driver errors are raised as SQLAlchemy's (``sqlalchemy.exc.IntegrityError``
and so on), the same on both databases.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ekm_proto.portal.store.engine import database_url, make_engine, shown, upgrade

_NAME = re.compile(r"(?<![:\w]):(\w+)")


@functools.lru_cache(maxsize=1024)
def driver_sql(text: str, dialect: str) -> str:
    """``:name`` parameters (as ``sqlalchemy.text`` reads them) in the driver's own style:
    sqlite3 takes them as they are, psycopg as ``%(name)s``."""
    if dialect == "sqlite":
        return text
    return _NAME.sub(r"%(\1)s", text.replace("%", "%%"))


class StoreConnection:
    """An engine on ``db`` (a file path or a URL), migrated to the newest schema on open."""

    def __init__(self, db: str | Path) -> None:
        self.url = database_url(db)
        self.engine = make_engine(self.url)
        self.migrated_from = upgrade(self.engine, self.url)
        self._connection: sa.Connection | None = None
        self._names: list[str] = []  # the columns of the last statement's rows
        #: statements sent so far: on PostgreSQL each is a round trip, what the store path costs
        self.statements = 0

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
        self.statements += 1
        dialect = self.engine.dialect
        text = driver_sql(sql, dialect.name)
        cursor = self._connection.connection.cursor()
        try:
            if isinstance(params, Sequence):
                cursor.executemany(text, params)
            else:
                cursor.execute(text, params or {})
            rows = list(cursor.fetchall()) if cursor.description is not None else []
            self._names = [d[0] for d in cursor.description or ()]
            return cursor.rowcount, rows
        except dialect.loaded_dbapi.Error as exc:
            raise sa.exc.DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error
                                             ) from exc
        finally:
            cursor.close()

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
        rows = self._run(sql, params)[1]
        return [dict(zip(self._names, row, strict=True)) for row in rows]

    def execute(self, sql: str, **params: Any) -> int:
        """Run a portable INSERT/UPDATE/DELETE (``:name`` parameters); rows changed."""
        return self._run(sql, params)[0]
