"""SIGTERM or SIGINT in the middle of a pass: what was fetched is stored, the run is recorded as
interrupted, the exit status says which signal, and a rerun picks up the rest.

The site is a real slow server on 127.0.0.1 (tests/slowsite.py): 16 articles that answer after
0.6 s each, two at a time, so the signal lands with articles fetched but not yet stored (a
batch is stored once 25 have arrived) and two requests in flight.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from httpserver import TestServer
from slowsite import serve_site, write_config

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 16


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def fetched(log: Path) -> int:
    """Articles fetched, as the last progress line of the JSON log says (0 before the first)."""
    counts = [int(m.group(1)) for m in re.finditer(r"(\d+) articles fetched", log.read_text())]
    return counts[-1] if counts else 0


def article_requests(server: TestServer) -> int:
    return sum(server.count(f"/site/a/{i}/") for i in range(ARTICLES))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_run_stores_what_was_fetched_and_records_the_run_interrupted(
        tmp_path, signum):
    db = tmp_path / "s.db"
    with TestServer() as server:
        serve_site(server, articles=ARTICLES, delay=0.6, prefix="/site")
        config = write_config(tmp_path / "sources.yaml", server, ["site"])
        log = (tmp_path / "crawl.log").open("w")
        crawl = subprocess.Popen(
            [sys.executable, "-c", "from crawler.cli import main; main()", "--config",
             str(config), "--db", f"sqlite:///{db}", "--log-format", "json",
             "--progress-every", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
        # Half the articles asked for, and the crawl's own progress line says some arrived:
        # a condition, not a fixed sleep (under load a response can take seconds to be read).
        deadline = time.monotonic() + 120
        while not (article_requests(server) >= 8 and fetched(tmp_path / "crawl.log") > 0):
            assert crawl.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        crawl.send_signal(signum)
        stdout, _ = crawl.communicate(timeout=30)
        requested = article_requests(server)
        assert crawl.returncode == 128 + signum, (tmp_path / "crawl.log").read_text()

        stored = rows(db, "select count(*) from articles")[0][0]
        # every response that arrived is stored; only the (at most 2) requests in flight are not
        log_tail = (tmp_path / "crawl.log").read_text()[-3000:]
        assert 0 < stored < ARTICLES, (requested, log_tail)
        assert requested - 2 <= stored <= requested
        assert rows(db, "select status from crawl_runs") == [("interrupted",)]
        assert rows(db, "select status, new from source_runs") == [("interrupted", stored)]
        # not a success: the source is due again at once
        assert rows(db, "select last_success_at from source_state") in ([], [(None,)])
        assert "interrupted" in stdout  # the summary table

        entries = [json.loads(line) for line in (tmp_path / "crawl.log").read_text().splitlines()]
        assert [e["signal"] for e in entries if e.get("event") == "stopping"] == [
            signal.Signals(signum).name]
        assert any(e.get("event") == "progress" for e in entries)  # no terminal: a log line
        assert entries[-1]["event"] == "interrupted"

        rerun = subprocess.run(
            [sys.executable, "-c", "from crawler.cli import main; main()", "--config",
             str(config), "--db", f"sqlite:///{db}"],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stderr
        assert rows(db, "select count(*), count(distinct url) from articles") == [
            (ARTICLES, ARTICLES)]
        # the rerun fetched only what was not stored
        assert article_requests(server) == requested + ARTICLES - stored


async def test_a_stop_lets_the_fetched_pages_being_parsed_finish_and_stores_them(
        tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A stop cancels the requests in flight, not the parses of responses that arrived: under
    load every fetched page can still be in its parse when the signal lands."""
    from hostile_parser import SlowToParse
    from httpserver import Story, feed_reply, rss_feed

    from crawler import pipeline
    from crawler.config import Config
    from crawler.http import HttpClient
    from crawler.store import open_store

    monkeypatch.setattr(pipeline, "parser_for", SlowToParse)
    parses: list[str] = []  # the pages whose parse began: their response had arrived
    real_parse = pipeline.parse_article

    async def parse_article(parser, response, timeout):
        parses.append(response.url)
        return await real_parse(parser, response, timeout)

    monkeypatch.setattr(pipeline, "parse_article", parse_article)
    stories = [Story.make(f"/articles/lent-{n}", 40 + n) for n in range(6)]
    with TestServer() as server:
        server.route("/feed", feed_reply(rss_feed(server.url(""), stories)))
        for story in stories:
            server.route(story.path, story.reply(delay=0.5))
        config = Config.model_validate({"settings": {"user_agent": "test", "delay": 0,
                                                     "concurrency": 2},
                                        "sources": [{"name": "site", "platform": "rss",
                                                     "base_url": server.url("/"),
                                                     "entry_points": [server.url("/feed")]}]},
                                       context={})
        store = open_store(f"sqlite:///{tmp_path}/p.db")
        # the stop lands once two responses have arrived: both are in their 1 s parse then,
        # the next two requests in flight
        async with HttpClient(user_agent="test", delay_per_host=0, concurrency_per_host=2
                              ) as http:
            report = await pipeline.crawl(config, list(config.sources), store=store,
                                          client=http, force=True,
                                          should_stop=lambda: len(parses) >= 2)
    assert 2 <= len(parses) < len(stories)
    assert report.sources[0].new == len(parses)
    assert store.count_articles("site") == len(parses)
    store.engine.dispose()
