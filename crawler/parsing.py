"""Pages are decoded and parsed in worker processes, each page under a time budget.

Parsing is CPU work: on the event loop, which sends every source's requests, one pathological
page (6,000 sibling <p>, 100,000 nested <div>, a regex that backtracks) froze the whole run,
and a thread would not help, as a parse holds the GIL and cannot be stopped. A worker process
can: a page still parsing after `page_parse_timeout` seconds is killed with its worker (another
starts in its place) and fails alone; the budget starts when a worker takes the page, so pages
waiting their turn are never timed out.

The pool is the event loop's own: each worker (crawler.parsing_worker, a fresh interpreter) has
a pipe for its tasks and one for its results, the loop watches the results' pipe (as it watches
sockets), hands pages to an idle worker by writing them, and arms each page's budget as a
timer when the worker starts it. No thread and no lock (pebble's pool, used before, passed each
page through two threads of the crawling process and three messages, ~8% of a crawl's CPU, and
its processes brought multiprocessing's resource tracker, 13 MB, issue 17).

Pages are handed over a few at a time (up to TOGETHER, or what waited HOLD seconds): in a crawl
a page arrives every few ms and parses in about one, so a worker handed one page at a time slept
between any two and woke with cold caches, on a machine as busy as a crawl makes it: it spent
1.1-1.4 ms of CPU a page against 0.55-0.65 ms for pages written one after another (issue 17). A
page handed over behind one that has run GROW_AFTER (it may run until its budget) is taken back
for another worker; the first still runs it if it gets there, and its answer is dropped.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import os
import pickle
import subprocess
import sys
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from crawler.errors import ParseError
from crawler.extract import SourceParser
from crawler.parsing_worker import (
    BOOTSTRAP,
    HEADER,
    MARKER,
    NotShipped,
    main_of,
    parse_page,
    with_shipped,
    write_frame,
)

if TYPE_CHECKING:
    from crawler.http.client import Response
    from crawler.items import Parsed

__all__ = ["NotShipped", "ParseTimeout", "WorkersBroken", "in_worker", "parse_article",
           "parse_page", "shutdown", "start", "with_parser"]

# At most this many workers; at least two, so that a page being killed at its budget holds up
# no other page for long. A pool starts with one (FIRST_WORKERS): in a crawl pages arrive a few ms
# apart and take a ms or two to parse, so a second worker sat idle, holding its memory (issue 17).
# Another worker is added when a page waits while one page runs for GROW_AFTER seconds (a page
# stuck until its budget, or a long one): the waiting pages then wait that long plus a worker's
# start (about a second), never their budget, which starts when a worker takes them.
WORKERS = max(2, min(4, os.cpu_count() or 1))
FIRST_WORKERS = 1
GROW_AFTER = 0.5  # seconds
# Workers that exit before they are ready (a broken install, no memory at start-up), this many
# in a row, break the pool: every page waiting fails at once with WorkersBroken, and for
# BROKEN_POOL_PAUSE no pool is started (a run would otherwise start workers for ever).
START_FAILURES = 3
BROKEN_POOL_PAUSE = 60.0  # seconds (a long-running scheduler tries again after it)
STOP_WAIT = 5.0  # seconds a worker has to exit once its task pipe is closed, before it is killed
TOGETHER = 4  # pages handed to a worker at once, at most
HOLD = 0.02  # seconds a page waits for others to be handed over with it, at most

Result = TypeVar("Result")
_HOME = str(Path(__file__).resolve().parent.parent)  # the folder holding this `crawler` package
_pool: _Pool | None = None
_broken_until = 0.0  # time.monotonic() before which no pool is started
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


class ParseTimeout(ParseError):
    """A page took longer than its budget to parse; its worker was stopped."""


class WorkersBroken(ParseError):
    """The parsing workers died with no page to blame: they cannot start."""

    def __init__(self) -> None:
        super().__init__("the parsing workers cannot start (they exit before taking a page); "
                         "no page can be parsed")


@dataclass(eq=False)
class _Job:
    """One task: `(function, args)` pickled, its budget, and the future of its answer."""

    task: bytes
    timeout: float
    future: asyncio.Future[Any]
    submitted: float = 0.0  # loop time it began to wait for a worker


@dataclass(eq=False)
class _Worker:
    """A worker process and the crawling process's ends of its two pipes."""

    process: subprocess.Popen[bytes]
    tasks: int  # written here, read by the worker
    results: int  # written by the worker, read here (non-blocking)
    ready: bool = False  # it has imported and said so: pages written to it are taken at once
    gone: bool = False  # a write to it failed: it exited, its results' pipe will say how
    jobs: deque[_Job] = field(default_factory=deque)  # handed over: the first runs, in order
    budget: asyncio.TimerHandle | None = None  # kills it when its running task overruns
    since: float = 0.0  # loop time its running task started
    unread: bytearray = field(default_factory=bytearray)

    @classmethod
    def start(cls) -> _Worker:
        tasks_read, tasks = os.pipe()
        results, results_write = os.pipe()
        # its first frame: where to import from (small: it fits the pipe, nothing waits)
        write_frame(tasks, pickle.dumps((sys.path, main_of(sys.modules["__main__"])),
                                        protocol=pickle.HIGHEST_PROTOCOL))
        try:
            process = subprocess.Popen(
                [sys.executable, *subprocess._args_from_interpreter_flags(),  # type: ignore[attr-defined]  # noqa: SLF001 (as multiprocessing's spawn does)
                 "-c", BOOTSTRAP, MARKER, str(tasks_read), str(results_write), _HOME],
                pass_fds=(tasks_read, results_write), stdin=subprocess.DEVNULL)
        except BaseException:
            for fd in (tasks, results):
                os.close(fd)
            raise
        finally:
            os.close(tasks_read)
            os.close(results_write)
        os.set_blocking(results, False)
        return cls(process, tasks, results)

    def read(self) -> tuple[list[bytes], bool]:
        """The frames the worker has written since the last read, and whether its pipe ended
        (the worker exited)."""
        ended = False
        while True:
            try:
                part = os.read(self.results, 1 << 20)
            except BlockingIOError:
                break
            if not part:
                ended = True
                break
            self.unread += part
        frames = []
        while len(self.unread) >= HEADER.size:
            size = HEADER.unpack_from(self.unread)[0]
            if len(self.unread) < HEADER.size + size:
                break
            frames.append(bytes(self.unread[HEADER.size:HEADER.size + size]))
            del self.unread[:HEADER.size + size]
        return frames, ended

    def close(self, kill: bool = False) -> int | None:
        """The worker ended (killed first if `kill`, else given STOP_WAIT to exit once its task
        pipe is closed) and its pipes closed; its exit code."""
        if self.budget is not None:
            self.budget.cancel()
        with contextlib.suppress(OSError):
            os.close(self.tasks)
        if kill:
            with contextlib.suppress(OSError):
                self.process.kill()
        try:
            code = self.process.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.results)
        return code


