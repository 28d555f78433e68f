"""`crawl export`: articles to JSON Lines, CSV or Parquet (crawler/export.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli import DbOption, open_database, parse_day, reported_errors, say


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        output: Annotated[Path, typer.Option("--output", "-o", help="file to write")],
        fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet")
                       ] = "jsonl",
        db: DbOption = None,
        since: Annotated[str | None, typer.Option(
            help="published on or after this day (undated articles: first seen)")] = None,
        until: Annotated[str | None, typer.Option(help="published up to this day, included")
                         ] = None,
        source: Annotated[list[str] | None, typer.Option(
            "--source", "-s", help="only this source (repeatable)")] = None,
        include_copies: Annotated[bool, typer.Option(
            help="also republished copies (by default one record per original)")] = False,
    ) -> None:
        """Export stored articles, streamed: memory stays flat on any table size."""
        from crawler.export import export

        with reported_errors():
            start = parse_day(since, "--since")
            end = parse_day(until, "--until")
            if end is not None:
                end += timedelta(days=1)
            count = export(open_database(db), output, fmt, since=start, until=end,
                           sources=source, include_copies=include_copies)
        say(f"wrote {count} articles to {output}")
