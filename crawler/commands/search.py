"""`crawl search "query"`: the stored articles that match, best first, with a snippet
(crawler/search.py has the query language)."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from crawler.commands.shared import DbOption, open_database, out, parse_day, reported_errors
from crawler.commands.stats import check_sources
from crawler.errors import UsageError
from crawler.logs import say

if TYPE_CHECKING:  # imported where used: `crawl --help` stays fast
    from crawler.search import Hit


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search_command(
        query: Annotated[str, typer.Argument(
            help='words (all required), "a phrase", électi* (prefix), -excluded, a OR b')],
        db: DbOption = None,
        source: Annotated[list[str] | None, typer.Option(
            "--source", "-s", help="only this source (repeatable)")] = None,
        since: Annotated[str | None, typer.Option(
            help="published on or after this day (undated articles: first seen)")] = None,
        until: Annotated[str | None, typer.Option(help="published up to this day, included")
                         ] = None,
        limit: Annotated[int, typer.Option(help="at most this many results")] = 20,
        include_copies: Annotated[bool, typer.Option(
            help="also republished copies (by default one result per original)")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON, not text")] = False,
    ) -> None:
        """Full-text search of the stored articles, accents ignored ("kone" finds "KONÉ")."""
        with reported_errors():
            start = parse_day(since, "--since")
            end = parse_day(until, "--until")
            if end is not None:
                end += timedelta(days=1)  # --until names the last day included
                if start is not None and end <= start:
                    raise UsageError(f"--until {until} is before --since {since}")
            from crawler.search import search

            store = open_database(db)
            check_sources(store, source)
            hits = search(store, query, sources=source, since=start, until=end, limit=limit,
                          include_copies=include_copies)
        if as_json:
            print(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
            return
        if not hits:
            say("no article matches")
            return
        for rank, hit in enumerate(hits, 1):
            out.print(result_text(rank, hit), soft_wrap=True)


def result_text(rank: int, hit: Hit) -> Text:
    """Three lines and a blank one: title; source, date and URL; the snippet. On a terminal
    the matched words are in colour; in a pipe they are **marked** so that they still show."""
    on_terminal = sys.stdout.isatty()
    day = (f"{hit.published_at:%Y-%m-%d}" if hit.published_at
           else f"seen {hit.first_seen_at:%Y-%m-%d}")
    result = Text()
    result.append(f"{rank}. ", style="bold")
    result.append(hit.title, style="bold")
    result.append(f"\n   {hit.source} · {day} · ")
    result.append(hit.url, style="cyan")
    result.append("\n   ")
    shown = 0
    for start, end in hit.highlights:
        result.append(hit.snippet[shown:start])
        word = hit.snippet[start:end]
        result.append(word if on_terminal else f"**{word}**", style="bold yellow")
        shown = end
    result.append(hit.snippet[shown:] + "\n")
    return result
