"""The parsing workers (crawler.parsing, crawler.parsing_worker): real processes, real pipes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pool_tasks import echo, kill_myself, raise_unpicklable, sleep_then_pid, worker_pid

from crawler import parsing
from crawler.errors import ParseError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_workers() -> Iterator[None]:
    parsing.shutdown()
    yield
    parsing.shutdown()


def test_a_worker_that_dies_on_a_page_fails_that_page_and_another_takes_the_next():
    async def go() -> tuple[int, int]:
        first = await parsing.in_worker(worker_pid, timeout=60)
        with pytest.raises(ParseError, match=r"the parsing process died \(exit code -9\)"):
            await parsing.in_worker(kill_myself, timeout=60)
        return first, await parsing.in_worker(worker_pid, timeout=60)

    first, after = asyncio.run(go())
    assert first != after


def test_an_error_that_cannot_be_pickled_is_named_and_the_worker_goes_on():
    async def go() -> tuple[int, int]:
        first = await parsing.in_worker(worker_pid, timeout=60)
        with pytest.raises(ParseError, match="Unpicklable: a lock inside"):
            await parsing.in_worker(raise_unpicklable, timeout=60)
        return first, await parsing.in_worker(worker_pid, timeout=60)

    first, after = asyncio.run(go())
    assert first == after


def test_pages_and_answers_larger_than_a_pipe_arrive_whole():
    page = os.urandom(3_000_000) + b"end"  # a pipe holds 64 KiB: many reads and writes

    async def go() -> list[bytes]:
        return await asyncio.gather(*(parsing.in_worker(echo, page, timeout=60)
                                      for _ in range(3)))

    assert asyncio.run(go()) == [page[::-1]] * 3


def test_a_page_waiting_behind_a_long_one_is_not_timed_out(monkeypatch: pytest.MonkeyPatch):
    """The budget starts when a worker takes the page: with one worker, a page queued behind
    one that parses for 2 s keeps its whole 1 s budget."""
    monkeypatch.setattr(parsing, "WORKERS", 1)

    async def go() -> list[int]:
        await parsing.in_worker(worker_pid, timeout=60)  # the worker is up
        return await asyncio.gather(parsing.in_worker(sleep_then_pid, 2, timeout=10),
                                    parsing.in_worker(worker_pid, timeout=1))

    long, queued = asyncio.run(go())
    assert long == queued


def test_a_page_over_its_budget_is_killed_with_its_worker_and_the_next_page_parses():
    async def go() -> tuple[int, int, float]:
        first = await parsing.in_worker(worker_pid, timeout=60)
        started = time.monotonic()
        with pytest.raises(parsing.ParseTimeout, match="longer than page_parse_timeout"):
            await parsing.in_worker(sleep_then_pid, 60, timeout=1)
        took = time.monotonic() - started
        return first, await parsing.in_worker(worker_pid, timeout=60), took

    first, after, took = asyncio.run(go())
    assert first != after
    assert took < 30  # not the 60 s the page would have taken


def test_the_workers_outlive_an_event_loop_and_serve_the_next():
    """`asyncio.run` twice (a long-running scheduler's passes, tests): the second loop gets the
    same worker; a page the first loop abandoned while it ran does not hold it up."""

    async def abandon() -> int:
        pid = await parsing.in_worker(worker_pid, timeout=60)
        asyncio.ensure_future(parsing.in_worker(sleep_then_pid, 60, timeout=120))
        await asyncio.sleep(0.2)  # taken by the worker; asyncio.run then cancels it
        return pid

    first = asyncio.run(abandon())
    started = time.monotonic()
    second = asyncio.run(parsing.in_worker(worker_pid, timeout=60))
    assert time.monotonic() - started < 30
    assert second != first  # the worker running the abandoned page was stopped with it
    assert asyncio.run(parsing.in_worker(worker_pid, timeout=60)) == second


def test_a_task_defined_in_the_scripts_main_runs_in_a_worker(tmp_path: Path):
    """A script of the user's own that runs its functions in the workers (as multiprocessing
    allows): the worker finds them in the script, run there as __mp_main__."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent("""
        import asyncio

        def where():
            return __name__

        if __name__ == "__main__":
            from crawler import parsing
            print(asyncio.run(parsing.in_worker(where, timeout=60)))
            parsing.shutdown()
    """), "utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "__mp_main__"


def test_a_crawl_leaves_no_worker_behind(tmp_path: Path):
    """A process that used the workers and exits (without shutdown) leaves none running."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent("""
        import asyncio, os

        from crawler import parsing

        async def go():
            return await parsing.in_worker(os.getpid, timeout=60)

        print(asyncio.run(go()))
    """), "utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pid = int(result.stdout)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists():
        assert time.monotonic() < deadline, f"worker {pid} still runs"
        time.sleep(0.05)


def test_a_page_stuck_in_a_later_loop_still_gets_another_worker():
    """A loop that ended while a page waited left its growth check behind (a timer of a
    closed loop); the next loop's waiting page must still get a second worker."""

    async def leave_waiting() -> None:
        await parsing.in_worker(worker_pid, timeout=60)
        asyncio.ensure_future(parsing.in_worker(sleep_then_pid, 60, timeout=120))
        asyncio.ensure_future(parsing.in_worker(worker_pid, timeout=120))  # waits behind it
        await asyncio.sleep(0.1)  # ended before GROW_AFTER: the check is still armed

    async def stuck_then_other() -> tuple[bool, int]:
        stuck = asyncio.ensure_future(parsing.in_worker(sleep_then_pid, 60, timeout=120))
        await asyncio.sleep(0.2)  # the only worker has taken it
        other = await asyncio.wait_for(parsing.in_worker(worker_pid, timeout=60), 30)
        still_stuck = not stuck.done()
        stuck.cancel()
        return still_stuck, other

    asyncio.run(leave_waiting())
    still_stuck, _ = asyncio.run(stuck_then_other())
    assert still_stuck


