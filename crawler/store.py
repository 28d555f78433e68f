"""The database: engine, migrations on first use, idempotent upserts, run and source records.

The same code runs on SQLite and PostgreSQL. Articles are keyed on their URL key
(crawler.urls.url_key: http and https, www and alias hosts of one page are one row), keep the
URL as served, and are written with INSERT ... ON CONFLICT, one transaction per batch, so a
crash never leaves half a batch and two processes writing the same URL never make two rows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session

from crawler import linker
from crawler.errors import StoreError
from crawler.items import Article, Teaser, article_fields, clean_text
from crawler.limits import fit_article, fit_teaser, fit_validator
from crawler.linker import DedupCounts
from crawler.linker import chunks as _chunks
from crawler.models import (
    ArticleRow,
    CrawlRun,
    FetchState,
    RobotsTxt,
    SourceRun,
    SourceState,
    TeaserRow,
    dialect_insert,
)
from crawler.prepared import Write
from crawler.report import Outcome
from crawler.schema import HEAD_REVISION, create_schema
from crawler.urls import url_key

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = threading.Lock()
log = logging.getLogger(__name__)
DEFAULT_DATABASE_URL = "sqlite:///crawler.db"


def default_database_url() -> str:
    return os.environ.get("CRAWLER_DATABASE_URL") or DEFAULT_DATABASE_URL


def masked(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_store(url: str) -> Store:
    """Connect, create or upgrade the schema to the latest migration, and return the Store.
    Any failure is one StoreError line naming the URL (password masked) and the reason."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"database {masked(url)!r}: not a database URL ({exc})") from None
    engine = None
    try:
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, pool_pre_ping=True, **_connect_args(parsed))
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        log.debug("database %s", masked(url))
        migrate(engine)
    except (SQLAlchemyError, NoSuchModuleError, OSError) as exc:
        if engine is not None:
            engine.dispose()
        raise StoreError(f"database {masked(url)}: {_one_line(exc)}") from None
    return Store(engine)


# Prepared statements the sqlite3 driver keeps per connection (its default: 128). A crawl runs
# ~30 statements over and over, and a few hundred once each (an IN list of every length the
# dedup step meets), which filled the 128 places: ~4.5 MB of SQLite's memory in a 20 x 200
# crawl, ~1 MB with 32 (issue 17).
SQLITE_CACHED_STATEMENTS = 32
# The WAL grows to this many pages (4 KB each: ~32 MB on disk) between checkpoints
# (_sqlite_pragmas).
SQLITE_CHECKPOINT_PAGES = 8000


