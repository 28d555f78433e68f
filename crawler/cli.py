"""The `crawl` command: flags, exit codes, progress and the summary table. No crawling logic.

Exit codes: 0 every source succeeded, 1 some source failed, 2 usage or configuration error.
Subcommands (`crawl sources`, `crawl dedup`, ...) live one per module under crawler/commands/,
each with a `register(app)`; they and this command share crawler/commands/shared.py (options,
consoles, error handling, the database).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crawler.commands import dedup, doctor, export, history, schedule, search, stats, worker
from crawler.commands import sources as sources_command  # `sources` is a list of Source here
from crawler.commands.shared import (
    DEFAULT_DATABASE_URL,
    ConfigOption,
    DbOption,
    collector_for_crawling,
    database_url,
    err,
    open_database,
    out,
    parse_day,
    pick_sources,
    replay_transport,
    reported_errors,
)
from crawler.errors import CrawlerError, UsageError
from crawler.logs import json_logs, say, say_json_if_asked, setup_logging

# Only what `crawl --help` needs is imported up here: the crawl itself (pipeline, database,
# HTTP client) is imported where it is used, so a cron job whose sources are not due and every
# `--help` start in a fraction of a second (scripts/bench/startup.py).
if TYPE_CHECKING:
    from rich.table import Table

    from crawler.config import Config, Source
    from crawler.pipeline import RunReport, SourceReport
    from crawler.store import Store

__all__ = ["DEFAULT_DATABASE_URL", "app", "main"]  # DEFAULT_DATABASE_URL: the store's too

log = logging.getLogger("crawler.cli")
# Without a terminal (cron, systemd), a progress line this often in the log.
PROGRESS_EVERY = 30.0

app = typer.Typer(add_completion=False, no_args_is_help=False, pretty_exceptions_enable=False,
                  help="Crawl the Malian press into a database.")


def summary_table(report: RunReport) -> Table:
    from rich.table import Table

    table = Table(title=f"crawl run {report.run_id}")
    # teasers: stored this run; matched/unmatched: teasers the dedup step linked to their
    # article or left waiting for it; copies: republished copies linked to their original.
    for column in ("source", "status", "pages", "articles", "new", "updated", "teasers",
                   "matched", "unmatched", "copies", "errors", "duration"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for r in report.sources:
        color = {"ok": "green", "skipped": "yellow", "interrupted": "yellow"}.get(r.status, "red")
        status = f"[{color}]{r.status}[/]"
        table.add_row(r.source, status, str(r.pages), str(r.articles), str(r.new),
                      str(r.updated), str(r.teasers), str(r.teasers_matched),
                      str(r.teasers_unmatched), str(r.copies), str(len(r.errors)),
                      f"{r.duration:.1f}s")
    return table


class LiveView:
    """The terminal's view of a pass or a backfill: one row per source, redrawn from the live
    SourceReports (rich.live asks for it a few times a second)."""

    def __init__(self, names: list[str]) -> None:
        self.reports: dict[str, SourceReport | None] = dict.fromkeys(names)
        self.started = time.monotonic()

    def __rich__(self) -> Table:
        from rich.table import Table

        table = Table(box=None, title=f"crawling ({time.monotonic() - self.started:.0f}s)",
                      title_justify="left")
        for column in ("source", "status", "pages", "articles", "stored", "errors"):
            table.add_column(column, justify="left" if column in ("source", "status")
                             else "right")
        for name, r in self.reports.items():
            if r is None:
                table.add_row(name, "[dim]waiting[/]", "", "", "", "")
                continue
            color = {"ok": "green", "running": "cyan", "failed": "red"}.get(r.status, "yellow")
            table.add_row(name, f"[{color}]{r.status}[/]", str(r.pages), str(r.articles),
                          str(r.new + r.updated), str(len(r.errors)))
        return table

    def line(self) -> str:
        """The same, as one log line (no terminal)."""
        seen = [r for r in self.reports.values() if r is not None]
        done = [r for r in seen if r.status != "running"]
        running = [r for r in seen if r.status == "running"]
        return (f"progress: {len(done)}/{len(self.reports)} sources done, "
                f"{sum(r.pages for r in seen)} pages, {sum(r.articles for r in seen)} articles "
                f"fetched, {sum(r.new + r.updated for r in seen)} stored, "
                f"{sum(len(r.errors) for r in seen)} errors; running: "
                + (", ".join(f"{r.source} ({r.pages} pages, {r.articles} articles)"
                             for r in running) or "none"))


class Stop:
    """SIGINT or SIGTERM during a run: the first asks every crawl to stop (what was fetched is
    stored, in-flight requests are dropped); a second one of the same kind acts at once."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __call__(self) -> bool:
        return self.signal is not None

    def install(self, loop) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self._on_signal, loop, signum)

    def _on_signal(self, loop, signum: int) -> None:
        if self.signal is None:
            self.signal = signum
            log.warning("%s: stopping: storing what was fetched, then exiting",
                        signal.Signals(signum).name, extra={
                            "event": "stopping", "signal": signal.Signals(signum).name})
        loop.remove_signal_handler(signum)  # the next one takes its default action

    @property
    def exit_code(self) -> int:
        return 128 + (self.signal or 0)  # the shell's convention: 130 SIGINT, 143 SIGTERM


