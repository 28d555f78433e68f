"""Pages are decoded and parsed in worker processes, each page under a time budget.

Parsing is CPU work: on the event loop, which sends every source's requests, one pathological
page (6,000 sibling <p>, 100,000 nested <div>, a regex that backtracks) froze the whole run,
and a thread would not help, as a parse holds the GIL and cannot be stopped. A worker process
can: a page still parsing after `page_parse_timeout` seconds is killed with its worker (pebble
starts another) and fails alone; the budget starts when a worker takes the page, so pages
waiting their turn are never timed out.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import multiprocessing
import os
import pickle
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as PoolTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from crawler.errors import ParseError
from crawler.extract import SourceParser
from crawler.http.charset import decode_body
from crawler.items import Parsed
from crawler.page import Page

if TYPE_CHECKING:
    from crawler.http.client import Response

# At most this many workers; at least two, so that a page being killed at its budget holds up
# no other page for long. A pool starts with one (FIRST_WORKERS): in a crawl pages arrive a few ms
# apart and take a ms or two to parse, so a second worker sat idle, holding its 59 MB (issue 17).
# Another worker is added when a page waits while one page runs for GROW_AFTER seconds (a page
# stuck until its budget, or a long one): the waiting pages then wait that long plus a worker's
# start (about a second), never their budget, which starts when a worker takes them.
WORKERS = max(2, min(4, os.cpu_count() or 1))
FIRST_WORKERS = 1
GROW_AFTER = 0.5  # seconds

Result = TypeVar("Result")
_pool: ProcessPool | None = None
_pool_lock = threading.Lock()
_pool_started: ProcessPool | None = None  # the pool `start` started
_stop_registered = False  # _stop_at_exit is an exit handler (once, whatever pools come after)
# A parser is pickled once, not with every page: {parser: (digest, pickle)} here, and in each
# worker {digest: parser}, unpickled on its first page. Unpickling a source's model and working
# out the publishers' keys again for every page cost more than parsing the page (issue 17).
# Once a worker has parsed with it, the pickle is no longer sent: only its digest, and a worker
# that has not got it yet (the other workers, one started since) answers NotShipped, and the
# page is sent again with the pickle.
_shipped: weakref.WeakKeyDictionary[SourceParser, tuple[bytes, bytes]] = (
    weakref.WeakKeyDictionary())
_held: weakref.WeakSet[SourceParser] = weakref.WeakSet()  # parsers a worker has received
_received: dict[bytes, SourceParser] = {}
_RECEIVED_LIMIT = 256  # parsers a worker keeps (a run's sources; more only in a long worker)
_warm = False  # in a worker: its start-up imports are done (`_warm_up`)
# A pool breaks when its workers die with no task running: workers that cannot start (a broken
# install, no memory at start-up). Pools started again at once broke again, and pebble's
# scheduler thread of one then blocked for ever sending a task to a worker that never read it:
# the run never ended (reproduced with `crawl`, workers killed at start-up). So, for a while
# after a break, no new pool: every page and listing fails at once with WorkersBroken.
BROKEN_POOL_PAUSE = 60.0  # seconds (a long-running scheduler tries again after it)
POOL_CHECK_SECONDS = 1.0  # how often a waiting page looks whether its pool is still up
_broken_until = 0.0  # time.monotonic() before which no pool is started
_stopped: weakref.WeakSet[ProcessPool] = weakref.WeakSet()  # pools stopped here
_broken: weakref.WeakSet[ProcessPool] = weakref.WeakSet()  # pools seen broken
_in_flight: set[Future[Any]] = set()  # the tasks in_worker waits for (queued or running)


class ParseTimeout(ParseError):
    """A page took longer than its budget to parse; its worker was stopped."""


class WorkersBroken(ParseError):
    """The parsing workers died with no page to blame: they cannot start."""

    def __init__(self) -> None:
        super().__init__("the parsing workers cannot start (they exit before taking a page); "
                         "no page can be parsed")


def _broke(pool: ProcessPool) -> WorkersBroken:
    """Note that `pool` broke; the error to raise."""
    with _pool_lock:
        _note_broken(pool)
    return WorkersBroken()


def _note_broken(pool: ProcessPool) -> None:
    """(Under _pool_lock.) `pool` broke: stopped if it was not, forgotten, and no new pool for
    BROKEN_POOL_PAUSE."""
    global _pool, _broken_until
    _broken_until = time.monotonic() + BROKEN_POOL_PAUSE
    _broken.add(pool)
    if _pool is pool:
        _pool = None
    if pool not in _stopped:
        _stopped.add(pool)
        with contextlib.suppress(Exception):
            pool.stop()  # its threads end; a task left in its queue fails with its waiter


def _workers() -> ProcessPool:
    global _pool, _stop_registered
    with _pool_lock:
        if _pool is not None and not _pool.active and _pool not in _stopped:
            _note_broken(_pool)  # it broke, seen here first
        if time.monotonic() < _broken_until:
            raise WorkersBroken
        if _pool is None or not _pool.active:
            # spawn: a fresh interpreter, not a fork of this process with its threads (database,
            # listing parser) and open connections
            _pool = ProcessPool(max_workers=WORKERS, context=multiprocessing.get_context("spawn"),
                                initializer=_warm_up)
            _set_workers(_pool, FIRST_WORKERS)
            if not _stop_registered:
                atexit.register(_stop_at_exit)
                _stop_registered = True
        return _pool


def _worker_manager(pool: ProcessPool) -> Any:
    """pebble's manager of `pool`'s workers, which keeps `workers_number` of them running; None
    if pebble no longer has one that says (then the pool keeps the max_workers it was made
    with)."""
    manager = getattr(getattr(pool, "_pool_manager", None), "worker_manager", None)
    return manager if isinstance(getattr(manager, "workers_number", None), int) else None


def _worker_count(pool: ProcessPool) -> int | None:
    """How many workers `pool` keeps running; None if pebble no longer says."""
    manager = _worker_manager(pool)
    return None if manager is None else manager.workers_number


def _set_workers(pool: ProcessPool, count: int) -> None:
    """Have `pool` keep `count` workers running. pebble's pool makes its max_workers at start
    and again whenever one ends (`WorkerManager.create_workers`, every 0.1 s, from the number
    set here), and has no call for it: this sets that number (pebble 5.1-5.2). With a pebble
    that no longer has it, nothing changes: the pool runs WORKERS workers from the start."""
    manager = _worker_manager(pool)
    if manager is not None:
        manager.workers_number = count


def _grow(pool: ProcessPool) -> None:
    """One worker more for `pool`, up to WORKERS."""
    with _pool_lock:
        count = _worker_count(pool)
        if count is not None and count < WORKERS:
            _set_workers(pool, count + 1)


def _stop_at_exit() -> None:
    """The current pool stopped before the interpreter's own exit handlers run (atexit calls
    this one first: it was registered after multiprocessing's). Left to those, the workers are
    terminated while pebble's manager thread still runs, which can start a worker in their
    place: the likely cause of a spawned worker's traceback seen once in a crawl's stderr,
    after its last line (a run that failed at its first write, at load 17; not reproduced in
    a dozen tries since, so no test reproduces it)."""
    pool = _pool
    if pool is not None and pool.active:
        _stopped.add(pool)
        pool.stop()
        with contextlib.suppress(Exception):
            pool.join(timeout=5)


def _warm_up() -> None:
    """Each worker's start: what parsing a page imports (this module, being this function's:
    the page, extraction and text code) imported before its first page, not when that page
    comes. The listings' readers (crawler.discover, feedparser) come with the first listing."""
    global _warm
    _warm = True


