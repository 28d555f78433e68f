"""crawl_source(): discover ──► fetch ──► extract ──► clean ──► dedup ──► store, for one source.

Every entry point (the CLI pass, the backfill, the scheduler, the worker) calls `crawl_source`;
nothing else knows how to crawl. A listing page's articles are fetched through a window of
BATCH and stored as they arrive, one transaction per batch, fetches going on while a batch is
stored; an entry point's ETag is saved only after its articles are stored, so a run killed
anywhere loses nothing that a rerun does not pick up again. Every database call runs on one
thread of its own (`_db`), so the event loop, which sends every source's requests, never waits
for a write or a dedup step.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from crawler import parsing
from crawler.config import Config, Settings, Source
from crawler.discover import ListingPage, walk_entry_point
from crawler.due import due_at, why_not_due
from crawler.errors import CrawlerError, FetchError, ParseError, RobotsDisallowed, StoreError
from crawler.extract import SourceParser
from crawler.http.client import HttpClient
from crawler.http.robots import CrawlDelayTooLong
from crawler.items import Article, Link, Parsed, Teaser
from crawler.locks import source_lock
from crawler.models import SourceState
from crawler.parsing import parse_article
from crawler.report import Outcome, SourceReport, Status
from crawler.sources import parser_for
from crawler.stats import DRIFT_HISTORY, drift, stored_fill
from crawler.store import Store
from crawler.urls import host_of

log = logging.getLogger(__name__)
# A failing source rests 5 min, then 10, 20, ... up to 6 h, so a dead site costs little.
BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_CAP = timedelta(hours=6)
# Articles of a listing page fetched or in flight and not yet stored, at most: a feed of
# thousands of items is never held in memory at once, and a killed run keeps every batch stored
# before it. A batch is written once MIN_BATCH have arrived (or the page's last ones) and no
# other write of the page is running: a write and its dedup step have a fixed cost.
BATCH = 50
MIN_BATCH = 25
# How often a crawl waiting for its fetches looks whether it was asked to stop (seconds).
STOP_POLL = 0.5
# The database thread. One: a session or connection never crosses threads, the writes keep the
# order the crawl makes them in, and SQLite takes one writer at a time anyway.
_DATABASE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crawler-db")
Result = TypeVar("Result")


async def _db(call: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Run a blocking database call (a Store method) on the database thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_DATABASE, functools.partial(call, *args, **kwargs))


def in_window(when: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    """The backfill window, applied in this one place. An unknown date is kept."""
    if when is None:
        return True
    return (since is None or when >= since) and (until is None or when < until)


@dataclass
class SourceCrawl:
    """One crawl of one source, as each of its steps (_crawl, _ingest_listing, _fetch_article,
    _dedup) reads it: what is crawled and with what, the window and mode asked for, the report
    being filled, and what the run has done so far."""

    source: Source
    parser: SourceParser
    client: HttpClient
    store: Store
    settings: Settings
    report: SourceReport
    since: datetime | None = None  # the backfill window [since, until); None: a daily pass
    until: datetime | None = None
    refresh: bool = False  # read every article again, stored or not
    should_stop: Callable[[], bool] | None = None
    on_progress: Callable[[SourceReport], None] | None = None
    # URL keys of the articles handled in this run, across entry points
    done: set[str] = field(default_factory=set)
    # article fetches whose response has arrived and is being parsed: a stop lets them finish
    parsing: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def backfill(self) -> bool:
        return self.since is not None

    @property
    def deadline(self) -> float:
        """When the source's time is up (time.monotonic())."""
        return self.report.started + self.settings.source_time_budget

    def stopping(self) -> bool:
        """Whether the run was asked to stop (SIGINT/SIGTERM, a stopping daemon)."""
        return self.should_stop is not None and self.should_stop()

    def in_window(self, when: datetime | None) -> bool:
        return in_window(when, self.since, self.until)

    def progress(self) -> None:
        if self.on_progress:
            self.on_progress(self.report)