def run_pass(config: Config, sources: list[Source], store: Store, *, since: datetime | None,
             until: datetime | None, replay: Path | None, refresh: bool = False,
             force: bool = False, wait: bool = False, stop: Stop | None = None,
             progress_every: float = PROGRESS_EVERY) -> RunReport:
    import asyncio

    from crawler.http.client import crawl_client
    from crawler.pipeline import crawl
    from crawler.store import StoreRobotsCache

    settings = config.settings
    transport = replay_transport(replay)
    stop = stop or Stop()
    view = LiveView([s.name for s in sources])

    def on_progress(r: SourceReport) -> None:
        view.reports[r.source] = r  # the live object: the view reads it as it changes

    async def log_progress() -> None:
        while True:
            await asyncio.sleep(progress_every)
            log.info(view.line(), extra={"event": "progress"})

    async def main() -> RunReport:
        stop.install(asyncio.get_running_loop())
        ticker = asyncio.create_task(log_progress()) if not live else None
        try:
            async with crawl_client(settings, sources, transport=transport,
                                    robots_cache=StoreRobotsCache(store)) as client:
                return await crawl(config, sources, store=store, client=client, since=since,
                                   until=until, refresh=refresh, force=force, wait=wait,
                                   on_progress=on_progress, should_stop=stop)
        finally:
            if ticker is not None:
                ticker.cancel()

    live = err.is_terminal and not json_logs()
    if not live:
        with collector_for_crawling():
            return asyncio.run(main())
    from rich.live import Live

    with Live(view, console=err, refresh_per_second=4, transient=True), collector_for_crawling():
        return asyncio.run(main())


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
    progress_every: Annotated[float, typer.Option(
        help="seconds between progress lines in the log when stderr is not a terminal")
    ] = PROGRESS_EVERY,
) -> None:
    """Crawl every enabled source once (or backfill a window with --since/--until)."""
    if log_format not in ("text", "json"):
        say(f"error: --log-format: text or json, not {log_format!r}")
        raise typer.Exit(2)
    setup_logging(verbose=verbose, fmt=log_format)
    if ctx.invoked_subcommand is not None:
        return
    from crawler.config import load_config

    stop = Stop()
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
        enabled = [s.name for s in cfg.enabled_sources()]  # the sources metrics keep series of
        if start is None and not force:
            # most cron runs find nothing due: say so without loading the crawl machinery
            from crawler.due import nothing_due

            skipped = nothing_due(database_url(db), sources)
            if skipped is not None:
                finish_without_crawling(skipped, metrics_file, enabled)
        from crawler import parsing

        parsing.start()  # the parsing workers import while the database is opened
        store = open_database(db)
        report = run_pass(cfg, sources, store, since=start, until=end, replay=replay,
                          refresh=refresh, force=force, wait=wait, stop=stop,
                          progress_every=progress_every)
    out.print(summary_table(report))
    for r in report.sources:  # (a skipped source's reason was logged when it was skipped)
        for line in r.errors:
            say(f"{r.source}: {line}", level=logging.WARNING, event="run_error",
                source=r.source, error=line)
        if r.drift:
            say(f"{r.source}: fields stopped filling: {'; '.join(r.drift)}",
                level=logging.WARNING, event="drift", source=r.source)
    if metrics_file is not None:
        from crawler.metrics import write_metrics

        with reported_errors():
            try:
                write_metrics(metrics_file, store, report.sources, enabled)
            except OSError as exc:  # the crawl is stored; only the metrics are missing
                raise CrawlerError(f"--metrics-file {metrics_file}: {exc.strerror or exc}"
                                   ) from None
    if stop():
        name = signal.Signals(stop.signal).name
        say(f"interrupted by {name}: what was fetched is stored (run {report.run_id} recorded "
            "as interrupted); rerun to continue", level=logging.WARNING, event="interrupted",
            signal=name)
        raise typer.Exit(stop.exit_code)
    raise typer.Exit(1 if report.failed else 0)