class _Pool:
    """The workers and the tasks waiting for one, run by one event loop at a time."""

    def __init__(self) -> None:
        self.workers: list[_Worker] = []
        self.waiting: deque[_Job] = deque()
        self.loop: asyncio.AbstractEventLoop | None = None  # the loop watching the workers
        self.size = FIRST_WORKERS  # workers kept running
        self.failed_starts = 0  # workers in a row that exited before they were ready
        self.grow_check: asyncio.TimerHandle | None = None
        self.hold: asyncio.TimerHandle | None = None  # hands over pages that waited HOLD
        self.active = True
        for _ in range(self.size):
            self._start_worker()

    # -- the loop ---------------------------------------------------------------------------

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Have `loop` (the running one) watch the workers. Tasks of an earlier loop (one that
        ended with them: a stopped `asyncio.run`) are dropped, and the workers running them
        killed: nobody waits for their answer."""
        if self.loop is loop:
            return
        if self.loop is not None and self.loop.is_running():
            raise RuntimeError("the parsing workers serve one event loop at a time, and "
                               "another (in another thread) is using them")
        old, self.loop = self.loop, loop
        self._cancel_timers()  # (timers of the old loop)
        self.waiting = deque(job for job in self.waiting if job.future.get_loop() is loop)
        for worker in list(self.workers):
            if old is not None and not old.is_closed():
                old.remove_reader(worker.results)
            if worker.jobs:
                self._end(worker, kill=True)
            else:
                loop.add_reader(worker.results, self._readable, worker)
        self._keep_size()

    def _cancel_timers(self) -> None:
        for timer in (self.grow_check, self.hold):
            if timer is not None:
                timer.cancel()
        self.grow_check = self.hold = None

    def _watch(self, worker: _Worker) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.add_reader(worker.results, self._readable, worker)

    def _unwatch(self, worker: _Worker) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(worker.results)

    # -- workers ----------------------------------------------------------------------------

    def _start_worker(self) -> None:
        try:
            worker = _Worker.start()
        except OSError:  # no memory, no file descriptors: as a worker that exits at once
            self._failed_start()
            return
        self.workers.append(worker)
        self._watch(worker)

    def _keep_size(self) -> None:
        while self.active and len(self.workers) < self.size:
            self._start_worker()

    def _end(self, worker: _Worker, *, kill: bool) -> int | None:
        """`worker` stopped and forgotten (its task, if any, left to the caller)."""
        self._unwatch(worker)
        self.workers.remove(worker)
        return worker.close(kill=kill)

    def _failed_start(self) -> None:
        self.failed_starts += 1
        if self.failed_starts >= START_FAILURES:
            self.stop(WorkersBroken(), broken=True)

    def _readable(self, worker: _Worker) -> None:
        frames, ended = worker.read()
        for frame in frames:
            if not worker.ready:  # its first frame: it has imported and waits for tasks
                worker.ready = True
                self.failed_starts = 0
                continue
            job = worker.jobs.popleft() if worker.jobs else None
            if worker.budget is not None:
                worker.budget.cancel()
                worker.budget = None
            if worker.jobs:
                self._started(worker)  # the next page handed over with this one
            if job is not None and not job.future.done():
                try:
                    done, value = pickle.loads(frame)
                except Exception as exc:  # noqa: BLE001 (an answer this process cannot read)
                    done, value = False, ParseError(f"the parsing process's answer could not "
                                                    f"be read: {type(exc).__name__}: {exc}")
                if done:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)
        if ended:
            self._exited(worker)
        self._hand_out()

    def _exited(self, worker: _Worker) -> None:
        """`worker` exited of itself (crashed, killed from outside, or failed to start)."""
        job, ready = self._take_back(worker), worker.ready
        code = self._end(worker, kill=False)
        if job is not None:
            if not job.future.done():
                job.future.set_exception(
                    ParseError(f"the parsing process died (exit code {code})"))
        elif not ready:
            self._failed_start()
        self._keep_size()

    def _overran(self, worker: _Worker, job: _Job) -> None:
        """`job` ran its budget out: its worker is killed and another started."""
        if not worker.jobs or worker.jobs[0] is not job or worker not in self.workers:
            return
        self._kill(worker)
        if not job.future.done():
            job.future.set_exception(ParseTimeout(
                f"parsing took longer than page_parse_timeout ({job.timeout:g} s); "
                "page skipped"))
        self._hand_out()

    def _kill(self, worker: _Worker) -> None:
        """`worker` killed with its running task (left to the caller), the tasks handed over
        behind it waiting again first in line, and another worker started."""
        self._take_back(worker)
        self._end(worker, kill=True)
        self._keep_size()

    def _grow_if_stuck(self) -> None:
        """When a page has run GROW_AFTER (it may run until its budget): the pages handed over
        behind it are taken back to wait for another worker, and if pages wait, one worker more
        is started (up to WORKERS)."""
        self.grow_check = None
        if not (self.active and self.loop is not None):
            return
        now = self.loop.time()
        stuck = [w for w in self.workers if w.jobs and now - w.since >= GROW_AFTER]
        for worker in stuck:
            self._take_back_followers(worker)
        if stuck and self.waiting and self.size < WORKERS:
            self.size += 1
            self._keep_size()
        self._hand_out()
        self._check_for_stuck()

    def _check_for_stuck(self) -> None:
        """_grow_if_stuck in GROW_AFTER, if pages wait or follow a running one."""
        if (self.grow_check is None and self.loop is not None
                and ((self.waiting and self.size < WORKERS)
                     or any(len(w.jobs) > 1 for w in self.workers))):
            self.grow_check = self.loop.call_later(GROW_AFTER, self._grow_if_stuck)

    def _take_back_followers(self, worker: _Worker) -> None:
        """The pages handed to `worker` behind its running one wait again first in line; in its
        queue each is replaced by a copy nobody waits for (the worker still runs it, under its
        budget, and its answer is dropped)."""
        assert self.loop is not None
        for i in range(len(worker.jobs) - 1, 0, -1):
            job = worker.jobs[i]
            if not job.future.done():
                self.waiting.appendleft(job)
                unread = self.loop.create_future()
                unread.cancel()
                worker.jobs[i] = _Job(job.task, job.timeout, unread)

    # -- tasks ------------------------------------------------------------------------------

    def submit(self, job: _Job) -> None:
        assert self.loop is not None
        job.submitted = self.loop.time()
        self.waiting.append(job)
        self._hand_out()

    def _hand_out(self) -> None:
        """Waiting tasks written to idle workers, up to TOGETHER to one, once TOGETHER wait or
        the first has waited HOLD."""
        assert self.loop is not None or not self.waiting
        while self.waiting:
            worker = next((w for w in self.workers if w.ready and not w.jobs and not w.gone),
                          None)
            if worker is None:
                break
            assert self.loop is not None
            held = self.waiting[0].submitted + HOLD - self.loop.time()
            if len(self.waiting) < TOGETHER and held > 0:
                if self.hold is None:
                    self.hold = self.loop.call_later(held, self._hold_over)
                break
            jobs: list[_Job] = []
            while self.waiting and len(jobs) < TOGETHER:
                job = self.waiting.popleft()
                if not job.future.done():  # else cancelled while it waited
                    jobs.append(job)
            if not jobs:
                continue
            try:  # an idle worker reads them as they come
                write_frame(worker.tasks, pickle.dumps([job.task for job in jobs],
                                                       protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:  # it has exited; its results' pipe says so next
                worker.gone = True
                self.waiting.extendleft(reversed(jobs))
                continue
            worker.jobs.extend(jobs)
            self._started(worker)
        self._check_for_stuck()

    def _hold_over(self) -> None:
        self.hold = None
        self._hand_out()

    def _started(self, worker: _Worker) -> None:
        """The first of `worker`'s tasks has started: its budget is armed."""
        assert self.loop is not None
        job = worker.jobs[0]
        worker.since = self.loop.time()
        worker.budget = self.loop.call_later(job.timeout, self._overran, worker, job)

    def _take_back(self, worker: _Worker) -> _Job | None:
        """`worker`'s running task, taken from it; the tasks handed over behind it, which it
        never started, wait again first in line."""
        if not worker.jobs:
            return None
        job = worker.jobs.popleft()
        self.waiting.extendleft(reversed(worker.jobs))
        worker.jobs.clear()
        return job

    def cancel(self, job: _Job) -> None:
        """`job`'s waiter is gone: a running task is stopped with its worker (one handed over
        but not started runs, unread)."""
        for worker in self.workers:
            if worker.jobs and worker.jobs[0] is job:
                self._kill(worker)
                self._hand_out()
                break

    def stop(self, error: ParseError, *, broken: bool = False) -> None:
        """Every worker stopped; the tasks waiting or running fail with `error`."""
        global _pool, _broken_until
        if not self.active:
            return
        self.active = False
        if broken:
            _broken_until = time.monotonic() + BROKEN_POOL_PAUSE
        if _pool is self:
            _pool = None
        self._cancel_timers()
        jobs = [*self.waiting, *(job for w in self.workers for job in w.jobs)]
        self.waiting.clear()
        for worker in list(self.workers):
            self._end(worker, kill=bool(worker.jobs))
        for job in jobs:
            if not job.future.done() and not job.future.get_loop().is_closed():
                job.future.set_exception(error)


