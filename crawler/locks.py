"""One crawl of a source at a time, across processes and machines sharing the database.

SQLite: one folder beside the database, `crawler.db.locks/`, holding a lock file per source
(filelock; the OS releases a killed process's locks, the files stay, empty). PostgreSQL: a
session-level
advisory lock per source, held on a connection of its own for the crawl's duration, so two runs
of different sources proceed side by side and a killed process releases its locks with its
connection. Those connections are opened outside the store's pool: a pass over many sources
holds one per source, and must not starve the pool that the crawls write through.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool


class SourceLock(Protocol):
    def acquire(self, *, wait: bool) -> bool:
        """Take the lock; without `wait`, False at once when another process holds it."""

    def release(self) -> None: ...


class FileSourceLock:
    def __init__(self, path: Path) -> None:
        # not thread-local: `crawl --wait` takes the lock in a worker thread and releases it
        # from the event loop's thread
        self._lock = FileLock(str(path), thread_local=False)

    def acquire(self, *, wait: bool) -> bool:
        try:
            self._lock.acquire(timeout=-1 if wait else 0)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()


class AdvisorySourceLock:
    def __init__(self, engine: Engine, name: str) -> None:
        self._engine = _unpooled(engine)
        self._key = advisory_key(name)
        self._connection: Connection | None = None

    def acquire(self, *, wait: bool) -> bool:
        connection = self._engine.connect()
        function = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        got = connection.execute(text(f"SELECT {function}(:key)"), {"key": self._key}).scalar()
        connection.commit()  # session-level lock: it outlives this transaction
        if got is False:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            self._connection.commit()
        finally:
            self._connection.close()
            self._connection = None


class NoLock:
    """An in-memory SQLite database is private to its process: nothing to share."""

    def acquire(self, *, wait: bool) -> bool:
        return True

    def release(self) -> None:
        return None


_UNPOOLED: dict[str, Engine] = {}
_UNPOOLED_LOCK = threading.Lock()


def _unpooled(engine: Engine) -> Engine:
    """An engine on the same database whose connections are opened and closed on demand."""
    url = engine.url.render_as_string(hide_password=False)
    with _UNPOOLED_LOCK:
        if url not in _UNPOOLED:
            _UNPOOLED[url] = create_engine(engine.url, poolclass=NullPool)
        return _UNPOOLED[url]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key per source (PostgreSQL advisory locks take a bigint)."""
    digest = hashlib.blake2b(f"crawler-source:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_folder(database: str) -> Path:
    """Where a SQLite database's locks live: one folder beside it, whatever the sources."""
    path = Path(database).expanduser()
    return path.with_name(f"{path.name}.locks")


def source_lock(engine: Engine, name: str) -> SourceLock:
    if engine.dialect.name == "postgresql":
        return AdvisorySourceLock(engine, name)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database not in (None, "", ":memory:"):
        folder = lock_folder(database)
        folder.mkdir(exist_ok=True)
        return FileSourceLock(folder / f"{name}.lock")
    return NoLock()