def finish_without_crawling(skipped: list[tuple[str, str]], metrics_file: Path | None,
                            configured: list[str]) -> None:
    """No source of the pass is due: the summary, the skip lines and the metrics a full pass
    would give for it, and exit 0. Nothing is written to the database."""
    from rich.table import Table

    from crawler.report import SourceReport

    table = Table(title="crawl: nothing due")
    for column in ("source", "status", "reason"):
        table.add_column(column)
    reports = []
    for name, reason in skipped:
        reports.append(SourceReport(source=name).skip(reason))  # logs the skip
        table.add_row(name, "[yellow]skipped[/]", reason)
    out.print(table)
    if metrics_file is not None:
        from crawler.metrics import write_metrics

        with reported_errors():
            try:
                write_metrics(metrics_file, None, reports, configured)
            except OSError as exc:
                raise CrawlerError(f"--metrics-file {metrics_file}: {exc.strerror or exc}"
                                   ) from None
    raise typer.Exit(0)


# Subcommands, one module each under crawler/commands/ (add one here to register it).
# Each module imports only typer and rich at its top: what a command needs is imported when it
# runs.
SUBCOMMANDS = (schedule, worker, export, doctor, sources_command, dedup, stats, search, history)
for _command in SUBCOMMANDS:
    _command.register(app)


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    from typer._click.exceptions import ClickException  # typer's vendored click

    try:
        code = app(standalone_mode=False)
    except ClickException as exc:
        # The CLI framework's own usage errors (unknown option, missing argument, bad value):
        # one line like ours, exit 2, instead of a usage block and a box.
        message = " ".join(exc.format_message().split())
        context = getattr(exc, "ctx", None)
        # the command as the user knows it, whatever the program name (`python -c`, a venv)
        where = " ".join(["crawl", *(context.command_path.split()[1:] if context else [])])
        say_json_if_asked(sys.argv[1:], f"error: {message} (see `{where} --help`)")
        code = exc.exit_code
    except typer.Abort:
        code = 130
    except Exception as exc:
        import httpx

        if isinstance(exc, httpx.InvalidURL):
            say(f"error: invalid URL: {exc}")  # a URL that slipped past validation: one line
            code = 2
        elif json_logs():  # a bug: its traceback too is one JSON object
            log.critical("crashed: %s: %s", type(exc).__name__, exc, exc_info=True,
                         extra={"event": "crashed"})
            code = 1
        else:
            raise
    raise SystemExit(code if isinstance(code, int) else 0)