def _connect_args(url: Any) -> dict[str, Any]:
    if url.get_backend_name() == "sqlite" and url.get_driver_name() == "pysqlite":
        return {"connect_args": {"cached_statements": SQLITE_CACHED_STATEMENTS}}
    return {}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # First: a second process waits for the lock, in the pragmas below too. Switching a new
    # file to WAL takes the database's lock; set after it, the switch waited only the driver's
    # default 5 s while another process created the tables, and one of three processes opening
    # an empty database together failed with "database is locked" (a clean-clone CI run of
    # e8506e3, tests/test_migrations.py, load 3-4; not reproduced in 60 opens since).
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    # With WAL, NORMAL syncs at checkpoints, not at every commit: a killed crawl keeps every
    # committed batch (the commit is in the OS's cache); a power cut can lose the last few,
    # never corrupt the file, and those articles are fetched again by the next run.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # The WAL is copied into the database every SQLITE_CHECKPOINT_PAGES pages written (SQLite's
    # default: 1,000), by the committing thread. In a 20 x 200 crawl a dedup step wrote ~390
    # pages to the WAL (~340 from revision 0008), most of them article_keys' (its keys are
    # hashes: a step's ~950 land all over the table), so at 1,000 a checkpoint copied the same
    # pages again every two or three steps; at 8,000 every ~20 (issue 17).
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Upgrade to the latest Alembic revision. A database at HEAD_REVISION already is left as
    it is, and an empty one is given the schema in one step (crawler.schema), both without
    importing Alembic."""
    if at_head(engine):
        return
    # Alembic's command API keeps module-level state: one migration per process at a time.
    with _MIGRATION_LOCK, engine.begin() as connection:
        # Two crawls starting together on a fresh database must not both create tables.
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
        elif connection.dialect.name == "sqlite":
            # pysqlite runs DDL outside any transaction; take the write lock (waiting
            # busy_timeout) so the whole upgrade is one transaction and the second process
            # finds the tables made.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        inspector = inspect(connection)
        if not inspector.get_table_names():
            create_schema(connection)
            return
        version = _version(connection, inspector)
        if version != HEAD_REVISION:  # else made while we waited
            # A revision may rewrite a whole table (0008 copies article_keys, ~38 rows an
            # article): say why a start on a large database takes minutes.
            log.info("upgrading the database schema from revision %s to %s (minutes on a "
                     "large database)", version or "(none)", HEAD_REVISION)
            _upgrade(connection)


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _version(connection: Connection, inspector: Any) -> str | None:
    """The revision alembic_version names (None: no table, or not one row)."""
    if not inspector.has_table("alembic_version"):
        return None
    versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return versions[0][0] if len(versions) == 1 else None


def at_head(engine: Engine) -> bool:
    """Whether the database's schema is at HEAD_REVISION (one read of alembic_version)."""
    with engine.connect() as connection:
        return _version(connection, inspect(connection)) == HEAD_REVISION


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._computed = linker.Computed()
        table = ArticleRow.__table__
        # No conflict target: `url` is unique too (from revision 0001), and two writers racing
        # on one page meet on whichever index PostgreSQL checks first; naming only url_key let
        # the loser fail on articles_url_key instead of finding the winner's row.
        self._add_articles = (self._insert(table).on_conflict_do_nothing()
                              .returning(table.c.url_key, table.c.id))
        teasers = TeaserRow.__table__
        self._add_teaser_rows = (
            self._insert(teasers).on_conflict_do_nothing(index_elements=["seen_on", "text_hash"])
            .returning(teasers.c.seen_on, teasers.c.text_hash))

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _insert(self, table: Any) -> Any:
        return dialect_insert(self.engine.dialect.name, table)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A database that fails or refuses a write becomes one StoreError line."""
        try:
            yield
        except SQLAlchemyError as exc:
            where = self.engine.url.render_as_string(hide_password=True)
            raise StoreError(f"database {where}: {_one_line(exc)}") from exc

    # ---- articles and teasers ------------------------------------------------------------

    def upsert_articles(self, articles: Sequence[Article]) -> list[Outcome]:
        """Store a batch in one transaction; per article NEW, UPDATED or UNCHANGED, or
        SKIPPED for one that cannot be stored (crawler.limits; logged). The teasers found on
        each article's page are stored with it, and stored teasers that link to an article's
        URL are linked to it."""
        now = _now()
        articles = [fit_article(article) for article in articles]  # crawler.limits
        # SKIPPED stays only for the refused: every other article's write says what it did
        outcomes = [Outcome.SKIPPED] * len(articles)
        rows = [_article_values(article, now) if article else {} for article in articles]
        # Rows are written in key order: two writers of overlapping batches then take the row
        # locks in the same order and cannot deadlock (PostgreSQL).
        in_url_order = sorted((i for i, article in enumerate(articles) if article),
                              key=lambda i: rows[i]["url_key"])
        with self._errors(), self.session() as session, session.begin():
            db = session.connection()  # Core statements: Session.execute adds ORM work to each
            if db.dialect.name == "sqlite" and in_url_order:
                # The writer from the start (waiting busy_timeout for another): what it reads
                # first then stays true until it commits, as a read under PostgreSQL's row
                # locks does. A transaction begun by a read could not always become the writer.
                db.exec_driver_sql("BEGIN IMMEDIATE")
            links: dict[str, int] = {}
            for round_ in _rounds(in_url_order, rows):
                for position, article_id, outcome in self._write_articles(db, round_, rows):
                    outcomes[position] = outcome
                    links[rows[position]["url_key"]] = article_id
            # After the articles: a teaser on one page that links to another of the batch
            # finds it stored.
            _link_teasers(db, links)
            self._add_teasers(session, [t for i in in_url_order for t in articles[i].teasers], now)
        return outcomes

    def _write_articles(self, db: Connection, positions: list[int],
                        rows: list[dict[str, Any]]) -> list[tuple[int, int, Outcome]]:
        """Write rows of distinct URL keys (in key order): (position, id, outcome) of each.
        A statement per step, not per row: one INSERT ... ON CONFLICT DO NOTHING of them all
        (what it inserted is "new": of writers racing on one URL, the one whose INSERT made
        the row; on PostgreSQL, of those not found by a locked read before it), then the
        others' rows read locked, in key order, and compared by content hash: the same is
        touched ("unchanged"), another rewritten ("updated"), each kind in one executemany.
        The lock makes the comparison see the latest version, as an UPDATE's WHERE would; on
        SQLite the INSERT already holds the database's write lock."""
        postgres = self.engine.dialect.name == "postgresql"
        # The rows already there are read first (locked on PostgreSQL; on SQLite the
        # transaction holds the write lock, upsert_articles) and left out of the INSERT: a
        # conflicting row costs the INSERT about as much as a new one (a re-crawl is mostly
        # such rows).
        stored = _stored_articles(db, [rows[i]["url_key"] for i in positions], lock=postgres)
        fresh = [i for i in positions if rows[i]["url_key"] not in stored]
        inserted = (dict(db.execute(self._add_articles, [rows[i] for i in fresh]).all())
                    if fresh else {})
        rest = [i for i in positions if rows[i]["url_key"] not in inserted]
        written = [(i, inserted[rows[i]["url_key"]], Outcome.NEW) for i in fresh
                   if rows[i]["url_key"] in inserted]
        # What the INSERT met, not read yet: on PostgreSQL a row another writer stored since the
        # read; on SQLite only a row stored under another URL key (the error below).
        stored.update(_stored_articles(db, [rows[i]["url_key"] for i in rest
                                            if rows[i]["url_key"] not in stored], lock=postgres))
        touch, rewrite = [], []
        for i in rest:
            row = rows[i]
            found = stored.get(row["url_key"])
            if found is None:  # no row by that key, yet the INSERT conflicted: on its URL
                raise StoreError(f"article {row['url']} not stored: its URL is stored under "
                                 "another URL key")
            article_id, content_hash = found
            if content_hash == row["content_hash"]:
                touch.append({"row_id": article_id, **{c: row[c] for c in _TOUCHED}})
                written.append((i, article_id, Outcome.UNCHANGED))
            else:
                rewrite.append({"row_id": article_id, **{c: row[c] for c in _REWRITTEN}})
                written.append((i, article_id, Outcome.UPDATED))
        if touch:
            _Q.touch_article.execute_many(db, touch)
        if rewrite:
            _Q.rewrite_article.execute_many(db, rewrite)
        return written

    def add_teasers(self, teasers: Sequence[Teaser]) -> int:
        """Store teasers (idempotent on where they were seen and their text); return how many
        were new. A teaser linking to a stored article gets that article's id."""
        with self._errors(), self.session() as session, session.begin():
            return self._add_teasers(session, teasers, _now())

    def _add_teasers(self, session: Session, teasers: Sequence[Teaser], now: datetime) -> int:
        """One INSERT ... ON CONFLICT DO NOTHING for the batch's teasers (the first of a
        teaser repeated in it), then one executemany of sightings for those stored before."""
        teasers = [t for t in map(fit_teaser, teasers) if t]  # crawler.limits
        if not teasers:
            return 0
        db = session.connection()  # Core statements: Session.execute adds ORM work to each
        keys = {teaser: _teaser_key(teaser) for teaser in teasers}
        stored: dict[str, int] = {}
        for chunk in _chunks(list({k for k in keys.values() if k})):
            stored.update(db.execute(_Q.articles_by_url, {"urls": chunk}).all())
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for teaser in teasers:  # a teaser repeated in the batch: the first is stored
            digest = text_hash(teaser.text)
            if (teaser.seen_on, digest) in rows:
                continue
            key = keys[teaser]
            article_id = stored.get(key) if key else None
            rows[teaser.seen_on, digest] = dict(
                source=teaser.source, seen_on=teaser.seen_on, url=teaser.url, url_key=key,
                title=teaser.title, text=teaser.text, text_hash=digest, first_seen_at=now,
                last_seen_at=now, article_id=article_id,
                matched_by="url" if article_id else None)
        inserted = {(where, digest) for where, digest
                    in db.execute(self._add_teaser_rows, list(rows.values()))}
        seen_before = [{"where": where, "digest": digest, "now": now}
                       for where, digest in rows if (where, digest) not in inserted]
        if seen_before:
            db.execute(_Q.teaser_sighting, seen_before)
        return len(inserted)

    def known_pages(self, source: str, pages: Mapping[str, str]) -> set[str]:
        """Of `pages` (URL key -> URL as linked), the keys of pages a crawl need not fetch
        again: stored articles, and pages where `source` found only a partial copy (stored as
        a teaser seen on that page)."""
        articles, teasers = ArticleRow.__table__, TeaserRow.__table__
        found: set[str] = set()
        with self._errors(), self.engine.connect() as connection:
            for chunk in _chunks(list(pages)):
                found.update(connection.execute(
                    select(articles.c.url_key).where(articles.c.url_key.in_(chunk))).scalars())
            by_url = {url: key for key, url in pages.items()}
            for chunk in _chunks(list(by_url)):
                found.update(by_url[url] for url in connection.execute(
                    select(teasers.c.seen_on).where(teasers.c.source == source,
                                                    teasers.c.seen_on.in_(chunk))).scalars())
        return found

    def count_articles(self, source: str | None = None) -> int:
        statement = select(func.count()).select_from(ArticleRow.__table__)
        if source:
            statement = statement.where(ArticleRow.__table__.c.source == source)
        with self._errors(), self.engine.connect() as connection:
            return connection.execute(statement).scalar_one()

    # ---- dedup: teasers to their articles, copies to their originals ----------------------

    def dedup(self, source: str | None = None, *, window: timedelta,
              title: str | None = None, teasers: bool = True) -> DedupCounts:
        """Key and link what is pending: articles stored or changed since dedup last saw them
        and teasers never keyed, of `source` (or of every source). `title` is the source's
        display name, remembered so that aggregators' "Source : <title>" can be read later.
        Without `teasers`, the teasers never keyed stay pending (the articles are keyed and
        linked, and teasers keyed before are linked again as they fit them).
        One transaction: a crash leaves the rows pending for the next run."""
        with self._errors(), self.session() as session, session.begin():
            self._dedup_lock(session)
            return linker.dedup(session.connection(), source, window=window, title=title,
                                teasers=teasers, computed=self._computed,
                                article_ids=_article_ids)

    def rebuild_dedup(self, *, window: timedelta,
                      titles: Mapping[str, str | None] | None = None) -> DedupCounts:
        """Forget every key and link (teaser links, duplicate_of) and make them again from the
        stored articles and teasers, as the rules stand. Idempotent. The counts are totals:
        teasers linked and not, articles that are copies."""
        with self._errors(), self.session() as session, session.begin():
            self._dedup_lock(session)
            return linker.rebuild(session.connection(), window=window, titles=titles,
                                  computed=self._computed, article_ids=_article_ids)

    def _dedup_lock(self, session: Session) -> None:
        if self.engine.dialect.name == "postgresql":
            # Two workers linking the same story at once would each pick an original.
            session.execute(text("SELECT pg_advisory_xact_lock(727002)"))

    # ---- fetch state ---------------------------------------------------------------------

    def get_fetch_state(self, url: str) -> FetchState | None:
        with self._errors(), self.session() as session:
            return session.get(FetchState, url)

    def save_fetch_state(self, url: str, *, status: int, etag: str | None,
                         last_modified: str | None, body_hash: str | None) -> None:
        values = dict(url=url, status=status, etag=fit_validator("etag", etag),
                      last_modified=fit_validator("last_modified", last_modified),
                      body_hash=body_hash, fetched_at=_now())
        insert = self._insert(FetchState.__table__).values(**values)
        statement = insert.on_conflict_do_update(
            index_elements=["url"], set_={k: insert.excluded[k] for k in values if k != "url"})
        with self._errors(), self.engine.begin() as connection:
            connection.execute(statement)

    # ---- runs and sources ----------------------------------------------------------------

    def start_run(self, *, mode: str, since: datetime | None, until: datetime | None,
                  sources: list[str]) -> int:
        with self._errors(), self.session() as session, session.begin():
            run = CrawlRun(mode=mode, since=since, until=until, sources=sources)
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, *, status: str, pages: int, new: int, updated: int,
                   teasers: int, errors: list[str]) -> None:
        with self._errors(), self.session() as session, session.begin():
            run = session.get(CrawlRun, run_id)
            if run is None:
                raise StoreError(f"no crawl run {run_id} in the database")
            run.status, run.finished_at = status, _now()
            run.pages, run.new, run.updated, run.teasers = pages, new, updated, teasers
            run.errors, run.error_log = len(errors), list(errors)

    def record_source_run(self, row: SourceRun) -> None:
        """Keep what one crawl of one source did, for `crawl stats`."""
        with self._errors(), self.session() as session, session.begin():
            session.add(row)

    def get_source_state(self, source: str) -> SourceState | None:
        with self._errors(), self.session() as session:
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
        with self._errors(), self.engine.begin() as connection:
            connection.execute(insert.on_conflict_do_update(index_elements=["source"], set_=set_))


