"""Articles, teasers or article revisions out of the database as JSON Lines, CSV or Parquet,
streamed in batches.

Rows are read with a server-side cursor (`yield_per`) and written as they come, so memory stays
flat whatever the table's size. By default one record per original article: republished copies
(`duplicate_of` set) are left out unless asked for. A file is written under a temporary name
and renamed when complete: a failed export leaves no half-written file (and an older file of
that name untouched). `-` is standard output.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from crawler.errors import UsageError
from crawler.items import article_fields, json_value
from crawler.models import ArticleRevision, ArticleRow, TeaserRow, article_date
from crawler.store import Store

FORMATS = ("jsonl", "csv", "parquet")
# What a file's name says it holds; an export whose --format disagrees is refused.
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
              ".pq": "parquet"}
COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip")
STDOUT = "-"
BATCH = 1000

# Each exported column and its type: "int", "text", "time" (aware UTC), "list" (of text) or
# "map" (text to text: which layer filled each field, as `crawl sources check` prints it).
# The type of an Article field's column is read from its annotation.
KINDS = {"str": "text", "datetime": "time", "list": "list", "dict": "map"}


def column_kind(annotation: str) -> str:
    """The export type of an Article field annotated `annotation` ("str | None": "text")."""
    return KINDS[annotation.split("[")[0].split(" |")[0]]


def _article_columns() -> dict[str, str]:
    """The row's id, each exported Article field (Role.exported, in the dataclass's order), and
    what the row adds; field_sources stays the last column, where it has always been."""
    columns = {"id": "int", **{spec.name: column_kind(str(spec.type))
                               for spec in article_fields("exported")},
               "first_seen_at": "time", "last_seen_at": "time", "content_hash": "text",
               "duplicate_of": "int"}
    columns["field_sources"] = columns.pop("field_sources")
    return columns


COLUMNS: dict[str, dict[str, str]] = {
    "articles": _article_columns(),
    "teasers": {
        "id": "int", "source": "text", "seen_on": "text", "url": "text", "title": "text",
        "text": "text", "first_seen_at": "time", "last_seen_at": "time", "article_id": "int",
        "article_url": "text", "matched_by": "text",
    },
    "revisions": {
        "id": "int", "article_id": "int", "article_url": "text", "source": "text",
        "seen_at": "time", "replaced_at": "time", "title": "text", "lead": "text",
        "body": "text", "updated_at": "time", "content_hash": "text",
    },
}
TABLES = tuple(COLUMNS)
# What --since/--until select by, per table (the article's date, when a teaser was first seen,
# when the edit was seen)
DATED_BY = {"articles": "the article's date (published, else first seen)",
            "teasers": "when the teaser was first seen",
            "revisions": "when the newer version was seen"}


def output_format(output: str, fmt: str | None) -> str:
    """The format to write `output` in: --format, else the one its extension names, else
    jsonl. A --format the extension contradicts is a usage error, checked before any row is
    read or any file opened."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"--format: one of {', '.join(FORMATS)}, not {fmt!r}")
    if output == STDOUT:
        return fmt or "jsonl"
    suffix = Path(output).suffix.lower()
    if suffix in COMPRESSED:
        raise UsageError(f"-o {output}: compressed output is not supported; "
                         f"write to -o - and pipe it to the compressor")
    implied = EXTENSIONS.get(suffix)
    if fmt is not None and implied is not None and implied != fmt:
        raise UsageError(f"-o {output}: the name says {implied} ({suffix}) but --format is "
                         f"{fmt}; rename the file or drop --format")
    return fmt or implied or "jsonl"


