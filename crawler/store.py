"""The database: engine, migrations on first use, idempotent upserts, run and source records.

The same code runs on SQLite and PostgreSQL. Articles are keyed on their canonical URL and
written with INSERT ... ON CONFLICT, one transaction per batch, so a crash never leaves half a
batch and two processes writing the same URL never make two rows.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, case, create_engine, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session

from crawler.errors import StoreError
from crawler.items import Article, Teaser
from crawler.models import ArticleRow, CrawlRun, FetchState, SourceState, TeaserRow

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = threading.Lock()
DEFAULT_DATABASE_URL = "sqlite:///crawler.db"


def default_database_url() -> str:
    return os.environ.get("CRAWLER_DATABASE_URL") or DEFAULT_DATABASE_URL


def masked(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_store(url: str) -> Store:
    """Connect, create or upgrade the schema to the latest migration, and return the Store.
    Any failure is one StoreError line naming the URL (password masked) and the reason."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"database {url!r}: not a database URL") from None
    try:
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        migrate(engine)
    except (SQLAlchemyError, NoSuchModuleError, OSError) as exc:
        raise StoreError(f"database {masked(url)}: {_one_line(exc)}") from None
    return Store(engine)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=30000")  # a second process waits for the lock
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Upgrade to the latest Alembic revision (creating the tables on an empty database)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's command API keeps module-level state: one migration per process at a time.
    with _MIGRATION_LOCK, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two crawls starting together on a fresh database must not both create tables.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    # ---- articles and teasers ------------------------------------------------------------

    def upsert_articles(self, articles: Sequence[Article]) -> list[str]:
        """Store a batch in one transaction; per article "new", "updated" or "unchanged".
        The teasers found on each article's page are stored with it."""
        now = _now()
        outcomes: list[str] = []
        table = ArticleRow.__table__
        with self.session() as session, session.begin():
            for article in articles:
                row = _article_values(article, now)
                insert = self._insert(table).values(**row)
                moved = table.c.content_hash != insert.excluded.content_hash
                statement = insert.on_conflict_do_update(
                    index_elements=["url"],
                    set_={  # content columns change only when the content hash moved
                        **{k: case((moved, insert.excluded[k]), else_=table.c[k])
                           for k in row if k not in ("url", "first_seen_at", "last_seen_at")},
                        "last_seen_at": insert.excluded.last_seen_at,
                    },
                ).returning(table.c.id)
                before = session.execute(
                    select(table.c.content_hash).where(table.c.url == article.url)
                ).scalar_one_or_none()
                article_id = session.execute(statement).one()[0]
                outcomes.append("new" if before is None else
                                "unchanged" if before == row["content_hash"] else "updated")
                session.execute(
                    update(TeaserRow.__table__)
                    .where(TeaserRow.__table__.c.url == article.url,
                           TeaserRow.__table__.c.article_id.is_(None))
                    .values(article_id=article_id)
                )
                self._add_teasers(session, article.teasers, now)
        return outcomes

    def add_teasers(self, teasers: Sequence[Teaser]) -> int:
        """Store teasers (idempotent on where they were seen and their text); return how many
        were new. A teaser linking to a stored article gets that article's id."""
        with self.session() as session, session.begin():
            return self._add_teasers(session, teasers, _now())

    def _add_teasers(self, session: Session, teasers: Sequence[Teaser], now: datetime) -> int:
        if not teasers:
            return 0
        table = TeaserRow.__table__
        articles = ArticleRow.__table__
        new = 0
        for teaser in teasers:
            values = dict(source=teaser.source, seen_on=teaser.seen_on, url=teaser.url,
                          title=teaser.title, text=teaser.text, text_hash=text_hash(teaser.text),
                          first_seen_at=now, last_seen_at=now)
            if teaser.url:
                values["article_id"] = session.execute(
                    select(articles.c.id).where(articles.c.url == teaser.url)
                ).scalar_one_or_none()
            insert = self._insert(table).values(**values)
            statement = insert.on_conflict_do_update(
                index_elements=["seen_on", "text_hash"],
                set_={"last_seen_at": insert.excluded.last_seen_at},
            ).returning(table.c.first_seen_at)
            first_seen = session.execute(statement).scalar_one()
            new += first_seen == now
        return new

    def stored_hashes(self, urls: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return {}
        table = ArticleRow.__table__
        found: dict[str, str] = {}
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):  # SQLite caps bound parameters
                chunk = wanted[start:start + 500]
                rows = connection.execute(
                    select(table.c.url, table.c.content_hash).where(table.c.url.in_(chunk)))
                found.update((url, digest) for url, digest in rows)
        return found

    def count_articles(self, source: str | None = None) -> int:
        statement = select(func.count()).select_from(ArticleRow.__table__)
        if source:
            statement = statement.where(ArticleRow.__table__.c.source == source)
        with self.engine.connect() as connection:
            return connection.execute(statement).scalar_one()

    # ---- fetch state ---------------------------------------------------------------------

    def get_fetch_state(self, url: str) -> FetchState | None:
        with self.session() as session:
            return session.get(FetchState, url)

    def save_fetch_state(self, url: str, *, status: int, etag: str | None,
                         last_modified: str | None, body_hash: str | None) -> None:
        values = dict(url=url, status=status, etag=etag, last_modified=last_modified,
                      body_hash=body_hash, fetched_at=_now())
        insert = self._insert(FetchState.__table__).values(**values)
        statement = insert.on_conflict_do_update(
            index_elements=["url"], set_={k: insert.excluded[k] for k in values if k != "url"})
        with self.engine.begin() as connection:
            connection.execute(statement)

    # ---- runs and sources ----------------------------------------------------------------

    def start_run(self, *, mode: str, since: datetime | None, until: datetime | None,
                  sources: list[str]) -> int:
        with self.session() as session, session.begin():
            run = CrawlRun(mode=mode, since=since, until=until, sources=sources)
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, *, status: str, pages: int, new: int, updated: int,
                   teasers: int, errors: list[str]) -> None:
        with self.session() as session, session.begin():
            run = session.get(CrawlRun, run_id)
            run.status, run.finished_at = status, _now()
            run.pages, run.new, run.updated, run.teasers = pages, new, updated, teasers
            run.errors, run.error_log = len(errors), list(errors)

    def get_source_state(self, source: str) -> SourceState | None:
        with self.session() as session:
            return session.get(SourceState, source)

    def record_source_success(self, source: str, at: datetime) -> None:
        self._record_source(source, at, success=True, error=None)

    def record_source_failure(self, source: str, error: str, at: datetime, *,
                              retry_at: datetime | None = None) -> None:
        """One more consecutive failure; the source is not crawled again before `retry_at`."""
        self._record_source(source, at, success=False, error=error, retry_at=retry_at)

    def _record_source(self, source: str, at: datetime, *, success: bool,
                       error: str | None, retry_at: datetime | None = None) -> None:
        table = SourceState.__table__
        insert = self._insert(table).values(
            source=source, last_attempt_at=at, last_success_at=at if success else None,
            consecutive_failures=0 if success else 1, last_error=error,
            circuit_open_until=retry_at)
        if success:
            set_ = {"last_attempt_at": at, "last_success_at": at, "consecutive_failures": 0,
                    "circuit_open_until": None}
        else:
            set_ = {"last_attempt_at": at, "last_error": error, "circuit_open_until": retry_at,
                    "consecutive_failures": table.c.consecutive_failures + 1}
        with self.engine.begin() as connection:
            connection.execute(insert.on_conflict_do_update(index_elements=["source"], set_=set_))


def _article_values(article: Article, now: datetime) -> dict[str, Any]:
    return dict(
        source=article.source, url=article.url, title=article.title, lead=article.lead,
        body=article.body, authors=list(article.authors), publisher=article.publisher,
        section=article.section, tags=list(article.tags), image=article.image,
        language=article.language, published_at=article.published_at,
        updated_at=article.updated_at, first_seen_at=now, last_seen_at=now,
        content_hash=article.content_hash,
    )

