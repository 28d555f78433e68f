"""Feed reading: feedparser against crawler.feeds (lxml) on the same feeds, in one run; and the
database statements a re-crawl of an unchanged feed without ETag/Last-Modified costs.

Parse CPU: the test server's RSS feed (tests/httpserver.py, WordPress-like: title, link,
pubDate, an escaped description) of 200 and 2,000 items, read into Links by
`crawler.discover.feed_links`'s two paths (item reading and the teasers' text, which both
share), best of REPEAT runs of process CPU time. Statements: a source whose feed of ITEMS items
(no validators, a full 200 every time) is crawled twice into SQLite; every statement the
second crawl sends is counted (SQLAlchemy's before_cursor_execute), by kind.

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
from crawler.pipeline import crawl  # noqa: E402
from crawler.store import open_store  # noqa: E402

REPEAT = 5
ITEMS = 300
UA = "MaliPressCrawler-bench/0.1 (+https://github.com/malipress/crawler)"


def _cpu(call, *args) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(REPEAT):
        start = time.process_time()
        call(*args)
        best = min(best, time.process_time() - start)
    return best


def parse_cpu(items: int) -> tuple[float, float, int]:
    """(feedparser s, lxml s, feed bytes) for a feed of `items` items, read into Links."""
    stories = [Story.make(f"/articles/{n}", n) for n in range(items)]
    body = rss_feed("https://journal.ml", stories)
    response = Response(url="https://journal.ml/feed", status=200, not_modified=False,
                        headers=httpx.Headers({"content-type": "application/rss+xml; charset=UTF-8"}),
                        content=body, elapsed=0.0)
    fast = rss_items(body, response.url, response.headers["content-type"])
    assert fast is not None and links_of(fast, response.url) == links_of(
        _feedparser_items(response), response.url)
    slow_s = _cpu(lambda: links_of(_feedparser_items(response), response.url))
    fast_s = _cpu(lambda: links_of(
        rss_items(body, response.url, response.headers["content-type"]), response.url))
    return slow_s, fast_s, len(body)


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
    counts = unchanged_feed_statements(ITEMS)
    print(f"\nSecond crawl of an unchanged {ITEMS}-item feed without validators: "
          f"{sum(counts.values())} statements ({', '.join(f'{k} {v}' for k, v in counts.most_common())})")
    print("\ncommand: .venv/bin/python scripts/bench/feeds.py")


if __name__ == "__main__":
    main()