class StoreRobotsCache:
    """robots.txt kept in the database (crawler.http.RobotsCache), so that cron runs, the
    daemon and every worker share one copy per host for a day instead of each fetching it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, robots_url: str) -> tuple[str, datetime] | None:
        with self.store._errors(), self.store.session() as session:
            row = session.get(RobotsTxt, robots_url)
            return (row.body, row.fetched_at) if row else None

    def put(self, robots_url: str, body: str, fetched_at: datetime) -> None:
        body = clean_text(body)  # PostgreSQL refuses a NUL in text
        insert = self.store._insert(RobotsTxt.__table__).values(
            url=robots_url, body=body, fetched_at=fetched_at)
        statement = insert.on_conflict_do_update(
            index_elements=["url"], set_={"body": body, "fetched_at": fetched_at})
        with self.store._errors(), self.store.engine.begin() as connection:
            connection.execute(statement)


def _article_values(article: Article, now: datetime) -> dict[str, Any]:
    """The `articles` row of `article`: each stored field (Role.column) under its own name, a
    list or map copied, and what the row adds (when it was seen, the content hash)."""
    values = {spec.name: _copied(getattr(article, spec.name)) for spec in article_fields("column")}
    values.update(
        url_key=article.url_key or url_key(article.url),
        published_precision=article.published_precision if article.published_at else None,
        first_seen_at=now, last_seen_at=now, content_hash=article.content_hash)
    return values


def _copied(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    return dict(value) if isinstance(value, dict) else value


def _rounds(positions: list[int], rows: list[dict[str, Any]]) -> Iterator[list[int]]:
    """`positions` (in key order) in rounds of distinct URL keys: the first article of each
    key, then the second of a key seen twice in the batch, and so on, each in key order. A
    round's rows are written together; a later article of one key is written after it."""
    rounds: list[list[int]] = []
    seen: dict[str, int] = {}
    for position in positions:
        key = rows[position]["url_key"]
        seen[key] = seen.get(key, -1) + 1
        if seen[key] == len(rounds):
            rounds.append([])
        rounds[seen[key]].append(position)
    return iter(rounds)