@dataclass(frozen=True)
class Selection:
    """Which rows to export."""

    table: str = "articles"
    since: datetime | None = None
    until: datetime | None = None
    sources: list[str] | None = None
    include_copies: bool = False

    def check(self) -> None:
        if self.table not in TABLES:
            raise UsageError(f"--table: one of {', '.join(TABLES)}, not {self.table!r}")
        if self.include_copies and self.table != "articles":
            raise UsageError("--include-copies: only with --table articles")

    def query(self) -> Any:
        articles = ArticleRow.__table__
        if self.table == "articles":
            query = select(*(articles.c[name] for name in COLUMNS["articles"]))
            dated, source = article_date(articles), articles.c.source
            if not self.include_copies:
                query = query.where(articles.c.duplicate_of.is_(None))
            return self._filtered(query.order_by(articles.c.id), dated, source)
        if self.table == "teasers":
            teasers = TeaserRow.__table__
            query = (select(*(teasers.c[name] for name in COLUMNS["teasers"]
                              if name != "article_url"), articles.c.url.label("article_url"))
                     .join_from(teasers, articles, teasers.c.article_id == articles.c.id,
                                isouter=True).order_by(teasers.c.id))
            return self._filtered(query, teasers.c.first_seen_at, teasers.c.source)
        revisions = ArticleRevision.__table__
        query = (select(*(revisions.c[name] for name in COLUMNS["revisions"]
                          if name not in ("article_url", "source")),
                        articles.c.url.label("article_url"), articles.c.source)
                 .join_from(revisions, articles, revisions.c.article_id == articles.c.id)
                 .order_by(revisions.c.id))
        return self._filtered(query, revisions.c.replaced_at, articles.c.source)

    def _filtered(self, query: Any, dated: Any, source: Any) -> Any:
        if self.since is not None:
            query = query.where(dated >= self.since)
        if self.until is not None:
            query = query.where(dated < self.until)
        if self.sources:
            query = query.where(source.in_(self.sources))
        return query


def rows(store: Store, selection: Selection) -> Iterator[dict[str, Any]]:
    """The selected rows as dicts in the table's column order, oldest first, read in batches
    of BATCH."""
    names = list(COLUMNS[selection.table])
    with store.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
            selection.query())
        for row in result:
            mapping = row._mapping
            yield {name: mapping[name] for name in names}


def export(store: Store, output: str, fmt: str | None, selection: Selection) -> int:
    """Write the selected rows to `output` (a path, or "-" for standard output) in `fmt`
    (None: from the extension); return how many were written."""
    fmt = output_format(output, fmt)
    selection.check()
    writer = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}[fmt]
    records = rows(store, selection)
    if output == STDOUT:
        if fmt == "parquet":
            return writer(records, sys.stdout.buffer, selection.table)
        count = writer(records, sys.stdout, selection.table)
        sys.stdout.flush()
        return count
    binary = fmt == "parquet"
    try:
        with _replaced_when_done(Path(output), binary) as out:
            return writer(records, out, selection.table)
    except OSError as exc:
        raise UsageError(f"-o {output}: {exc.strerror or exc}") from None


@contextmanager
def _replaced_when_done(path: Path, binary: bool) -> Iterator[IO[Any]]:
    """A temporary file beside `path`, renamed to it on success and removed on failure."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                         dir=path.parent)
    try:
        with (os.fdopen(handle, "wb") if binary
              else os.fdopen(handle, "w", encoding="utf-8", newline="")) as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cell(value: Any) -> Any:
    """A CSV cell: lists as "a; b", maps as "field=layer; field=layer" (sorted)."""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return json_value(value)


def _jsonl(records: Iterator[dict[str, Any]], out: IO[str], table: str) -> int:
    count = 0
    for record in records:
        out.write(json.dumps({k: json_value(v) for k, v in record.items()}, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def _csv(records: Iterator[dict[str, Any]], out: IO[str], table: str) -> int:
    count = 0
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS[table]))
    writer.writeheader()
    for record in records:
        writer.writerow({k: _cell(v) for k, v in record.items()})
        count += 1
    return count


def _parquet(records: Iterator[dict[str, Any]], out: IO[bytes], table: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("--format parquet needs pyarrow: pip install 'malipress-crawler[parquet]'"
                         ) from None
    types: dict[str, Callable[[], Any]] = {
        "int": pa.int64, "text": pa.string, "time": lambda: pa.timestamp("us", tz="UTC"),
        "list": lambda: pa.list_(pa.string()),
        "map": lambda: pa.map_(pa.string(), pa.string()),
    }
    schema = pa.schema([(name, types[kind]()) for name, kind in COLUMNS[table].items()])
    maps = [name for name, kind in COLUMNS[table].items() if kind == "map"]
    count = 0
    # ParquetWriter writes forward only (the footer last): a pipe will do.
    with pq.ParquetWriter(pa.PythonFile(out, mode="w"), schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            for name in maps:  # pyarrow takes a map as its (key, value) pairs
                record[name] = sorted((record[name] or {}).items())
            batch.append(record)
            if len(batch) == BATCH:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
