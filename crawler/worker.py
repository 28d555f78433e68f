"""`crawl worker`: procrastinate workers on several machines sharing one PostgreSQL.

One periodic task per enabled source, deferred once per period whatever the number of workers
(procrastinate records each period's defer in the database), a queueing lock and a lock per
source so a source is never queued or crawled twice at once, retries with exponential backoff,
and the same `crawl_source` as every other entry point. A worker killed mid-crawl leaves its job
"doing"; a periodic housekeeping task hands jobs of workers whose heartbeat stopped back to the
queue, so another worker picks the source up (its stored batches are kept, the rest is redone).
"""

from __future__ import annotations

import logging
from pathlib import Path

from procrastinate import App, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import UniqueViolation
from procrastinate.jobs import Status
from sqlalchemy.engine import make_url

from crawler.config import Config, Source, load_config
from crawler.errors import UsageError
from crawler.http import crawl_client
from crawler.pipeline import crawl_source
from crawler.store import Store, StoreRobotsCache, open_store

SCHEMA_LOCK_KEY = 727003  # PostgreSQL advisory lock: one worker installs procrastinate's tables
log = logging.getLogger(__name__)
TASK = "crawler.crawl_source"


def libpq_url(db_url: str) -> str:
    """procrastinate speaks libpq URLs: postgresql+psycopg://... -> postgresql://..."""
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        raise UsageError("crawl worker needs PostgreSQL (--db postgresql+psycopg://...); "
                         f"{url.get_backend_name()} is for one machine: use `crawl` or "
                         "`crawl schedule`")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def cron_of(source: Source) -> str:
    """The source's `cron:`, or the cron expression for its `every:` interval. Intervals that
    do not divide a minute, hour or day are rounded down to one that does."""
    if source.cron:
        return source.cron
    seconds = int(source.every.total_seconds())
    if seconds < 60:
        return f"* * * * * */{seconds}"  # procrastinate's optional 6th field: seconds
    if seconds < 3600:
        return f"*/{_divisor_at_most(seconds // 60, 60)} * * * *"
    if seconds < 86400:
        return f"0 */{_divisor_at_most(seconds // 3600, 24)} * * *"
    return "0 0 * * *"


def _divisor_at_most(value: int, whole: int) -> int:
    return max(d for d in range(1, value + 1) if whole % d == 0)


class Worker:
    """A procrastinate App whose tasks crawl the sources of one sources.yaml."""

    def __init__(self, config_path: Path, db_url: str, *, transport=None,
                 stalled_after: float = 30.0) -> None:
        self.config_path = config_path
        self.config: Config = load_config(config_path)
        self.conninfo = libpq_url(db_url)
        self.store: Store = open_store(db_url)
        self.transport = transport
        self.stalled_after = stalled_after
        self.app = App(connector=PsycopgConnector(conninfo=self.conninfo))
        self._register()

    def _register(self) -> None:
        @self.app.task(name=TASK, retry=RetryStrategy(max_attempts=4, exponential_wait=5))
        async def crawl_source_task(timestamp: int, source: str) -> None:
            await self.crawl(source)

        for source in self.config.enabled_sources():
            self.app.periodic(cron=cron_of(source), periodic_id=source.name,
                              task_kwargs={"source": source.name},
                              queueing_lock=source.name, lock=source.name)(crawl_source_task)

        @self.app.periodic(cron="* * * * * */5", periodic_id="requeue-stalled")
        @self.app.task(name="crawler.requeue_stalled", queueing_lock="requeue-stalled")
        async def requeue_stalled(timestamp: int) -> None:
            stalled = await self.app.job_manager.get_stalled_jobs(
                task_name=TASK, seconds_since_heartbeat=self.stalled_after)
            for job in stalled:
                source = job.task_kwargs.get("source")
                try:
                    await self.app.job_manager.retry_job(job)
                    log.warning("job %s (%s) was left by a dead worker: queued again",
                                job.id, source)
                except UniqueViolation:  # the source's next job is queued already: it will do
                    await self.app.job_manager.finish_job(job, Status.ABORTED, delete_job=False)
                    log.warning("job %s (%s) was left by a dead worker: closed, the source's "
                                "next job is already queued", job.id, source)

    async def crawl(self, name: str) -> None:
        source = self.config.source(name)
        settings = self.config.settings
        async with crawl_client(settings, [source], transport=self.transport,
                                robots_cache=StoreRobotsCache(self.store)) as client:
            report = await crawl_source(source, settings=settings, client=client,
                                        store=self.store)
        # A failed source is not an exception: its circuit (source_state) spaces its retries.
        # Exceptions (a database outage, a bug) are retried by procrastinate with backoff.
        log.info("%s: %s in %.1fs: %d new, %d updated, %d errors", name, report.status,
                 report.duration, report.new, report.updated, len(report.errors))

    async def run(self, *, concurrency: int = 2, name: str | None = None,
                  heartbeat: float = 10.0) -> None:
        async with self.app.open_async():
            await self.ensure_schema()
            await self.app.run_worker_async(
                concurrency=concurrency, name=name, wait=True,
                update_heartbeat_interval=heartbeat,
                stalled_worker_timeout=self.stalled_after,
            )

    async def ensure_schema(self) -> None:
        """Install procrastinate's tables on first use (idempotent across workers)."""
        async with await _connect(self.conninfo) as connection:
            # 727001 and 727002 are the store's (migrations, dedup): a key of its own
            await connection.execute(f"SELECT pg_advisory_lock({SCHEMA_LOCK_KEY})")
            found = await (await connection.execute(
                "SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).fetchone()
            if not found[0]:
                await self.app.schema_manager.apply_schema_async()
            await connection.execute(f"SELECT pg_advisory_unlock({SCHEMA_LOCK_KEY})")


async def _connect(conninfo: str):
    import psycopg

    return await psycopg.AsyncConnection.connect(conninfo, autocommit=True)

