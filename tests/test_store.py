"""Idempotent upserts, one transaction per batch, teaser links, run and source records."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import Session

from crawler.errors import StoreError
from crawler.items import Article, Teaser
from crawler.models import ArticleRow, CrawlRun, TeaserRow
from crawler.report import Outcome
from crawler.store import SQLITE_CHECKPOINT_PAGES, open_store
from crawler.urls import url_key

WHEN = datetime(2025, 12, 10, 17, 2, tzinfo=UTC)
URL = "https://lessor.ml/posts/a-6939a7b1e3f90"


def article(url=URL, **changes) -> Article:
    fields = dict(source="lessor", url=url, title="Titre", body="Un.\n\nDeux.", lead="Chapeau.",
                  authors=["Aboubacar TRAORE"], published_at=WHEN)
    fields.update(changes)
    return Article(**fields)


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.engine.dispose()


def all_rows(store, model):
    with Session(store.engine) as session:
        return session.exec(select(model).order_by(*model.__table__.primary_key)).scalars().all()


def test_upsert_twice_is_new_then_unchanged_with_one_row(store):
    assert store.upsert_articles([article()]) == ["new"]
    first = all_rows(store, ArticleRow)[0]
    assert store.upsert_articles([article()]) == ["unchanged"]
    rows = all_rows(store, ArticleRow)
    assert len(rows) == 1
    assert rows[0].first_seen_at == first.first_seen_at
    assert rows[0].last_seen_at > first.last_seen_at
    assert (rows[0].title, rows[0].authors) == ("Titre", ["Aboubacar TRAORE"])


def test_changed_content_is_updated_in_place_keeping_first_seen(store):
    store.upsert_articles([article()])
    first = all_rows(store, ArticleRow)[0]
    changed = article(body="Un.\n\nDeux, corrigé.", lead=None, tags=["Politique"])
    assert store.upsert_articles([changed]) == ["updated"]
    [row] = all_rows(store, ArticleRow)
    assert (row.body, row.lead, row.tags) == ("Un.\n\nDeux, corrigé.", None, ["Politique"])
    assert row.first_seen_at == first.first_seen_at
    assert row.last_seen_at > first.last_seen_at
    assert row.content_hash == changed.content_hash != first.content_hash


def test_one_batch_reports_each_article_in_order(store):
    store.upsert_articles([article(), article(url="https://lessor.ml/posts/b")])
    batch = [article(url="https://lessor.ml/posts/c"), article(), article(
        url="https://lessor.ml/posts/b", title="Nouveau titre")]
    outcomes = store.upsert_articles(batch)
    assert outcomes == [Outcome.NEW, Outcome.UNCHANGED, Outcome.UPDATED]
    assert all(type(outcome) is Outcome for outcome in outcomes)  # not a bare str
    assert store.count_articles() == 3


def test_a_batch_with_one_bad_article_writes_nothing(store):
    seen_there = Teaser(source="lessor", seen_on="https://lessor.ml/posts/b", text="Autre..",
                        url="https://lessor.ml/posts/z")
    good = article(url="https://lessor.ml/posts/b", teasers=[seen_there])
    bad = article(url="https://lessor.ml/posts/c", title=None)
    with pytest.raises(StoreError, match="title") as caught:
        store.upsert_articles([good, bad])
    assert "\n" not in str(caught.value)
    assert all_rows(store, ArticleRow) == []
    assert all_rows(store, TeaserRow) == []


def test_datetimes_come_back_aware_utc_and_naive_ones_are_refused(store):
    plus_one = datetime(2025, 12, 10, 18, 2, tzinfo=timezone(timedelta(hours=1)))
    store.upsert_articles([article(published_at=plus_one)])
    [row] = all_rows(store, ArticleRow)
    assert row.published_at == datetime(2025, 12, 10, 17, 2, tzinfo=UTC)
    assert row.published_at.utcoffset() == timedelta(0)
    assert row.first_seen_at.tzinfo is not None and row.first_seen_at.utcoffset() == timedelta(0)
    with pytest.raises(StoreError, match="naive datetime"):
        store.upsert_articles([article(url="https://lessor.ml/posts/n",
                                       published_at=datetime(2025, 1, 1))])
    assert store.count_articles() == 1


def test_teasers_are_idempotent_and_linked_by_url_in_both_orders(store):
    target = "https://lessor.ml/posts/b-6939a7b1e3f91"
    before = Teaser(source="lessor", seen_on="https://lessor.ml/", text="Le début du chapeau..",
                    url=target)
    assert store.add_teasers([before]) == 1
    [first] = all_rows(store, TeaserRow)
    assert first.article_id is None
    assert store.add_teasers([before]) == 0
    [again] = all_rows(store, TeaserRow)
    assert again.first_seen_at == first.first_seen_at and again.last_seen_at > first.last_seen_at
    store.upsert_articles([article(url=target)])
    after = Teaser(source="lessor", seen_on="https://lessor.ml/?page=2",
                   text="Le début du chapeau..", url=target)
    assert store.add_teasers([after]) == 1
    article_id = all_rows(store, ArticleRow)[0].id
    teasers = all_rows(store, TeaserRow)
    assert [t.seen_on for t in teasers] == ["https://lessor.ml/", "https://lessor.ml/?page=2"]
    assert [t.article_id for t in teasers] == [article_id, article_id]


def test_a_teaser_repeated_in_one_batch_is_one_new_row(store):
    teaser = Teaser(source="lessor", seen_on="https://lessor.ml/", text="Deux fois..")
    assert store.add_teasers([teaser, teaser]) == 1
    assert len(all_rows(store, TeaserRow)) == 1


def test_teasers_on_an_article_page_are_stored_with_it_and_linked(store):
    other = "https://lessor.ml/posts/autre"
    store.upsert_articles([article(url=other)])
    related = Teaser(source="lessor", seen_on=URL, text="Le chapeau de l'autre..", url=other)
    unknown = Teaser(source="lessor", seen_on=URL, text="Pas encore vu..",
                     url="https://lessor.ml/posts/plus-tard")
    store.upsert_articles([article(teasers=[related, unknown])])
    ids = {row.url: row.id for row in all_rows(store, ArticleRow)}
    links = {row.url: row.article_id for row in all_rows(store, TeaserRow)}
    assert links == {other: ids[other], "https://lessor.ml/posts/plus-tard": None}
    store.upsert_articles([article(url="https://lessor.ml/posts/plus-tard")])
    linked = {row.url: row.article_id for row in all_rows(store, TeaserRow)}
    assert linked["https://lessor.ml/posts/plus-tard"] == max(
        row.id for row in all_rows(store, ArticleRow))


def test_concurrent_threads_writing_the_same_urls_leave_one_row_each(store, db_url):
    urls = [f"https://lessor.ml/posts/x{i}-6939a7b1e3f9{i}" for i in range(5)]
    errors = []
    writers = [open_store(db_url) for _ in range(4)]  # four engines, four connection pools

    def write(writer):
        try:
            for _ in range(3):
                writer.upsert_articles([article(url=u) for u in urls])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            writer.engine.dispose()

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.url for r in all_rows(store, ArticleRow)) == sorted(urls)


def _write_in_a_process(db_url: str, urls: list[str], start, results) -> None:
    store = open_store(db_url)
    start.wait()
    if multiprocessing.current_process().name.endswith("reversed"):
        urls = urls[::-1]  # overlapping batches in opposite orders must not deadlock
    outcomes = []
    try:
        for _ in range(3):
            outcomes += store.upsert_articles([article(url=u) for u in urls])
        results.put(outcomes)
    except StoreError as exc:
        results.put(str(exc))
    finally:
        store.engine.dispose()


def test_concurrent_processes_count_each_url_new_exactly_once_without_deadlock(store, db_url):
    urls = [f"https://lessor.ml/posts/p{i}" for i in range(8)]
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(3), spawn.Queue()
    workers = [spawn.Process(target=_write_in_a_process, args=(db_url, urls, start, results),
                             name=name) for name in ("first", "second", "reversed")]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert [o for o in outcomes if isinstance(o, str)] == []  # a StoreError's message
    every = [o for per_process in outcomes for o in per_process]
    assert every.count("new") == len(urls)
    assert every.count("unchanged") == len(every) - len(urls)
    assert sorted(r.url for r in all_rows(store, ArticleRow)) == sorted(urls)


def test_known_pages_and_counts(store):
    store.upsert_articles([article(), article(url="https://journaldumali.com/x", source="jdm")])
    partial = "https://news.abamako.com/h/1.html"  # a page abamako found to be a partial copy
    store.add_teasers([Teaser(source="abamako", seen_on=partial, text="Le début…",
                              url="https://lessor.ml/posts/y")])
    linked = [URL.replace("https:", "http:"), "https://lessor.ml/absent", URL, partial]
    pages = {url_key(url): url for url in linked}
    assert store.known_pages("abamako", pages) == {url_key(URL), url_key(partial)}
    assert store.known_pages("lessor", {url_key(partial): partial}) == set()  # another's page
    assert store.known_pages("lessor", {}) == set()
    assert (store.count_articles(), store.count_articles("jdm")) == (2, 1)
    assert store.count_articles("nobody") == 0


def test_fetch_state_source_state_and_run_records_round_trip(store):
    assert store.get_fetch_state("https://x.ml/feed/") is None
    store.save_fetch_state("https://x.ml/feed/", status=200, etag='"abc"',
                           last_modified="Thu, 11 Dec 2025 14:05:12 GMT", body_hash="h")
    store.save_fetch_state("https://x.ml/feed/", status=304, etag='"abc"',
                           last_modified=None, body_hash="h")
    state = store.get_fetch_state("https://x.ml/feed/")
    assert (state.status, state.etag, state.last_modified, state.body_hash) == (
        304, '"abc"', None, "h")
    assert state.fetched_at.utcoffset() == timedelta(0)
    assert store.get_source_state("x") is None
    store.record_source_failure("x", "boom", WHEN)
    store.record_source_failure("x", "boom again", WHEN)
    failing = store.get_source_state("x")
    assert (failing.consecutive_failures, failing.last_error) == (2, "boom again")
    assert failing.last_success_at is None and failing.last_attempt_at == WHEN
    store.record_source_success("x", WHEN + timedelta(hours=1))
    healed = store.get_source_state("x")
    assert healed.consecutive_failures == 0
    assert healed.last_success_at == WHEN + timedelta(hours=1)
    run_id = store.start_run(mode="backfill", since=WHEN, until=None, sources=["x"])
    [running] = all_rows(store, CrawlRun)
    assert (running.id, running.status, running.finished_at) == (run_id, "running", None)
    store.finish_run(run_id, status="failed", pages=3, new=2, updated=1, teasers=4,
                     errors=["x: boom"])
    [run] = all_rows(store, CrawlRun)
    assert (run.mode, run.sources, run.status, run.pages, run.new, run.updated, run.teasers) == (
        "backfill", ["x"], "failed", 3, 2, 1, 4)
    assert (run.errors, run.error_log) == (1, ["x: boom"])
    assert run.since == WHEN and run.until is None
    assert run.finished_at >= run.started_at


def test_unreachable_database_is_one_line_without_the_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://crawler:s3cret@127.0.0.1:1/news")
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message
    assert "postgresql+psycopg://crawler:***@127.0.0.1:1/news" in message
    assert "refused" in message


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://crawler:s3cret@127.0.0.1:port/news",  # not a number
    "nosuchdialect://crawler:s3cret@127.0.0.1/news",
    "not a url at all",
])
def test_a_bad_database_url_is_one_store_error_line_without_the_password(url):
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message
    assert message.startswith("database ")


def test_without_postgres_the_tests_fail_in_ci_and_skip_elsewhere(tmp_path):
    """The conftest's promise: an unreachable PostgreSQL never skips silently in CI."""
    (tmp_path / "test_needs_postgres.py").write_text(textwrap.dedent("""
        def test_uses_postgres(postgres_url):
            pass
    """))
    (tmp_path / "conftest.py").write_text(
        (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "CRAWLER_TEST_POSTGRES_URL": "postgresql+psycopg://u@127.0.0.1:1/t"}

    def run(ci: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
             "-o", "addopts=", "--rootdir", str(tmp_path), str(tmp_path)],
            env={**env, "CI": ci}, capture_output=True, text=True, timeout=120)

    in_ci = run("true")
    assert in_ci.returncode != 0
    assert "required in CI" in in_ci.stdout
    outside = run("")
    assert outside.returncode == 0
    assert "1 skipped" in outside.stdout and "not reachable" in outside.stdout


