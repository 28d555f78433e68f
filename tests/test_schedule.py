"""The APScheduler daemon, driven with short intervals: runs, reloads, stops cleanly."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from httpserver import TestServer
from slowsite import serve_site, write_config
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def start_daemon(config: Path, db: Path, log: Path, *extra: str) -> subprocess.Popen:
    """`crawl schedule` over `config` and the SQLite file `db`, its output in `log`."""
    with log.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "-c", "from crawler.cli import main; main()", "schedule",
             "--config", str(config), "--db", f"sqlite:///{db}", *extra],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)


@contextmanager
def daemon_over(tmp_path: Path, sources: list[str], *, articles: int, every: str,
                extra: tuple[str, ...] = ()
                ) -> Iterator[tuple[TestServer, Path, subprocess.Popen, Path]]:
    """Sites alpha and beta of `articles` each, and `crawl schedule` over `sources` of them
    every `every` (the SQLite file tmp_path/daemon.db): (server, config, daemon, log). The
    daemon is killed at the end if the test left it running."""
    log = tmp_path / "daemon.log"
    with TestServer() as server:
        for name in ("alpha", "beta"):
            serve_site(server, articles=articles, prefix=f"/{name}")
        config = write_config(tmp_path / "sources.yaml", server, sources, every=every)
        daemon = start_daemon(config, tmp_path / "daemon.db", log, *extra)
        try:
            yield server, config, daemon, log
        finally:
            if daemon.poll() is None:
                daemon.kill()


def test_daemon_runs_each_source_at_its_interval_survives_a_bad_reload_and_stops(tmp_path):
    db = tmp_path / "daemon.db"
    with daemon_over(tmp_path, ["alpha", "beta"], articles=3, every="2s",
                     extra=("--grace", "10")) as (server, config, daemon, log):
        # Each source runs at its 2 s interval: at least three feeds fetched each.
        assert wait_for(lambda: server.count("/alpha/feed/") >= 3
                        and server.count("/beta/feed/") >= 3), log.read_text()
        config.write_text("sources:\n  - name: [broken\n", "utf-8")
        daemon.send_signal(signal.SIGHUP)
        seen = server.count("/alpha/feed/")
        assert wait_for(lambda: server.count("/alpha/feed/") >= seen + 2), (
            "the old schedule must keep running after a refused reload")
        assert "refused, keeping the current schedule" in log.read_text()
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
    text_log = log.read_text()
    runs = re.findall(r"alpha: ok in [\d.]+s: .*", text_log)  # crawl_source's summary
    assert len(runs) >= 3, text_log
    assert len(re.findall(r"alpha: ok; next run \S+", text_log)) == len(runs)
    assert "stopped" in text_log
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from articles")).scalar_one() == 6
        states = {source: failures for source, failures in conn.execute(
            text("select source, consecutive_failures from source_state"))}
    engine.dispose()
    assert states == {"alpha": 0, "beta": 0}


def test_reload_adds_and_removes_sources(tmp_path):
    with daemon_over(tmp_path, ["alpha"], articles=2, every="1s") as (
            server, config, daemon, log):
        assert wait_for(lambda: server.count("/alpha/feed/") >= 1), log.read_text()
        write_config(config, server, ["beta"], every="1s")
        daemon.send_signal(signal.SIGHUP)
        assert wait_for(lambda: server.count("/beta/feed/") >= 2), log.read_text()
        stopped_at = server.count("/alpha/feed/")
        # Two more beta runs (at least 2 s of the daemon's own clock, however loaded the
        # machine) rather than a fixed sleep: alpha, every 1 s too, would have run again.
        beta_runs = server.count("/beta/feed/")
        assert wait_for(lambda: server.count("/beta/feed/") >= beta_runs + 2), (
            log.read_text())
        assert server.count("/alpha/feed/") <= stopped_at + 1  # at most one in flight
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
    assert "alpha: removed from the schedule" in log.read_text()


def test_an_edited_sources_file_is_picked_up_without_a_signal(tmp_path):
    with daemon_over(tmp_path, ["alpha"], articles=1, every="1s") as (
            server, config, daemon, log):
        assert wait_for(lambda: server.count("/alpha/feed/") >= 1), log.read_text()
        # replaced as editors do: a new file renamed over the old one (a new inode)
        edited = write_config(tmp_path / "new.yaml", server, ["alpha", "beta"],
                              every="1s")
        edited.replace(config)
        assert wait_for(lambda: server.count("/beta/feed/") >= 1), log.read_text()
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
    assert f"{config} reloaded: 2 sources scheduled" in log.read_text()
