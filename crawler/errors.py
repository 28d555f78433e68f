"""The error hierarchy. The CLI maps each class to an exit code and prints one line."""

from __future__ import annotations


class CrawlerError(Exception):
    """Base of every error the crawler raises on purpose."""

    exit_code = 1


class UsageError(CrawlerError):
    """A bad flag or argument on the command line (unknown source, bad date)."""

    exit_code = 2


class ConfigError(CrawlerError):
    """sources.yaml is invalid. `problems` holds one line per mistake: 'file:line: field: why'."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class FetchError(CrawlerError):
    """A URL could not be fetched: network fault, HTTP error after retries, size cap, robots."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL for our user agent."""


class ParseError(CrawlerError):
    """A page or feed could not be turned into records."""


class StoreError(CrawlerError):
    """The database is unreachable or refused a write."""
