"""Storage speed: `Store.upsert_articles` against the ORM upsert a user would write, in one run.

For SQLite (a file in a temporary folder) and PostgreSQL (a database created for the run on the
machine's server, then dropped), ARTICLES synthetic articles (title, a lead of ~40 words, a body
of ~500 words, authors, tags, dates) are written in batches of BATCH, one transaction per batch,
three times over (each carrying its URL key, as the crawl's articles do: the parser keys them;
`--unkeyed` leaves the key to the store, inside the timed write):

- new: every article is new;
- unchanged: the same articles again (a re-crawl of pages that did not move);
- updated: every article's body changed.

Ours is `crawler.store.Store.upsert_articles`, what a crawl calls for each batch: one
INSERT ... ON CONFLICT DO NOTHING RETURNING for the batch (on PostgreSQL, of the rows a locked
read before it did not find), the rows that were there read (locked on PostgreSQL) and
compared by content hash, then one executemany that touches the unchanged
and one that rewrites the changed; it also links stored teasers by URL. The alternative is the
SQLModel code a user would write for the same job: per article, SELECT the row by URL, then
update its fields or add a new ArticleRow, and commit the batch. Both run in this process, taking
turns batch by batch (so that the machine's load, shared with other work, changes
under both alike), each on its own fresh database migrated by `open_store`; the figure is rows
per second of wall time, summed over a side's batches (the database server's own work
counts), and the ratio is ours over the ORM's. Beside it, each side's CPU time in this process
(the ORM's over ours): on SQLite that is nearly all the work (the database runs in the
process; only the wait for fsync is left out), so it holds on a loaded machine where wall time
does not; on PostgreSQL it leaves out the server's work (the triggers' tsvector above all).

Fair by construction: both write the same schema, migration 0005's triggers included (the
search index, FTS5 or tsvector, filled on every insert and on every change of title, lead or
body; the old text kept in article_revisions on such a change), and both change the body in
the updated pass, so both pay those triggers on the same rows. After each side's passes the
run checks, and stops if not, that it stored one row per article and one revision per
article (the revision and search-index triggers share their condition: every updated row
fired both).

    .venv/bin/python scripts/bench/storage.py [--articles 100000] [--batch 50] [--db sqlite]
"""

from __future__ import annotations

import argparse
import random
import shlex
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from measure import machine  # scripts/bench/measure.py
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from crawler.items import Article
from crawler.models import ArticleRow
from crawler.store import Store, open_store
from crawler.urls import url_key

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_TEXT = ("le la les du de des un une Mali Bamako gouvernement ministre projet sécurité région "
         "développement économie coopération partenaires conférence jeunesse école santé eau "
         "élection transition armée paix accord village cercle récolte coton marché prix")
WORDS = _TEXT.split()


