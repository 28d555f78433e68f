"""A feed longer than a batch, crawled against real sockets (tests/httpserver.py): its articles
are stored at most BATCH at a time, one transaction each, on the database thread, while the
event loop goes on fetching; a batch that fails keeps the ones before it and saves no ETag."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpserver import Story, TestServer, feed_reply, rss_feed, serve_site

from crawler import parsing, pipeline
from crawler.config import Config
from crawler.errors import StoreError
from crawler.http import HttpClient
from crawler.pipeline import SourceReport, crawl_source
from crawler.store import Store, open_store

UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"
ARTICLES = 2 * pipeline.BATCH + 5


@pytest.fixture
def site() -> Iterator[tuple[TestServer, list[Story]]]:
    with TestServer() as server:
        stories = [Story.make(f"/articles/depeche-{n}", n) for n in range(ARTICLES)]
        serve_site(server, stories)
        server.route("/feed", feed_reply(rss_feed(server.base_url, stories), ETag='"v1"'))
        yield server, stories


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path}/crawl.db")
    yield opened
    opened.engine.dispose()


async def crawl_once(server: TestServer, store: Store) -> SourceReport:
    config = Config.model_validate({
        "settings": {"user_agent": UA, "delay": 0},
        "sources": [{"name": "journal", "platform": "rss", "base_url": server.url("/"),
                     "entry_points": [server.url("/feed")]}],
    }, context={})
    async with HttpClient(user_agent=UA, delay_per_host=0) as client:
        return await crawl_source(config.sources[0], settings=config.settings, client=client,
                                  store=store, force=True)


async def test_batches_are_stored_off_the_event_loop_while_the_next_is_fetched(
    site: tuple[TestServer, list[Story]], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = site
    writes: list[tuple[str, int, float, float]] = []  # thread, articles, start, end
    upsert = store.upsert_articles

    def slow_upsert(articles: Any) -> list[str]:
        start = time.time()
        time.sleep(0.5)  # a slow database: the loop must not wait for it
        outcomes = upsert(articles)
        writes.append((threading.current_thread().name, len(articles), start, time.time()))
        return outcomes

    monkeypatch.setattr(store, "upsert_articles", slow_upsert)
    report = await crawl_once(server, store)

    assert report.status == "ok", report.errors
    assert (report.new, report.articles) == (ARTICLES, ARTICLES)
    sizes = [n for _, n, _, _ in writes]
    # What arrived while a batch was written is the next batch: never more than BATCH, and
    # never all at once at the end.
    assert sum(sizes) == ARTICLES and max(sizes) <= pipeline.BATCH and len(sizes) >= 3, sizes
    assert all(name != threading.main_thread().name for name, _, _, _ in writes)
    # Requests went out while a batch was written (a loop that waited for the database would
    # send none then). Not asked of every batch: the page's last links may all be fetched in
    # the moment between two writes (seen in CI, 4 test processes on 2 CPUs), and the write
    # after that is not always the last.
    meanwhile = [sum(start < r.time < end for r in server.requests)
                 for _, _, start, end in writes[:-1]]
    assert any(meanwhile), "no request went out while a batch was written"
    # The feed's teasers are linked by URL to their articles, whichever batch stored them.
    assert (report.teasers_matched, report.teasers_unmatched) == (ARTICLES, 0)
    assert store.count_articles() == ARTICLES
    assert store.get_fetch_state(server.url("/feed")).etag == '"v1"'


async def test_a_failing_batch_keeps_the_batches_before_it_and_saves_no_etag(
    site: tuple[TestServer, list[Story]], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = site
    upsert = store.upsert_articles
    sizes: list[int] = []

    def failing_second(articles: Any) -> list[str]:
        sizes.append(len(articles))
        if len(sizes) == 2:
            raise StoreError("database sqlite:///crawl.db: disk I/O error")
        return upsert(articles)

    monkeypatch.setattr(store, "upsert_articles", failing_second)
    with pytest.raises(StoreError, match="disk I/O error"):  # the run's fault, not the source's
        await crawl_once(server, store)
    assert store.get_source_state("journal") is None  # not backed off
    assert len(sizes) == 2  # nothing is written after the failed batch
    assert store.count_articles() == sizes[0]
    assert store.get_fetch_state(server.url("/feed")) is None  # the next run reads it all again

    monkeypatch.setattr(store, "upsert_articles", upsert)
    again = await crawl_once(server, store)
    assert again.status == "ok", again.errors
    assert (again.already_stored, again.new) == (sizes[0], ARTICLES - sizes[0])
    assert store.count_articles() == ARTICLES
    assert store.get_fetch_state(server.url("/feed")).etag == '"v1"'


async def test_a_links_fetch_starts_when_its_host_has_a_turn_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: the window's links became fetches all at once, each task waiting in the host's
    politeness queue with a request's coroutines (~4 KB); now a link becomes a fetch when no
    other fetch of the page waits for its turn at the host. At most the host's concurrency (2)
    sending, one waiting and the few being parsed are alive (fails before: 40, the whole feed),
    and the articles are still requested in the feed's order. Being parsed: up to
    parsing.TOGETHER pages a worker runs, and as many waiting to be handed over together."""
    alive, most = 0, 0
    fetch = pipeline._fetch_article

    async def counted(*args: Any) -> Any:
        nonlocal alive, most
        alive += 1
        most = max(most, alive)
        try:
            return await fetch(*args)
        finally:
            alive -= 1

    monkeypatch.setattr(pipeline, "_fetch_article", counted)
    stories = [Story.make(f"/articles/lente-{n}", n) for n in range(40)]
    with TestServer() as server:
        server.route("/feed", feed_reply(rss_feed(server.base_url, stories)))
        for story in stories:
            server.route(story.path, story.reply(delay=0.02))
        opened = open_store(f"sqlite:///{tmp_path}/crawl.db")
        try:
            report = await crawl_once(server, opened)
        finally:
            opened.engine.dispose()
        asked = [r.path for r in server.requests if r.path.startswith("/articles/")]
    assert report.status == "ok", report.errors
    assert report.new == 40
    # in the feed's order, but for two requests in flight reaching the server either way
    order = {story.path: n for n, story in enumerate(stories)}
    assert sorted(asked, key=order.__getitem__) == [story.path for story in stories]
    assert all(abs(order[path] - n) <= 1 for n, path in enumerate(asked)), asked
    assert most <= 3 + 2 * parsing.TOGETHER, most