def test_one_page_served_over_http_then_https_is_one_row_with_the_latest_url(store):
    http = "http://www.lessor.ml/posts/a-6939a7b1e3f90?utm_source=x"
    assert store.upsert_articles([article(url="http://lessor.ml/posts/a-6939a7b1e3f90")]) == [
        "new"]
    # an https link shown elsewhere finds it by its key
    store.add_teasers([Teaser(source="maliweb", seen_on="https://www.maliweb.net/",
                              text="Le début…", url=URL)])
    assert [(t.url, t.article_id is not None) for t in all_rows(store, TeaserRow)] == [
        (URL, True)]
    assert store.upsert_articles([article(url=URL)]) == ["unchanged"]
    assert store.upsert_articles([article(url=http, url_key=url_key(http))]) == ["unchanged"]
    [row] = all_rows(store, ArticleRow)
    assert (row.url, row.url_key) == (http, "lessor.ml/posts/a-6939a7b1e3f90")


def test_json_is_utf8_and_times_carry_their_zone_in_the_database(store):
    store.upsert_articles([article(authors=["Moussa KONÉ"], tags=["Économie"],
                                   published_precision="minute")])
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "postgresql":
            types = set(connection.execute(text(
                "select data_type from information_schema.columns where table_name = "
                "'articles' and column_name in ('authors', 'tags')")).scalars())
            assert types == {"jsonb"}
            found = connection.execute(text(
                "select published_at from articles where authors::text like '%KONÉ%'")).all()
            assert found == [(WHEN,)]
        else:
            raw = connection.execute(text(
                "select authors, tags, published_at, typeof(published_at) from articles "
                "where authors like '%KONÉ%'")).all()
            assert raw == [('["Moussa KONÉ"]', '["Économie"]',
                            "2025-12-10T17:02:00.000000+00:00", "text")]
            # SQLite's own date functions read the zone
            assert connection.execute(text(
                "select datetime(published_at) from articles")).scalar_one() == (
                "2025-12-10 17:02:00")
    [row] = all_rows(store, ArticleRow)
    assert (row.published_at, row.published_precision) == (WHEN, "minute")
    assert row.published_at.tzinfo is not None