def make_articles(n: int, seed: int, *, keyed: bool = True) -> list[Article]:
    """`keyed`: each article carries its URL key, as the crawl's articles do (the parser keys
    every article it finds, crawler.extract, and the pipeline keys any left unkeyed before
    storing: crawler.pipeline), so that the key is not computed inside the timed write. The
    ORM side does not use it."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def words(k: int) -> str:
        return " ".join(rng.choices(WORDS, k=k)).capitalize() + "."

    def url(i: int) -> str:
        return f"https://site{i % 15}.ml/articles/{i}"

    return [
        Article(source=f"site{i % 15}", url=url(i), url_key=url_key(url(i)) if keyed else None,
                title=words(10), lead=words(40),
                body="\n\n".join(words(100) for _ in range(5)),
                authors=["Moussa Traoré"], tags=["politique", "société"], language="fr",
                published_at=start + timedelta(minutes=i))
        for i in range(n)
    ]


def orm_upsert(store: Store, batch: list[Article]) -> None:
    """The SQLModel way: look each URL up, update the row or add one, commit the batch."""
    now = datetime.now(UTC)
    with Session(store.engine) as session:
        for article in batch:
            row = session.exec(select(ArticleRow).where(ArticleRow.url == article.url)).first()
            digest = article.content_hash
            if row is None:
                session.add(ArticleRow(
                    source=article.source, url=article.url, title=article.title,
                    lead=article.lead, body=article.body, authors=article.authors,
                    tags=article.tags, language=article.language,
                    published_at=article.published_at, first_seen_at=now, last_seen_at=now,
                    content_hash=digest))
            elif row.content_hash != digest:
                row.title, row.lead, row.body = article.title, article.lead, article.body
                row.content_hash, row.last_seen_at, row.dedup_hash = digest, now, None
            else:
                row.last_seen_at = now
        session.commit()


def ours_upsert(store: Store, batch: list[Article]) -> None:
    store.upsert_articles(batch)


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database URL of that kind, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = f"bench_storage_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed_passes(kind: str, sides: dict[str, Callable[[Store, list[Article]], None]],
                 articles: list[Article], batch: int) -> dict[str, dict[str, float]]:
    """Rows per second of each side's passes (new, unchanged, updated), each side on its own
    fresh database. The sides take turns batch by batch, so that a change in the machine's
    load meets both alike; a side's time is the sum of its batches' wall times."""
    changed = [replace(a, body=a.body + "\n\nMise à jour.") for a in articles]
    rates: dict[str, dict[str, float]] = {side: {} for side in sides}
    with ExitStack() as stack:
        stores = {side: open_store(stack.enter_context(database(kind))) for side in sides}
        for store in stores.values():
            stack.callback(store.engine.dispose)
        for name, rows in (("new", articles), ("unchanged", articles), ("updated", changed)):
            spent = dict.fromkeys(sides, 0.0)
            cpu = dict.fromkeys(sides, 0.0)
            for first in range(0, len(rows), batch):
                for side, write in sides.items():
                    started, used = time.perf_counter(), time.process_time()
                    write(stores[side], rows[first:first + batch])
                    spent[side] += time.perf_counter() - started
                    cpu[side] += time.process_time() - used
            for side in sides:
                rates[side][name] = len(rows) / spent[side]
                rates[side][name + " cpu"] = cpu[side]
            print(f"... {kind} {name}: " + ", ".join(  # a long run's progress, on stderr
                f"{side} {rates[side][name]:,.0f} rows/s" for side in sides), file=sys.stderr,
                flush=True)
        for side, store in stores.items():
            check_stored(f"{kind} ({side})", store, len(articles))
    return rates


def check_stored(kind: str, store: Store, articles: int) -> None:
    """One row and one revision per article: the text-change triggers fired for every row."""
    with store.engine.connect() as connection:
        for table in ("articles", "article_revisions"):
            stored = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            if stored != articles:
                raise SystemExit(f"{kind}: {stored} rows in {table}, expected {articles}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=50, help="articles per transaction "
                        "(50: what a crawl stores at once, crawler.pipeline.BATCH)")
    parser.add_argument("--db", "--databases", dest="databases", nargs="+",
                        default=["sqlite", "postgres"], choices=["sqlite", "postgres"],
                        help="which databases (default: both)")
    parser.add_argument("--unkeyed", action="store_true", help="articles without their URL "
                        "key (the store computes it, inside the timed write)")
    args = parser.parse_args()
    articles = make_articles(args.articles, seed=1, keyed=not args.unkeyed)
    print(f"Upserts, {args.articles:,} {'unkeyed ' if args.unkeyed else ''}articles in batches "
          f"of {args.batch}, rows per second of wall time ({machine()})")
    print("| database | pass | ours rows/s | SQLModel ORM rows/s | ours / ORM "
          "| this process's CPU s, ORM / ours |")
    print("|---|---|---:|---:|---:|---:|")
    for kind in args.databases:
        rates = timed_passes(kind, {"ours": ours_upsert, "orm": orm_upsert}, articles,
                             args.batch)
        ours, orm = rates["ours"], rates["orm"]
        for name in ("new", "unchanged", "updated"):
            cpu = f"{orm[name + ' cpu']:.1f} / {ours[name + ' cpu']:.1f} = " \
                  f"{orm[name + ' cpu'] / ours[name + ' cpu']:.2f}x"
            print(f"| {kind} | {name} | {ours[name]:,.0f} | {orm[name]:,.0f} | "
                  f"{ours[name] / orm[name]:.2f}x | {cpu} |", flush=True)
    print(f"\nreproduce: .venv/bin/python scripts/bench/storage.py {shlex.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
