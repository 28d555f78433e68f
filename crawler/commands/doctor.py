"""`crawl doctor`: check the configuration, the database and every source's entry points.

One line per check, `ok` or `FAIL`, and for a failure what to do about it. Exit 0 when every
check passed, 1 otherwise. Nothing is written: the database is not migrated, no article stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from crawler.commands.shared import ConfigOption, DbOption, out, replay_transport, reported_errors
from crawler.errors import ConfigError, CrawlerError, FetchError

if TYPE_CHECKING:  # imported where used: `crawl --help` stays fast
    from crawler.config import Config, Source
    from crawler.http.client import HttpClient


@dataclass
class Check:
    ok: bool
    what: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "[green]ok  [/]" if self.ok else "[red]FAIL[/]"
        fix = f" -> {self.fix}" if not self.ok and self.fix else ""
        return f"{mark} {self.what}: {self.detail}{fix}"


# The words the OS and httpx use for each network cause, and what an operator does about it.
NETWORK_CAUSES = (
    (("name or service not known", "nodename nor servname", "temporary failure in name "
      "resolution", "no address associated", "name resolution", "getaddrinfo"),
     "the host name {host!r} does not resolve (DNS): check its spelling in sources.yaml, or "
     "this machine's DNS"),
    (("connection refused",),
     "nothing accepts connections at {host}:{port} (refused): the site is down or the port "
     "is wrong"),
    (("timeout", "timed out"),
     "{host} did not answer in time (timeout): retry later, or raise settings.timeout"),
    (("certificate", "ssl"),
     "{host}'s TLS certificate was refused: check the URL's scheme and host"),
    (("network is unreachable", "no route to host"),
     "no route to {host}: check this machine's network"),
)


def what_to_do(exc: Exception, url: str, otherwise: str) -> str:
    """Advice naming the real cause of a failed fetch of `url` (DNS, refused, timeout, TLS),
    or `otherwise` when the site answered (an HTTP error, a page that is not a feed)."""
    from urllib.parse import urlsplit

    reason = str(getattr(exc, "reason", exc)).lower()
    if getattr(exc, "status", None) is None:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for words, advice in NETWORK_CAUSES:
            if any(word in reason for word in words):
                return advice.format(host=parts.hostname, port=port)
    return otherwise


def check_database(url: str) -> Check:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    from crawler.store import MIGRATIONS, masked

    what = f"database {masked(url)}"
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        engine.dispose()
    except (SQLAlchemyError, ImportError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Check(False, what, f"unreachable ({reason})",
                     "check the URL, the server and the credentials (--db or "
                     "CRAWLER_DATABASE_URL)")
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    if current != head:
        found = current or "no schema"
        return Check(False, what, f"at {found}, the code expects {head}",
                     "run `crawl` once: it creates or upgrades the schema")
    return Check(True, what, f"reachable, schema at head ({head})")


async def check_source(source: Source, config: Config, client: HttpClient) -> list[Check]:
    from protego import Protego

    from crawler.discover import walk_entry_point
    from crawler.sources import parser_for

    checks = []
    robots_url = source.base_url.rstrip("/") + "/robots.txt"
    try:
        response = await client.get(robots_url)
        rules = Protego.parse(response.text)
        blocked = [e.url for e in source.entry_points
                   if not rules.can_fetch(e.url, config.settings.user_agent)]
        checks.append(Check(
            not blocked, f"{source.name} robots.txt",
            f"{response.status}, entry points allowed" if not blocked
            else f"disallows {', '.join(blocked)}",
            "pick an entry point robots.txt allows, or disable the source"))
    except FetchError as exc:
        missing = exc.status is not None and 400 <= exc.status < 500
        checks.append(Check(missing, f"{source.name} robots.txt",
                            f"{exc.status}: none, everything allowed" if missing else exc.reason,
                            what_to_do(exc, robots_url,
                                       "the site answers errors: check base_url, or retry later")
                            ))
    parser = parser_for(source)
    for entry in source.entry_points:
        pages = walk_entry_point(entry, source=source, parser=parser, client=client,
                                 backfill=False, max_pages=1)
        try:
            async for page in pages:
                articles = [link for link in page.links if parser.is_article_url(link.url)]
                checks.append(Check(
                    bool(articles), f"{source.name} {entry.type} {entry.url}",
                    f"{page.response.status}, {len(articles)} article links",
                    "no article link found: check selectors.links or article_url_pattern "
                    "(`crawl sources check` shows what was found)"))
        except CrawlerError as exc:
            checks.append(Check(False, f"{source.name} {entry.type} {entry.url}",
                                getattr(exc, "reason", str(exc)),
                                what_to_do(exc, entry.url,
                                           "fix the entry point's URL or type in sources.yaml")))
        finally:
            await pages.aclose()
    return checks


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    def doctor(
        config: ConfigOption = Path("sources.yaml"),
        db: DbOption = None,
        replay: Annotated[Path | None, typer.Option(
            help="check the sources against the cassettes under this folder")] = None,
    ) -> None:
        """Check configuration, database and each source's robots.txt and entry points."""
        import asyncio

        from crawler.config import load_config
        from crawler.http.client import crawl_client
        from crawler.store import default_database_url

        checks: list[Check] = []
        try:
            cfg = load_config(config)
            enabled = cfg.enabled_sources()
            checks.append(Check(True, f"config {config}",
                                f"{len(cfg.sources)} sources, {len(enabled)} enabled"))
        except ConfigError as exc:
            cfg, enabled = None, []
            checks += [Check(False, f"config {config}", line, "fix this line")
                       for line in exc.problems]
        checks.append(check_database(db or default_database_url()))
        if cfg is not None and enabled:
            with reported_errors():
                transport = replay_transport(replay)

            async def sources() -> list[list[Check]]:
                async with crawl_client(cfg.settings, enabled, transport=transport,
                                        max_attempts=2) as client:
                    return await asyncio.gather(
                        *(check_source(s, cfg, client) for s in enabled))

            for found in asyncio.run(sources()):
                checks += found
        for check in checks:
            out.print(check.line(), highlight=False, soft_wrap=True)
        failed = sum(not c.ok for c in checks)
        out.print(f"{len(checks) - failed} ok, {failed} failed", highlight=False)
        raise typer.Exit(1 if failed else 0)