def test_a_precision_without_a_date_is_not_stored(store):
    store.upsert_articles([article(published_at=None, published_precision="day")])
    assert all_rows(store, ArticleRow)[0].published_precision is None


def test_one_url_twice_in_a_batch_is_written_in_order_keeping_each_revision(store):
    store.upsert_articles([article()])
    batch = [article(body="Deux."), article(url="https://lessor.ml/posts/b"),
             article(body="Trois."), article(body="Trois.")]
    assert store.upsert_articles(batch) == ["updated", "new", "updated", "unchanged"]
    assert store.upsert_articles([article(url="https://lessor.ml/posts/c"),
                                  article(url="https://lessor.ml/posts/c", title="Autre")]) == [
        "new", "updated"]
    rows = {row.url: row for row in all_rows(store, ArticleRow)}
    assert rows[URL].body == "Trois." and rows["https://lessor.ml/posts/c"].title == "Autre"
    with store.engine.connect() as connection:
        kept = connection.execute(text(
            "select body from article_revisions order by id")).scalars().all()
    assert kept == ["Un.\n\nDeux.", "Deux.", "Un.\n\nDeux."]  # one per change, in order


def test_a_url_stored_under_another_key_is_one_store_error(store):
    store.upsert_articles([article()])
    with pytest.raises(StoreError, match="another URL key"):
        store.upsert_articles([article(url_key="lessor.ml/autre-cle")])
    assert [row.url_key for row in all_rows(store, ArticleRow)] == [url_key(URL)]


