"""Whole-crawl speed, ours against Scrapy on the same simulated sites: interleaved runs, medians.

The project's test server (tests/httpserver.py) serves HOSTS sites on 127.0.0.2, 127.0.0.3, ...
(each address is another host for both crawlers: politeness is per host), each with an RSS feed
of ARTICLES items and the article pages, every response delayed 50-200 ms (fixed per URL, so
both crawlers meet the same latencies). Both crawlers get the same per-host concurrency, delay
and retries and obey robots.txt (404 here). Ours also stores every article in SQLite, decoding,
extracting and linking copies as in production; the spider only extracts title and paragraphs
and stores nothing. By default every site serves the same stories (Story.make is seeded by the
article number), so ours also links 19 republished copies of each; with `--stories distinct`
every article is a story of its own. Neither is a worst case for every part: copies make the
dedup step read and verify candidates, distinct stories make it compute a fingerprint per
article (a word-for-word copy's is computed once).

Three kinds of process, so that no crawler shares a GIL with the sites or with the measuring:
this one (starts the others, measures, prints), the sites (one process for all hosts, started
once per size) and each crawler run (a fresh process). The runs alternate who goes first:
with --repeat 3, ours, scrapy, scrapy, ours, ours, scrapy. Per run:

- wall s: from starting the crawler's process to its exit (interpreter start and teardown
  included, as a user waits for them);
- cpu s: user + system time of the crawler's process, all threads, plus the processes it
  started and waited for (our parsing workers), from os.wait4;
- peak MB: the crawler process's own peak RSS (wait4's ru_maxrss covers the largest single
  process); tree MB: the largest sum of RSS over the process and its children, sampled every
  0.2 s from /proc;
- tree PSS MB, tree USS MB: the same samples read from /proc/PID/smaps_rollup. A sum of RSS
  counts twice the pages that two processes of the tree share (libpython's and the extension
  modules' code, mapped by the crawler and each of its parsing workers); PSS splits each shared
  page among the processes that map it, USS counts only pages no other process maps (what
  ending the crawl would free). PSS also splits pages with processes outside the tree (other
  Pythons on the machine map the same libpython), so it moves with what else runs; USS does
  not. Scrapy runs one process: its tree columns are its own;
- rows digest (ours): what the run stored (stored_digest), equal between runs of one session
  when behaviour is unchanged;
- load: os.getloadavg()'s 1-minute figure before and after the run (the machine is shared);
- 1st article s: when each host's first article page was requested, after the crawler's first
  request (fastest host - slowest host): how long reading the feeds holds up the articles;
- server cpu s: CPU time the sites' process spent serving the run.

The summary gives, per crawler, the median over the runs and the spread (min-max). The
politeness bound is what the per-host delay alone imposes: (requests per host - 1) x delay,
hosts in parallel. The default delay is 0.1 s, not production's 1 s, so that a run takes
seconds, not minutes; at 0.1 s both crawlers are bound by CPU, at 1 s by the delay.

    .venv/bin/pip install -U pip && .venv/bin/pip install -e '.[bench]'
    .venv/bin/python scripts/bench/crawl_speed.py --articles 200 --repeat 3
    .venv/bin/python scripts/bench/crawl_speed.py --articles 50 --delay 1 --repeat 1
    .venv/bin/python scripts/bench/crawl_speed.py --articles 200 --stories distinct --repeat 3

With --against DIR, Scrapy's place is taken by our crawler from DIR (a checkout of another
commit, e.g. `git worktree add /tmp/base main`), imported through PYTHONPATH with this tree's
venv: an A/B of two versions on the same sites, in one session, so that their rows digests
compare (the sites' ports, in the stored URLs, change between sessions). It is named "base".

    .venv/bin/python scripts/bench/crawl_speed.py --repeat 3 --against /tmp/base

With --floor, a third crawler, "httpx", runs in the same rounds: a bare httpx client that fetches
robots.txt, the feed and the articles with the same per-host delay and concurrency, and does
nothing else (no robots rules, no retries, no parsing, no storing), after importing the
libraries the project is built on (httpx, selectolax, apscheduler, tenacity, sqlmodel). It is
the floor those choices set: what no code of ours can go under.

Before the runs, our package's modules (and the --against tree's) are compiled to bytecode, as
pip does for an installed package and as any first run does where PYTHONDONTWRITEBYTECODE is
not set (this machine sets it: an editable install then compiles ours from source in every run,
and Scrapy, compiled by pip at install, not).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import compile_bytecode, load_average, machine  # noqa: E402

USER_AGENT = "MaliPressCrawler-bench/0.1 (+https://github.com/malipress/crawler)"
CRAWLERS: tuple[str, ...] = ("ours", "scrapy")  # ("ours", "base") with --against; + "httpx"
# with --floor
SAMPLE_EVERY = 0.2  # seconds between two readings of the crawler's memory


# -- the sites: a process of their own -----------------------------------------------------------


def latency(path: str) -> float:
    """50-200 ms, the same for a URL whichever crawler asks."""
    return 0.05 + int(hashlib.sha256(path.encode()).hexdigest()[:8], 16) % 151 / 1000


def start_sites(hosts: int, articles: int, distinct: bool = False) -> list[Any]:
    from httpserver import Reply, Request, Story, TestServer, rss_feed

    servers = []
    for h in range(hosts):
        server = TestServer(address=f"127.0.0.{h + 2}").start()
        stories = [Story.make(f"/articles/{h}-{n}", h * articles + n if distinct else n)
                   for n in range(articles)]
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


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def traffic(servers: list[Any], cpu_since: float) -> dict[str, Any]:
    """What the sites saw since the last reset: requests, and each host's first article."""
    requests = [r for s in servers for r in s.requests]
    start = min((r.time for r in requests), default=0.0)
    firsts = [min((r.time for r in s.requests if r.path.startswith("/articles/")),
                  default=start) - start for s in servers]
    return {"requests": len(requests), "first_article": [min(firsts), max(firsts)],
            "server_cpu": cpu_seconds() - cpu_since}