def _workers() -> _Pool:
    global _pool, _stop_registered
    if time.monotonic() < _broken_until:
        raise WorkersBroken
    if _pool is None:
        pool = _Pool()
        if not pool.active:  # its first workers could not even be started
            raise WorkersBroken
        _pool = pool
        if not _stop_registered:
            atexit.register(_stop_at_exit)
            _stop_registered = True
    return _pool


def _stop_at_exit() -> None:
    if _pool is not None:
        _pool.stop(ParseError("the parsing workers were stopped"))


def start() -> None:
    """Start the workers now, not when the first page comes: a worker imports for about a
    second (more on a loaded machine) before it parses anything. Called as a crawl starts, so
    that the workers import while the store is opened and robots.txt and the first listings
    are fetched."""
    with contextlib.suppress(WorkersBroken):  # the first page says so
        _workers()


def _ship(parser: SourceParser) -> tuple[bytes, bytes]:
    """(digest, pickle) of the parser, pickled once. A parser holds no state that parsing
    changes, so the copy a worker keeps parses as a fresh one would."""
    found = _shipped.get(parser)
    if found is None:
        blob = pickle.dumps(parser, protocol=pickle.HIGHEST_PROTOCOL)
        found = _shipped[parser] = (hashlib.blake2b(blob, digest_size=16).digest(), blob)
    return found


