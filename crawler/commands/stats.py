"""`crawl stats`: per source, articles stored and per day, last success, consecutive failures,
median fetch time, teasers and copies (crawler/stats.py), as a table or as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from crawler.commands.shared import DbOption, open_database, out, parse_day, reported_errors
from crawler.errors import UsageError

if TYPE_CHECKING:  # imported where used: `crawl --help` stays fast
    from crawler.stats import FieldFill, SourceStats
    from crawler.store import Store

DEFAULT_DAYS = 30


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats_command(
        db: DbOption = None,
        since: Annotated[str | None, typer.Option(
            help=f"first day (YYYY-MM-DD, UTC; default: the last {DEFAULT_DAYS} days)")] = None,
        until: Annotated[str | None, typer.Option(
            help="last day included (default: today)")] = None,
        source: Annotated[list[str] | None, typer.Option(
            "--source", "-s", help="only this source (repeatable)")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON, not a table")
                           ] = False,
    ) -> None:
        """Per source: articles stored and per day, last success, failures, fetch time,
        teasers seen and matched, copies linked, articles edited; totals at the bottom."""
        from crawler.stats import source_stats

        with reported_errors():
            start, end = window(parse_day(since, "--since"), parse_day(until, "--until"))
            store = open_database(db)
            check_sources(store, source)
            stats = source_stats(store, since=start, until=end, sources=source)
        if as_json:
            print(json.dumps(stats_json(stats, start, end), ensure_ascii=False, indent=2))
        else:
            out.print(stats_table(stats, start, end))
            out.print(fill_table(stats))


def window(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    """[first day, day after the last day): the last day is `until` (default today, UTC), the
    first `since` (default DEFAULT_DAYS days ending on the last)."""
    last_day = until or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    end = last_day + timedelta(days=1)
    start = since or end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise UsageError(f"--since {start:%Y-%m-%d} is after the last day {last_day:%Y-%m-%d}")
    return start, end


def check_sources(store: Store, names: list[str] | None) -> None:
    """A --source the database has never heard of is a usage error listing the known ones."""
    from crawler.stats import stored_sources

    known = stored_sources(store)
    unknown = [name for name in names or () if name not in known]
    if unknown:
        raise UsageError(f"--source: unknown source {', '.join(map(repr, unknown))}; "
                         f"valid: {', '.join(known) or 'none, the database is empty'}")


def stats_table(stats: list[SourceStats], start: datetime, end: datetime) -> Table:
    from crawler.stats import days_per_cell, sparkline, total

    days = (end - start).days
    step = days_per_cell(days)
    last_day = end - timedelta(days=1)
    table = Table(title=f"crawl stats {start:%Y-%m-%d} to {last_day:%Y-%m-%d}",
                  caption=None if stats else "no articles stored yet")
    columns = ("source", "articles", "in window", "per day" if step == 1 else f"per {step} days",
               "last success (UTC)", "failures", "median fetch ms", "teasers", "matched",
               "copies", "edited")
    for name in columns:
        left = name == "source" or name.startswith(("per ", "last "))
        table.add_column(name, justify="left" if left else "right")

    def add_row(one: SourceStats, last_success: str) -> None:
        median = one.median_fetch_ms
        table.add_row(one.source, str(one.articles), str(one.in_window),
                      sparkline(one.per_day, start.date(), days), last_success,
                      str(one.consecutive_failures), "-" if median is None else f"{median:.0f}",
                      str(one.teasers_seen), str(one.teasers_matched), str(one.copies),
                      str(one.edited))

    for one in stats:
        add_row(one, f"{one.last_success_at:%Y-%m-%d %H:%M}" if one.last_success_at else "never")
    table.add_section()
    add_row(total(stats), "")
    return table


def fill_table(stats: list[SourceStats]) -> Table:
    """Per source and field, the share of articles with the field filled: in the window, then
    in the source's whole history ("window / history"); a drop is a site that changed."""
    from crawler.stats import FILL_FIELDS

    table = Table(title="fields filled (window / history)")
    table.add_column("source")
    for name in (*FILL_FIELDS, "median body chars"):
        table.add_column(name, justify="right")

    def ratio(fill: FieldFill | None, name: str) -> str:
        value = fill.ratio(name) if fill is not None else None
        return "-" if value is None else f"{value:.0%}"

    def chars(fill: FieldFill | None) -> str:
        median = fill.median_body if fill is not None else None
        return "-" if median is None else f"{median:.0f}"

    for one in stats:
        table.add_row(one.source, *(f"{ratio(one.fill_window, n)} / {ratio(one.fill_history, n)}"
                                    for n in FILL_FIELDS),
                      f"{chars(one.fill_window)} / {chars(one.fill_history)}")
    return table


def stats_json(stats: list[SourceStats], start: datetime, end: datetime) -> dict[str, Any]:
    """The table's content; the totals have no source and no last success."""
    from crawler.stats import total

    totals = total(stats).as_dict()
    del totals["source"], totals["last_success"], totals["fill"]
    return {"since": f"{start:%Y-%m-%d}", "until": f"{end - timedelta(days=1):%Y-%m-%d}",
            "sources": [one.as_dict() for one in stats], "totals": totals}
