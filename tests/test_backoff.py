"""A failing source backs off (doubling, capped) and never blocks the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from crawler.config import load_config
from crawler.http import HttpClient
from crawler.pipeline import BACKOFF_CAP, backoff, crawl
from crawler.replay import CassetteTransport
from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent


class LessorDown(httpx.AsyncBaseTransport):
    """The cassettes, except that lessor.ml does not answer."""

    def __init__(self) -> None:
        self.cassettes = CassetteTransport(ROOT / "cassettes")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "lessor.ml":
            raise httpx.ConnectError("connection refused", request=request)
        return await self.cassettes.handle_async_request(request)


def run(store, *, force: bool = False):
    config = load_config(ROOT / "sources.yaml")
    sources = [config.source("lessor"), config.source("journaldumali")]

    async def go():
        async with HttpClient(user_agent="test", transport=LessorDown(), delay_per_host=0,
                              max_attempts=1) as client:
            return await crawl(config, sources, store=store, client=client, force=force)

    return {r.source: r for r in asyncio.run(go()).sources}


def test_backoff_doubles_up_to_a_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert backoff(30) == BACKOFF_CAP


def test_failing_source_is_skipped_until_its_backoff_expires_and_others_proceed(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/b.db")
    before = datetime.now(UTC)
    first = run(store)
    assert first["lessor"].status == "failed"
    assert first["journaldumali"].status == "ok" and first["journaldumali"].new == 2
    state = store.get_source_state("lessor")
    assert state.consecutive_failures == 1 and "connection" in state.last_error
    assert before + timedelta(minutes=5) <= state.circuit_open_until
    assert state.circuit_open_until <= datetime.now(UTC) + timedelta(minutes=5)

    second = run(store)
    assert second["lessor"].status == "skipped"
    assert second["lessor"].skipped.startswith("failing (1 times in a row")
    assert second["journaldumali"].status == "skipped"  # not due: crawled a moment ago

    third = run(store, force=True)  # an operator's --force tries again at once
    assert third["lessor"].status == "failed"
    state = store.get_source_state("lessor")
    assert state.consecutive_failures == 2
    assert state.circuit_open_until >= datetime.now(UTC) + timedelta(minutes=9)
