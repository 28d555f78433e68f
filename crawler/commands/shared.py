"""What every `crawl` command shares: the options, the output consoles, the error handling
that turns a user's mistake into one line and an exit code, and the database to open.

Imports only typer and rich at its top, as the commands do: `crawl --help` stays fast.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from crawler.errors import ConfigError, CrawlerError, UsageError
from crawler.logs import say

if TYPE_CHECKING:
    import httpx

    from crawler.config import Config, Source
    from crawler.store import Store

# The distribution's name on the package index (the package is `crawler`, the command `crawl`).
DISTRIBUTION = "malipress-crawler"

err = Console(stderr=True)
# Not a terminal (cron, a pipe): no wrapping, so the table keeps every column readable.
out = Console(width=None if sys.stdout.isatty() else 200)


def parse_day(value: str | None, flag: str) -> datetime | None:
    """YYYY-MM-DD -> midnight UTC; anything else is a usage error naming the flag."""
    if value is None:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"{flag}: not a date in YYYY-MM-DD form: {value!r}") from None
    return day.replace(tzinfo=UTC)


def pick_sources(config: Config, names: list[str] | None, *,
                 flag: str = "--source") -> list[Source]:
    """The sources named (all enabled ones when none is); an unknown name is a usage error
    that names what the user typed (`flag`: the option, or the argument, it came from)."""
    if not names:
        return config.enabled_sources()
    unknown = [n for n in names if n not in config.names()]
    if unknown:
        raise UsageError(f"{flag}: unknown source {', '.join(map(repr, unknown))}; "
                         f"valid: {', '.join(config.names())}")
    return [config.source(n) for n in names]


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
            say(line, event="config_error")
        raise typer.Exit(exc.exit_code) from None
    except CrawlerError as exc:
        say(f"error: {exc}", event="error")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        say("interrupted: stored batches are kept; rerun to continue", level=logging.WARNING,
            event="interrupted")
        raise typer.Exit(130) from None


DATABASE_SCHEMES = ("sqlite", "postgresql")
DEFAULT_DATABASE_URL = "sqlite:///crawler.db"  # crawler.store's too (a test holds them equal)


def database_url(db: str | None) -> str:
    """--db, else $CRAWLER_DATABASE_URL, else the default; a URL whose scheme we cannot use is
    a usage error naming where it came from."""
    url = db or os.environ.get("CRAWLER_DATABASE_URL") or DEFAULT_DATABASE_URL
    where = "--db" if db else ("CRAWLER_DATABASE_URL" if os.environ.get("CRAWLER_DATABASE_URL")
                               else "the default database")
    scheme = url.partition("://")[0] if "://" in url else ""
    if scheme.partition("+")[0] not in DATABASE_SCHEMES:
        from crawler.store import masked

        raise UsageError(f"{where}: {masked(url)!r} is not a database URL crawl can use; "
                         "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB")
    return url


def open_database(db: str | None) -> Store:
    from crawler.store import open_store

    return open_store(database_url(db))


# The cyclic garbage collection of a crawling process: the youngest generation collected every
# 10,000 allocations instead of Python's 700 (the older ones as Python has them). (50_000, 20, 20)
# saved 0.1 s more of CPU and held 14 MB more at the peak, (10_000, 10, 10) 7 MB (issue 17).
GC_THRESHOLD = (10_000, 10, 10)


@contextmanager
def collector_for_crawling() -> Iterator[None]:
    """Python's cyclic garbage collector set for crawling (a pass, the scheduler's or a
    worker's life), and back as it was after. What is alive when it starts (modules,
    configuration, engine) is frozen: it lives until the process ends, and the collections of
    the oldest generation went over it again and again.
    A crawl leaves each request's objects in cycles (tenacity's AsyncRetrying and its
    state, httpx's Response and stream, httpcore's locks: 330,000 objects in a 20 x 200
    crawl), collected at Python's thresholds in 1,200 collections and 2.0 s of its 20 s of
    CPU; so, in 330 collections and 0.74 s (gc.callbacks, issue 17). Garbage cycles are still
    collected, a little later: the crawl's peak RSS is about 7 MB higher. (Measured on a pass;
    the scheduler and the worker run the same crawl code, set alike, not measured apart.)"""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
