"""crawl_source end to end over the replayed cassettes, into a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from crawler.config import load_config
from crawler.http import HttpClient
from crawler.models import ArticleRow, TeaserRow
from crawler.pipeline import RunReport, crawl
from crawler.replay import CassetteTransport
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
A1 = ("https://lessor.ml/posts/mali-russie-les-deux-delegations-passent-en-revue-la-"
      "cooperation-bilaterale-6939a7b1e3f90")
A2 = "https://lessor.ml/posts/frappes-aeriennes-un-pick-up-camoufle-neutralise-pres-de-sebabougou-693931ec5b2a1"
NAIVE = (Path(__file__).parent / "data" / "lessor-naive-scrape.txt").read_text("utf-8").split("\n")


def day(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)


def run(store, names=None, *, since=None, until=None, refresh=False) -> RunReport:
    config = load_config(ROOT / "sources.yaml")
    sources = [config.source(n) for n in names] if names else config.enabled_sources()

    async def go() -> RunReport:
        async with HttpClient(user_agent="test", transport=CassetteTransport(CASSETTES),
                              delay_per_host=0) as client:
            # force: these tests rerun at once, before the sources' intervals elapse
            return await crawl(config, sources, store=store, client=client, since=since,
                               until=until, refresh=refresh, force=True)

    return asyncio.run(go())


def rows(store) -> dict[str, ArticleRow]:
    with Session(store.engine) as session:
        return {a.url: a for a in session.exec(select(ArticleRow)).scalars()}


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path}/crawl.db")


def test_daily_pass_stores_the_first_page_of_each_source(store):
    report = run(store)
    by_source = {r.source: r for r in report.sources}
    assert [r.status for r in report.sources] == ["ok"] * 15
    assert by_source["lessor"].new == 3
    assert by_source["journaldumali"].new == 2
    # the other originals: two items on each first feed or listing page; Sahelien has two feeds
    assert {name: by_source[name].new for name in (
        "amap", "studiotamani", "sahelien", "benbere", "infomatin", "malitribune",
        "lindependant", "saheltribune")} == {
        "amap": 2, "studiotamani": 2, "sahelien": 4, "benbere": 2, "infomatin": 2,
        "malitribune": 2, "lindependant": 2, "saheltribune": 2}
    # aggregators: abamako's and bamada's partial copies are teasers, not articles
    assert {name: by_source[name].new for name in (
        "maliweb", "malijet", "abamako", "bamada", "maliactu")} == {
        "maliweb": 3, "malijet": 3, "abamako": 2, "bamada": 2, "maliactu": 2}
    stored = rows(store)
    assert len(stored) == 23 + 12  # originals' first pages, then the aggregators'
    for article in stored.values():
        assert article.title and article.body and article.published_at and article.source


def test_lessor_record_has_chapeau_author_date_and_clean_body(store):
    run(store, ["lessor"])
    a1 = rows(store)[A1]
    assert a1.title == ("Mali-Russie : les deux délégations passent en revue la coopération "
                        "bilatérale")
    assert a1.lead.startswith("Le ministre des Affaires étrangères")
    assert a1.authors == ["Aboubacar TRAORE"]
    assert a1.published_at == datetime(2025, 12, 10, 17, 2, tzinfo=UTC)
    assert a1.section == "Politique"
    paragraphs = a1.body.split("\n\n")
    assert paragraphs == NAIVE[:6]  # the hard line break inside paragraph 2 was rejoined
    for junk in ("Aboubacar TRAORE", "Rédaction Lessor", "Kassogué, en prés", "Facebook"):
        assert junk not in a1.body


def test_teasers_are_stored_and_linked_by_url_never_as_articles(store):
    run(store, ["lessor"])
    with Session(store.engine) as session:
        teasers = session.exec(select(TeaserRow)).scalars().all()
        related = [t for t in teasers if t.seen_on == A1]
        assert len(related) == 6
        a2_id = session.exec(select(ArticleRow.id).where(ArticleRow.url == A2)).scalar_one()
        linked = [t for t in teasers if t.url == A2]
        # seen on the home page listing and in A1's related block; both point at A2's row
        assert len(linked) == 2 and all(t.article_id == a2_id for t in linked)
    stored_urls = set(rows(store))
    assert not any(url.endswith("6939a0d2a11c3") for url in stored_urls)  # a teaser-only link


def test_rerun_changes_nothing(store):
    first = run(store)
    before = {url: (a.content_hash, a.first_seen_at) for url, a in rows(store).items()}
    second = run(store)
    assert sum(r.new + r.updated for r in second.sources) == 0
    assert {url: (a.content_hash, a.first_seen_at) for url, a in rows(store).items()} == before
    with Session(store.engine) as session:
        teaser_count = session.exec(select(func.count()).select_from(TeaserRow)).scalar_one()
    assert teaser_count == sum(r.teasers for r in first.sources)


def test_refresh_refetches_and_reports_unchanged(store):
    run(store, ["lessor"])
    again = run(store, ["lessor"], refresh=True)
    assert (again.sources[0].new, again.sources[0].updated, again.sources[0].unchanged) == (0, 0, 3)


def test_backfill_walks_pages_back_to_since_and_stops(store):
    report = run(store, since=day("2025-09-01"), names=["lessor"])
    assert report.sources[0].status == "ok"
    assert report.sources[0].pages == 3  # page 3 holds only 2023 links: the walk stops there
    assert report.sources[0].new == 5
    assert all(a.published_at >= day("2025-09-01") for a in rows(store).values())


def test_backfill_window_with_until(store):
    run(store, ["lessor"], since=day("2025-09-01"), until=day("2025-11-01"))
    assert sorted(a.published_at.date().isoformat() for a in rows(store).values()) == [
        "2025-09-30", "2025-10-27"]


def test_wordpress_backfill_follows_feed_pages_until_404(store):
    report = run(store, ["journaldumali"], since=day("2025-12-01"))
    assert report.sources[0].status == "ok"
    assert report.sources[0].pages == 2
    assert report.sources[0].new == 3  # the 20 November item is outside the window


def warmed_up() -> bool:
    """Run in a worker: whether the worker's start-up imports (parsing_worker.main) ran."""
    from crawler import parsing_worker

    return parsing_worker._warm


