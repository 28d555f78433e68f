"""SQLModel tables. Every datetime is timezone-aware UTC, on SQLite as on PostgreSQL: SQLite keeps
it as ISO 8601 text with its zone ("2025-12-10T17:02:00.000000+00:00"), PostgreSQL as
timestamptz. JSON columns hold UTF-8 ("KONÉ", not "KON\\u00c9"), jsonb on PostgreSQL.

Schema changes go through an Alembic migration under crawler/migrations/versions/; a test checks
that the migrations and these models agree.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from crawler.urls import url_key

# Fixed width, UTC, zone written out: text order is time order, and the sqlite3 shell, Datasette
# and SQLite's date functions read the zone. Older rows had no "T" and no zone (revision 0004).
_SQLITE_DATETIME = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02dT%(hour)02d:%(minute)02d:%(second)02d"
                   ".%(microsecond)06d+00:00",
    regexp=r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?(?:\+00:00)?$",
)

# The lengths of what _SQLITE_DATETIME reads: seconds, microseconds, each with "+00:00" or not.
_SQLITE_LENGTHS = frozenset({19, 25, 26, 32})


class UTCDateTime(TypeDecorator):
    """Aware UTC in, aware UTC out. Naive values are refused on write (they would be ambiguous);
    SQLite stores the UTC time with "+00:00" and it comes back tagged UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SQLITE_DATETIME)
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (store aware UTC): {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """On SQLite, the stored text read by datetime.fromisoformat: SQLAlchemy's regex,
        then this class's tagging, cost 4 us a value, and the dedup step reads hundreds of
        thousands of them in a large crawl (issue 17). What the regex reads, and only that,
        is read so (the same datetimes); anything else goes the regex's way, and fails as
        it does."""
        slow = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or slow is None:
            return slow

        def process(value: Any) -> datetime | None:
            if value is None:
                return None
            if (type(value) is str and len(value) in _SQLITE_LENGTHS and value[10] in "T "
                    and (len(value) < 26 or value[19] == "." and value[20:26].isdigit())
                    and (len(value) in (19, 26) or value.endswith("+00:00"))):
                try:
                    parsed = datetime.fromisoformat(value)
                except ValueError:
                    return slow(value)
                return parsed if parsed.tzinfo is UTC else parsed.replace(tzinfo=UTC)
            return slow(value)
        return process


class UTF8JSON(TypeDecorator):
    """JSON as UTF-8 text on SQLite, jsonb on PostgreSQL. SQLAlchemy's SQLite JSON escapes every
    accent (json.dumps' default), and `authors LIKE '%KONÉ%'` then finds nothing."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB  # (not imported on SQLite: 25 ms)

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())

    def bind_processor(self, dialect: Any) -> Any:
        if dialect.name == "postgresql":
            return super().bind_processor(dialect)

        def process(value: Any) -> str | None:
            return None if value is None else json.dumps(value, ensure_ascii=False)
        return process


def _utc(**kwargs: Any) -> Any:
    nullable = kwargs.pop("nullable", False)
    index = kwargs.pop("index", False)
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index), **kwargs)


def _key_of_url(context: Any) -> str | None:
    """Default of a url_key column: the key of the row's URL alone (no host aliases)."""
    url = context.get_current_parameters().get("url")
    return url_key(url) if url else None


def now_utc() -> datetime:
    return datetime.now(UTC)


def dialect_insert(dialect_name: str, table: Any) -> Any:
    """An INSERT into `table` that takes ON CONFLICT clauses, for the named dialect. The
    PostgreSQL dialect is imported only for PostgreSQL (25 ms of a start on SQLite)."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


# The columns of each table are declared in the order the migrations added them: a new database
# is made from these models (crawler.schema) and has the columns where an upgraded one has them
# (tests/test_migrations.py compares the two).


class ArticleRow(SQLModel, table=True):
    __tablename__ = "articles"
    # By source, then dedup_hash: a dedup step reads a source's pending rows (dedup_hash IS
    # NULL) by both, among those rows alone (revision 0009; crawler.linker.pending_articles)
    __table_args__ = (Index("ix_articles_source_dedup_hash", "source", "dedup_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_column=Column(String(64), nullable=False))
    url: str = Field(sa_column=Column(String(2048), nullable=False, unique=True))  # as served
    title: str = Field(sa_column=Column(Text, nullable=False))
    lead: str | None = Field(default=None, sa_column=Column(Text))
    body: str = Field(sa_column=Column(Text, nullable=False))
    authors: list[str] = Field(default_factory=list, sa_column=Column(UTF8JSON, nullable=False))
    publisher: str | None = Field(default=None, sa_column=Column(String(256)))
    section: str | None = Field(default=None, sa_column=Column(String(256)))
    tags: list[str] = Field(default_factory=list, sa_column=Column(UTF8JSON, nullable=False))
    image: str | None = Field(default=None, sa_column=Column(String(2048)))
    language: str | None = Field(default=None, sa_column=Column(String(16)))
    published_at: datetime | None = _utc(default=None, nullable=True, index=True)
    updated_at: datetime | None = _utc(default=None, nullable=True)
    first_seen_at: datetime = _utc(default_factory=now_utc)
    last_seen_at: datetime = _utc(default_factory=now_utc)
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    duplicate_of: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True))
    # content_hash when dedup keyed and linked this row; NULL (set by a change) is pending
    dedup_hash: str | None = Field(default=None, sa_column=Column(String(64)))
    # crawler.urls.url_key(url): which article it is, whatever the scheme or host alias
    url_key: str = Field(sa_column=Column(String(2048), nullable=False, unique=True, index=True,
                                          default=_key_of_url))
    # "minute" when the page gave a time, "day" when it gave only the date: the time of
    # published_at then means nothing (00:00, or the time a relative "hier" was read)
    published_precision: str | None = Field(default=None, sa_column=Column(String(8)))
    # Which layer filled each field: {"title": "selector", "authors": "json-ld", ...}
    # (crawler.extract: selector, json-ld, meta, fallback, code); {} for rows stored before.
    field_sources: dict[str, str] = Field(default_factory=dict, sa_column=Column(
        UTF8JSON, nullable=False, server_default=text("'{}'")))


def article_date(table: Any = None) -> Any:
    """The date that places an article in a window (export, stats): its publication date, or
    when it was first seen if the site gave none."""
    columns = (table if table is not None else ArticleRow.__table__).c
    return func.coalesce(columns.published_at, columns.first_seen_at)


class TeaserRow(SQLModel, table=True):
    __tablename__ = "teasers"
    # (by source, then keyed: a dedup step's teasers never keyed; revision 0009)
    __table_args__ = (UniqueConstraint("seen_on", "text_hash", name="uq_teasers_seen_on_text"),
                      Index("ix_teasers_source_keyed", "source", "keyed"))

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_column=Column(String(64), nullable=False))
    seen_on: str = Field(sa_column=Column(String(2048), nullable=False))
    url: str | None = Field(default=None, sa_column=Column(String(2048), index=True))
    title: str | None = Field(default=None, sa_column=Column(Text))
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_hash: str = Field(sa_column=Column(String(64), nullable=False))
    first_seen_at: datetime = _utc(default_factory=now_utc)
    last_seen_at: datetime = _utc(default_factory=now_utc)
    article_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("articles.id", ondelete="SET NULL"), index=True))
    matched_by: str | None = Field(default=None, sa_column=Column(String(8)))  # url | text
    keyed: bool = Field(default=False, sa_column=Column(  # dedup has stored its keys
        Boolean, nullable=False, server_default=false()))
    url_key: str | None = Field(default=None, sa_column=Column(String(2048), index=True,
                                                               default=_key_of_url))


class ArticleKey(SQLModel, table=True):
    """Dedup keys of an article: kind "o" the openings a teaser is looked up by, "c" the
    MinHash LSH bands and opening that propose copy candidates (crawler.dedup)."""

    __tablename__ = "article_keys"
    # SQLite: the primary key's B-tree is the table (revision 0008); ignored by PostgreSQL
    __table_args__ = {"sqlite_with_rowid": False}

    kind: str = Field(sa_column=Column(String(1), primary_key=True))
    key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    article_id: int = Field(sa_column=Column(
        Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True))


class TeaserKey(SQLModel, table=True):
    """The keys a teaser is looked up by, so that a new article finds the teasers it fits."""

    __tablename__ = "teaser_keys"

    key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    teaser_id: int = Field(sa_column=Column(
        Integer, ForeignKey("teasers.id", ondelete="CASCADE"), primary_key=True, index=True))


class FetchState(SQLModel, table=True):
    __tablename__ = "fetch_state"

    url: str = Field(sa_column=Column(String(2048), primary_key=True))
    etag: str | None = Field(default=None, sa_column=Column(String(512)))
    last_modified: str | None = Field(default=None, sa_column=Column(String(128)))
    status: int = Field(sa_column=Column(Integer, nullable=False))
    fetched_at: datetime = _utc(default_factory=now_utc)
    body_hash: str | None = Field(default=None, sa_column=Column(String(64)))


class SourceState(SQLModel, table=True):
    __tablename__ = "source_state"

    source: str = Field(sa_column=Column(String(64), primary_key=True))
    last_success_at: datetime | None = _utc(default=None, nullable=True)
    last_attempt_at: datetime | None = _utc(default=None, nullable=True)
    consecutive_failures: int = Field(default=0, sa_column=Column(
        Integer, nullable=False, server_default="0"))
    circuit_open_until: datetime | None = _utc(default=None, nullable=True)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    # the display name, kept so dedup can read "Source : L'Essor" without the config
    title: str | None = Field(default=None, sa_column=Column(String(256)))


class CrawlRun(SQLModel, table=True):
    __tablename__ = "crawl_runs"

    id: int | None = Field(default=None, primary_key=True)
    mode: str = Field(sa_column=Column(String(16), nullable=False))
    since: datetime | None = _utc(default=None, nullable=True)
    until: datetime | None = _utc(default=None, nullable=True)
    sources: list[str] = Field(default_factory=list, sa_column=Column(UTF8JSON, nullable=False))
    started_at: datetime = _utc(default_factory=now_utc)
    finished_at: datetime | None = _utc(default=None, nullable=True)
    status: str = Field(default="running", sa_column=Column(String(16), nullable=False))
    pages: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    new: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    updated: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    teasers: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    errors: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    error_log: list[str] = Field(default_factory=list, sa_column=Column(UTF8JSON, nullable=False))


class SourceRun(SQLModel, table=True):
    """What one crawl of one source did: the run summary's row, kept for `crawl stats`."""

    __tablename__ = "source_runs"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, sa_column=Column(
        Integer, ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True))
    source: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    started_at: datetime = _utc(default_factory=now_utc, index=True)
    finished_at: datetime = _utc(default_factory=now_utc)
    status: str = Field(sa_column=Column(String(16), nullable=False))  # ok | failed | skipped
    pages: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    articles: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    new: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    updated: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    unchanged: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    teasers: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    teasers_matched: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    teasers_unmatched: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    copies: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    errors: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))  # the first, or why skipped
    # milliseconds of every request of the crawl (feeds, listings, articles), for medians
    fetch_ms: list[int] = Field(default_factory=list, sa_column=Column(UTF8JSON, nullable=False))


class RobotsTxt(SQLModel, table=True):
    """robots.txt bodies kept across runs (RFC 9309: at most 24 h), keyed by their URL."""

    __tablename__ = "robots_txt"

    url: str = Field(sa_column=Column(String(2048), primary_key=True))
    body: str = Field(sa_column=Column(Text, nullable=False))
    fetched_at: datetime = _utc(default_factory=now_utc)


class ArticleRevision(SQLModel, table=True):
    """An earlier version of an article's text, kept when a refetch changed its title, lead or
    body. Written by a trigger on `articles` (migration 0005), not by Python: no writer can
    update an article and lose what it said before. The current version stays in `articles`."""

    __tablename__ = "article_revisions"

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(sa_column=Column(
        Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True))
    seen_at: datetime = _utc()  # the last time this version was seen
    replaced_at: datetime = _utc(index=True)  # when the next version was seen instead
    title: str = Field(sa_column=Column(Text, nullable=False))
    lead: str | None = Field(default=None, sa_column=Column(Text))
    body: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime | None = _utc(default=None, nullable=True)  # the site's, if it said
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
