"""Overlapping `crawl` runs on one database never crawl a source twice (cron safety)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from httpserver import TestServer
from slowsite import serve_site, write_config
from sqlalchemy import create_engine, text

from crawler.locks import source_lock
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from crawler.cli import main; main()", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_fetching(site: TestServer, *names: str, timeout: float = 120.0) -> None:
    """Until each source's feed has been read and an article page asked for: the crawl then
    holds each source's lock (taken before the feed is read, kept until the source ends) and,
    its article pages held at the gate, keeps it. A condition, not a fixed sleep: on a loaded
    machine the first process takes seconds to import, and a second one started too early
    would take the locks first."""
    deadline = time.monotonic() + timeout
    while not (all(site.count(f"/{name}/feed/") for name in names)
               and any(site.count(f"/{name}/a/{i}/") for name in names for i in range(6))):
        assert time.monotonic() < deadline, f"{names} not being crawled after {timeout} s"
        time.sleep(0.02)


def rows_in(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        count = conn.execute(text(f"select count(*) from {table}")).scalar_one()
    engine.dispose()
    return count


@pytest.fixture
def gate():
    """Set it to let the article pages answer: until then a running crawl holds its locks."""
    event = threading.Event()
    yield event
    event.set()  # a failed test must not leave the server's handlers waiting


@pytest.fixture
def site(gate):
    with TestServer() as server:
        for name in ("alpha", "beta"):
            serve_site(server, articles=6, delay=0.2, prefix=f"/{name}", gate=gate)
        yield server


def test_two_runs_started_together_crawl_each_source_once(site, gate, tmp_path, db_url):
    config = write_config(tmp_path / "sources.yaml", site, ["alpha", "beta"], timeout=150)
    first = start("--config", str(config), "--db", db_url)
    wait_until_fetching(site, "alpha", "beta")  # the first run holds both sources' locks...
    second = start("--config", str(config), "--db", db_url)
    out2, err2 = second.communicate(timeout=120)  # ...for as long as the second one runs
    gate.set()
    out1, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2  # a skipped source is not a failure under cron
    for name in ("alpha", "beta"):
        assert f"{name}: skipped: another crawl of {name} is running" in err2
    assert site.count("/alpha/a/0/") == 1 and site.count("/beta/a/0/") == 1
    assert rows_in(db_url, "articles") == 12


def test_wait_waits_for_the_running_crawl_then_finds_nothing_due(site, gate, tmp_path, db_url):
    config = write_config(tmp_path / "sources.yaml", site, ["alpha"], timeout=150)
    first = start("--config", str(config), "--db", db_url)
    wait_until_fetching(site, "alpha")
    second = start("--config", str(config), "--db", db_url, "--wait")
    # The second run records its crawl run, then asks for alpha's lock, held by the first.
    deadline = time.monotonic() + 120
    while rows_in(db_url, "crawl_runs") < 2:
        assert second.poll() is None, second.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    gate.set()
    _, err2 = second.communicate(timeout=120)
    first.communicate(timeout=120)
    assert second.returncode == 0
    assert first.poll() == 0
    assert "alpha: skipped: last crawled" in err2  # it waited, then the interval said "not yet"
    assert site.count("/alpha/a/0/") == 1


def test_a_source_is_not_crawled_again_before_its_interval(site, gate, tmp_path, db_url):
    gate.set()  # no second crawl at the same time here
    config = write_config(tmp_path / "sources.yaml", site, ["alpha"], every="1h")
    assert start("--config", str(config), "--db", db_url).wait(timeout=60) == 0
    again = start("--config", str(config), "--db", db_url)
    _, err = again.communicate(timeout=60)
    assert again.returncode == 0
    assert "alpha: skipped: last crawled" in err and "next due" in err
    assert site.count("/alpha/feed/") == 1
    forced = start("--config", str(config), "--db", db_url, "--force")
    assert forced.wait(timeout=60) == 0
    assert site.count("/alpha/feed/") == 2


def test_many_held_locks_leave_the_stores_pool_free(db_url):
    # A pass holds one lock per source for the whole crawl: twenty of them (more than the
    # pool's 5 + 10 connections) must not starve the store's reads and writes.
    store = open_store(db_url)
    locks = [source_lock(store.engine, f"source{n}") for n in range(20)]
    assert all(lock.acquire(wait=False) for lock in locks)
    try:
        assert store.get_source_state("source0") is None  # the pool still answers at once
        assert not source_lock(store.engine, "source0").acquire(wait=False)  # still held
    finally:
        for lock in locks:
            lock.release()
    again = source_lock(store.engine, "source0")
    assert again.acquire(wait=False)
    again.release()
    store.engine.dispose()


async def test_a_lock_taken_in_a_thread_is_released_from_the_loop(tmp_path):
    # `crawl --wait` acquires in asyncio.to_thread and releases on the event loop's thread.
    store = open_store(f"sqlite:///{tmp_path}/w.db")
    lock = source_lock(store.engine, "alpha")
    assert await asyncio.to_thread(lock.acquire, wait=True)
    lock.release()
    other = source_lock(store.engine, "alpha")
    assert other.acquire(wait=False)
    other.release()
    store.engine.dispose()