def test_a_second_event_loop_running_at_once_is_refused_not_served_half():
    """The pool is one loop's (it watches the workers' pipes with that loop): a loop in
    another thread asking while the first one runs gets a clear error, and the first loop's
    page is not disturbed."""
    result: dict[str, object] = {}

    async def first() -> None:
        result["first"] = await parsing.in_worker(sleep_then_pid, 2, timeout=60)

    def in_thread() -> None:
        asyncio.run(first())

    asyncio.run(parsing.in_worker(worker_pid, timeout=60))  # the workers are up
    thread = threading.Thread(target=in_thread)
    thread.start()
    time.sleep(0.5)  # the thread's loop is running, its page on a worker
    with pytest.raises(RuntimeError, match="one event loop at a time"):
        asyncio.run(parsing.in_worker(worker_pid, timeout=60))
    thread.join(30)
    assert isinstance(result.get("first"), int)


def test_a_worker_imports_the_crawling_processs_package_not_one_where_it_was_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`crawl` run from a folder that holds another `crawler` package (a checkout of another
    version): the worker (`python -c`, which puts that folder first on its path) imports the
    crawling process's own."""
    (tmp_path / "crawler").mkdir()
    (tmp_path / "crawler" / "__init__.py").write_text("raise SystemExit(3)\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert asyncio.run(parsing.in_worker(echo, b"page", timeout=60)) == b"egap"


def test_pages_handed_over_together_keep_their_own_budgets_and_fail_alone():
    """Pages handed to a worker together (parsing.TOGETHER): one over its budget, then one that
    kills its worker, fail alone; the pages handed over behind each, which that worker never
    started, are parsed by another worker; each page's budget starts when it starts."""
    assert parsing.TOGETHER >= 4

    async def go() -> list[object]:
        await parsing.in_worker(worker_pid, timeout=60)  # the worker is up
        pages = [parsing.in_worker(worker_pid, timeout=60),
                 parsing.in_worker(sleep_then_pid, 60, timeout=2),
                 parsing.in_worker(sleep_then_pid, 1.2, timeout=2),
                 parsing.in_worker(sleep_then_pid, 1.2, timeout=2),
                 parsing.in_worker(kill_myself, timeout=60),
                 parsing.in_worker(worker_pid, timeout=60)]
        return await asyncio.wait_for(asyncio.gather(*pages, return_exceptions=True), 60)

    first, overran, second, again, died, third = asyncio.run(go())
    assert isinstance(overran, parsing.ParseTimeout)
    assert isinstance(died, ParseError) and "died" in str(died)
    # the two 1.2 s pages, 2.4 s behind the one handed over first, yet neither timed out
    # (0.8 s to spare each): each budget starts when its page starts (on that worker, or
    # another when they were taken back behind it)
    assert all(isinstance(pid, int) for pid in (first, second, again, third))
    assert first not in (second, third)  # the worker of the page over its budget was killed


def test_a_page_handed_over_behind_a_stuck_one_is_parsed_by_another_worker():
    """A page handed to a worker behind one that runs on (until its budget, 60 s here) is
    taken back after GROW_AFTER and parsed by another worker, long before that budget."""

    async def go() -> tuple[int, float, bool]:
        await parsing.in_worker(worker_pid, timeout=60)  # the worker is up
        stuck = asyncio.ensure_future(parsing.in_worker(sleep_then_pid, 60, timeout=60))
        behind = asyncio.ensure_future(parsing.in_worker(worker_pid, timeout=60))
        await asyncio.sleep(0)
        started = time.monotonic()
        pid = await asyncio.wait_for(behind, 30)
        took = time.monotonic() - started
        still_stuck = not stuck.done()
        stuck.cancel()
        return pid, took, still_stuck

    _, took, still_stuck = asyncio.run(go())
    assert still_stuck
    assert took < 30