def serve(hosts: int, articles: int, distinct: int) -> None:
    """The sites' process: prints the hosts' base URLs, then answers `reset` and `report`
    on stdin with one JSON line each, until stdin closes."""
    servers = start_sites(hosts, articles, bool(distinct))
    print(json.dumps([s.base_url for s in servers]), flush=True)
    since = cpu_seconds()
    for line in sys.stdin:
        if line.strip() == "reset":
            for server in servers:
                server.requests.clear()
            since = cpu_seconds()
            print("{}", flush=True)
        elif line.strip() == "report":
            print(json.dumps(traffic(servers, since)), flush=True)
    for server in servers:
        server.stop()


class Sites:
    """The sites' process, seen from the measuring one."""

    def __init__(self, hosts: int, articles: int, distinct: bool = False) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(hosts), str(articles), str(int(distinct))],
            cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.bases: list[str] = json.loads(self._ask(None))

    def _ask(self, command: str | None) -> str:
        assert self._process.stdin and self._process.stdout
        if command:
            self._process.stdin.write(command + "\n")
            self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise SystemExit(f"the sites' process ended (exit code {self._process.wait()})")
        return line

    def reset(self) -> None:
        self._ask("reset")

    def report(self) -> dict[str, Any]:
        return json.loads(self._ask("report"))

    def close(self) -> None:
        assert self._process.stdin
        self._process.stdin.close()
        self._process.wait(timeout=30)


# -- the two crawlers, each run in a process of its own ------------------------------------------


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
    if "crawler.parsing" in sys.modules:
        # Join the parsing workers, so that their CPU time reaches this process's wait4 total.
        sys.modules["crawler.parsing"].shutdown()


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


