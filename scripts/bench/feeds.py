"""Feed reading: feedparser against crawler.feeds (lxml) on the same feeds, in one run; and the
database statements a re-crawl of an unchanged feed without ETag/Last-Modified costs.

Parse CPU: the test server's RSS feed (tests/httpserver.py, WordPress-like: title, link,
pubDate, an escaped description) of 200 and 2,000 items, read into Links by
`crawler.discover.feed_links`'s two paths (item reading and the teasers' text, which both
share), best of REPEAT runs of process CPU time. Statements: a source whose feed of ITEMS items
(no validators, a full 200 every time) is crawled twice into SQLite; every statement the
second crawl sends is counted (SQLAlchemy's before_cursor_execute), by kind. Start of a crawl:
HOSTS feeds of 2,000 items handed at once to crawler.parsing's worker processes (where the crawl
reads them), wall time until the last is read.

    .venv/bin/python scripts/bench/feeds.py
"""

from __future__ import annotations

import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from httpserver import Story, TestServer, rss_feed, serve_site  # noqa: E402
from sqlalchemy import event  # noqa: E402

from crawler.config import Config  # noqa: E402
from crawler.discover import _feedparser_items, links_of  # noqa: E402
from crawler.feeds import rss_items  # noqa: E402
from crawler.http import HttpClient, MemoryRobotsCache, Response  # noqa: E402
from crawler.parsing import WORKERS  # noqa: E402
from crawler.pipeline import crawl  # noqa: E402
from crawler.store import open_store  # noqa: E402

REPEAT = 5
HOSTS = 20
ITEMS = 300
UA = "MaliPressCrawler-bench/0.1 (+https://github.com/malipress/crawler)"


def _cpu(call, *args) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(REPEAT):
        start = time.process_time()
        call(*args)
        best = min(best, time.process_time() - start)
    return best


def _response(body: bytes, url: str) -> Response:
    return Response(url=url, status=200, not_modified=False, content=body, elapsed=0.0,
                    headers=httpx.Headers({"content-type": "application/rss+xml; charset=UTF-8"}))


def parse_cpu(items: int) -> tuple[float, float, int]:
    """(feedparser s, lxml s, feed bytes) for a feed of `items` items, read into Links."""
    stories = [Story.make(f"/articles/{n}", n) for n in range(items)]
    body = rss_feed("https://journal.ml", stories)
    response = _response(body, "https://journal.ml/feed")
    fast = rss_items(body, response.url, response.headers["content-type"])
    assert fast is not None and links_of(fast, response.url) == links_of(
        _feedparser_items(response), response.url)
    slow_s = _cpu(lambda: links_of(_feedparser_items(response), response.url))
    fast_s = _cpu(lambda: links_of(
        rss_items(body, response.url, response.headers["content-type"]), response.url))
    return slow_s, fast_s, len(body)


def read_with_feedparser(response: Response) -> list:
    return links_of(_feedparser_items(response), response.url)


def read_with_lxml(response: Response) -> list:
    return links_of(rss_items(response.content, response.url,
                              response.headers["content-type"]), response.url)


def hosts_at_once(hosts: int, items: int) -> tuple[float, float]:
    """Seconds until the last of `hosts` feeds of `items` items, arriving at once as at the
    start of a crawl, is read in crawler.parsing's worker processes: (feedparser, lxml)."""
    from crawler.parsing import in_worker, shutdown

    responses = [_response(rss_feed(f"https://site{h}.ml", [
        Story.make(f"/articles/{h}-{n}", n) for n in range(items)]), f"https://site{h}.ml/feed")
        for h in range(hosts)]

    async def read_all(read) -> float:  # noqa: ANN001
        await in_worker(read, responses[0], timeout=600)  # the workers started
        start = time.perf_counter()
        await asyncio.gather(*(in_worker(read, r, timeout=600) for r in responses))
        return time.perf_counter() - start

    try:
        return asyncio.run(read_all(read_with_feedparser)), asyncio.run(read_all(read_with_lxml))
    finally:
        shutdown()


def unchanged_feed_statements(items: int) -> collections.Counter[str]:
    """Statements of the second crawl of an unchanged feed of `items` items, by first word."""
    with TestServer() as server, tempfile.TemporaryDirectory() as tmp:
        serve_site(server, [Story.make(f"/articles/{n}", n) for n in range(items)])
        config = Config.model_validate({
            "settings": {"user_agent": UA, "delay": 0},
            "sources": [{"name": "site", "kind": "rss", "base_url": server.url("/"),
                         "entry_points": [server.url("/feed")]}]}, context={})
        store = open_store(f"sqlite:///{tmp}/crawl.db")
        robots = MemoryRobotsCache()
        counts: collections.Counter[str] = collections.Counter()

        def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
            counts[statement.split(None, 1)[0].upper()] += 1

        async def run() -> None:
            async with HttpClient(user_agent=UA, delay_per_host=0, robots_cache=robots) as http:
                await crawl(config, list(config.sources), store=store, client=http, force=True)

        asyncio.run(run())
        event.listen(store.engine, "before_cursor_execute", count)
        asyncio.run(run())
        store.engine.dispose()
        return counts


def main() -> None:
    print("| items | bytes | feedparser CPU s | lxml path CPU s | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for items in (200, 2000):
        slow, fast, size = parse_cpu(items)
        print(f"| {items:,} | {size:,} | {slow:.3f} | {fast:.3f} | {slow / fast:.1f}x |")
    slow, fast = hosts_at_once(HOSTS, 2000)
    print(f"\n{HOSTS} feeds of 2,000 items arriving at once, read by the parsing workers (one at "
          f"first, up to {WORKERS} as feeds wait behind a long one): the last read after "
          f"{slow:.2f} s (feedparser), {fast:.2f} s (lxml)")
    counts = unchanged_feed_statements(ITEMS)
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.most_common())
    print(f"\nSecond crawl of an unchanged {ITEMS}-item feed without validators: "
          f"{sum(counts.values())} statements ({kinds})")
    print("\ncommand: .venv/bin/python scripts/bench/feeds.py")


if __name__ == "__main__":
    main()
