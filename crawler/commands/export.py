"""`crawl export`: articles, teasers or revisions to JSON Lines, CSV or Parquet
(crawler/export.py)."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from typing import Annotated

import typer

from crawler.commands.shared import DbOption, open_database, parse_day, reported_errors
from crawler.logs import say


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        output: Annotated[str, typer.Option(
            "--output", "-o", help="file to write, or - for standard output")],
        fmt: Annotated[str | None, typer.Option(
            "--format", "-f", help="jsonl, csv or parquet (default: from the file's "
            "extension, else jsonl)")] = None,
        table: Annotated[str, typer.Option(
            help="articles; teasers (with the URL of the article each was matched to); "
            "revisions (earlier versions of edited articles)")] = "articles",
        db: DbOption = None,
        since: Annotated[str | None, typer.Option(
            help="from this day: articles by date published (undated: first seen), teasers "
            "by first seen, revisions by when the edit was seen")] = None,
        until: Annotated[str | None, typer.Option(help="up to this day, included")] = None,
        source: Annotated[list[str] | None, typer.Option(
            "--source", "-s", help="only this source (repeatable)")] = None,
        include_copies: Annotated[bool, typer.Option(
            help="also republished copies (by default one record per original)")] = False,
    ) -> None:
        """Export stored rows, streamed: memory stays flat on any table size."""
        from crawler.export import STDOUT, Selection, export, output_format

        with reported_errors():
            start = parse_day(since, "--since")
            end = parse_day(until, "--until")
            if end is not None:
                end += timedelta(days=1)
            selection = Selection(table=table, since=start, until=end, sources=source,
                                  include_copies=include_copies)
            selection.check()
            output_format(output, fmt)  # a bad name or format before the database is opened
            store = open_database(db)
            try:
                count = export(store, output, fmt, selection)
            except BrokenPipeError:  # `crawl export -o - | head`: the reader has had enough
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(1) from None
        say(f"wrote {count} {table} to {'standard output' if output == STDOUT else output}")