def run_httpx(options: dict[str, Any], workdir: Path) -> None:
    """The floor (--floor): the project's libraries imported, then fetching alone with httpx."""
    import asyncio
    import re

    import apscheduler  # noqa: F401
    import httpx
    import selectolax.lexbor  # noqa: F401
    import sqlmodel  # noqa: F401
    import tenacity  # noqa: F401

    async def crawl_host(client: httpx.AsyncClient, base: str) -> int:
        turn = asyncio.Lock()
        last = -options["delay"]

        async def get(url: str) -> bytes:
            nonlocal last
            async with turn:  # one request starts per delay, as our politeness and Scrapy's
                await asyncio.sleep(max(0.0, last + options["delay"] - time.monotonic()))
                last = time.monotonic()
            return (await client.get(url)).content

        await get(f"{base}/robots.txt")
        feed = (await get(f"{base}/feed")).decode()
        links = re.findall(r"<link>([^<]*/articles/[^<]*)</link>", feed)

        async def fetch_some() -> None:
            while links:
                await get(links.pop())

        count = len(links)
        await asyncio.gather(*(fetch_some() for _ in range(options["concurrency"])))
        return count

    async def crawl() -> list[int]:
        async with httpx.AsyncClient(timeout=20, headers={"User-Agent": USER_AGENT}) as client:
            return await asyncio.gather(*(crawl_host(client, base) for base in options["bases"]))

    fetched = sum(asyncio.run(crawl()))
    expected = options["articles"] * len(options["bases"])
    if fetched != expected:
        raise SystemExit(f"httpx fetched {fetched} articles of {expected}")


def child(which: str, options_json: str, workdir: str) -> None:
    run = {"scrapy": run_scrapy, "httpx": run_httpx}.get(which, run_ours)
    run(json.loads(options_json), Path(workdir))


# -- measuring -------------------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it, from /proc (empty once it has exited)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        found.append(current)
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as f:
                    queue.extend(int(child) for child in f.read().split())
            except OSError:
                pass
    return found


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, IndexError):
        return 0.0


