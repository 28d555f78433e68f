"""`crawl schedule`: a long-running APScheduler daemon with one job per enabled source.

Each job runs `crawl_source` at the source's `every:` interval (with jitter) or `cron:`
expression, never twice at once (max_instances=1), coalescing missed runs. First run times come
from each source's last success in the database, so a restart does not recrawl everything.
SIGTERM/SIGINT: no new job starts, running crawls stop after their current batch (which is
committed), and the process exits 0 within `grace` seconds. SIGHUP, or a change of the sources
file (crawler.watch), reloads it: the jobs are added, removed or rescheduled; an invalid file is
refused and the old schedule kept.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import Config, Source, load_config
from crawler.errors import ConfigError
from crawler.http.client import crawl_client
from crawler.pipeline import crawl_source, next_due
from crawler.store import Store, StoreRobotsCache
from crawler.watch import watch

log = logging.getLogger(__name__)
MISFIRE_GRACE = 15 * 60  # a run missed by less than this (busy loop, suspend) still happens
MAX_JITTER = 300.0


def trigger_for(source: Source) -> BaseTrigger:
    if source.cron:
        return CronTrigger.from_crontab(source.cron, timezone=UTC)
    seconds = source.every.total_seconds()
    # Jitter spreads sources that share an interval; it stays inside crawl_source's slack.
    return IntervalTrigger(seconds=seconds, jitter=min(seconds * 0.02, MAX_JITTER), timezone=UTC)


class Daemon:
    def __init__(self, config_path: Path, store: Store, *, transport=None,
                 grace: float = 60.0) -> None:
        self.config_path = config_path
        self.config: Config = load_config(config_path)
        self.store = store
        self.transport = transport  # --replay: cassettes instead of the network
        self.grace = grace
        self.stopping = asyncio.Event()
        self.running: set[asyncio.Task] = set()
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    def apply(self, config: Config) -> None:
        """Make the jobs match `config`: add new sources, drop removed or disabled ones,
        reschedule those whose timing changed."""
        wanted = {s.name: s for s in config.enabled_sources()}
        for job in self.scheduler.get_jobs():
            if job.id not in wanted:
                job.remove()
                log.info("%s: removed from the schedule", job.id)
        now = datetime.now(UTC)
        for name, source in wanted.items():
            old = self.config.source(name) if name in self.config.names() else None
            job = self.scheduler.get_job(name)
            if job is not None and old is not None and (old.every, old.cron) == (
                    source.every, source.cron):
                continue
            first = max(now, next_due(self.store, source) or now)
            self.scheduler.add_job(
                self.run_source, trigger_for(source), id=name, name=name, args=[name],
                max_instances=1, coalesce=True, misfire_grace_time=MISFIRE_GRACE,
                replace_existing=True, next_run_time=first,
            )
            log.info("%s: scheduled %s, first run %s", name,
                     f"cron {source.cron!r}" if source.cron else f"every {source.every}",
                     first.isoformat(timespec="seconds"))

    def reload(self) -> None:
        try:
            config = load_config(self.config_path)
        except ConfigError as exc:
            log.error("%s refused, keeping the current schedule: %s", self.config_path,
                      " | ".join(exc.problems))
            return
        self.apply(config)
        self.config = config
        log.info("%s reloaded: %d sources scheduled", self.config_path,
                 len(self.scheduler.get_jobs()))

    async def run_source(self, name: str) -> None:
        if self.stopping.is_set() or name not in self.config.names():
            return
        source = self.config.source(name)
        settings = self.config.settings
        task = asyncio.current_task()
        if task is not None:
            self.running.add(task)
        try:
            async with crawl_client(settings, [source], transport=self.transport,
                                    robots_cache=StoreRobotsCache(self.store)) as client:
                report = await crawl_source(source, settings=settings, client=client,
                                            store=self.store, should_stop=self.stopping.is_set)
        except Exception:  # a crash in one source must not stop the daemon
            log.exception("%s: crawl crashed", name)
            return
        finally:
            if task is not None:
                self.running.discard(task)
        job = self.scheduler.get_job(name)
        upcoming = job.next_run_time.isoformat(timespec="seconds") if job else "not scheduled"
        # (crawl_source logged what the crawl did)
        log.info("%s: %s; next run %s", name, report.status, upcoming,
                 extra={"event": "next_run", "source": name, "status": report.status})

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, self.stopping.set)
        loop.add_signal_handler(signal.SIGINT, self.stopping.set)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        self.scheduler.start()
        self.apply(self.config)
        log.info("scheduler started with %d sources", len(self.scheduler.get_jobs()))
        watching = asyncio.create_task(watch(self.config_path, self.reload))
        await self.stopping.wait()
        watching.cancel()
        log.info("stopping: no new crawl starts; waiting up to %.0fs for %d running",
                 self.grace, len(self.running))
        self.scheduler.pause()
        if self.running:
            _, pending = await asyncio.wait(set(self.running), timeout=self.grace)
            for task in pending:  # their last committed batch stays; the rest reruns later
                task.cancel()
        self.scheduler.shutdown(wait=False)
        log.info("stopped")
        return 0

