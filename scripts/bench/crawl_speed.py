"""Whole-crawl speed: our `crawl` against a Scrapy spider on the same simulated sites, in one run.

The project's test server (tests/httpserver.py) serves HOSTS sites on 127.0.0.2, 127.0.0.3, ...
(each address is another host for both crawlers: politeness is per host), each with an RSS feed
of ARTICLES items and the article pages, every response delayed 50-200 ms (fixed per URL, so
both crawlers meet the same latencies). Both crawlers get the same per-host concurrency, delay
and retries, obey robots.txt (404 here), and each runs in its own subprocess, which reports its
peak RSS and its CPU time, user + system, all threads (resource.getrusage). Ours also stores
every article in SQLite; the spider only extracts title and paragraphs. Every site serves the
same stories (Story.make is seeded by the article number), so ours also links 19 republished
copies of each: the dedup step's worst case.

"1st article s" is when the first article page of each host was requested, counted from the
crawler's first request (the fastest host - the slowest): the time spent reading the feeds
before the article fetches set out.

The politeness bound is what the per-host delay alone imposes: (requests per host - 1) x delay,
hosts in parallel. The default delay is 0.1 s instead of production's 1 s, so that a run takes
minutes, not hours (at 1 s, 2,000 articles per host take ~35 min per crawler).

    .venv/bin/pip install -U pip && .venv/bin/pip install -e '.[bench]'
    .venv/bin/python scripts/bench/crawl_speed.py                 # 20 x 200, then 20 x 2000
    .venv/bin/python scripts/bench/crawl_speed.py --articles 200  # one size only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from httpserver import Reply, Request, Story, TestServer, rss_feed  # noqa: E402

USER_AGENT = "MaliPressCrawler-bench/0.1 (+https://github.com/malipress/crawler)"


def latency(path: str) -> float:
    """50-200 ms, the same for a URL whichever crawler asks."""
    return 0.05 + int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % 151 / 1000


def start_sites(hosts: int, articles: int) -> list[TestServer]:
    servers = []
    for h in range(hosts):
        server = TestServer(address=f"127.0.0.{h + 2}").start()
        stories = [Story.make(f"/articles/{h}-{n}", n) for n in range(articles)]
        for story in stories:
            page = story.html().encode()

            def reply(request: Request, conn: object, page: bytes = page) -> Reply:
                return Reply(body=page, headers={"Content-Type": "text/html; charset=utf-8"},
                             delay=latency(request.path))

            server.route(story.path, reply)
        feed = rss_feed(server.base_url, stories)
        server.route("/feed", lambda r, c, feed=feed: Reply(
            body=feed, headers={"Content-Type": "application/rss+xml"}, delay=latency(r.path)))
        server.route("/robots.txt", lambda r, c: Reply(status=404, delay=latency(r.path)))
        servers.append(server)
    return servers


# -- the two crawlers, each run as a child process ------------------------------------------------


def run_ours(options: dict[str, Any], workdir: Path) -> None:
    import yaml

    from crawler.cli import main

    config = {
        "settings": {"user_agent": USER_AGENT, "delay": options["delay"],
                     "concurrency": options["concurrency"], "timeout": 20},
        "sources": [{"name": f"site{i}", "platform": "rss", "base_url": f"{base}/",
                     "entry_points": [f"{base}/feed"]} for i, base in enumerate(options["bases"])],
    }
    (workdir / "sources.yaml").write_text(yaml.safe_dump(config), "utf-8")
    sys.argv = ["crawl", "--config", str(workdir / "sources.yaml"),
                "--db", f"sqlite:///{workdir}/bench.db"]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def run_scrapy(options: dict[str, Any], workdir: Path) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class Feeds(scrapy.Spider):
        name = "feeds"
        start_urls = [f"{base}/feed" for base in options["bases"]]
        items = 0

        def parse(self, response: Any) -> Any:
            response.selector.remove_namespaces()
            for link in response.xpath("//item/link/text()").getall():
                yield response.follow(link, callback=self.parse_article)

        def parse_article(self, response: Any) -> Any:
            Feeds.items += 1
            yield {"url": response.url, "title": response.css("h1::text").get(),
                   "body": "\n\n".join(response.css("article p::text").getall())}

    process = CrawlerProcess(settings={
        "USER_AGENT": USER_AGENT, "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR",
        "CONCURRENT_REQUESTS": options["concurrency"] * len(options["bases"]),
        "CONCURRENT_REQUESTS_PER_DOMAIN": options["concurrency"],
        "DOWNLOAD_DELAY": options["delay"], "RANDOMIZE_DOWNLOAD_DELAY": False,
        "RETRY_TIMES": 3, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 20,
    })
    process.crawl(Feeds)
    process.start()
    expected = options["articles"] * len(options["bases"])
    if Feeds.items != expected:
        raise SystemExit(f"scrapy extracted {Feeds.items} articles of {expected}")


def child(which: str, options_json: str) -> None:
    options = json.loads(options_json)
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        (run_ours if which == "ours" else run_scrapy)(options, Path(folder))
        wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall": wall, "peak_mb": usage.ru_maxrss / 1024,  # KiB on Linux
                      "cpu": usage.ru_utime + usage.ru_stime}))


def measure(which: str, servers: list[TestServer], options: dict[str, Any]) -> dict[str, Any]:
    counts = [len(s.requests) for s in servers]
    before = sum(counts)
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, json.dumps(options)], cwd=ROOT,
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{which} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["requests"] = sum(len(s.requests) for s in servers) - before
    # How long after its first request a crawler starts on the article pages, per host
    # (servers' arrival times): the time it takes to read the feeds and set out.
    start = min(r.time for s, before_each in zip(servers, counts, strict=True)
                for r in s.requests[before_each:])
    firsts = [min(r.time for r in s.requests[before_each:] if r.path.startswith("/articles/"))
              - start for s, before_each in zip(servers, counts, strict=True)]
    result["first_article"] = (min(firsts), max(firsts))
    return result


def bench(hosts: int, articles: int, delay: float, concurrency: int) -> list[dict[str, Any]]:
    servers = start_sites(hosts, articles)
    try:
        options = {"bases": [s.base_url for s in servers], "articles": articles, "delay": delay,
                   "concurrency": concurrency}
        rows = []
        for which in ("ours", "scrapy"):
            for server in servers:
                server.requests.clear()
            result = measure(which, servers, options)
            per_host = result["requests"] / hosts
            result.update(crawler=which, hosts=hosts, articles=articles,
                          bound=(per_host - 1) * delay)
            rows.append(result)
        return rows
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--articles", type=int, action="append",
                        help="articles per host (repeatable; default 200 and 2000)")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds between two requests "
                        "to one host (production: 1.0)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("CRAWLER", "OPTIONS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = args.articles or [200, 2000]
    rows = [row for size in sizes
            for row in bench(args.hosts, size, args.delay, args.concurrency)]
    print(f"\nhosts={args.hosts} delay={args.delay}s concurrency/host={args.concurrency} "
          "retries=3 latency=50-200ms")
    print(f"{'crawler':8} {'articles/host':>13} {'requests':>9} {'wall s':>8} {'req/s':>7} "
          f"{'cpu s':>7} {'peak MB':>8} {'bound s':>8} {'wall/bound':>10} {'wall/scrapy':>11} "
          f"{'mem/scrapy':>10} {'1st article s':>13}")
    for size in sizes:
        ours, scrapy_ = (next(r for r in rows if r["crawler"] == c and r["articles"] == size)
                         for c in ("ours", "scrapy"))
        for row in (ours, scrapy_):
            print(f"{row['crawler']:8} {size:>13} {row['requests']:>9} {row['wall']:>8.1f} "
                  f"{row['requests'] / row['wall']:>7.1f} {row['cpu']:>7.1f} "
                  f"{row['peak_mb']:>8.0f} "
                  f"{row['bound']:>8.1f} {row['wall'] / row['bound']:>10.2f} "
                  f"{row['wall'] / scrapy_['wall']:>11.2f} "
                  f"{row['peak_mb'] / scrapy_['peak_mb']:>10.2f} "
                  f"{row['first_article'][0]:>5.2f}-{row['first_article'][1]:.2f}")
    if len(sizes) > 1:
        for crawler in ("ours", "scrapy"):
            small, large = (next(r for r in rows if r["crawler"] == crawler
                                 and r["articles"] == s) for s in (min(sizes), max(sizes)))
            print(f"memory growth {crawler}: {small['peak_mb']:.0f} MB at {min(sizes)} -> "
                  f"{large['peak_mb']:.0f} MB at {max(sizes)} articles/host "
                  f"(x{large['peak_mb'] / small['peak_mb']:.2f})")
    print("\nrerun: .venv/bin/python scripts/bench/crawl_speed.py "
          + shlex.join(sys.argv[1:]))


if __name__ == "__main__":
    main()
