"""Politeness, counted on real sockets: per-host delay and concurrency, a descriptive User-Agent,
conditional GETs, no page fetched twice, and a rerun on unchanged sites that costs one request
per entry point and writes nothing but the run record (on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from httpserver import Reply, Request, Story, TestServer, feed_reply, rss_feed, serve_site
from sqlalchemy import create_engine, text

from crawler.config import Config, Settings
from crawler.http import HttpClient, MemoryRobotsCache
from crawler.pipeline import RunReport, crawl
from crawler.store import StoreRobotsCache, open_store

ROOT = Path(__file__).resolve().parent.parent
UA = "MaliPressCrawler-test/0.1 (+https://github.com/malipress/crawler)"
STAMP = "Tue, 30 Sep 2025 08:53:33 GMT"


def cli(config: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(config), "utf-8")
    return subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", "--config", str(path),
         "--db", f"sqlite:///{tmp_path}/crawl.db"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def rss_source(server: TestServer, name: str = "site") -> dict[str, Any]:
    return {"name": name, "platform": "rss", "base_url": server.url("/"),
            "entry_points": [server.url("/feed")]}


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as test_server:
        yield test_server


# -- the defaults, through the command line -------------------------------------------------------


def test_default_settings_space_requests_a_second_apart_with_a_descriptive_user_agent(
    server: TestServer, tmp_path: Path
) -> None:
    serve_site(server, [Story.make("/articles/une", 1)])
    result = cli({"sources": [rss_source(server)]}, tmp_path)  # no settings: the defaults
    assert result.returncode == 0, result.stderr
    assert [r.path for r in server.requests] == ["/robots.txt", "/feed", "/articles/une"]
    starts = [r.time for r in server.requests]
    # Measured on arrival, where a busy machine's scheduling shifts each request a little: the
    # whole span tells a 1 s delay from a shorter one, each gap that there was a delay at all.
    assert starts[-1] - starts[0] >= 1.8
    assert all(b - a >= 0.7 for a, b in zip(starts, starts[1:], strict=False))
    agents = {r.headers["User-Agent"] for r in server.requests}
    assert agents == {Settings().user_agent}
    assert re.fullmatch(r"\S+/\S+ \(\+https://\S+.*\)", Settings().user_agent)  # name, contact


def test_a_sources_own_delay_holds_on_its_hosts_in_a_whole_run(tmp_path: Path) -> None:
    # One `crawl` of two sources: the slow one's `delay: 1.5` spaces its requests, the other
    # keeps the run's `delay: 0`.
    with TestServer() as slow, TestServer() as fast:  # fast: on "localhost", another host
        serve_site(slow, [Story.make(f"/articles/s{n}", n) for n in (1, 2)])
        fast_base = f"http://localhost:{fast.port}"
        serve_site(fast, [Story.make(f"/articles/f{n}", n) for n in (1, 2)], base_url=fast_base)
        result = cli({"settings": {"delay": 0}, "sources": [
            {**rss_source(slow, "slow"), "delay": 1.5},
            {"name": "fast", "platform": "rss", "base_url": f"{fast_base}/",
             "entry_points": [f"{fast_base}/feed"]},
        ]}, tmp_path)
        assert result.returncode == 0, result.stderr
        slow_starts = [r.time for r in slow.requests]
        fast_starts = [r.time for r in fast.requests]
    # robots.txt, the feed and two articles on each
    assert len(slow_starts) == len(fast_starts) == 4, (slow.requests, fast.requests)
    slow_gaps = [b - a for a, b in zip(slow_starts, slow_starts[1:], strict=False)]
    fast_gaps = [b - a for a, b in zip(fast_starts, fast_starts[1:], strict=False)]
    # The delay is a floor on every gap (less what a request's arrival can lag its start: one
    # measured gap was 1.46 s at low load).
    assert min(slow_gaps) >= 1.5 - 0.25, slow_gaps
    # Had the slow source's delay reached the fast one's host, every gap there would be at least
    # as long. One shorter gap shows it did not. No bound on the whole run: under load the fast
    # source's four requests took 1.72 s with no delay between them.
    assert min(fast_gaps) < 1.5 - 0.25, (slow_gaps, fast_gaps)


def test_default_concurrency_is_two_requests_in_flight_per_host(
    server: TestServer, tmp_path: Path
) -> None:
    stories = [Story.make(f"/articles/{n}", n) for n in range(5)]
    serve_site(server, stories)
    for story in stories:
        # each answer takes 2 s: the second request goes out while the first waits, even when
        # a loaded machine holds the crawler back
        server.route(story.path, story.reply(delay=2.0))
    result = cli({"settings": {"delay": 0.05}, "sources": [rss_source(server)]}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert server.max_in_flight == 2  # five articles wanted at once, two at a time


# -- a rerun on unchanged sites -------------------------------------------------------------------


def conditional(body: bytes, *, etag: str | None, last_modified: str | None,
                echo: bool = True) -> Any:
    """A feed answering 304 to a matching conditional GET, as nginx does (validators echoed;
    `echo=False`: a bare 304, which RFC 9110 allows)."""
    validators = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}

    def reply(request: Request, conn: object) -> Reply:
        if (etag and request.headers.get("If-None-Match") == etag) or (
            last_modified and request.headers.get("If-Modified-Since") == last_modified
        ):
            return Reply(status=304, headers=validators if echo else {})
        return feed_reply(body, **validators)

    return reply


def snapshot(db_url: str) -> dict[str, list[tuple]]:
    """Every table, as sorted rows."""
    engine = create_engine(db_url)
    tables = ("articles", "teasers", "fetch_state", "source_state", "crawl_runs", "source_runs",
              "robots_txt")
    try:
        with engine.connect() as conn:
            return {t: sorted((tuple(r) for r in conn.execute(text(f"select * from {t}"))),
                              key=repr) for t in tables}
    finally:
        engine.dispose()


def without(rows: list[tuple], columns: list[str], names: list[str]) -> list[tuple]:
    drop = {columns.index(n) for n in names}
    return [tuple(v for i, v in enumerate(row) if i not in drop) for row in rows]


def columns(db_url: str, table: str) -> list[str]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(f"select * from {table} limit 0")).keys())
    finally:
        engine.dispose()


async def test_rerun_on_unchanged_sites_costs_one_request_per_entry_point_and_writes_nothing(
    db_url: str,
) -> None:
    with TestServer() as paper, TestServer() as other:
        other_base = f"http://localhost:{other.port}"
        shared = Story.make("/articles/commune", 1)
        stories = [shared, Story.make("/articles/deux", 2)]
        serve_site(paper, stories)
        # entry point 1: ETag only; entry point 2 lists the shared story again, with both
        # validators; the other site: Last-Modified only
        paper.route("/feed", conditional(rss_feed(paper.base_url, stories), etag='"v1"',
                                         last_modified=None))
        paper.route("/une", conditional(rss_feed(paper.base_url, [shared]), etag='"u7"',
                                        last_modified=STAMP))
        elsewhere = [Story.make("/actu/trois", 3)]
        serve_site(other, elsewhere, base_url=other_base)
        other.route("/feed", conditional(rss_feed(other_base, elsewhere), etag=None,
                                         last_modified=STAMP))
        config = Config.model_validate({"settings": {"user_agent": UA, "delay": 0}, "sources": [
            {"name": "paper", "platform": "rss", "base_url": paper.url("/"),
             "entry_points": [paper.url("/feed"), paper.url("/une")]},
            {"name": "other", "platform": "rss", "base_url": f"{other_base}/",
             "entry_points": [f"{other_base}/feed"]},
        ]}, context={})
        store = open_store(db_url)
        robots = StoreRobotsCache(store)  # robots.txt kept in the database, as `crawl` does

        async def run() -> RunReport:
            async with HttpClient(user_agent=UA, delay_per_host=0, robots_cache=robots) as http:
                return await crawl(config, list(config.sources), store=store, client=http,
                                   force=True)  # due now, whatever the interval says

        first = await run()
        assert [r.status for r in first.sources] == ["ok", "ok"]
        assert paper.count(shared.path) == 1  # listed by both entry points, fetched once
        assert sum(r.new for r in first.sources) == 3
        before = snapshot(db_url)
        paper.requests.clear()
        other.requests.clear()

        second = await run()
        assert [r.status for r in second.sources] == ["ok", "ok"]
        assert sum(r.new + r.updated for r in second.sources) == 0
        assert [r.path for r in paper.requests] == ["/feed", "/une"]
        assert [r.path for r in other.requests] == ["/feed"]
        assert paper.requests[0].headers.get("If-None-Match") == '"v1"'
        assert paper.requests[1].headers.get("If-None-Match") == '"u7"'
        assert paper.requests[1].headers.get("If-Modified-Since") == STAMP
        assert other.requests[0].headers.get("If-Modified-Since") == STAMP
        after = snapshot(db_url)
    store.engine.dispose()

    assert after["articles"] == before["articles"]  # last_seen_at included
    assert after["teasers"] == before["teasers"]
    assert len(after["crawl_runs"]) == len(before["crawl_runs"]) + 1
    assert len(after["source_runs"]) == len(before["source_runs"]) + 2  # one per source
    assert after["robots_txt"] == before["robots_txt"] != []  # read once, in the first run
    # bookkeeping only: when each entry point and source was last checked
    for table, moving in (("fetch_state", ["fetched_at", "status"]),  # 200 -> 304
                          ("source_state", ["last_attempt_at", "last_success_at"])):
        names = columns(db_url, table)
        assert without(after[table], names, moving) == without(before[table], names, moving)


async def test_rerun_of_a_feed_without_validators_costs_one_request_and_no_article(
    server: TestServer, tmp_path: Path
) -> None:
    stories = [Story.make("/articles/une", 1), Story.make("/articles/deux", 2)]
    serve_site(server, stories)  # no ETag, no Last-Modified: a full 200 every time
    config = Config.model_validate({"settings": {"user_agent": UA, "delay": 0},
                                    "sources": [rss_source(server)]}, context={})
    db_url = f"sqlite:///{tmp_path}/crawl.db"
    store = open_store(db_url)
    robots = MemoryRobotsCache()
    reports = []
    for _ in range(2):
        async with HttpClient(user_agent=UA, delay_per_host=0, robots_cache=robots) as http:
            reports.append(await crawl(config, list(config.sources), store=store, client=http,
                                       force=True))
        if len(reports) == 1:
            articles = snapshot(db_url)["articles"]
            server.requests.clear()
    assert [r.path for r in server.requests] == ["/feed"]
    # the same body as last read whole: not read again (crawler.discover.walk_entry_point)
    assert (reports[1].sources[0].already_stored, reports[1].sources[0].articles) == (0, 0)
    assert snapshot(db_url)["articles"] == articles


async def test_a_bare_304_keeps_the_stored_validators_for_the_next_run(
    server: TestServer, tmp_path: Path
) -> None:
    stories = [Story.make("/articles/une", 1)]
    serve_site(server, stories)
    server.route("/feed", conditional(rss_feed(server.base_url, stories), etag='"v1"',
                                      last_modified=STAMP, echo=False))
    config = Config.model_validate({"settings": {"user_agent": UA, "delay": 0},
                                    "sources": [rss_source(server)]}, context={})
    store = open_store(f"sqlite:///{tmp_path}/crawl.db")
    for _ in range(3):
        async with HttpClient(user_agent=UA, delay_per_host=0) as http:
            await crawl(config, list(config.sources), store=store, client=http, force=True)
    feeds = [r for r in server.requests if r.path == "/feed"]
    assert [r.headers.get("If-None-Match") for r in feeds] == [None, '"v1"', '"v1"']
    assert [r.headers.get("If-Modified-Since") for r in feeds] == [None, STAMP, STAMP]
    store.engine.dispose()


async def test_an_article_that_failed_is_fetched_again_before_the_feed_is_trusted_unchanged(
    server: TestServer, tmp_path: Path
) -> None:
    stories = [Story.make("/articles/une", 1), Story.make("/articles/deux", 2)]
    serve_site(server, stories)
    server.route("/feed", conditional(rss_feed(server.base_url, stories), etag='"v1"',
                                      last_modified=None))
    server.route(stories[0].path, [Reply(status=404), stories[0].reply()])  # fails once
    config = Config.model_validate({"settings": {"user_agent": UA, "delay": 0},
                                    "sources": [rss_source(server)]}, context={})
    store = open_store(f"sqlite:///{tmp_path}/crawl.db")
    reports = []
    for _ in range(3):
        async with HttpClient(user_agent=UA, delay_per_host=0, max_attempts=1) as http:
            reports.append((await crawl(config, list(config.sources), store=store, client=http,
                                        force=True)).sources[0])
    feeds = [r.headers.get("If-None-Match") for r in server.requests if r.path == "/feed"]
    # run 1 lost an article, so its ETag was not kept: run 2 reads the feed whole and gets
    # the article; run 3 may trust the 304
    assert feeds == [None, None, '"v1"']
    assert [r.new for r in reports] == [1, 1, 0]
    assert server.count(stories[0].path) == 2 and server.count(stories[1].path) == 1
    assert store.count_articles() == 2
    store.engine.dispose()


async def test_link_to_another_host_is_kept_as_a_teaser_and_never_fetched(
    server: TestServer, tmp_path: Path
) -> None:
    with TestServer() as other:
        foreign = Story.make("/articles/ailleurs", 9)
        other.route(foreign.path, foreign.reply())
        own = Story.make("/articles/ici", 1)
        serve_site(server, [own])
        feed = rss_feed(server.base_url, [own]).replace(
            b"</channel>", rss_feed(other.base_url.replace("127.0.0.1", "localhost"),
                                    [foreign]).split(b"</link>", 1)[1].split(b"</channel>")[0]
            + b"</channel>")
        server.route("/feed", feed_reply(feed))
        config = Config.model_validate({"settings": {"user_agent": UA, "delay": 0},
                                        "sources": [rss_source(server)]}, context={})
        store = open_store(f"sqlite:///{tmp_path}/crawl.db")
        async with HttpClient(user_agent=UA, delay_per_host=0) as http:
            report = await crawl(config, list(config.sources), store=store, client=http)
        assert other.requests == []
    assert report.sources[0].new == 1
    with store.engine.connect() as conn:
        urls = [u for (u,) in conn.execute(text("select url from articles"))]
        teasers = [u for (u,) in conn.execute(text("select url from teasers"))]
    foreign_url = f"http://localhost:{other.port}{foreign.path}"
    assert urls == [f"http://127.0.0.1:{server.port}{own.path}"]
    assert foreign_url in teasers