def _started() -> None:
    """The task that `start` schedules: nothing; scheduling it starts the pool."""


def start() -> None:
    """Start the workers now, not when the first page comes: a pool starts its processes on
    its first task, and a spawned worker imports for about a second (more on a loaded
    machine) before it parses anything. Called as a crawl starts, so that the workers import
    while the store is opened and robots.txt and the first listings are fetched."""
    global _pool_started
    pool = _workers()
    with _pool_lock:
        if _pool_started is pool:
            return
        _pool_started = pool
    pool.schedule(_started)


def parse_page(parser: SourceParser, url: str, content: bytes,
               content_type: str | None) -> Parsed:
    """Decode and parse one article page (what a worker runs)."""
    return parser.find(Page.from_html(url, decode_body(content, content_type)))


def _ship(parser: SourceParser) -> tuple[bytes, bytes]:
    """(digest, pickle) of the parser, pickled once. A parser holds no state that parsing
    changes, so the copy a worker keeps parses as a fresh one would."""
    found = _shipped.get(parser)
    if found is None:
        blob = pickle.dumps(parser, protocol=pickle.HIGHEST_PROTOCOL)
        found = _shipped[parser] = (hashlib.blake2b(blob, digest_size=16).digest(), blob)
    return found


class NotShipped(Exception):  # noqa: N818 (a request to send again, not an error)
    """Raised in a worker sent only a parser's digest for a parser it has not received."""