async def with_parser(function: Callable[..., Result], parser: SourceParser, *args: Any,
                      timeout: float) -> Result:
    """`function(parser, *args)` run in a worker (`function` defined at module level), the
    parser shipped once (see `_ship`). Raises as `in_worker` does."""
    digest, blob = _ship(parser)
    if parser in _held:
        try:
            return await in_worker(with_shipped, function, digest, None, *args,
                                   timeout=timeout)
        except NotShipped:
            pass
    try:
        return await in_worker(with_shipped, function, digest, blob, *args, timeout=timeout)
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
    `timeout` seconds of running, WorkersBroken if workers cannot start, ParseError if the
    worker died or the workers were stopped, else what the function raised."""
    pool = _workers()
    loop = asyncio.get_running_loop()
    pool.bind(loop)
    job = _Job(pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL), timeout,
               loop.create_future())
    pool.submit(job)
    try:
        return await job.future
    except asyncio.CancelledError:
        pool.cancel(job)  # cancelling the wait cancels the parse
        raise


def shutdown() -> None:
    """Stop the workers (they are stopped at exit anyway); the next page starts a pool, even
    within BROKEN_POOL_PAUSE of a break."""
    global _broken_until
    _broken_until = 0.0
    if _pool is not None:
        _pool.stop(ParseError("the parsing workers were stopped"))
    _held.clear()