async def crawl_source(
    source: Source,
    *,
    settings: Settings,
    client: HttpClient,
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    refresh: bool = False,
    force: bool = False,
    wait: bool = False,
    should_stop: Callable[[], bool] | None = None,
    on_progress: Callable[[SourceReport], None] | None = None,
    run_id: int | None = None,
) -> SourceReport:
    """Crawl one source once (daily pass), or walk it back to `since` (backfill).

    Never twice at once: a crawl of the same source running elsewhere on this database makes
    this one skip (or, with `wait`, wait for it). A daily pass also skips a source that is not
    due: crawled less than its interval ago, or failing and backing off (`force` ignores both).
    `should_stop` is asked after each stored listing page, so a stopping daemon ends cleanly.
    What the crawl did is kept in `source_runs` (of crawl run `run_id`, when there is one)."""
    report = SourceReport(source=source.name)
    if on_progress:
        on_progress(report)  # the live report: a progress view reads it as it changes
    lock = source_lock(store.engine, source.name)
    acquired = (await asyncio.to_thread(lock.acquire, wait=True) if wait
                else lock.acquire(wait=False))
    if not acquired:
        return report.skip(f"another crawl of {source.name} is running",
                           level=logging.WARNING)
    try:
        now = datetime.now(UTC)
        reason = None if force or since is not None else await _db(not_due, store, source, now)
        if reason:
            return report.skip(reason, level=logging.WARNING if reason.startswith("failing")
                               else logging.INFO)
        earlier = await _db(stored_fill, store, source.name, latest=DRIFT_HISTORY)
        try:
            await _crawl(SourceCrawl(
                source=source, parser=parser_for(source), client=client, store=store,
                settings=settings, report=report, since=since, until=until, refresh=refresh,
                should_stop=should_stop, on_progress=on_progress))
            if should_stop and should_stop():
                report.status = Status.INTERRUPTED  # what was fetched is stored; not a success
        except StoreError:
            raise  # the database is the run's, not the source's: the run reports it
        except Exception as exc:  # a bug or an input nobody foresaw: this source fails alone
            log.exception("%s: crawl crashed", source.name)
            report.error(f"crawl crashed: {type(exc).__name__}: {exc}")
            report.status = Status.FAILED
        report.duration = time.monotonic() - report.started
        report.drift = drift(earlier, report.fill)
        if report.drift:  # the site may have changed its markup: one line per source run
            log.warning("%s: fields stopped filling: %s", source.name, "; ".join(report.drift),
                        extra={"event": "field_drift", "source": source.name})
        await _db(_record, store, report, run_id, now)
        level = {Status.OK: logging.INFO, Status.FAILED: logging.ERROR}.get(report.status,
                                                                   logging.WARNING)
        log.log(level, "%s: %s in %.1fs: %d pages, %d articles, %d new, %d updated, "
                "%d teasers, %d errors", source.name, report.status, report.duration,
                report.pages, report.articles, report.new, report.updated, report.teasers,
                len(report.errors),
                extra={"event": "source_done", "source": source.name, "status": report.status,
                       "duration": round(report.duration, 3), "pages": report.pages,
                       "articles": report.articles, "new": report.new,
                       "updated": report.updated, "teasers": report.teasers,
                       "errors": len(report.errors),
                       "error": report.errors[0] if report.errors else None})
    finally:
        lock.release()
    if on_progress:
        on_progress(report)
    return report


def _record(store: Store, report: SourceReport, run_id: int | None, now: datetime) -> None:
    """Keep the crawl's outcome: the source's state (a failure backs it off) and its run row."""
    if report.status == Status.INTERRUPTED:
        pass  # neither a success nor a failure: the next run is due at once and continues
    elif report.status == Status.FAILED:
        failures = (store.get_source_state(report.source) or SourceState()).consecutive_failures
        store.record_source_failure(report.source, report.errors[0] if report.errors else "",
                                    now, retry_at=now + backoff(failures + 1))
    elif report.status == Status.OK:  # a skipped source was neither crawled nor failing
        store.record_source_success(report.source, now)
    store.record_source_run(report.row(run_id, now))


def backoff(failures: int) -> timedelta:
    """How long a source that failed `failures` times in a row rests: doubling, capped."""
    return min(BACKOFF_BASE * 2 ** max(failures - 1, 0), BACKOFF_CAP)


def next_due(store: Store, source: Source) -> datetime | None:
    """When the source may next be crawled (crawler/due.py). None: now."""
    return due_at(store.get_source_state(source.name), source)


def not_due(store: Store, source: Source, now: datetime) -> str | None:
    """Why the source is not due now, or None (the rule is crawler/due.py's)."""
    return why_not_due(store.get_source_state(source.name), source, now)


