"""URLs as served with separate keys, UTF-8 JSON (jsonb), zoned SQLite times, date precision

What this revision does to a database stored already:

- `articles.url_key` and `teasers.url_key` (crawler.urls.url_key: no scheme, no "www.") are
  filled from the stored URLs, which were canonical already, so every stored article keeps its
  identity and a rerun finds it: no row is added. Two rows stored apart that now have one key
  (www and bare host of a site whose alias was not configured) are not merged here, as a
  merge could lose one's text: the later keeps its full URL as key, and both stay.
- `articles.url`, `teasers.url` and `teasers.seen_on` were stored with the scheme forced to
  https. The scheme a page was served with was not kept, so it cannot be recovered exactly.
  What can be done: on a host where every fetch recorded (`fetch_state`, the entry points, and
  `robots_txt`, fetched for the article pages) went over http and none over https, the
  stored URLs of that host are put back to http. Elsewhere they stay https: the next fetch of
  an article (`crawl --refresh`) stores the URL it was served at.
- JSON columns: on PostgreSQL `json` becomes `jsonb` (the values are parsed, so "\\u00c9"
  escapes become "É"); on SQLite the escaped JSON text is rewritten as UTF-8.
- SQLite timestamps ("2025-12-10 17:02:00.000000", UTC without a zone) are rewritten as
  "2025-12-10T17:02:00.000000+00:00". PostgreSQL keeps its timestamptz columns.
- `articles.published_precision`: "minute" where the stored time is not midnight (a time was
  given). At midnight the page may have given a time of 00:00 or no time at all: that cannot
  be told any more, so it stays NULL (unknown) until the article is fetched again.

Downgrade drops the new columns and turns jsonb back into json; it keeps the URLs as they are
now, the UTF-8 JSON and the zoned SQLite times, which the older code reads as well.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 19:30:00
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from crawler.urls import url_key

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON_COLUMNS = {
    "articles": ("authors", "tags"),
    "crawl_runs": ("sources", "error_log"),
    "source_runs": ("fetch_ms",),
}
DATETIME_COLUMNS = {
    "articles": ("published_at", "updated_at", "first_seen_at", "last_seen_at"),
    "teasers": ("first_seen_at", "last_seen_at"),
    "fetch_state": ("fetched_at",),
    "source_state": ("last_success_at", "last_attempt_at", "circuit_open_until"),
    "crawl_runs": ("since", "until", "started_at", "finished_at"),
    "source_runs": ("started_at", "finished_at"),
    "robots_txt": ("fetched_at",),
}
BATCH = 1000


def upgrade() -> None:
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    # NOT NULL with a default: SQLite adds such a column without rebuilding the table (a
    # rebuild would drop `articles` under the foreign keys that point at it).
    op.add_column("articles", sa.Column("url_key", sa.String(length=2048), nullable=False,
                                        server_default=""))
    op.add_column("articles", sa.Column("published_precision", sa.String(length=8)))
    op.add_column("teasers", sa.Column("url_key", sa.String(length=2048)))
    _fill_url_keys(connection)
    op.create_index("ix_articles_url_key", "articles", ["url_key"], unique=True)
    op.create_index("ix_teasers_url_key", "teasers", ["url_key"])
    if postgres:
        op.alter_column("articles", "url_key", server_default=None)
    _restore_http(connection)
    if postgres:
        for table, columns in JSON_COLUMNS.items():
            for column in columns:
                op.alter_column(table, column, type_=postgresql.JSONB(),
                                postgresql_using=f"{column}::jsonb")
    else:
        _unescape_json(connection)
        _zone_sqlite_times(connection)
    op.execute("UPDATE articles SET published_precision = 'minute' WHERE published_at IS NOT "
               "NULL AND "
               + ("(published_at AT TIME ZONE 'UTC')::time <> '00:00'" if postgres
                  else "substr(published_at, 12, 8) <> '00:00:00'"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in JSON_COLUMNS.items():
            for column in columns:
                op.alter_column(table, column, type_=sa.JSON(), postgresql_using=f"{column}::json")
    op.drop_index("ix_teasers_url_key", table_name="teasers")
    op.drop_index("ix_articles_url_key", table_name="articles")
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), not a batch rebuild: dropping `articles` to
    # rebuild it would cascade to the keys and teaser links that point at it.
    op.drop_column("teasers", "url_key")
    op.drop_column("articles", "published_precision")
    op.drop_column("articles", "url_key")


def _rewrite(connection: sa.Connection, table: str, column: str, rows: list[tuple]) -> None:
    """Set `column` of each (id, value) row."""
    statement = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
    for start in range(0, len(rows), BATCH):
        connection.execute(statement, [{"id": i, "value": v} for i, v in rows[start:start + BATCH]])


def _fill_url_keys(connection: sa.Connection) -> None:
    # The stored URLs went through the old canonical_url (alias hosts mapped already), so the
    # key of each is url_key of the URL alone: the key a new crawl computes for that page.
    keys: dict[str, int] = {}
    rows = []
    for i, url in connection.execute(sa.text("SELECT id, url FROM articles ORDER BY id")):
        key = url_key(url)
        rows.append((i, key if keys.setdefault(key, i) == i else url))  # a URL is no key
    _rewrite(connection, "articles", "url_key", rows)
    teasers = connection.execute(sa.text("SELECT id, url FROM teasers WHERE url IS NOT NULL")).all()
    _rewrite(connection, "teasers", "url_key", [(i, url_key(url)) for i, url in teasers])


def _http_only_hosts(connection: sa.Connection) -> set[str]:
    fetched = connection.execute(sa.text(
        "SELECT url FROM fetch_state UNION ALL SELECT url FROM robots_txt")).scalars()
    schemes: dict[str, set[str]] = {}
    for url in fetched:
        parts = urlsplit(url)
        schemes.setdefault(parts.netloc.lower(), set()).add(parts.scheme)
    return {host for host, seen in schemes.items() if seen == {"http"}}


def _restore_http(connection: sa.Connection) -> None:
    hosts = _http_only_hosts(connection)
    if not hosts:
        return

    def served(url: str | None) -> str | None:
        parts = urlsplit(url) if url else None
        if parts is None or parts.scheme != "https" or parts.netloc.lower() not in hosts:
            return None
        return urlunsplit(("http", *parts[1:]))

    for table, column in (("articles", "url"), ("teasers", "url"), ("teasers", "seen_on")):
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
        _rewrite(connection, table, column,
                 [(i, new) for i, url in rows if (new := served(url)) is not None])


def _unescape_json(connection: sa.Connection) -> None:
    for table, columns in JSON_COLUMNS.items():
        for column in columns:
            # LIKE without ESCAPE: the backslash is an ordinary character
            rows = connection.execute(sa.text(
                f"SELECT id, {column} FROM {table} WHERE {column} LIKE '%\\u%'")).all()
            _rewrite(connection, table, column, [
                (i, json.dumps(json.loads(value), ensure_ascii=False)) for i, value in rows])


def _zone_sqlite_times(connection: sa.Connection) -> None:
    old = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*'"
    for table, columns in DATETIME_COLUMNS.items():
        for column in columns:
            # "2025-12-10 17:02:00[.ffffff]" -> "2025-12-10T17:02:00.ffffff+00:00"
            connection.execute(sa.text(
                f"UPDATE {table} SET {column} = substr({column}, 1, 10) || 'T' "
                f"|| substr({column}, 12, 8) || CASE WHEN length({column}) = 19 "
                f"THEN '.000000' ELSE substr({column}, 20, 7) END || '+00:00' "
                f"WHERE {column} GLOB {old}"))
