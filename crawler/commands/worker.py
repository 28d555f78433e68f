"""`crawl worker`: a procrastinate worker (crawler/worker.py); needs PostgreSQL.

Installed with the `distributed` extra: pip install 'malipress-crawler[distributed]'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crawler.commands.shared import (
    DISTRIBUTION,
    ConfigOption,
    DbOption,
    collector_for_crawling,
    database_url,
    replay_transport,
    reported_errors,
)
from crawler.errors import UsageError


def register(app: typer.Typer) -> None:
    @app.command("worker")
    def worker(
        config: ConfigOption = Path("sources.yaml"),
        db: DbOption = None,
        concurrency: Annotated[int, typer.Option(help="sources crawled at once")] = 2,
        name: Annotated[str | None, typer.Option(help="worker name in logs")] = None,
        replay: Annotated[Path | None, typer.Option(
            help="answer requests from the cassettes under this folder (demo, tests)")] = None,
        heartbeat: Annotated[float, typer.Option(help="seconds between heartbeats")] = 10.0,
        stalled_after: Annotated[float, typer.Option(
            help="seconds without heartbeat after which a worker's jobs are queued again")
        ] = 30.0,
        keep_jobs: Annotated[int, typer.Option(
            help="hours finished jobs are kept in procrastinate's table before deletion")] = 24,
    ) -> None:
        """Run a worker that crawls each source once per period, shared with other workers.
        SIGTERM or SIGINT: stop once the running crawls finish; SIGHUP (or editing the
        sources file): reload it."""
        import asyncio

        with reported_errors():
            try:
                from crawler.worker import Worker
            except ImportError as exc:
                raise UsageError(f"crawl worker needs the distributed extra "
                                 f"(pip install '{DISTRIBUTION}[distributed]'): {exc}"
                                 ) from None
            runner = Worker(config, database_url(db),
                            transport=replay_transport(replay), stalled_after=stalled_after,
                            keep_jobs_hours=keep_jobs)
            with collector_for_crawling():
                asyncio.run(runner.run(concurrency=concurrency, name=name, heartbeat=heartbeat))