def test_a_crawl_starts_the_parsing_workers_before_any_page(store):
    """Workers are started as a crawl starts: started on the first page, that page waited for
    them to start and import (about a second)."""
    from crawler import parsing

    config = load_config(ROOT / "sources.yaml")

    async def go() -> RunReport:
        async with HttpClient(user_agent="test", transport=CassetteTransport(CASSETTES),
                              delay_per_host=0) as client:
            return await crawl(config, [], store=store, client=client, force=True)

    parsing.shutdown()
    try:
        assert asyncio.run(go()).sources == []  # a crawl with no page to parse
        assert parsing._pool is not None
        started = [worker.process for worker in parsing._pool.workers]
        assert len(started) == parsing.FIRST_WORKERS
        assert all(process.poll() is None for process in started)
        assert asyncio.run(parsing.in_worker(warmed_up, timeout=60)) is True
        assert [worker.process for worker in parsing._pool.workers] == started
    finally:
        parsing.shutdown()


def stuck_for(seconds: float) -> str:
    """Run in a worker: a page that parses for `seconds` (a parser stuck on it)."""
    import time

    time.sleep(seconds)
    return "stuck"


def worker_pid() -> int:
    """Run in a worker: which worker ran it."""
    import os

    return os.getpid()


def test_a_page_stuck_on_the_only_worker_has_another_worker_started_for_the_others():
    """The pool starts with one worker (FIRST_WORKERS); a page waiting while another parses
    for longer than GROW_AFTER gets a second worker, long before the stuck page's budget."""
    from crawler import parsing

    async def go() -> tuple[int, int, bool]:
        first = await parsing.in_worker(worker_pid, timeout=60)  # the pool is up
        stuck = asyncio.ensure_future(parsing.in_worker(stuck_for, 120, timeout=60))
        await asyncio.sleep(0.2)  # the only worker has taken the stuck page
        second = await parsing.in_worker(worker_pid, timeout=60)
        still_stuck = not stuck.done()
        stuck.cancel()  # its worker is stopped
        with pytest.raises(asyncio.CancelledError):
            await stuck
        return first, second, still_stuck

    parsing.shutdown()
    try:
        first, second, still_stuck = asyncio.run(go())
    finally:
        parsing.shutdown()
    assert parsing.FIRST_WORKERS == 1 < parsing.WORKERS
    # the page was parsed by a worker other than the stuck one, while the stuck page ran on
    assert second != first
    assert still_stuck


def test_pages_arriving_one_at_a_time_are_parsed_by_one_worker():
    """No page waits for a long one: the pool keeps its one worker."""
    from crawler import parsing

    async def go() -> set[int]:
        return {await parsing.in_worker(worker_pid, timeout=60) for _ in range(20)}

    parsing.shutdown()
    try:
        assert len(asyncio.run(go())) == 1
        assert parsing._pool is not None and len(parsing._pool.workers) == 1
    finally:
        parsing.shutdown()


def test_a_parser_is_pickled_to_each_worker_once_then_named_by_its_digest(monkeypatch):
    """parsing.with_parser sends a parser's pickle until a worker has it, then only its
    digest; a worker without it (another one, or one started since) has it sent again."""
    import gzip
    import json

    from crawler import parsing
    from crawler.sources import parser_for

    folder = ROOT / "tests" / "sources" / "lessor" / "pages"
    slug, meta = next(iter(json.loads((folder / "meta.json").read_text("utf-8")).items()))
    content = gzip.decompress((folder / f"{slug}.html.gz").read_bytes())
    parser = parser_for(load_config(ROOT / "sources.yaml").source("lessor"))
    expected = parsing.parse_page(parser, meta["url"], content, meta["content_type"])
    sent: list[bool] = []  # per task: the pickle went with it
    in_worker = parsing.in_worker

    async def spy(function, *args, timeout):
        sent.append(args[2] is not None)
        return await in_worker(function, *args, timeout=timeout)

    monkeypatch.setattr(parsing, "in_worker", spy)
    # One worker: with two, a page answered NotShipped by one is sent again with the pickle to
    # whichever worker is free, maybe the one that has it (a clean-clone CI run saw 3 pickles
    # for 2 workers), so "once a worker" held only as often as the pool chose well.
    monkeypatch.setattr(parsing, "WORKERS", 1)

    async def parse_all(times: int) -> list:
        return [await parsing.with_parser(parsing.parse_page, parser, meta["url"], content,
                                          meta["content_type"], timeout=60)
                for _ in range(times)]

    parsing.shutdown()
    try:
        assert asyncio.run(parse_all(12)) == [expected] * 12
        assert sent[0] is True
        # each worker is sent the pickle at most once; every other page only the digest
        assert sum(sent) <= parsing.WORKERS
        assert sent.count(False) >= 12 - parsing.WORKERS
        parsing.shutdown()  # fresh workers: the pickle is sent again
        sent.clear()
        parsing._held.add(parser)  # as if a worker had it: one told NotShipped sends again
        assert asyncio.run(parse_all(3)) == [expected] * 3
        assert sent[:2] == [False, True]
    finally:
        parsing.shutdown()