def pss_uss_mb(pid: int) -> tuple[float, float]:
    """(PSS, USS) of a process from /proc/PID/smaps_rollup; (0, 0) once it has exited."""
    fields = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in ("Pss", "Private_Clean", "Private_Dirty"):
                    fields[name] = int(rest.split()[0]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0
    return fields.get("Pss", 0.0), (fields.get("Private_Clean", 0.0)
                                    + fields.get("Private_Dirty", 0.0))


class TreeMemory(threading.Thread):
    """Samples the summed RSS, PSS and USS of a process and its children until stopped; keeps
    the peak of each sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = self.peak_pss_mb = self.peak_uss_mb = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_EVERY):
            tree = descendants(self.pid)
            self.peak_mb = max(self.peak_mb, sum(rss_mb(p) for p in tree))
            pss, uss = zip(*(pss_uss_mb(p) for p in tree), strict=True) if tree else ((), ())
            self.peak_pss_mb = max(self.peak_pss_mb, sum(pss))
            self.peak_uss_mb = max(self.peak_uss_mb, sum(uss))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


@dataclass
class Run:
    crawler: str
    articles: int
    round: int
    wall: float
    cpu: float
    peak_mb: float
    tree_mb: float
    tree_pss_mb: float
    tree_uss_mb: float
    load: tuple[float, float]
    stored: int | None  # articles in our database after the run; None for Scrapy
    digest: str | None  # stored_digest of our database; None for Scrapy
    traffic: dict[str, Any]  # what the sites saw: requests, first articles, server CPU


def stored_articles(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]


def run_errors(database: Path) -> list[str]:
    """The errors our crawl recorded (a page that failed to fetch or parse), so that a run
    that stored fewer articles says why."""
    with sqlite3.connect(database) as connection:
        return [error for (log,) in connection.execute("SELECT error_log FROM crawl_runs")
                for error in json.loads(log)]


def stored_digest(database: Path) -> str:
    """A digest of what a run stored, to compare runs of one session (the sites' ports, in
    the URLs, change between sessions): every article's fields, the teasers and what they
    matched, and the groups of copies. Which copy of a story is its original depends on which
    arrived first, so a group is digested as its members, not as who is whose copy."""
    digest = hashlib.sha256()
    with sqlite3.connect(database) as connection:
        for row in connection.execute(
                "SELECT url, title, lead, body, authors, publisher, section, tags, image, "
                "language, published_at, published_precision, content_hash, field_sources, "
                "dedup_hash FROM articles ORDER BY url"):
            digest.update(repr(row).encode())
        groups: dict[int, list[str]] = {}
        for url, original in connection.execute(
                "SELECT url, coalesce(duplicate_of, id) FROM articles"):
            groups.setdefault(original, []).append(url)
        for group in sorted(sorted(members) for members in groups.values()):
            digest.update(repr(group).encode())
        for row in connection.execute(
                "SELECT t.seen_on, t.url, t.title, t.text, t.text_hash, a.url, t.matched_by "
                "FROM teasers t LEFT JOIN articles a ON a.id = t.article_id "
                "ORDER BY t.seen_on, t.text_hash"):
            digest.update(repr(row).encode())
    return digest.hexdigest()[:12]


def run_once(which: str, sites: Sites, options: dict[str, Any], round_: int) -> Run:
    sites.reset()
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "stderr", "w+") as errors:
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        # "base": our crawler from the --against tree (PYTHONPATH comes before the venv's
        # editable install of this one; spawned parsing workers inherit it)
        env = {**os.environ, "PYTHONPATH": options["against"]} if which == "base" else None
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", which, json.dumps(options), folder],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        memory = TreeMemory(process.pid)
        memory.start()
        _, status, usage = os.wait4(process.pid, 0)  # rusage of the child and its reaped children
        wall = time.monotonic() - started
        memory.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        load_after = os.getloadavg()[0]
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{which} failed:\n{errors.read()[-3000:]}")
        ours = which in ("ours", "base")
        stored = stored_articles(Path(folder) / "bench.db") if ours else None
        digest = stored_digest(Path(folder) / "bench.db") if ours else None
        for error in run_errors(Path(folder) / "bench.db")[:5] if ours else []:
            print(f"  {which} round {round_}: {error}", file=sys.stderr, flush=True)
    return Run(which, options["articles"], round_, wall, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024, memory.peak_mb, memory.peak_pss_mb, memory.peak_uss_mb,
               (load_before, load_after), stored, digest,
               sites.report())


def order(round_: int) -> tuple[str, ...]:
    """Who goes first turns: ours, scrapy, then scrapy, ours, ... (with --floor: ours, scrapy,
    httpx, then scrapy, httpx, ours, ...)"""
    turn = round_ % len(CRAWLERS)
    return CRAWLERS[turn:] + CRAWLERS[:turn]


def bench(hosts: int, articles: int, delay: float, concurrency: int, repeat: int,
          distinct: bool = False, against: str | None = None) -> list[Run]:
    sites = Sites(hosts, articles, distinct)
    try:
        options = {"bases": sites.bases, "articles": articles, "delay": delay,
                   "concurrency": concurrency, "against": against}
        runs = []
        for round_ in range(repeat):
            for which in order(round_):
                run = run_once(which, sites, options, round_ + 1)
                print(run_line(run), file=sys.stderr, flush=True)
                runs.append(run)
        return runs
    finally:
        sites.close()


# -- the tables ------------------------------------------------------------------------------------


RUN_HEADER = ("| round | crawler | articles/host | requests | stored | rows digest | wall s "
              "| cpu s | peak MB | tree MB | tree PSS MB | tree USS MB | load 1 min "
              "| 1st article s | server cpu s |")


def run_line(run: Run) -> str:
    first = run.traffic["first_article"]
    stored = "-" if run.stored is None else f"{run.stored:,}"
    return (f"| {run.round} | {run.crawler} | {run.articles} | {run.traffic['requests']} |"
            f" {stored} | {run.digest or '-'} | {run.wall:.1f} | {run.cpu:.1f} |"
            f" {run.peak_mb:.0f} | {run.tree_mb:.0f} |"
            f" {run.tree_pss_mb:.0f} | {run.tree_uss_mb:.0f} |"
            f" {run.load[0]:.2f} -> {run.load[1]:.2f} | {first[0]:.2f}-{first[1]:.2f} |"
            f" {run.traffic['server_cpu']:.1f} |")


def spread(values: list[float], digits: int) -> str:
    """Median and (min-max) of `values`."""
    median = statistics.median(values)
    if len(values) == 1:
        return f"{median:.{digits}f}"
    return f"{median:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def summary_lines(runs: list[Run], delay: float) -> list[str]:
    other = CRAWLERS[1]  # the ratios' denominator: scrapy, or base
    lines = [f"| crawler | articles/host | runs | wall s | cpu s | peak MB | tree MB | "
             f"tree PSS MB | tree USS MB | wall/{other} | cpu/{other} | tree MB/{other} | "
             f"tree PSS/{other} | bound s | wall/bound |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sorted({r.articles for r in runs}):
        medians = {c: {key: statistics.median(getattr(r, key) for r in runs
                                              if r.crawler == c and r.articles == size)
                       for key in ("wall", "cpu", "tree_mb", "tree_pss_mb")}
                   for c in CRAWLERS}
        bound = (2 + size - 1) * delay  # robots.txt, the feed, the articles
        for crawler in CRAWLERS:
            mine = [r for r in runs if r.crawler == crawler and r.articles == size]
            median = medians[crawler]
            lines.append(
                f"| {crawler} | {size} | {len(mine)} | {spread([r.wall for r in mine], 1)} | "
                f"{spread([r.cpu for r in mine], 1)} | {spread([r.peak_mb for r in mine], 0)} | "
                f"{spread([r.tree_mb for r in mine], 0)} | "
                f"{spread([r.tree_pss_mb for r in mine], 0)} | "
                f"{spread([r.tree_uss_mb for r in mine], 0)} | "
                f"{median['wall'] / medians[other]['wall']:.2f} | "
                f"{median['cpu'] / medians[other]['cpu']:.2f} | "
                f"{median['tree_mb'] / medians[other]['tree_mb']:.2f} | "
                f"{median['tree_pss_mb'] / medians[other]['tree_pss_mb']:.2f} | {bound:.1f} | "
                f"{median['wall'] / bound:.2f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--articles", type=int, action="append",
                        help="articles per host (repeatable; default 200)")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds between two requests "
                        "to one host (production: 1.0)")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each crawler per size, interleaved (default 3)")
    parser.add_argument("--against", metavar="DIR", help="our crawler from DIR (another "
                        "commit's checkout) in Scrapy's place, named base: an A/B of two versions")
    parser.add_argument("--floor", action="store_true", help="also run a bare httpx client "
                        "(fetching alone, the project's libraries imported): the floor")
    parser.add_argument("--child", nargs=3, metavar=("CRAWLER", "OPTIONS", "WORKDIR"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--stories", choices=("same", "distinct"), default="same",
                        help="same: every site serves the same stories (ours links 19 copies "
                        "of each); distinct: every article is a story of its own")
    parser.add_argument("--serve", nargs=3, type=int, metavar=("HOSTS", "ARTICLES", "DISTINCT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.serve:
        serve(*args.serve)
        return
    global CRAWLERS
    if args.against:
        CRAWLERS = ("ours", "base")
        args.against = str(Path(args.against).resolve())
    if args.floor:
        CRAWLERS = (*CRAWLERS, "httpx")
    compile_bytecode(ROOT / "crawler")
    if args.against:
        compile_bytecode(Path(args.against) / "crawler")
    command = "rerun: .venv/bin/python scripts/bench/crawl_speed.py " + shlex.join(sys.argv[1:])
    began = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {load_average()}"
    print(f"{machine()}\nstarted {began}", file=sys.stderr)
    print(RUN_HEADER, file=sys.stderr)
    runs = [run for size in args.articles or [200]
            for run in bench(args.hosts, size, args.delay, args.concurrency, args.repeat,
                             args.stories == "distinct", args.against)]
    print(f"\n{machine()}\nstarted {began}\nended {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
          f"{load_average()}\nhosts={args.hosts} delay={args.delay}s "
          f"concurrency/host={args.concurrency} retries=3 latency=50-200ms "
          f"stories={args.stories}\n")
    print(RUN_HEADER)
    print("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|---:|")
    for run in runs:
        print(run_line(run))
    print()
    print("\n".join(summary_lines(runs, args.delay)))
    print(f"\n{command}")


if __name__ == "__main__":
    main()