def _stored_articles(db: Connection, keys: list[str], *, lock: bool) -> dict[str, tuple[int, str]]:
    """{url key: (id, content hash)} of the stored articles among `keys` (in key order), the
    rows locked in that order when `lock` (PostgreSQL)."""
    found: dict[str, tuple[int, str]] = {}
    statement = _Q.stored_for_update if lock else _Q.stored
    for chunk in _chunks(keys):
        found.update((key, (article_id, digest)) for key, article_id, digest
                     in db.execute(statement, {"keys": chunk}))
    return found


def _link_teasers(db: Connection, links: Mapping[str, int]) -> None:
    """Link the stored teasers whose URL key is one of `links` (URL key -> article id) to that
    article, replacing a link made by text: one UPDATE ... FROM (VALUES ...) per chunk, not one
    statement per article (the teasers are found by their url_key index either way)."""
    items = list(links.items())
    postgres = db.dialect.name == "postgresql"
    for chunk in _chunks(items):
        mark = "%s" if postgres else "?"
        # PostgreSQL types a VALUES list by its first row
        first = f"({mark}::varchar, {mark}::integer)" if postgres else f"({mark}, {mark})"
        values = ", ".join([first] + [f"({mark}, {mark})"] * (len(chunk) - 1))
        db.exec_driver_sql(
            "UPDATE teasers SET article_id = v.column2, matched_by = 'url' "
            f"FROM (VALUES {values}) AS v WHERE teasers.url_key = v.column1 "
            "AND (teasers.article_id IS NULL OR teasers.matched_by = 'text')",
            tuple(value for pair in chunk for value in pair))