def _with_shipped(function: Callable[..., Result], digest: bytes, blob: bytes | None,
                  *args: Any) -> Result:
    """`function(parser, *args)` with the worker's copy of a shipped parser (unpickled on its
    first page). Without the pickle (`blob` None), NotShipped if the worker has not got it."""
    parser = _received.get(digest)
    if parser is None:
        if blob is None:
            raise NotShipped
        if len(_received) >= _RECEIVED_LIMIT:
            _received.clear()
        parser = _received[digest] = pickle.loads(blob)
    return function(parser, *args)


async def with_parser(function: Callable[..., Result], parser: SourceParser, *args: Any,
                      timeout: float) -> Result:
    """`function(parser, *args)` run in a worker (`function` defined at module level), the
    parser shipped once (see `_ship`). Raises as `in_worker` does."""
    digest, blob = _ship(parser)
    if parser in _held:
        try:
            return await in_worker(_with_shipped, function, digest, None, *args,
                                   timeout=timeout)
        except NotShipped:
            pass
    try:
        return await in_worker(_with_shipped, function, digest, blob, *args, timeout=timeout)
    finally:
        _held.add(parser)  # (if its worker was since stopped, the next page is sent again)


async def parse_article(parser: SourceParser, response: Response,
                        timeout: float) -> Parsed:
    """What the page holds (its article, a partial copy, or nothing and why), parsed in a
    worker. Raises as `in_worker` does."""
    return await with_parser(parse_page, parser, response.url, response.content,
                             response.headers.get("content-type"), timeout=timeout)


async def in_worker(function: Callable[..., Result], *args: Any, timeout: float) -> Result:
    """`function(*args)` run in a worker process (both picklable). Raises ParseTimeout after
    `timeout` seconds of running, ParseError if the worker died, else what the function
    raised."""
    pool = _workers()
    task = pool.schedule(function, args, timeout=timeout)
    waiting = asyncio.wrap_future(task)
    _in_flight.add(task)
    running_before: set[Future[Any]] = set()
    try:
        while True:  # until done, or its pool broke with the page still queued (see _broke)
            can_grow = (_worker_count(pool) or WORKERS) < WORKERS
            done, _ = await asyncio.wait(
                (waiting,), timeout=GROW_AFTER if can_grow else POOL_CHECK_SECONDS)
            if done:
                return waiting.result()
            if can_grow and not task.running():
                # still queued: grow if a page ran all the while (since the last look)
                running = {other for other in _in_flight if other.running()}
                if running & running_before:
                    _grow(pool)
                running_before = running
            if not pool.active:  # stopped, or broken: a task left in its queue never ends
                waiting.cancel()
                if pool in _stopped and pool not in _broken:
                    raise ParseError("the parsing workers were stopped")
                raise _broke(pool)
    except asyncio.CancelledError:
        waiting.cancel()  # cancelling the wait cancels the parse
        raise
    except BrokenProcessPool:
        raise _broke(pool) from None
    except PoolTimeout:
        raise ParseTimeout(f"parsing took longer than page_parse_timeout ({timeout:g} s); "
                           "page skipped") from None
    except ProcessExpired as exc:  # killed from outside (out of memory), or crashed
        raise ParseError(f"the parsing process died (exit code {exc.exitcode})") from None
    finally:
        _in_flight.discard(task)


def shutdown() -> None:
    """Stop the workers (they are stopped at exit anyway); the next page starts a pool, even
    within BROKEN_POOL_PAUSE of a break."""
    global _pool, _pool_started, _broken_until
    with _pool_lock:
        _broken_until = 0.0
        if _pool is not None:
            _stopped.add(_pool)
            _pool.stop()
            _pool.join()
            _pool = _pool_started = None
        _held.clear()