async def _crawl(crawl: SourceCrawl) -> None:
    source, settings, store, report = crawl.source, crawl.settings, crawl.store, crawl.report
    since, backfill, deadline = crawl.since, crawl.backfill, crawl.deadline
    entry_failures = 0
    for entry in source.entry_points:
        if crawl.stopping():
            break
        if time.monotonic() >= deadline:
            break
        state = None if backfill else await _db(store.get_fetch_state, entry.url)
        validators = (state.etag, state.last_modified) if state else (None, None)
        pages = walk_entry_point(
            entry, source=source, parser=crawl.parser, client=crawl.client, backfill=backfill,
            max_pages=settings.max_pages, validators=validators,
            # a refresh reads every article again: a body as last read is read again too
            last_hash=state.body_hash if state and not crawl.refresh else None,
            parse_timeout=settings.page_parse_timeout,
        )
        walked, reached_since, cut = 0, False, False
        try:
            async for listing in pages:
                report.pages += 1
                walked += 1
                failed_before = report.failed_fetches
                if listing.response is not None:
                    report.fetched(listing.response)
                cut = listing.cut
                dates = await _ingest_listing(crawl, listing)
                await _dedup(crawl)
                # The entry point's validators are kept only when every article it listed
                # was had (none failed, none left at the time budget): else the next run's 304
                # would hide the ones missing.
                if (listing.url == entry.url and listing.response is not None
                        and report.failed_fetches == failed_before
                        and time.monotonic() < deadline and not crawl.stopping()):
                    response = listing.response
                    # A 304 need not repeat the validators: the stored ones still hold.
                    kept = state if response.not_modified and state else None
                    await _db(
                        store.save_fetch_state, entry.url, status=response.status,
                        etag=response.headers.get("etag") or (kept and kept.etag),
                        last_modified=response.headers.get("last-modified")
                        or (kept and kept.last_modified),
                        body_hash=listing.body_hash or (state.body_hash if state else None),
                    )
                crawl.progress()
                if backfill and dates and max(dates) < since:
                    reached_since = True
                    break  # the walk has gone past --since
                if crawl.stopping():
                    break  # this batch is stored; the rest waits for the next run
                if time.monotonic() >= deadline:
                    break  # reported below, once
            if cut and backfill and not reached_since:
                report.error(f"entry point {entry.url}: stopped after max_pages="
                             f"{settings.max_pages} pages, before reaching --since "
                             f"{since:%Y-%m-%d}", entry.url)
            elif cut and not backfill:  # only indexes lead a daily pass this far
                report.error(f"entry point {entry.url}: stopped after max_pages="
                             f"{settings.max_pages} pages of sitemap indexes", entry.url)
        except StoreError:
            raise  # the database is the run's, not the source's
        except CrawlDelayTooLong as exc:
            report.skip(exc.reason, level=logging.WARNING)  # the site keeps it from us
            return
        except CrawlerError as exc:
            entry_failures += 1
            report.error(f"entry point {entry.url}: {_reason(exc)}", entry.url)
        finally:
            await pages.aclose()
    if time.monotonic() >= deadline:
        report.error(f"stopped after source_time_budget ({settings.source_time_budget:g} s): "
                     "what was stored is kept; the rest waits for the next run")
    # Failed: no entry point could be read, or article pages were fetched this run and not one
    # of them could be stored (a redesign that broke the parser, a site that answers errors).
    failed = entry_failures == len(source.entry_points) or (
        report.articles + report.failed_fetches > 0
        and report.new + report.updated + report.unchanged == 0 and len(report.errors) > 0
    )
    report.status = Status.FAILED if failed else Status.OK


