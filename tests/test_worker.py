"""procrastinate workers in separate processes sharing the PostgreSQL at 127.0.0.1:5432."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from httpserver import TestServer
from slowsite import serve_site, write_config
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def start_worker(config: Path, db_url: str, log: Path, *extra: str) -> subprocess.Popen:
    sink = log.open("w")
    return subprocess.Popen(
        [sys.executable, "-c", "from crawler.cli import main; main()", "worker",
         "--config", str(config), "--db", db_url, "--heartbeat", "1", *extra],
        cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def query(db_url: str, sql: str) -> list[tuple]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


# Waits are long: at load 10-14 on 2 CPUs a worker's first crawl took 6-15 s (its parsing pool
# starting), and the ticks wanted came after it; a test that passes waits only for its ticks.
def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_refuses_sqlite_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", "worker",
         "--db", f"sqlite:///{tmp_path}/x.db"], cwd=ROOT, capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: crawl worker needs PostgreSQL (--db postgresql+psycopg://...); sqlite is for "
        "one machine: use `crawl` or `crawl schedule`"]


def test_three_workers_run_each_source_once_per_period(tmp_path, postgres_url):
    with TestServer() as server:
        serve_site(server, articles=3, prefix="/alpha")
        serve_site(server, articles=3, prefix="/beta")
        config = write_config(tmp_path / "sources.yaml", server, ["alpha", "beta"], every="5s")
        workers = [start_worker(config, postgres_url, tmp_path / f"w{i}.log")
                   for i in range(3)]
        try:
            assert wait_for(lambda: server.count("/alpha/feed/") >= 3
                            and server.count("/beta/feed/") >= 3, timeout=120), [
                (tmp_path / f"w{i}.log").read_text() for i in range(3)]
        finally:
            stop(workers)
    per_period = query(postgres_url, """
        select args->>'source', args->>'timestamp', count(*)
        from procrastinate_jobs where task_name = 'crawler.crawl_source'
        group by 1, 2""")
    assert per_period and all(count == 1 for _, _, count in per_period)
    statuses = query(postgres_url, """
        select status, count(*) from procrastinate_jobs
        where task_name = 'crawler.crawl_source' group by status""")
    assert dict(statuses).get("failed", 0) == 0
    # each period's job ran once: no feed fetched more often than jobs were deferred
    for name in ("alpha", "beta"):
        deferred = sum(c for pid, _, c in per_period if pid == name)
        assert 3 <= server.count(f"/{name}/feed/") <= deferred
    assert query(postgres_url, "select count(*), count(distinct url) from articles") == [(6, 6)]


def test_a_killed_workers_source_is_picked_up_by_another(tmp_path, postgres_url):
    with TestServer() as server:
        serve_site(server, articles=8, delay=0.5, prefix="/alpha")
        # A short period so the first job is deferred at once (periodic tasks wait for a tick).
        config = write_config(tmp_path / "sources.yaml", server, ["alpha"], every="3s")
        first = start_worker(config, postgres_url, tmp_path / "first.log", "--concurrency", "1")
        try:
            assert wait_for(lambda: server.count("/alpha/a/0/") >= 1, timeout=60), (
                (tmp_path / "first.log").read_text())
            first.send_signal(signal.SIGKILL)  # mid-crawl: its job stays "doing"
            first.wait(timeout=10)
            second = start_worker(config, postgres_url, tmp_path / "second.log",
                                  "--stalled-after", "3")
            try:
                assert wait_for(lambda: query(postgres_url, "select count(*) from articles")
                                == [(8,)], timeout=90), (tmp_path / "second.log").read_text()
            finally:
                stop([second])
        finally:
            stop([first])
    assert "left by a dead worker" in (tmp_path / "second.log").read_text()
    assert query(postgres_url, "select count(*), count(distinct url) from articles") == [(8, 8)]



def start_json_worker(config: Path, db_url: str, log: Path, *extra: str) -> subprocess.Popen:
    sink = log.open("w")
    return subprocess.Popen(
        [sys.executable, "-c", "from crawler.cli import main; main()", "--log-format", "json",
         "worker", "--config", str(config), "--db", db_url, "--heartbeat", "1", *extra],
        cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)


def entries(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_two_workers_crawl_at_every_tick_quietly(tmp_path, postgres_url):
    with TestServer() as server:
        serve_site(server, articles=2, prefix="/alpha")
        serve_site(server, articles=2, prefix="/beta")
        config = write_config(tmp_path / "sources.yaml", server, ["alpha", "beta"], every="3s")
        logs = [tmp_path / f"w{i}.log" for i in range(2)]
        workers = [start_json_worker(config, postgres_url, log) for log in logs]
        try:
            assert wait_for(lambda: server.count("/alpha/feed/") >= 4
                            and server.count("/beta/feed/") >= 4, timeout=120), [
                log.read_text() for log in logs]
        finally:
            stop(workers)
        fetched = {name: server.count(f"/{name}/feed/") for name in ("alpha", "beta")}
    succeeded = dict(query(postgres_url, """
        select args->>'source', count(*) from procrastinate_jobs
        where task_name = 'crawler.crawl_source' and status = 'succeeded' group by 1"""))
    lines = [entry for log in logs for entry in entries(log)]  # every line is JSON
    # No tick is skipped as "not due" by an interval. The one skip allowed: a job that waited
    # (the per-source lock) behind a crawl that started after its own tick, so its period is
    # crawled already; on a loaded machine the first crawl (the parsing pool's start) can take
    # longer than the 3 s period.
    skipped = [e for e in lines if e.get("event") == "source_skipped"]
    assert all(e["reason"].startswith("crawled at ") for e in skipped), skipped
    crawled_or_skipped = {name: fetched[name] + sum(e["source"] == name for e in skipped)
                          for name in fetched}
    assert succeeded == crawled_or_skipped
    done = [e for e in lines if e.get("event") == "source_done"]
    assert len(done) == sum(fetched.values()) and {e["status"] for e in done} == {"ok"}
    # procrastinate's per-job lines and the housekeeping every 5 s stay out of the log
    assert not [e for e in lines if e["logger"].startswith("procrastinate")
                and e["level"] in ("debug", "info")]


def test_finished_jobs_are_deleted_after_the_retention(tmp_path, postgres_url):
    with TestServer() as server:
        serve_site(server, articles=1, prefix="/alpha")
        config = write_config(tmp_path / "sources.yaml", server, ["alpha"], every="2s")
        worker = start_json_worker(config, postgres_url, tmp_path / "w.log", "--keep-jobs", "0")
        try:
            assert wait_for(lambda: server.count("/alpha/feed/") >= 8 and query(
                postgres_url, "select count(*) from source_runs") >= [(7,)], timeout=120), (
                (tmp_path / "w.log").read_text())
            runs = query(postgres_url, "select count(*) from source_runs")[0][0]
            finished = dict(query(postgres_url, """
                select task_name, count(*) from procrastinate_jobs
                where status in ('succeeded', 'failed', 'aborted') group by 1"""))
        finally:
            stop([worker])
    assert runs >= 7
    # housekeeping every 5 s deletes what finished before it: at most the last few remain
    assert finished.get("crawler.crawl_source", 0) <= 4 < runs
    assert finished.get("crawler.requeue_stalled", 0) <= 1


def test_the_worker_reloads_its_config_on_change_and_refuses_a_bad_one_on_sighup(
        tmp_path, postgres_url):
    with TestServer() as server:
        serve_site(server, articles=1, prefix="/alpha")
        serve_site(server, articles=1, prefix="/beta")
        config = write_config(tmp_path / "sources.yaml", server, ["alpha"], every="2s")
        log = tmp_path / "w.log"
        worker = start_json_worker(config, postgres_url, log)
        try:
            assert wait_for(lambda: server.count("/alpha/feed/") >= 1, timeout=30), (
                log.read_text())
            write_config(config, server, ["alpha", "beta"], every="2s")  # noticed by itself
            assert wait_for(lambda: server.count("/beta/feed/") >= 1, timeout=30), (
                log.read_text())
            good = config.read_text()
            config.write_text(good + "  - name: broken\n", "utf-8")
            worker.send_signal(signal.SIGHUP)
            assert wait_for(lambda: any(e.get("event") == "config_refused"
                                        for e in entries(log)), timeout=15), log.read_text()
            beta = server.count("/beta/feed/")
            assert wait_for(lambda: server.count("/beta/feed/") > beta, timeout=15)  # still on
        finally:
            stop([worker])
    assert worker.returncode == 0
    events = [e.get("event") for e in entries(log)]
    assert events.count("config_reloaded") == 1 and "config_refused" in events
    refused = next(e for e in entries(log) if e.get("event") == "config_refused")
    assert refused["level"] == "error" and "sources.yaml" in refused["message"]
