"""`crawl worker`: procrastinate workers on several machines sharing one PostgreSQL.

One periodic task per enabled source, deferred once per period whatever the number of workers
(procrastinate records each period's defer in the database), a queueing lock and a lock per
source so a source is never queued or crawled twice at once, retries with exponential backoff,
and the same `crawl_source` as every other entry point. A worker killed mid-crawl leaves its job
"doing"; a periodic housekeeping task hands jobs of workers whose heartbeat stopped back to the
queue, so another worker picks the source up (its stored batches are kept, the rest is redone).

A tick is never skipped for firing early: a job crawls its source unless a crawl started since
the tick was due (another entry point got there first) or the source is backing off. The same
housekeeping task deletes finished jobs older than `keep_jobs_hours` with procrastinate's own
`delete_old_jobs` (its own runs at once), so the job table stays small. SIGHUP, or a change of
sources.yaml, reloads the configuration: an invalid file is refused and logged, the running one
kept; a valid one replaces it once the running crawls have finished.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from pathlib import Path

from procrastinate import App, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import UniqueViolation
from procrastinate.jobs import Status
from sqlalchemy.engine import make_url

from crawler.config import Config, Source, load_config
from crawler.due import tick_not_due
from crawler.errors import ConfigError, UsageError
from crawler.http.client import crawl_client
from crawler.pipeline import crawl_source
from crawler.store import Store, StoreRobotsCache, open_store
from crawler.watch import watch

SCHEMA_LOCK_KEY = 727003  # PostgreSQL advisory lock: one worker installs procrastinate's tables
log = logging.getLogger(__name__)
TASK = "crawler.crawl_source"
HOUSEKEEPING_QUEUE = "crawler-housekeeping"  # its jobs are deleted as soon as they are done


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
                 stalled_after: float = 30.0, keep_jobs_hours: int = 24) -> None:
        self.config_path = config_path
        self.config: Config = load_config(config_path)
        self.conninfo = libpq_url(db_url)
        self.store: Store = open_store(db_url)
        self.transport = transport
        self.stalled_after = stalled_after
        self.keep_jobs_hours = keep_jobs_hours
        self.app = self._make_app()

    def _make_app(self) -> App:
        """A procrastinate App with a periodic task per enabled source of self.config."""
        self.app = App(connector=PsycopgConnector(conninfo=self.conninfo))
        self._register()
        return self.app

    def _register(self) -> None:
        @self.app.task(name=TASK, retry=RetryStrategy(max_attempts=4, exponential_wait=5))
        async def crawl_source_task(timestamp: int, source: str) -> None:
            await self.crawl(source, tick=datetime.fromtimestamp(timestamp, UTC))

        for source in self.config.enabled_sources():
            self.app.periodic(cron=cron_of(source), periodic_id=source.name,
                              task_kwargs={"source": source.name},
                              queueing_lock=source.name, lock=source.name)(crawl_source_task)

        @self.app.periodic(cron="* * * * * */5", periodic_id="requeue-stalled")
        @self.app.task(name="crawler.requeue_stalled", queueing_lock="requeue-stalled",
                       queue=HOUSEKEEPING_QUEUE)
        async def requeue_stalled(timestamp: int) -> None:
            manager = self.app.job_manager
            # retention: procrastinate's own clean-up of finished jobs
            await manager.delete_old_jobs(nb_hours=0, queue=HOUSEKEEPING_QUEUE,
                                          include_aborted=True)
            await manager.delete_old_jobs(nb_hours=self.keep_jobs_hours, include_aborted=True)
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

    async def crawl(self, name: str, tick: datetime | None = None) -> None:
        """Crawl `name` for the period that began at `tick` (crawl_source logs the outcome).
        A failed source is not an exception: its circuit (source_state) spaces its retries.
        Exceptions (a database outage, a bug) are retried by procrastinate with backoff."""
        if name not in self.config.names():
            log.info("%s: no longer in %s: job dropped", name, self.config_path)
            return
        source = self.config.source(name)
        if tick is not None:
            state = await asyncio.to_thread(self.store.get_source_state, name)
            reason = tick_not_due(state, tick)
            if reason:
                log.info("%s: skipped: %s", name, reason, extra={
                    "event": "source_skipped", "source": name, "reason": reason})
                return
        settings = self.config.settings
        async with crawl_client(settings, [source], transport=self.transport,
                                robots_cache=StoreRobotsCache(self.store)) as client:
            # the tick is the schedule: no interval check on top of it (it would skip a tick
            # that fired a little after the previous one ran late)
            await crawl_source(source, settings=settings, client=client, store=self.store,
                               force=tick is not None)

    async def run(self, *, concurrency: int = 2, name: str | None = None,
                  heartbeat: float = 10.0) -> None:
        """Work until SIGTERM or SIGINT; on SIGHUP or a change of the sources file, reload it
        (the crawls under way finish first)."""
        reload = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, reload.set)
        watching = asyncio.create_task(watch(self.config_path, reload.set))
        try:
            while True:
                async with self.app.open_async():
                    await self.ensure_schema()
                    log.info("worker %s: %d sources: %s", name or "", len(
                        self.config.enabled_sources()), ", ".join(
                        f"{s.name} ({cron_of(s)})" for s in self.config.enabled_sources()),
                        extra={"event": "worker_started"})
                    working = asyncio.create_task(self.app.run_worker_async(
                        concurrency=concurrency, name=name, wait=True,
                        update_heartbeat_interval=heartbeat,
                        stalled_worker_timeout=self.stalled_after,
                    ))
                    config = await self._until_reload(working, reload)
                    if config is None:
                        return  # stopped by SIGTERM / SIGINT
                    working.cancel()  # procrastinate stops gracefully: running jobs finish
                    await asyncio.gather(working, return_exceptions=True)
                self.config = config
                self._make_app()
                log.info("%s reloaded", self.config_path, extra={"event": "config_reloaded"})
        finally:
            watching.cancel()
            loop.remove_signal_handler(signal.SIGHUP)

    async def _until_reload(self, working: asyncio.Task, reload: asyncio.Event
                            ) -> Config | None:
        """The new valid configuration once a reload is asked for; None when the worker
        stopped first. An invalid file is logged and the current configuration kept."""
        while True:
            asking = asyncio.create_task(reload.wait())
            await asyncio.wait({working, asking}, return_when=asyncio.FIRST_COMPLETED)
            if working.done():
                asking.cancel()
                working.result()  # raises what the worker raised
                return None
            reload.clear()
            try:
                return load_config(self.config_path)
            except ConfigError as exc:
                log.error("%s refused, keeping the current configuration: %s",
                          self.config_path, " | ".join(exc.problems),
                          extra={"event": "config_refused"})

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