async def _ingest_listing(crawl: SourceCrawl, listing: ListingPage) -> list[datetime]:
    """Store one listing page's teasers and articles; return the dates seen, for the walk.
    At most BATCH articles are held fetched or in flight; each batch stored (one transaction)
    is keyed for dedup while the next pages are fetched; all are stored when this returns.
    At `deadline` (time.monotonic()) the fetches in flight are dropped and what arrived is
    stored."""
    source, store, report, done = crawl.source, crawl.store, crawl.report, crawl.done
    deadline = crawl.deadline
    dates: list[datetime] = []
    teasers = listing.teasers
    wanted: dict[str, Link] = {}  # by URL key; links come keyed (crawler.discover)
    for link in listing.links:
        if link.published_at is not None:
            dates.append(link.published_at)
        assert link.key is not None and link.kept is not None
        if link.key in done or not crawl.parser.is_article_url(link.url):
            continue  # links to other hosts are kept as teasers only, never fetched
        if not crawl.in_window(link.published_at):
            continue
        done.add(link.key)
        wanted[link.key] = link
    if not crawl.refresh:  # stored articles, and pages already found to be partial copies
        known = await _db(store.known_pages, source.name,
                          {key: link.kept for key, link in wanted.items()})
        report.already_stored += sum(1 for key in wanted if key in known)
        wanted = {key: link for key, link in wanted.items() if key not in known}
    # The page's teasers are stored while its first articles are fetched; the database thread
    # takes calls in order, so they are stored before any of those articles.
    storing_teasers = _read_error(asyncio.ensure_future(_db(store.add_teasers, teasers))
                                  ) if teasers else None

    async def store_batch(articles: dict[str, Article], partial: list[Teaser]) -> None:
        if partial:
            report.teasers += await _db(store.add_teasers, partial)
        if not articles:
            return
        outcomes = await _db(store.upsert_articles, list(articles.values()))
        # an article the store refused (crawler.limits: "skipped") counts nowhere
        stored = [article for article, outcome in zip(articles.values(), outcomes, strict=True)
                  if outcome != Outcome.SKIPPED]
        for article in stored:
            report.fill.add(article)
        report.new += outcomes.count(Outcome.NEW)
        report.updated += outcomes.count(Outcome.UPDATED)
        report.unchanged += outcomes.count(Outcome.UNCHANGED)
        for article, outcome in zip(articles.values(), outcomes, strict=True):
            if outcome not in (Outcome.UNCHANGED, Outcome.SKIPPED):
                log.debug("%s: %s %s", source.name, outcome, article.url, extra={
                    "event": "article_stored", "source": source.name, "url": article.url})
        report.teasers += sum(len(a.teasers) for a in stored)
        # The page's teasers wait for the step after its last batch (_crawl), as its articles
        # would have them: linked by URL to an article of a later batch, not left unmatched.
        await _dedup(crawl, teasers=False)

    def ready(results: list[Parsed | None]) -> tuple[dict[str, Article], list[Teaser]]:
        """Fetched pages as a batch to store: articles by URL key, and partial copies
        (SourceParser.find gives those as Teasers: not articles). Their URLs come kept as
        served and keyed (SourceParser.address), whatever the scheme or host alias."""
        articles: dict[str, Article] = {}
        partial: list[Teaser] = []
        for parsed in results:
            if parsed is None:
                continue
            if parsed.copy is not None:
                partial.append(parsed.copy)
                continue
            if (article := parsed.article) is None:
                continue  # no article: reported by _fetch_article
            if article.url_key is None:  # a parser's own `find` that did not key it
                article.url_key = crawl.parser.address(article.url)[1]
            if article.published_at is not None:
                dates.append(article.published_at)
            if crawl.in_window(article.published_at):
                articles[article.url_key] = article  # one page reached by two links: once
        return articles, partial

    # A sliding window: up to BATCH articles fetched or being fetched, not yet stored. Once
    # MIN_BATCH have arrived (or the last ones) and no batch is being stored, they are stored
    # (one transaction) while the fetches go on: no fetch waits for a batch to fill or to be
    # stored, and after the page's last response little is left to store.
    # A link of the window becomes a fetch (a task) only when no other fetch of this page waits
    # for its turn at the link's host (politeness): the window's other links wait as links, in
    # their order, not as ~50 tasks each holding a request's coroutines (~4 KB) in the host's
    # queue (issue 17). The requests go out to each host in the same order as before.
    links = iter(wanted.values())
    queued: dict[str, deque[Link]] = {}  # links of the window not fetched yet, by host
    held = 0  # links in `queued`
    waiting: set[str] = set()  # hosts where a fetch of this window waits for its turn
    fetching: set[asyncio.Task[Parsed | None]] = set()
    # a fetch that ended, or None: a fetch had its turn (another may wait in its place)
    finished: asyncio.Queue[asyncio.Task[Parsed | None] | None] = asyncio.Queue()
    arrived: list[Parsed | None] = []
    storing: asyncio.Task[None] | None = None

    def turn(host: str) -> None:
        waiting.discard(host)
        finished.put_nowait(None)

    try:
        while True:
            stopping = crawl.stopping()
            if stopping and fetching:
                # SIGINT/SIGTERM: the requests in flight are dropped; what arrived is parsed
                # (each parse has its own time budget) and stored
                for task in fetching - crawl.parsing:
                    task.cancel()
                await asyncio.wait(fetching)
                arrived.extend(task.result() for task in fetching if not task.cancelled())
                fetching.clear()
            if stopping:
                queued.clear()
                held = 0
            while (not stopping and len(fetching) + held + len(arrived) < BATCH
                   and (link := next(links, None))):
                queued.setdefault(host_of(link.url), deque()).append(link)
                held += 1
            for host, links_of_host in queued.items():
                if links_of_host and host not in waiting:
                    link = links_of_host.popleft()
                    held -= 1
                    waiting.add(host)
                    task = asyncio.create_task(_fetch_article(  # as linked
                        crawl, link.url, _Once(functools.partial(turn, host))))
                    task.add_done_callback(finished.put_nowait)  # (asyncio.wait would cost O(n))
                    _read_error(task)
                    fetching.add(task)
            if not fetching and not arrived:
                break
            if fetching:
                # wakes up now and then to notice a stop request (SIGINT/SIGTERM)
                wait = deadline - time.monotonic()
                if crawl.should_stop:
                    wait = min(wait, STOP_POLL)
                try:
                    if finished.empty():
                        async with asyncio.timeout(max(wait, 0)):
                            landed = [await finished.get()]
                    else:
                        landed = [finished.get_nowait()]
                except TimeoutError:
                    if time.monotonic() < deadline:
                        continue  # a stop poll: the loop's head notices the request
                    # the source's time is up: keep what arrived, no more
                    links = iter(())
                    queued.clear()
                    held = 0
                    for task in fetching:
                        task.cancel()
                    await asyncio.wait(fetching)
                    landed = [task for task in fetching if not task.cancelled()]
                    fetching.clear()
                else:
                    while not finished.empty():
                        landed.append(finished.get_nowait())
                    landed = [task for task in landed if task is not None]
                    fetching.difference_update(landed)
                arrived.extend(task.result() for task in landed)
            if storing is not None and (storing.done() or not fetching):
                await storing  # raises what the write raised
                storing = None
            if storing is None and (len(arrived) >= MIN_BATCH or arrived and not fetching):
                storing = _read_error(asyncio.create_task(store_batch(*ready(arrived))))
                arrived = []
    finally:
        for task in fetching:  # an error left them behind: nothing of theirs is stored
            task.cancel()
        # never return, nor fail, with a write half-way to the database
        writes = [task for task in (storing_teasers, storing) if task is not None]
        if writes or fetching:
            await asyncio.wait([*writes, *fetching])
    if storing_teasers is not None:
        report.teasers += storing_teasers.result()  # raises what the write raised
    if storing is not None:
        storing.result()
    return dates