def test_a_batch_of_teasers_counts_new_ones_and_records_sightings_of_the_others(store):
    old = Teaser(source="lessor", seen_on="https://lessor.ml/", text="Déjà vu..")
    assert store.add_teasers([old]) == 1
    [first] = all_rows(store, TeaserRow)
    fresh = [Teaser(source="lessor", seen_on="https://lessor.ml/", text=f"Neuf {n}..")
             for n in range(3)]
    assert store.add_teasers([fresh[0], old, fresh[1], fresh[0], fresh[2]]) == 3
    rows = all_rows(store, TeaserRow)
    assert [row.text for row in rows] == ["Déjà vu..", "Neuf 0..", "Neuf 1..", "Neuf 2.."]
    assert rows[0].first_seen_at == first.first_seen_at
    assert rows[0].last_seen_at > first.last_seen_at == rows[0].first_seen_at


@pytest.mark.parametrize("stored", [
    "2025-06-01T08:00:00.000000+00:00", "2025-06-01T08:00:00.123456+00:00",
    "2025-06-01T08:00:00+00:00", "2025-06-01 08:00:00", "2025-06-01 08:00:00.000042",
    # what the regex refuses is refused as it was
    "2025-06-01T08:00:00.12345Z", "2025-06-01T08:00:00+05:30", "2025-06-01",
    "2025-06-01X08:00:00", "2025-13-01T08:00:00", "2025-06-01T08:00:00.1234567", "garbage",
])
def test_sqlite_datetimes_read_as_sqlalchemy_reads_them(stored):
    """UTCDateTime's SQLite reader (datetime.fromisoformat, issue 17) against the reading it
    replaces: SQLAlchemy's DATETIME regex, then process_result_value."""
    from sqlalchemy import column, create_engine, select, table
    from sqlalchemy.dialects import sqlite

    from crawler.models import _SQLITE_DATETIME, UTCDateTime

    dialect = sqlite.dialect()
    regex = _SQLITE_DATETIME.result_processor(dialect, None)

    def outcome(read):
        try:
            return read(stored)
        except ValueError as exc:
            return ValueError, str(exc)

    before = outcome(lambda value: UTCDateTime().process_result_value(regex(value), dialect))
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (d TEXT)")
        connection.exec_driver_sql("INSERT INTO t VALUES (?)", (stored,))
        query = select(column("d", UTCDateTime())).select_from(table("t"))
        after = outcome(lambda _: connection.execute(query).scalar_one())
    assert after == before
    if not isinstance(before, tuple):
        assert after.tzinfo is UTC and type(after) is datetime


