"""Log levels an alert can rely on without -v, and JSON on every stderr line with --log-format json.

A site on 127.0.0.1 with one good article and one that answers 404 (a failed fetch), next to a
source whose port nobody listens on (a failed source).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from httpserver import Reply, Story, TestServer, closed_port, serve_site

ROOT = Path(__file__).resolve().parent.parent


def crawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def two_sources(tmp_path: Path, server: TestServer) -> Path:
    """`good`: two articles, the second answers 404; `offline`: nothing listens."""
    stories = [Story.make("/a/1/", 1), Story.make("/a/2/", 2)]
    serve_site(server, stories, feed_path="/feed/")
    server.route("/a/2/", Reply(status=404))
    server.route("/robots.txt", Reply(status=404))
    port = closed_port()
    config = tmp_path / "sources.yaml"
    config.write_text(
        "settings: {delay: 0, timeout: 2}\n"
        "sources:\n"
        "  - name: good\n"
        "    platform: rss\n"
        f"    base_url: {server.url('/')}\n"
        f"    entry_points: [{server.url('/feed/')}]\n"
        "  - name: offline\n"
        "    platform: rss\n"
        f"    base_url: http://127.0.0.1:{port}/\n"
        f"    entry_points: [http://127.0.0.1:{port}/feed/]\n", "utf-8")
    return config


def test_without_v_failures_are_warnings_and_errors_and_each_source_has_a_summary(tmp_path):
    with TestServer() as server:
        config = two_sources(tmp_path, server)
        result = crawl("--config", str(config), "--db", f"sqlite:///{tmp_path}/l.db")
    assert result.returncode == 1  # a source failed
    lines = result.stderr.splitlines()

    def logged(level: str, *words: str) -> list[str]:
        return [line for line in lines
                if f" {level} " in line and all(word in line for word in words)]

    assert logged("WARNING", "good:", "/a/2/", "404")  # the failed fetch
    assert logged("INFO", "good: ok in")  # the source's summary, without -v
    assert logged("ERROR", "offline: failed in")  # the failed source
    assert not [line for line in lines if "stored" in line and "/a/1/" in line]  # -v only


def test_json_logs_every_stderr_line_end_of_run_errors_included(tmp_path):
    with TestServer() as server:
        config = two_sources(tmp_path, server)
        result = crawl("--config", str(config), "--db", f"sqlite:///{tmp_path}/l.db",
                       "--log-format", "json")
    assert result.returncode == 1
    entries = [json.loads(line) for line in result.stderr.splitlines()]  # raises if one is not
    assert entries
    done = {e["source"]: e for e in entries if e.get("event") == "source_done"}
    assert done["good"]["level"] == "info" and done["good"]["status"] == "ok"
    assert done["good"]["new"] == 1 and done["good"]["errors"] == 1
    assert done["offline"]["level"] == "error" and done["offline"]["status"] == "failed"
    failed_fetch = [e for e in entries if e.get("event") == "fetch_failed"
                    and e.get("url", "").endswith("/a/2/")]
    assert failed_fetch and failed_fetch[0]["level"] == "warning"
    # the end-of-run list, one object per error, after the summary table
    end_of_run = [e for e in entries if e.get("event") == "run_error"]
    assert {e["source"] for e in end_of_run} == {"good", "offline"}
    assert any("127.0.0.1:" in e["error"] for e in end_of_run if e["source"] == "offline")
    assert not [e for e in entries if e.get("event") == "article_stored"]  # -v only


def test_json_logs_with_v_show_each_article_stored(tmp_path):
    with TestServer() as server:
        config = two_sources(tmp_path, server)
        result = crawl("--config", str(config), "--db", f"sqlite:///{tmp_path}/l.db",
                       "--log-format", "json", "-v", "-s", "good")
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    stored = [e for e in entries if e.get("event") == "article_stored"]
    assert [e["level"] for e in stored] == ["debug"] and stored[0]["url"].endswith("/a/1/")


def test_usage_errors_are_one_json_object_in_json_mode_and_one_line_otherwise(tmp_path):
    for args in (["--no-such-flag"], ["--since"], ["sources", "check"],
                 ["--since", "2025-13-01"], ["--db", "mysql://x/y"]):
        plain = crawl(*args)
        assert plain.returncode == 2, (args, plain.stderr)
        assert len(plain.stderr.strip().splitlines()) == 1, (args, plain.stderr)
        assert plain.stderr.startswith("error: ")
        as_json = crawl("--log-format", "json", *args)
        assert as_json.returncode == 2
        [entry] = [json.loads(line) for line in as_json.stderr.splitlines()]
        assert entry["level"] == "error" and entry["message"].startswith("error: ")


def test_a_skipped_source_says_why_at_info_and_a_locked_one_at_warning(tmp_path):
    from filelock import FileLock

    with TestServer() as server:
        config = two_sources(tmp_path, server)
        db = tmp_path / "l.db"
        first = crawl("--config", str(config), "--db", f"sqlite:///{db}", "-s", "good")
        assert first.returncode == 0, first.stderr
        again = crawl("--config", str(config), "--db", f"sqlite:///{db}", "-s", "good",
                      "--log-format", "json")
        with FileLock(str(tmp_path / "l.db.locks" / "good.lock")):
            locked = crawl("--config", str(config), "--db", f"sqlite:///{db}", "-s", "good",
                           "--force", "--log-format", "json")
    skips = [json.loads(line) for line in again.stderr.splitlines()]
    [not_due] = [e for e in skips if e.get("event") == "source_skipped"]
    assert not_due["level"] == "info" and not_due["reason"].startswith("last crawled")
    [held] = [e for e in map(json.loads, locked.stderr.splitlines())
              if e.get("event") == "source_skipped"]
    assert held["level"] == "warning" and "another crawl of good is running" in held["reason"]