def _read_error(task: asyncio.Future[Result]) -> asyncio.Future[Result]:
    """Mark the task's error as read once it ends. The first error of a page is raised where
    its task is awaited; the others (two failed writes, a run cut short) would be printed by
    asyncio as "Task exception was never retrieved", with a traceback and SQL parameters."""
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
    return task


async def _dedup(crawl: SourceCrawl, *, teasers: bool = True) -> None:
    """Link what this source stored: teasers to their articles (by URL, else by text, in
    either order of arrival), republished copies to their original. Anything a crash left
    pending is picked up too. Without `teasers`, only the articles (and the teasers they
    settle anew): the new teasers are left for a later step."""
    source, report = crawl.source, crawl.report
    counts = await _db(crawl.store.dedup, source.name, title=source.title,
                       window=timedelta(days=crawl.settings.copy_window_days), teasers=teasers)
    report.teasers_matched += counts.teasers_matched
    report.teasers_unmatched += counts.teasers_unmatched
    report.copies += counts.copies


class _Once:
    """`call`, called once whatever calls it again."""

    def __init__(self, call: Callable[[], None]) -> None:
        self._call: Callable[[], None] | None = call

    def __call__(self) -> None:
        call, self._call = self._call, None
        if call is not None:
            call()


async def _fetch_article(
    crawl: SourceCrawl, url: str, on_turn: Callable[[], None] | None = None
) -> Parsed | None:
    """What the page at `url` holds; None when it could not be fetched or parsed (reported).
    `on_turn` is called once: when the request has its turn at the host, or, if it never
    has, once it ends."""
    source, report = crawl.source, crawl.report
    try:
        # Only the source's own hosts: a redirect elsewhere is refused, never followed.
        response = await crawl.client.get(url, allowed_hosts=source.all_hosts,
                                          on_turn=on_turn)
    except CrawlDelayTooLong:
        raise  # the whole source is skipped (_crawl)
    except RobotsDisallowed:
        log.debug("%s: robots.txt disallows %s", source.name, url, extra={
            "event": "robots_disallowed", "source": source.name, "url": url})
        return None
    except FetchError as exc:
        report.failed_fetches += 1
        report.error(f"{url}: {_reason(exc)}", url)
        return None
    finally:
        if on_turn is not None:
            on_turn()  # if the request never had its turn
    report.articles += 1
    report.fetched(response)
    task = asyncio.current_task()
    assert task is not None  # run as a task of _ingest_listing's window
    crawl.parsing.add(task)  # fetched: a stop no longer cancels it
    try:  # in a worker process, under a time budget: a page that will not end fails alone
        parsed = await parse_article(crawl.parser, response,
                                     crawl.settings.page_parse_timeout)
    except ParseError as exc:  # too slow, or the worker died
        report.error(f"{url}: {exc}", url)
        return None
    except Exception as exc:  # a parser bug on one page must not lose the rest of the source
        log.exception("%s: parser failed on %s", source.name, url)
        report.error(f"{url}: parser failed: {type(exc).__name__}: {exc}", url)
        return None
    finally:
        crawl.parsing.discard(task)
    if parsed.missing:
        report.error(f"{url}: no article found ({parsed.why})", url)
    return parsed