def test_sqlite_runs_wal_syncing_at_checkpoints(tmp_path):
    # a killed run keeps its committed batches either way (test_crash); NORMAL spares an fsync
    # per commit, two commits a batch (issue 17)
    opened = open_store(f"sqlite:///{tmp_path}/w.db")
    try:
        with opened.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            # checkpoints far apart: a dedup step rewrites most of article_keys' pages
            assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() \
                == SQLITE_CHECKPOINT_PAGES > 1000
    finally:
        opened.engine.dispose()


def test_sqlite_connections_keep_few_prepared_statements(tmp_path, monkeypatch):
    """Issue 17: the sqlite3 driver's statement cache is cut from 128 to 32 places (memory: a
    20 x 200 crawl runs ~300 distinct statements, most of them once). Every connection the store
    opens is asked for that size. (That statements past the cache still run is SQLite's own
    behaviour, not tested here: it prepares them again.)"""
    import sqlite3

    from crawler import store as store_module

    seen = []
    connect = sqlite3.dbapi2.connect

    def recording(*args, **kwargs):
        seen.append(kwargs.get("cached_statements"))
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3.dbapi2, "connect", recording)
    store = open_store(f"sqlite:///{tmp_path}/cache.db")
    try:
        with store.engine.connect() as db:
            db.exec_driver_sql("SELECT 1")
        assert seen and set(seen) == {store_module.SQLITE_CACHED_STATEMENTS}
        assert store_module.SQLITE_CACHED_STATEMENTS < 128  # the driver's default
    finally:
        store.engine.dispose()
