"""`crawl history URL`: the versions of a stored article and what changed between them
(crawler/history.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from crawler.commands.shared import DbOption, open_database, out, reported_errors

STYLES = {"=": "", "-": "red", "+": "green"}

if TYPE_CHECKING:  # imported where used: `crawl --help` stays fast
    from crawler.history import History, Hunk


def register(app: typer.Typer) -> None:
    @app.command("history")
    def history_command(
        url: Annotated[str, typer.Argument(help="the article's URL")],
        db: DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="print JSON, not text")] = False,
    ) -> None:
        """The versions of an article seen by successive crawls, and a word diff between
        each version and the next: [-removed-] {+added+}."""
        from crawler.history import history

        with reported_errors():
            found = history(open_database(db), url)
        if as_json:
            print(json.dumps(history_json(found), ensure_ascii=False, indent=2))
        else:
            out.print(history_text(found), soft_wrap=True)


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def history_text(found: History) -> Text:
    count = len(found.versions)
    text = Text()
    text.append(f"{found.url}", style="bold")
    text.append(f" ({found.source}): {count} version{'s' if count > 1 else ''}\n")
    for version in found.versions:
        text.append(f"\nversion {version.number}{' (current)' if version.current else ''}",
                    style="bold")
        text.append(f": seen {_when(version.first_seen)} to {_when(version.last_seen)}")
        if version.updated_at:
            text.append(f", updated by the site {_when(version.updated_at)}")
        text.append(f", content {version.content_hash[:12]}\n  {version.title}\n")
    for before, after, diffs in found.changes():
        text.append(f"\nversion {before.number} -> {after.number}\n", style="bold")
        for name, hunks in diffs.items():
            if not hunks:
                text.append(f"  {name}: only spacing or paragraph breaks changed\n")
            for hunk in hunks:
                text.append(f"  {name}: ")
                text.append_text(hunk_text(hunk))
                text.append("\n")
    return text


def hunk_text(hunk: Hunk) -> Text:
    """The hunk's line, removed words in red and added in green on a terminal (the [- -] and
    {+ +} marks stay, for pipes and colour-blind readers)."""
    line = Text("" if hunk.at_start else "… ")
    for number, change in enumerate(hunk.changes):
        line.append((" " if number else "") + change.marked(), style=STYLES[change.kind])
    line.append("" if hunk.at_end else " …")
    return line


def history_json(found: History) -> dict:
    return {
        "article_id": found.article_id, "url": found.url, "source": found.source,
        "versions": [version.as_dict() for version in found.versions],
        "changes": [{"from": before.number, "to": after.number,
                     "fields": {name: [hunk.as_dict() for hunk in hunks]
                                for name, hunks in diffs.items()}}
                    for before, after, diffs in found.changes()],
    }
