"""The database: engine, migrations on first use, idempotent upserts, run and source records.

The same code runs on SQLite and PostgreSQL. Articles are keyed on their canonical URL and
written with INSERT ... ON CONFLICT, one transaction per batch, so a crash never leaves half a
batch and two processes writing the same URL never make two rows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session

from crawler.dedup import (
    CopyMember,
    Fingerprint,
    TeaserIndex,
    article_keys,
    attribution,
    choose_original,
    credited_source,
    is_copy,
    teaser_keys,
)
from crawler.errors import StoreError
from crawler.items import Article, Teaser
from crawler.models import (
    ArticleKey,
    ArticleRow,
    CrawlRun,
    FetchState,
    RobotsTxt,
    SourceRun,
    SourceState,
    TeaserKey,
    TeaserRow,
)

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
        engine = create_engine(parsed, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        log.info("database %s", masked(url))
        migrate(engine)
    except (SQLAlchemyError, NoSuchModuleError, OSError) as exc:
        if engine is not None:
            engine.dispose()
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
        # Two crawls starting together on a fresh database must not both create tables.
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
        elif connection.dialect.name == "sqlite":
            # pysqlite runs DDL outside any transaction; take the write lock (waiting
            # busy_timeout) so the whole upgrade is one transaction and the second process
            # finds the tables made.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._computed = _Computed()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A database that fails or refuses a write becomes one StoreError line."""
        try:
            yield
        except SQLAlchemyError as exc:
            where = self.engine.url.render_as_string(hide_password=True)
            raise StoreError(f"database {where}: {_one_line(exc)}") from exc

    # ---- articles and teasers ------------------------------------------------------------

    def upsert_articles(self, articles: Sequence[Article]) -> list[str]:
        """Store a batch in one transaction; per article "new", "updated" or "unchanged".
        The teasers found on each article's page are stored with it, and stored teasers that
        link to an article's URL are linked to it."""
        now = _now()
        outcomes = [""] * len(articles)
        table = ArticleRow.__table__
        # Rows are written in URL order: two writers of overlapping batches then take the row
        # locks in the same order and cannot deadlock (PostgreSQL).
        in_url_order = sorted(range(len(articles)), key=lambda i: articles[i].url)
        # Built once per batch, not once per article: building is the cost (and see _Q).
        add = (self._insert(table).on_conflict_do_nothing(index_elements=["url"])
               .returning(table.c.id))
        with self._errors(), self.session() as session, session.begin():
            db = session.connection()  # Core statements: Session.execute adds ORM work to each
            links: list[dict[str, Any]] = []
            for position in in_url_order:
                article = articles[position]
                row = _article_values(article, now)
                # Each outcome is read from what its own statement did, never from a read made
                # before it, so writers racing on one URL agree on which of them made the row.
                article_id = db.execute(add, row).scalar_one_or_none()
                if article_id is None:
                    article_id, outcome = self._refresh_article(db, row)
                else:
                    outcome = "new"
                outcomes[position] = outcome
                links.append({"article_url": article.url, "found": article_id})
            # After the articles: a teaser on one page that links to another of the batch
            # finds it stored.
            if links:
                db.execute(_Q.link_by_url, links)
            self._add_teasers(session, [t for i in in_url_order for t in articles[i].teasers], now)
        return outcomes

    @staticmethod
    def _refresh_article(db: Connection, row: dict[str, Any]) -> tuple[int, str]:
        """A stored article seen again: touch it if its content hash is the same, else rewrite
        its content. An UPDATE locks the row and checks its WHERE on the latest version."""
        table = ArticleRow.__table__
        stored = update(table).where(table.c.url == row["url"]).returning(table.c.id)
        article_id = db.execute(
            stored.where(table.c.content_hash == row["content_hash"])
            .values(last_seen_at=row["last_seen_at"], field_sources=row["field_sources"])
        ).scalar_one_or_none()
        if article_id is not None:
            return article_id, "unchanged"
        content = {k: v for k, v in row.items() if k not in ("url", "first_seen_at")}
        # dedup_hash=None: dedup keys and links the new text again
        return db.execute(stored.values(**content, dedup_hash=None)).scalar_one(), "updated"

    def add_teasers(self, teasers: Sequence[Teaser]) -> int:
        """Store teasers (idempotent on where they were seen and their text); return how many
        were new. A teaser linking to a stored article gets that article's id."""
        with self._errors(), self.session() as session, session.begin():
            return self._add_teasers(session, teasers, _now())

    def _add_teasers(self, session: Session, teasers: Sequence[Teaser], now: datetime) -> int:
        if not teasers:
            return 0
        table = TeaserRow.__table__
        add = (self._insert(table).on_conflict_do_nothing(index_elements=["seen_on", "text_hash"])
               .returning(table.c.id))
        sighting = update(table).where(
            table.c.seen_on == bindparam("where"), table.c.text_hash == bindparam("digest")
        ).values(last_seen_at=now)
        db = session.connection()  # Core statements: Session.execute adds ORM work to each
        urls = list({t.url for t in teasers if t.url})
        stored: dict[str, int] = {}
        for chunk in _chunks(urls):
            stored.update(db.execute(_Q.articles_by_url, {"urls": chunk}).all())
        new = 0
        for teaser in teasers:
            article_id = stored.get(teaser.url) if teaser.url else None
            values = dict(source=teaser.source, seen_on=teaser.seen_on, url=teaser.url,
                          title=teaser.title, text=teaser.text, text_hash=text_hash(teaser.text),
                          first_seen_at=now, last_seen_at=now, article_id=article_id,
                          matched_by="url" if article_id else None)
            inserted = db.execute(add, values).scalar_one_or_none()
            if inserted is None:  # seen there before (maybe earlier in this batch): a sighting
                db.execute(sighting, {"where": teaser.seen_on, "digest": values["text_hash"]})
            else:
                new += 1
        return new

    def known_pages(self, source: str, urls: Iterable[str]) -> set[str]:
        """Of `urls`, the pages a crawl need not fetch again: stored articles, and pages where
        `source` found only a partial copy (stored as a teaser seen on that page)."""
        wanted = list(dict.fromkeys(urls))
        articles, teasers = ArticleRow.__table__, TeaserRow.__table__
        found: set[str] = set()
        with self._errors(), self.engine.connect() as connection:
            for chunk in _chunks(wanted):
                found.update(connection.execute(
                    select(articles.c.url).where(articles.c.url.in_(chunk))).scalars())
                found.update(connection.execute(
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
            if source and title:
                insert = self._insert(SourceState.__table__).values(source=source, title=title)
                session.execute(insert.on_conflict_do_update(
                    index_elements=["source"], set_={"title": insert.excluded.title}))
            titles = dict(session.execute(
                select(SourceState.__table__.c.source, SourceState.__table__.c.title)).all())
            return _Linker(session, window, titles, self._computed).run(source, teasers=teasers)

    def rebuild_dedup(self, *, window: timedelta,
                      titles: Mapping[str, str | None] | None = None) -> DedupCounts:
        """Forget every key and link (teaser links, duplicate_of) and make them again from the
        stored articles and teasers, as the rules stand. Idempotent. The counts are totals:
        teasers linked and not, articles that are copies."""
        articles, teasers = ArticleRow.__table__, TeaserRow.__table__
        with self._errors(), self.session() as session, session.begin():
            self._dedup_lock(session)
            known = dict(session.execute(
                select(SourceState.__table__.c.source, SourceState.__table__.c.title)).all())
            session.execute(delete(ArticleKey.__table__))
            session.execute(delete(TeaserKey.__table__))
            session.execute(update(articles).values(duplicate_of=None, dedup_hash=None))
            session.execute(update(teasers).values(article_id=None, matched_by=None, keyed=False))
            counts = _Linker(session, window, {**known, **(titles or {})},
                             self._computed).run(None)
            counts.copies = session.execute(select(func.count()).select_from(articles)
                                            .where(articles.c.duplicate_of.is_not(None))).scalar_one()
            return counts

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
        values = dict(url=url, status=status, etag=etag, last_modified=last_modified,
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
        insert = self.store._insert(RobotsTxt.__table__).values(
            url=robots_url, body=body, fetched_at=fetched_at)
        statement = insert.on_conflict_do_update(
            index_elements=["url"], set_={"body": body, "fetched_at": fetched_at})
        with self.store._errors(), self.store.engine.begin() as connection:
            connection.execute(statement)


@dataclass
class DedupCounts:
    """What one dedup step did: teasers it settled (matched, or left unmatched for now), and
    copies it linked to an original (or moved to a better one)."""

    teasers_matched: int = 0
    teasers_unmatched: int = 0
    copies: int = 0


def _article_values(article: Article, now: datetime) -> dict[str, Any]:
    return dict(
        source=article.source, url=article.url, title=article.title, lead=article.lead,
        body=article.body, authors=list(article.authors), publisher=article.publisher,
        section=article.section, tags=list(article.tags), image=article.image,
        language=article.language, published_at=article.published_at,
        updated_at=article.updated_at, first_seen_at=now, last_seen_at=now,
        content_hash=article.content_hash, field_sources=dict(article.field_sources),
    )



_A, _T = ArticleRow.__table__, TeaserRow.__table__
_AK, _TK = ArticleKey.__table__, TeaserKey.__table__


def _many(name: str) -> Any:
    return bindparam(name, expanding=True)


class _Q:
    """The statements a dedup step runs for every row, built once: building and compiling one
    again costs more than SQLite takes to run it."""

    # kind is filtered in Python: in SQL, SQLite would scan the primary key's "o" prefix
    drop_keys = (delete(_AK).where(_AK.c.article_id.in_(_many("ids")))
                 .returning(_AK.c.kind, _AK.c.key))
    add_article_keys = insert(_AK)
    add_teaser_keys = insert(_TK)
    keyed = (update(_A).where(_A.c.id == bindparam("row_id"))
             .values(dedup_hash=bindparam("content")))
    linked_by_text = select(_T.c.id).where(_T.c.article_id.in_(_many("ids")),
                                           _T.c.matched_by == "text")
    teasers_by_keys = (select(_TK.c.teaser_id).join(_T, _T.c.id == _TK.c.teaser_id)
                       .where(_TK.c.key.in_(_many("keys")),
                              or_(_T.c.matched_by.is_(None), _T.c.matched_by == "text")))
    copy_candidates = select(
        _A.c.id, _A.c.source, _A.c.published_at, _A.c.first_seen_at, _A.c.lead, _A.c.body,
        _A.c.duplicate_of, _A.c.content_hash,
    ).where(_A.c.id.in_(
        select(_AK.c.article_id).where(
            _AK.c.kind == "c", _AK.c.key.in_(_many("keys")),
            _AK.c.article_id != bindparam("article_id")).distinct()))
    _member = (_A.c.id, _A.c.source, _A.c.published_at, _A.c.first_seen_at, _A.c.publisher,
               _A.c.body, _A.c.duplicate_of, _A.c.content_hash)
    # two indexed queries: one with OR scans the whole table on SQLite
    members_by_id = select(*_member).where(_A.c.id.in_(_many("group")))
    members_by_original = select(*_member).where(_A.c.duplicate_of.in_(_many("group")))
    move = (update(_A).where(_A.c.id == bindparam("member"))
            .values(duplicate_of=bindparam("original")))
    link_by_url = (  # a link by URL also replaces a link made by text
        update(_T).where(_T.c.url == bindparam("article_url"),
                         or_(_T.c.article_id.is_(None), _T.c.matched_by == "text"))
        .values(article_id=bindparam("found"), matched_by="url"))
    articles_by_url = select(_A.c.url, _A.c.id).where(_A.c.url.in_(_many("urls")))
    # TeaserIndex reads at most the first 1,200 characters of a body
    teaser_candidates = select(
        _A.c.id, _A.c.lead, func.substr(_A.c.body, 1, 1300).label("opening"),
        _A.c.first_seen_at, _A.c.duplicate_of,
    ).where(_A.c.id.in_(select(_AK.c.article_id).where(
        _AK.c.kind == "o", _AK.c.key.in_(_many("keys"))).distinct()))
    link_teaser = (update(_T).where(_T.c.id == bindparam("teaser_id"))
                   .values(article_id=bindparam("target"), matched_by=bindparam("how"),
                           keyed=True))


class _Computed:
    """What dedup computes from an article's text, kept across the steps of a process: a story's
    copies are verified against the same stored articles step after step. Keyed by article id
    and content hash, so an updated article is computed afresh; bounded."""

    LIMIT = 8192

    def __init__(self) -> None:
        self._prints: dict[int, tuple[str, Fingerprint | None]] = {}
        self._credits: dict[int, tuple[str, str | None]] = {}

    def fingerprint(self, row: Any) -> Fingerprint | None:
        """Fingerprint.of the row (id, content_hash, lead, body)."""
        known = self._prints.get(row.id)
        if known is not None and known[0] == row.content_hash:
            return known[1]
        fingerprint = Fingerprint.of(row.lead, row.body)
        self._keep(self._prints, row.id, (row.content_hash, fingerprint))
        return fingerprint

    def attribution(self, row: Any) -> str | None:
        """dedup.attribution of the row (id, content_hash, publisher, body)."""
        known = self._credits.get(row.id)
        if known is not None and known[0] == row.content_hash:
            return known[1]
        credit = attribution(row.publisher, row.body)
        self._keep(self._credits, row.id, (row.content_hash, credit))
        return credit

    def _keep(self, cache: dict[int, Any], key: int, value: Any) -> None:
        if len(cache) >= self.LIMIT:
            cache.clear()  # simpler than an LRU; a step reads what its story needs again
        cache[key] = value


class _Linker:
    """One dedup step inside one transaction. Keys live in article_keys / teaser_keys, so each
    lookup is an indexed query and no run rebuilds an index of every article. What can be done
    for all of a step's rows at once is (statements, not rows, are the cost on SQLite)."""

    def __init__(self, session: Session, window: timedelta,
                 titles: Mapping[str, str | None], cache: _Computed) -> None:
        # Core statements on the session's connection: Session.execute adds ORM work to each
        self.db = session.connection()
        self.window, self.titles, self.cache = window, titles, cache
        self.counts = DedupCounts()
        self.moved: dict[int, int | None] = {}  # article -> its new original, in this step
        self.links: list[dict[str, Any]] = []  # teaser links to write (_link_teaser)

    def run(self, source: str | None, *, teasers: bool = True) -> DedupCounts:
        a, t = _A, _T
        pending = select(a).where(a.c.dedup_hash.is_(None))  # an update resets it
        rows = self.db.execute(_of(pending, a, source).order_by(a.c.id)).all()
        retest = self._key_articles(rows) if rows else set()
        if self.moved:  # a teaser linked to a story's old original follows it to the new one
            retest.update(self.db.execute(select(t.c.id).where(
                t.c.article_id.in_(self.moved), t.c.matched_by == "text")).scalars())
        fresh = self.db.execute(
            _of(select(t), t, source).where(t.c.keyed.is_(False)).order_by(t.c.id)
        ).all() if teasers else []
        keys = {teaser.id: teaser_keys(teaser.text) for teaser in fresh}
        self._execute_many(_Q.add_teaser_keys, [{"key": k, "teaser_id": teaser_id}
                                                for teaser_id, ks in keys.items() for k in ks])
        by_url = self._articles_by_url({teaser.url for teaser in fresh if teaser.url})
        for teaser in fresh:
            linked = self._link_teaser(teaser, by_url, keys[teaser.id])
            self.counts.teasers_matched += linked is not None
            self.counts.teasers_unmatched += linked is None
        retest -= keys.keys()
        for chunk in _chunks(sorted(retest)):
            seen = self.db.execute(select(t).where(t.c.id.in_(chunk))).all()
            by_url = self._articles_by_url({teaser.url for teaser in seen if teaser.url})
            for teaser in seen:
                if self._link_teaser(teaser, by_url) is not None and teaser.article_id is None:
                    self.counts.teasers_matched += 1  # seen earlier, its article arrived now
        self._execute_many(_Q.link_teaser, self.links)
        return self.counts

    def _execute_many(self, statement: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.db.execute(statement, rows)

    def _articles_by_url(self, urls: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(urls)):
            found.update(self.db.execute(_Q.articles_by_url, {"urls": chunk}).all())
        return found

    def _key_articles(self, rows: Sequence[Any]) -> set[int]:
        """Store the articles' keys and link their copies, one after the other (an article
        finds the copies stored before it); return the teasers to look at again."""
        ids = [row.id for row in rows]
        touched: set[int] = set()  # opening keys, old and new: teasers filed under them
        for chunk in _chunks(ids):
            touched.update(key for kind, key in self.db.execute(_Q.drop_keys, {"ids": chunk})
                           if kind == "o")
        for row in rows:
            openings = article_keys(row.lead, row.body)
            fingerprint = self.cache.fingerprint(row)
            copy_keys = set(fingerprint.keys) if fingerprint else set()
            self._execute_many(_Q.add_article_keys,
                               [{"kind": "o", "key": k, "article_id": row.id} for k in openings]
                               + [{"kind": "c", "key": k, "article_id": row.id}
                                  for k in copy_keys])
            self._link_copies(row, fingerprint)
            touched |= openings
        self._execute_many(_Q.keyed, [{"row_id": row.id, "content": row.content_hash}
                                      for row in rows])
        retest: set[int] = set()
        for chunk in _chunks(ids):
            retest.update(self.db.execute(_Q.linked_by_text, {"ids": chunk}).scalars())
        for chunk in _chunks(list(touched)):
            retest.update(self.db.execute(_Q.teasers_by_keys, {"keys": chunk}).scalars())
        return retest

    def _link_copies(self, row: Any, fingerprint: Fingerprint | None) -> None:
        # an earlier article of this step may have moved this one to a new original
        current = self.moved.get(row.id, row.duplicate_of)
        group = {row.id} | ({current} if current else set())
        if fingerprint is not None:
            when = _date(row)
            for other in self.db.execute(
                    _Q.copy_candidates, {"keys": fingerprint.keys, "article_id": row.id}).all():
                if (other.duplicate_of or other.id) in group:
                    continue  # its original is in already, and so is it: nothing to verify
                if (other.source != row.source and abs(_date(other) - when) <= self.window
                        and (found := self.cache.fingerprint(other)) is not None
                        and is_copy(fingerprint, found)):
                    group |= {other.id, other.duplicate_of or other.id}
        members = list({m.id: m for m in [
            *self.db.execute(_Q.members_by_id, {"group": list(group)}),
            *self.db.execute(_Q.members_by_original, {"group": list(group)})]
        }.values())
        if len(members) < 2:
            return
        original = choose_original([
            CopyMember(m.id, m.source, _date(m),
                       credited_source(self.cache.attribution(m), self.titles))
            for m in members])
        moves = []
        for m in members:
            target = None if m.id == original else original
            if m.duplicate_of != target:
                moves.append({"member": m.id, "original": target})
                self.moved[m.id] = target
                self.counts.copies += target is not None
        self._execute_many(_Q.move, moves)

    def _link_teaser(self, teaser: Any, by_url: Mapping[str, int],
                     keys: set[int] | None = None) -> int | None:
        """Link a teaser by its URL, else to the one story its text fits; return the article.
        `by_url` maps the URLs of stored articles (from _articles_by_url); `keys` are the
        teaser's teaser_keys when computed already. The link is written by run()."""
        target, how = None, None
        if teaser.url:
            target = by_url.get(teaser.url)
            how = "url" if target else None
        if target is None and keys is None:
            keys = teaser_keys(teaser.text)
        if target is None and keys:
            index, roots = TeaserIndex(), {}
            for c in self.db.execute(_Q.teaser_candidates, {"keys": list(keys)}):
                if abs(c.first_seen_at - teaser.first_seen_at) <= self.window:
                    index.add(c.id, c.lead, c.opening)
                    roots[c.id] = c.duplicate_of or c.id
            # Copies of one story share its lead: the teaser names the story, i.e. its original.
            stories = {roots[i] for i in index.matches(teaser.text)}
            if len(stories) == 1:
                target, how = stories.pop(), "text"
        if (teaser.article_id, teaser.matched_by) != (target, how) or not teaser.keyed:
            self.links.append({"teaser_id": teaser.id, "target": target, "how": how})
        return target


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """`items` in slices of `size`: SQLite caps the parameters of one statement."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _of(statement: Any, table: Any, source: str | None) -> Any:
    return statement if source is None else statement.where(table.c.source == source)


def _date(row: Any) -> datetime:
    return row.published_at or row.first_seen_at
