"""Articles out of the database as JSON Lines, CSV or Parquet, streamed in batches.

Rows are read with a server-side cursor (`yield_per`) and written as they come, so memory stays
flat whatever the table's size. By default one record per original article: republished copies
(`duplicate_of` set) are left out unless asked for.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crawler.errors import UsageError
from crawler.models import ArticleRow, article_date
from crawler.store import Store

FORMATS = ("jsonl", "csv", "parquet")
COLUMNS = ("id", "source", "url", "title", "lead", "body", "authors", "publisher", "section",
           "tags", "image", "language", "published_at", "updated_at", "first_seen_at",
           "last_seen_at", "content_hash", "duplicate_of")
BATCH = 1000


def rows(store: Store, *, since: datetime | None = None, until: datetime | None = None,
         sources: list[str] | None = None, include_copies: bool = False
         ) -> Iterator[dict[str, Any]]:
    """Article rows as dicts, oldest first, read in batches of BATCH."""
    table = ArticleRow.__table__
    query = select(*(table.c[name] for name in COLUMNS)).order_by(table.c.id)
    if since is not None:
        query = query.where(article_date(table) >= since)
    if until is not None:
        query = query.where(article_date(table) < until)
    if sources:
        query = query.where(table.c.source.in_(sources))
    if not include_copies:
        query = query.where(table.c.duplicate_of.is_(None))
    with store.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        for row in result:
            yield dict(row._mapping)


def export(store: Store, path: Path, fmt: str, **filters: Any) -> int:
    """Write the selected articles to `path` in `fmt`; return how many were written."""
    if fmt not in FORMATS:
        raise UsageError(f"--format: one of {', '.join(FORMATS)}, not {fmt!r}")
    writer = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}[fmt]
    try:
        return writer(rows(store, **filters), path)
    except OSError as exc:
        raise UsageError(f"-o {path}: {exc.strerror or exc}") from None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _jsonl(records: Iterator[dict[str, Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False))
            out.write("\n")
            count += 1
    return count


def _csv(records: Iterator[dict[str, Any]], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow({
                k: "; ".join(v) if isinstance(v, list) else _plain(v) for k, v in record.items()
            })
            count += 1
    return count


def _parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("--format parquet needs pyarrow: pip install 'malipress-crawler[parquet]'"
                         ) from None
    text, stamp = pa.string(), pa.timestamp("us", tz="UTC")
    schema = pa.schema([
        ("id", pa.int64()), ("source", text), ("url", text), ("title", text), ("lead", text),
        ("body", text), ("authors", pa.list_(text)), ("publisher", text), ("section", text),
        ("tags", pa.list_(text)), ("image", text), ("language", text),
        ("published_at", stamp), ("updated_at", stamp), ("first_seen_at", stamp),
        ("last_seen_at", stamp), ("content_hash", text), ("duplicate_of", pa.int64()),
    ])
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) == BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
