"""When a source is due, from its `source_state` row: the one rule for every entry point.

Kept apart from the pipeline, and free of the ORM, so that `crawl` can answer "nothing is due"
from one query before it imports the crawl machinery (a cron job every 15 minutes mostly finds
nothing due), and `crawl_source` applies the very same rule under its lock.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from crawler.config import Source

# Triggers that fire a little early (scheduler jitter, cron drift) still count.
SLACK = 0.95


class State(Protocol):
    """What the rule reads of a `source_state` row (models.SourceState, or `StateRow`)."""

    last_success_at: datetime | None
    consecutive_failures: int
    circuit_open_until: datetime | None
    last_error: str | None


@dataclass
class StateRow:
    last_success_at: datetime | None
    consecutive_failures: int
    circuit_open_until: datetime | None
    last_error: str | None


def due_at(state: State | None, source: Source, slack: float = 1.0) -> datetime | None:
    """When the source may next be crawled: its interval or its cron's next fire time after
    its last success, and not before a failure backoff ends. None: now."""
    if state is None:
        return None
    due = [state.circuit_open_until] if state.circuit_open_until else []
    if state.last_success_at:
        due.append(source.next_after(state.last_success_at, slack=slack))
    return max(due) if due else None


def why_not_due(state: State | None, source: Source, now: datetime) -> str | None:
    """Why the source is not due at `now`, or None (due). An interval has a 5% slack."""
    due = due_at(state, source, slack=SLACK)
    if state is None or due is None or now >= due:
        return None
    if state.circuit_open_until and now < state.circuit_open_until:
        return (f"failing ({state.consecutive_failures} times in a row: {state.last_error}); "
                f"next try after {state.circuit_open_until.isoformat(timespec='seconds')}")
    return (f"last crawled {ago(now - state.last_success_at)} ago; "
            f"next due in {ago(due - now)}")


def tick_not_due(state: State | None, tick: datetime) -> str | None:
    """For a periodic trigger whose tick was due at `tick` (procrastinate's schedule): why it
    should not crawl, or None. Only a crawl that started at or after the tick (this period is
    done), or a failure backoff, stops it: never an interval measured from a previous run that
    started late, which skips the period that follows."""
    if state is None:
        return None
    if state.circuit_open_until and tick < state.circuit_open_until:
        return (f"failing ({state.consecutive_failures} times in a row: {state.last_error}); "
                f"next try after {state.circuit_open_until.isoformat(timespec='seconds')}")
    if state.last_success_at and state.last_success_at >= tick:
        return (f"crawled at {state.last_success_at.isoformat(timespec='seconds')}, after "
                f"this period's tick ({tick.isoformat(timespec='seconds')})")
    return None


def ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


_QUERY = ("SELECT source, last_success_at, consecutive_failures, circuit_open_until, "
          "last_error FROM source_state")


def read_states(url: str) -> dict[str, StateRow] | None:
    """Every source's state, read with the database's own driver; None when the database
    cannot say yet (no file, no table, unreachable): the full run then decides and reports."""
    scheme, _, rest = url.partition("://")
    try:
        if scheme == "sqlite":
            path = rest[1:] if rest.startswith("/") else rest
            if not path or path == ":memory:" or not Path(path).expanduser().is_file():
                return None
            uri = Path(path).expanduser().resolve().as_uri() + "?mode=ro"
            with sqlite3.connect(uri, uri=True) as connection:
                rows = connection.execute(_QUERY).fetchall()
        elif scheme.partition("+")[0] == "postgresql":
            import psycopg

            with psycopg.connect(f"postgresql://{rest}", connect_timeout=10) as connection:
                rows = connection.execute(_QUERY).fetchall()
        else:
            return None
    except Exception:  # noqa: BLE001 - whatever it is, the full run meets it and says so
        return None
    return {row[0]: StateRow(_utc(row[1]), row[2] or 0, _utc(row[3]), row[4]) for row in rows}


def _utc(value: datetime | str | None) -> datetime | None:
    """SQLite returns text without a zone (stored as UTC); PostgreSQL an aware datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def nothing_due(url: str, sources: list[Source],
                now: datetime | None = None) -> list[tuple[str, str]] | None:
    """(source, why) for each of `sources` when none of them is due; None when one is, or when
    the database cannot tell."""
    states = read_states(url)
    if states is None:
        return None
    now = now or datetime.now(UTC)
    reasons = []
    for source in sources:
        reason = why_not_due(states.get(source.name), source, now)
        if reason is None:
            return None
        reasons.append((source.name, reason))
    return reasons
