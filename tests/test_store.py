"""Idempotent upserts, one transaction per batch, teaser links, run and source records."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crawler.errors import StoreError
from crawler.items import Article, Teaser
from crawler.models import ArticleRow, TeaserRow
from crawler.store import open_store

WHEN = datetime(2025, 12, 10, 17, 2, tzinfo=UTC)


def article(url="https://lessor.ml/posts/a-6939a7b1e3f90", **changes) -> Article:
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
        return session.exec(select(model)).scalars().all()


def test_upsert_twice_is_new_then_unchanged_with_one_row(store):
    assert store.upsert_articles([article()]) == ["new"]
    first = all_rows(store, ArticleRow)[0]
    assert store.upsert_articles([article()]) == ["unchanged"]
    rows = all_rows(store, ArticleRow)
    assert len(rows) == 1
    assert rows[0].first_seen_at == first.first_seen_at
    assert rows[0].last_seen_at >= first.last_seen_at


def test_changed_content_is_updated_in_place_keeping_first_seen(store):
    store.upsert_articles([article()])
    first = all_rows(store, ArticleRow)[0]
    assert store.upsert_articles([article(body="Un.\n\nDeux, corrigé.", lead=None)]) == ["updated"]
    [row] = all_rows(store, ArticleRow)
    assert row.body == "Un.\n\nDeux, corrigé." and row.lead is None
    assert row.first_seen_at == first.first_seen_at
    assert row.content_hash != first.content_hash


def test_a_batch_with_one_bad_article_writes_nothing(store):
    good = article(url="https://lessor.ml/posts/b-6939a7b1e3f91")
    bad = article(url="https://lessor.ml/posts/c-6939a7b1e3f92", title=None)
    with pytest.raises(Exception):  # noqa: B017 - the database's own NOT NULL error
        store.upsert_articles([good, bad])
    assert all_rows(store, ArticleRow) == []


def test_datetimes_come_back_aware_utc_and_naive_ones_are_refused(store):
    plus_one = datetime(2025, 12, 10, 18, 2, tzinfo=timezone(timedelta(hours=1)))
    store.upsert_articles([article(published_at=plus_one)])
    [row] = all_rows(store, ArticleRow)
    assert row.published_at == datetime(2025, 12, 10, 17, 2, tzinfo=UTC)
    assert row.published_at.utcoffset() == timedelta(0)
    with pytest.raises(Exception, match="naive datetime"):
        store.upsert_articles([article(url="https://lessor.ml/posts/n",
                                       published_at=datetime(2025, 1, 1))])


def test_teasers_are_idempotent_and_linked_by_url_in_both_orders(store):
    target = "https://lessor.ml/posts/b-6939a7b1e3f91"
    before = Teaser(source="lessor", seen_on="https://lessor.ml/", text="Le début du chapeau..",
                    url=target)
    assert store.add_teasers([before]) == 1
    assert store.add_teasers([before]) == 0
    store.upsert_articles([article(url=target)])
    after = Teaser(source="lessor", seen_on="https://lessor.ml/?page=2",
                   text="Le début du chapeau..", url=target)
    assert store.add_teasers([after]) == 1
    article_id = all_rows(store, ArticleRow)[0].id
    teasers = all_rows(store, TeaserRow)
    assert len(teasers) == 2
    assert {t.article_id for t in teasers} == {article_id}


def test_concurrent_writers_of_the_same_urls_leave_one_row_each(store, db_url):
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


def test_fetch_state_source_state_and_run_records_round_trip(store):
    store.save_fetch_state("https://x.ml/feed/", status=200, etag='"abc"',
                           last_modified="Thu, 11 Dec 2025 14:05:12 GMT", body_hash="h")
    store.save_fetch_state("https://x.ml/feed/", status=304, etag='"abc"',
                           last_modified=None, body_hash="h")
    state = store.get_fetch_state("https://x.ml/feed/")
    assert (state.status, state.etag, state.last_modified) == (304, '"abc"', None)
    store.record_source_failure("x", "boom", WHEN)
    store.record_source_failure("x", "boom again", WHEN)
    failing = store.get_source_state("x")
    assert (failing.consecutive_failures, failing.last_error) == (2, "boom again")
    store.record_source_success("x", WHEN + timedelta(hours=1))
    healed = store.get_source_state("x")
    assert healed.consecutive_failures == 0
    assert healed.last_success_at == WHEN + timedelta(hours=1)
    run_id = store.start_run(mode="backfill", since=WHEN, until=None, sources=["x"])
    store.finish_run(run_id, status="failed", pages=3, new=2, updated=1, teasers=4,
                     errors=["x: boom"])
    from crawler.models import CrawlRun

    [run] = all_rows(store, CrawlRun)
    assert (run.status, run.pages, run.new, run.errors, run.error_log) == (
        "failed", 3, 2, 1, ["x: boom"])
    assert run.since == WHEN and run.finished_at is not None


def test_unreachable_database_is_one_line_without_the_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://crawler:s3cret@127.0.0.1:1/news")
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message and "***" in message
