"""`crawl schedule`: run the APScheduler daemon (crawler/schedule.py) in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crawler.commands.shared import (
    ConfigOption,
    DbOption,
    collector_for_crawling,
    open_database,
    replay_transport,
    reported_errors,
)


def register(app: typer.Typer) -> None:
    @app.command("schedule")
    def schedule(
        config: ConfigOption = Path("sources.yaml"),
        db: DbOption = None,
        replay: Annotated[Path | None, typer.Option(
            help="answer requests from the cassettes under this folder (demo, tests)")] = None,
        grace: Annotated[float, typer.Option(
            help="seconds running crawls get to finish their batch on SIGTERM")] = 60.0,
    ) -> None:
        """Run every enabled source at its interval until SIGTERM; SIGHUP reloads the file."""
        import asyncio

        from crawler.schedule import Daemon

        with reported_errors():
            store = open_database(db)
            daemon = Daemon(config, store, transport=replay_transport(replay), grace=grace)
            with collector_for_crawling():
                code = asyncio.run(daemon.run())
            raise typer.Exit(code)
