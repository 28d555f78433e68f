"""`crawl sources`: list the sources; `crawl sources check NAME`: try one before enabling it.

The check fetches (or, with --replay, replays) the source's entry points and one article page,
runs the same discovery and parser as a crawl, and prints each field found, with the layer that
filled it (selector, json-ld, meta, fallback, code: what the crawl stores in `field_sources`),
or empty, with why (the selector that matched nothing, or no selector and no JSON-LD/<meta>
value). Nothing is stored. Exit 0 when the entry points give article links and the article has
a title, a body and a date; 1 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from crawler.commands.shared import (
    ConfigOption,
    DbOption,
    open_database,
    out,
    pick_sources,
    replay_transport,
    reported_errors,
)
from crawler.errors import FetchError, ParseError

if TYPE_CHECKING:  # imported where used: `crawl --help` stays fast
    from crawler.config import Config, EntryPoint, Source
    from crawler.extract import SourceParser
    from crawler.http.client import HttpClient
    from crawler.items import Link, Parsed
    from crawler.page import Page

REQUIRED = ("title", "body", "published")
# The fields checked are those filled layer by layer (crawler.items.Role.layer), each read by
# the parser method of its name, but for these:
METHODS = {"body": "body_paragraphs"}

# How the check names the layer that filled a field (Article.field_sources).
LAYER_NAMES = {
    "selector": "selector `{selector}`", "json-ld": "json-ld (the page's JSON-LD)",
    "meta": "meta (the page's <meta> tags)",
    "fallback": "fallback (the page's markup without a selector: body block, byline, <h1>)",
    "code": "code (the source module's own method)",
}


@dataclass
class FieldCheck:
    """One field of the checked article: its value (shown shortened) or why it is empty."""

    name: str
    value: Any
    why: str  # where it came from when found; why it is empty otherwise

    @property
    def found(self) -> bool:
        return self.value not in (None, "", [], ())


def _short(value: Any, width: int = 90) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _selector_state(page: Page, selector: str | None) -> str | None:
    """'matched nothing' / 'matched only empty elements' / None when it matched text."""
    if not selector:
        return None
    nodes = page.tree.css(selector)
    if not nodes:
        return f"selector `{selector}` matches nothing on the page"
    if not page.texts_of(selector) and not any(
            n.attributes.get(a) for n in nodes for a in ("src", "content", "datetime", "href")):
        return f"selector `{selector}` matches {len(nodes)} element(s) with no text"
    return None


def check_fields(parser: SourceParser, page: Page) -> tuple[Parsed, list[FieldCheck]]:
    """Parse `page` as a crawl would, and say for each field what was found and from where."""
    from crawler.extract import PROVENANCE_FIELDS

    parsed = parser.find(page)
    result = parsed.article
    version = parser.version_for(page)
    checks = []
    for name, attribute in PROVENANCE_FIELDS.items():
        if result is not None:
            value = getattr(result, attribute)
        else:
            value = getattr(version, METHODS.get(name, name))(page)
        selector = getattr(version.selectors, name)
        broken = _selector_state(page, selector)
        found = value not in (None, "", [], ())
        if found:
            layer = (result.field_sources.get(name) if result is not None
                     else page.field_sources.get(name)) or "code"
            why = LAYER_NAMES[layer].format(selector=selector) + (
                f"; fell back: {broken}" if broken else "")
        elif broken:
            why = broken
        elif selector:
            why = (f"selector `{selector}` matched, but nothing usable was in it "
                   "(boilerplate, no date, no name)")
        elif name == "publisher" and not parser.source.aggregator:
            why = "not an aggregator: originals have no publisher"
        elif name == "lead":
            why = "no `lead` selector (only a site's own selector knows the chapeau)"
        else:
            why = f"no `{name}` selector, and no JSON-LD or <meta> value on the page"
        checks.append(FieldCheck(name, value, why))
    return parsed, checks


async def _check(source: Source, client: HttpClient, article_url: str | None) -> int:
    from crawler.page import Page
    from crawler.sources import parser_for

    parser = parser_for(source)
    links: list[Link] = []
    for entry in source.entry_points:
        links += await _check_entry_point(entry, source, parser, client)
    articles = [link for link in links if parser.is_article_url(link.url)]
    url = article_url or (articles[0].url if articles else None)
    if url is None:
        print("article: none to check (no article link found on the entry points)")
        return 1
    try:
        response = await client.get(url)
    except FetchError as exc:
        print(f"article {url}: cannot fetch: {exc.reason}")
        return 1
    page = Page.from_html(response.url, response.text)
    parsed, checks = check_fields(parser, page)
    copy = parsed.copy
    kind = ("a partial copy, stored as a teaser" + (f" of {copy.url}" if copy.url else "")
            if copy is not None else
            "an article" if parsed.article is not None else f"no article ({parsed.why})")
    print(f"article {url}: {kind}")
    for check in checks:
        state = "found" if check.found else "EMPTY"
        value = f"{_short(check.value)}  [{check.why}]" if check.found else check.why
        print(f"  {check.name:<10} {state:<6} {value}")
    missing = [c.name for c in checks if c.name in REQUIRED and not c.found]
    if missing:
        print(f"not ready: empty {', '.join(missing)}")
        return 1
    if not articles and article_url is None:
        return 1
    print("ready: the entry points give article links, and the article has title, body and date")
    return 0


async def _check_entry_point(entry: EntryPoint, source: Source, parser: SourceParser,
                             client: HttpClient) -> list[Link]:
    from crawler.discover import walk_entry_point

    walk = walk_entry_point(entry, source=source, parser=parser, client=client, backfill=False,
                            max_pages=1)
    try:
        async for listing in walk:
            links = listing.links
            articles = [link for link in links if parser.is_article_url(link.url)]
            print(f"entry point {entry.url} ({entry.type}): {len(articles)} article links, "
                  f"{sum(1 for link in links if link.teaser)} with a teaser, "
                  f"{sum(1 for link in links if link.published_at)} with a date")
            if not articles:
                print(f"  {_why_no_links(entry, source, parser, listing.response)}")
            return links
    except ParseError as exc:
        print(f"entry point {entry.url} ({entry.type}): {exc}")
        if entry.type == "feed" and "html" in str(exc).lower():
            print("  it answers an HTML page, not a feed (Maliweb's /feed does): give a URL that "
                  "serves RSS/Atom, or make it `type: listing` with `links` selectors")
    except FetchError as exc:
        print(f"entry point {entry.url} ({entry.type}): cannot fetch: {exc.reason}")
    finally:
        await walk.aclose()
    return []


def _why_no_links(entry: EntryPoint, source: Source, parser: SourceParser,
                  response: Any) -> str:
    from crawler.page import Page

    if entry.type != "listing" or response is None:
        return "the page lists no item"
    page = Page.from_html(response.url, response.text)
    selector = parser.selectors.links or "a[href]"
    anchors = page.tree.css(selector)
    if not anchors:
        return f"`links` selector `{selector}` matches nothing"
    pattern = source.article_url_pattern
    return (f"`links` selector `{selector}` matches {len(anchors)} links, none an article URL"
            + (f" (article_url_pattern {pattern!r})" if pattern else ""))


def sources_table(config: Config, db: str | None) -> Table:
    store = open_database(db)
    table = Table(title=f"sources in {config.path}")
    for column in ("source", "title", "platform", "parser", "entry points", "interval", "enabled",
                   "aggregator", "last success", "articles"):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for source in config.sources:
        state = store.get_source_state(source.name)
        last = state.last_success_at if state and state.last_success_at else None
        interval = f"cron {source.cron}" if source.cron else _interval(source.every)
        table.add_row(
            source.name, source.title or "", source.platform, source.parser or "",
            ", ".join(sorted({e.type or "" for e in source.entry_points})), interval,
            "yes" if source.enabled else "no", "yes" if source.aggregator else "no",
            last.strftime("%Y-%m-%d %H:%M") if last else "never",
            str(store.count_articles(source.name)),
        )
    return table


def _interval(every: Any) -> str:
    seconds = int(every.total_seconds()) if every else 0
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="List the sources, or check one before enabling it.",
                        no_args_is_help=False)

    @group.callback(invoke_without_command=True)
    def list_sources(ctx: typer.Context, config: ConfigOption = Path("sources.yaml"),
                     db: DbOption = None) -> None:
        """List every source: platform, parser, interval, enabled, last success and article
        count."""
        if ctx.invoked_subcommand is not None:
            return
        with reported_errors():
            from crawler.config import load_config

            cfg = load_config(config)
            out.print(sources_table(cfg, db))

    @group.command("check")
    def check(
        name: Annotated[str, typer.Argument(help="the source to check")],
        config: ConfigOption = Path("sources.yaml"),
        replay: Annotated[Path | None, typer.Option(
            help="answer requests from the cassettes under this folder, not the network")
        ] = None,
        article: Annotated[str | None, typer.Option(
            "--article", help="check this article URL instead of the first one found")] = None,
    ) -> None:
        """Fetch (or replay) NAME's entry points and one article; print each field found or
        empty, and why. Exit 1 when no article link is found or title, body or date is empty."""
        import asyncio

        from crawler.config import load_config
        from crawler.http.client import crawl_client

        with reported_errors():
            cfg = load_config(config)
            source = pick_sources(cfg, [name], flag="NAME")[0]
            transport = replay_transport(replay)

            async def main() -> int:
                async with crawl_client(cfg.settings, [source], transport=transport,
                                        max_attempts=2) as client:
                    return await _check(source, client, article)

            code = asyncio.run(main())
        raise typer.Exit(code)

    app.add_typer(group, name="sources")
