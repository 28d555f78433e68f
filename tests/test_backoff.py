"""A failing source backs off (doubling, capped) and never blocks the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

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


def test_a_cron_source_is_due_at_its_next_fire_time_after_its_last_success(tmp_path):
    from crawler.config import Source
    from crawler.pipeline import next_due, not_due

    store = open_store(f"sqlite:///{tmp_path}/c.db")
    source = Source.model_validate({
        "name": "morning", "platform": "rss", "base_url": "https://x.ml/",
        "entry_points": ["https://x.ml/feed"], "cron": "0 6 * * *"}, context={})
    assert not_due(store, source, datetime.now(UTC)) is None  # never crawled: due
    crawled = datetime(2025, 12, 1, 6, 0, 4, tzinfo=UTC)
    store.record_source_success("morning", crawled)
    tomorrow = datetime(2025, 12, 2, 6, 0, tzinfo=UTC)
    assert next_due(store, source) == tomorrow
    # cron firing every 15 minutes does not crawl it again before tomorrow's 06:00
    assert "next due in" in not_due(store, source, datetime(2025, 12, 1, 6, 15, tzinfo=UTC))
    assert not_due(store, source, tomorrow) is None


def test_a_partial_copy_is_not_fetched_again_on_the_next_run(tmp_path):
    # aBamako and Bamada each list a page that holds only the start of another paper's article
    # (stored as a teaser): a rerun does not fetch those pages again.
    config = load_config(ROOT / "sources.yaml")
    sources = [config.source("abamako"), config.source("bamada")]
    store = open_store(f"sqlite:///{tmp_path}/p.db")

    async def go():
        async with HttpClient(user_agent="test", transport=CassetteTransport(ROOT / "cassettes"),
                              delay_per_host=0, max_attempts=1) as client:
            return await crawl(config, sources, store=store, client=client, force=True)

    first = {r.source: r for r in asyncio.run(go()).sources}
    # An entry point whose body did not change is not read again at all: forget the stored
    # bodies' hashes so that the second run reads the listings and meets the same links.
    with store.engine.begin() as connection:
        connection.execute(text("delete from fetch_state"))
    second = {r.source: r for r in asyncio.run(go()).sources}
    assert [first[s].articles for s in ("abamako", "bamada")] == [3, 3]
    assert [first[s].new for s in ("abamako", "bamada")] == [2, 2]  # one partial copy each
    assert [second[s].articles for s in ("abamako", "bamada")] == [0, 0]
    assert [second[s].already_stored for s in ("abamako", "bamada")] == [3, 3]
