"""The `crawl` command: flags, exit codes, progress and the summary table. No crawling logic.

Exit codes: 0 every source succeeded, 1 some source failed, 2 usage or configuration error.
Subcommands (`crawl sources`, `crawl dedup`, ...) live one per module under crawler/commands/,
each with a `register(app)`; they share the options and the error handling defined here.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler.config import Config, Source, load_config
from crawler.errors import ConfigError, CrawlerError, UsageError
from crawler.http import crawl_client
from crawler.logs import setup_logging
from crawler.pipeline import RunReport, SourceReport, crawl
from crawler.store import Store, StoreRobotsCache, default_database_url, open_store

app = typer.Typer(add_completion=False, no_args_is_help=False, pretty_exceptions_enable=False,
                  help="Crawl the Malian press into a database.")
err = Console(stderr=True)
# Not a terminal (cron, a pipe): no wrapping, so the table keeps every column readable.
out = Console(width=None if sys.stdout.isatty() else 200)


def say(line: str) -> None:
    """One line on stderr, never wrapped or styled."""
    print(line, file=sys.stderr)


def parse_day(value: str | None, flag: str) -> datetime | None:
    """YYYY-MM-DD -> midnight UTC; anything else is a usage error naming the flag."""
    if value is None:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"{flag}: not a date in YYYY-MM-DD form: {value!r}") from None
    return day.replace(tzinfo=UTC)


def pick_sources(config: Config, names: list[str] | None) -> list[Source]:
    if not names:
        return config.enabled_sources()
    unknown = [n for n in names if n not in config.names()]
    if unknown:
        raise UsageError(f"--source: unknown source {', '.join(map(repr, unknown))}; "
                         f"valid: {', '.join(config.names())}")
    return [config.source(n) for n in names]


def summary_table(report: RunReport) -> Table:
    table = Table(title=f"crawl run {report.run_id}")
    # teasers: stored this run; matched/unmatched: teasers the dedup step linked to their
    # article or left waiting for it; copies: republished copies linked to their original.
    for column in ("source", "status", "pages", "articles", "new", "updated", "teasers",
                   "matched", "unmatched", "copies", "errors", "duration"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for r in report.sources:
        color = {"ok": "green", "skipped": "yellow"}.get(r.status, "red")
        status = f"[{color}]{r.status}[/]"
        table.add_row(r.source, status, str(r.pages), str(r.articles), str(r.new),
                      str(r.updated), str(r.teasers), str(r.teasers_matched),
                      str(r.teasers_unmatched), str(r.copies), str(len(r.errors)),
                      f"{r.duration:.1f}s")
    return table


def run_pass(config: Config, sources: list[Source], store: Store, *, since: datetime | None,
             until: datetime | None, replay: Path | None, refresh: bool = False,
             force: bool = False, wait: bool = False) -> RunReport:
    settings = config.settings
    transport = replay_transport(replay)
    progress = Progress(TextColumn("{task.description:<14}"), BarColumn(),
                        TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                        console=err, disable=not (since and err.is_terminal), transient=False)
    tasks: dict[str, TaskID] = {
        s.name: progress.add_task(s.name, total=None, detail="") for s in sources
    }

    def on_progress(r: SourceReport) -> None:
        progress.update(tasks[r.source], detail=f"{r.pages} pages, {r.articles} articles, "
                        f"{r.new} new", completed=r.pages)
        if r.status != "running":
            progress.update(tasks[r.source], total=r.pages or 1, completed=r.pages or 1)

    async def main() -> RunReport:
        async with crawl_client(settings, sources, transport=transport,
                                robots_cache=StoreRobotsCache(store)) as client:
            return await crawl(config, sources, store=store, client=client, since=since,
                               until=until, refresh=refresh, force=force, wait=wait,
                               on_progress=on_progress)

    with progress:
        return asyncio.run(main())


def replay_transport(replay: Path | None) -> httpx.AsyncBaseTransport | None:
    """The cassettes under `replay` as the HTTP transport (vcrpy is loaded only then), or
    None: the network."""
    if replay is None:
        return None
    from crawler.replay import CassetteTransport

    return CassetteTransport(replay)


ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="sources file")]
DbOption = Annotated[str | None, typer.Option(
    "--db", help="database URL (default: $CRAWLER_DATABASE_URL or sqlite:///crawler.db)")]


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn every error a user can cause into one line per problem and its exit code."""
    try:
        yield
    except ConfigError as exc:
        for line in exc.problems:
            say(line)
        raise typer.Exit(exc.exit_code) from None
    except CrawlerError as exc:
        say(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        say("interrupted: stored batches are kept; rerun to continue")
        raise typer.Exit(130) from None


def open_database(db: str | None) -> Store:
    return open_store(db or default_database_url())


@app.callback(invoke_without_command=True)
def main_command(
    ctx: typer.Context,
    config: ConfigOption = Path("sources.yaml"),
    db: DbOption = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", "-s", help="crawl only this source (repeatable)")] = None,
    since: Annotated[str | None, typer.Option(
        help="backfill from this day (YYYY-MM-DD, UTC)")] = None,
    until: Annotated[str | None, typer.Option(
        help="backfill up to and including this day (YYYY-MM-DD)")] = None,
    replay: Annotated[Path | None, typer.Option(
        help="answer requests from the vcrpy cassettes under this folder, not the network")
    ] = None,
    refresh: Annotated[bool, typer.Option(
        help="fetch articles again even when already stored")] = False,
    force: Annotated[bool, typer.Option(
        help="crawl even sources not due (interval not elapsed, or backing off)")] = False,
    wait: Annotated[bool, typer.Option(
        help="wait for a crawl of the same source running elsewhere instead of skipping it")
    ] = False,
    metrics_file: Annotated[Path | None, typer.Option(
        help="write Prometheus metrics here after the run (node_exporter textfile collector)")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log each event")] = False,
    log_format: Annotated[str, typer.Option(
        help="text, or json for one JSON object per line")] = "text",
) -> None:
    """Crawl every enabled source once (or backfill a window with --since/--until)."""
    if log_format not in ("text", "json"):
        say(f"error: --log-format: text or json, not {log_format!r}")
        raise typer.Exit(2)
    setup_logging(verbose=verbose, fmt=log_format)
    if ctx.invoked_subcommand is not None:
        return
    with reported_errors():
        start = parse_day(since, "--since")
        end = parse_day(until, "--until")
        if until is not None and start is None:
            raise UsageError("--until needs --since")
        if end is not None:
            end += timedelta(days=1)  # --until names the last day included
            if start is not None and end <= start:
                raise UsageError(f"--until {until} is before --since {since}")
        cfg = load_config(config)
        sources = pick_sources(cfg, source)
        store = open_database(db)
        report = run_pass(cfg, sources, store, since=start, until=end, replay=replay,
                          refresh=refresh, force=force, wait=wait)
    out.print(summary_table(report))
    for r in report.sources:
        if r.skipped:
            say(f"{r.source}: skipped: {r.skipped}")
        for line in r.errors:
            say(f"{r.source}: {line}")
        if r.drift:
            say(f"{r.source}: fields stopped filling: {'; '.join(r.drift)}")
    if metrics_file is not None:
        from crawler.metrics import write_metrics

        with reported_errors():
            try:
                write_metrics(metrics_file, store, report.sources)
            except OSError as exc:  # the crawl is stored; only the metrics are missing
                raise CrawlerError(f"--metrics-file {metrics_file}: {exc.strerror or exc}"
                                   ) from None
    raise typer.Exit(1 if report.failed else 0)


# Subcommands, one module each under crawler/commands/ (add a name here to register one).
SUBCOMMANDS: tuple[str, ...] = (
    "schedule", "worker", "export", "doctor", "sources", "dedup", "stats")
for _name in SUBCOMMANDS:
    importlib.import_module(f"crawler.commands.{_name}").register(app)


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    try:
        app()
    except httpx.InvalidURL as exc:  # a URL that slipped past validation: still one line
        say(f"error: invalid URL: {exc}")
        raise SystemExit(2) from None