def _teaser_key(teaser: Teaser) -> str | None:
    if teaser.url_key or not teaser.url:
        return teaser.url_key
    return url_key(teaser.url)


_A, _T = ArticleRow.__table__, TeaserRow.__table__
# What a stored article seen again with the same content hash has rewritten: when it was seen,
# and what may differ without its text changing (the URL served now: a site that moved to
# https, a row stored before revision 0004).
_TOUCHED = ("last_seen_at", "url", "published_precision", "field_sources")
# ... and with another hash: all but its key and when it was first seen.
_REWRITTEN = tuple(c.name for c in _A.columns
                   if c.name not in ("id", "url_key", "first_seen_at", "duplicate_of",
                                     "dedup_hash"))


def _many(name: str) -> Any:
    return bindparam(name, expanding=True)


class _Q:
    """Statements run for every row, built once: building and compiling one again costs more
    than SQLite takes to run it (the dedup step's are in crawler.linker)."""

    stored = (select(_A.c.url_key, _A.c.id, _A.c.content_hash)
              .where(_A.c.url_key.in_(_many("keys"))).order_by(_A.c.url_key))
    stored_for_update = stored.with_for_update()
    # The UPDATEs run for every row seen again, through the driver (crawler.prepared):
    # SQLAlchemy's per-execution work on 50 rows cost as much as SQLite's own.
    touch_article = Write(update(_A).where(_A.c.id == bindparam("row_id"))
                          .values({c: bindparam(c) for c in _TOUCHED}))
    # dedup_hash NULL: dedup keys and links the new text again
    rewrite_article = Write(update(_A).where(_A.c.id == bindparam("row_id"))
                            .values({**{c: bindparam(c) for c in _REWRITTEN}, "dedup_hash": None}))
    teaser_sighting = (
        update(_T).where(_T.c.seen_on == bindparam("where"), _T.c.text_hash == bindparam("digest"))
        .values(last_seen_at=bindparam("now")))
    # by URL key (crawler.urls.url_key): teasers.url_key against articles.url_key
    articles_by_url = select(_A.c.url_key, _A.c.id).where(_A.c.url_key.in_(_many("urls")))


def _article_ids(db: Connection, keys: Iterable[str]) -> dict[str, int]:
    """{url key: id} of the stored articles among `keys` (also how dedup links a teaser by
    URL)."""
    found: dict[str, int] = {}
    for chunk in _chunks(list(keys)):
        found.update(db.execute(_Q.articles_by_url, {"urls": chunk}).all())
    return found