def _reason(exc: Exception) -> str:
    return exc.reason if isinstance(exc, FetchError) else str(exc)


@dataclass
class RunReport:
    run_id: int
    sources: list[SourceReport]

    @property
    def failed(self) -> list[SourceReport]:
        return [r for r in self.sources if r.status == Status.FAILED]


async def crawl(
    config: Config,
    sources: list[Source],
    *,
    store: Store,
    client: HttpClient,
    since: datetime | None = None,
    until: datetime | None = None,
    refresh: bool = False,
    force: bool = False,
    wait: bool = False,
    on_progress: Callable[[SourceReport], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RunReport:
    """One pass (or one backfill) over `sources`, concurrently, recorded as one crawl run.
    Once `should_stop()` is true (SIGINT, SIGTERM), each crawl stores what it fetched and ends,
    and the run is recorded as interrupted."""
    parsing.start()  # the workers import while robots.txt and the first listings are fetched
    run_id = store.start_run(mode="backfill" if since else "pass", since=since, until=until,
                             sources=[s.name for s in sources])
    reports: list[SourceReport] = []
    fault: list[str] = []  # a database fault: the run's failure, not any source's
    crawls = [asyncio.ensure_future(
        crawl_source(s, settings=config.settings, client=client, store=store, since=since,
                     until=until, refresh=refresh, force=force, wait=wait,
                     on_progress=on_progress, should_stop=should_stop, run_id=run_id))
        for s in sources]
    try:
        reports = list(await asyncio.gather(*crawls))
    except StoreError as exc:
        fault.append(str(exc))
        for other in crawls:  # the others stop where they are; nothing is recorded for them
            other.cancel()
        await asyncio.wait(crawls)
        raise
    finally:
        interrupted = should_stop is not None and should_stop()
        store.finish_run(
            run_id,
            status=(Status.INTERRUPTED if interrupted else Status.FAILED
                    if not reports or any(r.status == Status.FAILED for r in reports)
                    else Status.OK).value,
            pages=sum(r.pages for r in reports), new=sum(r.new for r in reports),
            updated=sum(r.updated for r in reports), teasers=sum(r.teasers for r in reports),
            errors=[f"{r.source}: {e}" for r in reports for e in r.errors] + fault,
        )
    return RunReport(run_id=run_id, sources=reports)
