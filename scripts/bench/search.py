"""Full-text search: `crawl search` against the LIKE query a user would write, and what the
index and revision triggers cost the writes, in one run.

Corpus: ARTICLES synthetic articles (scripts/bench/storage.py's: a title, a lead of ~40 words,
a body of ~500 words from a small French vocabulary), each with one more sentence naming a
person and a town drawn from lists of Malian names, written with their accents ("Koné",
"Ségou", "Ménaka"); so a name occurs in a few percent of the articles, as names do.

Search: each query is typed as users type, without accents. Ours is crawler.search.search (FTS5
bm25 on SQLite, tsvector ts_rank on PostgreSQL), best 20. The alternative is the query a user
would write without an index: `title LIKE '%word%' OR lead LIKE ... OR body LIKE ...` per word
(ILIKE on PostgreSQL), newest 20. Reported: the articles each finds (all matches, counted
apart) and the median time of QUERY_RUNS runs of the best-20 query.

Writes: Store.upsert_articles in batches of BATCH (a crawl's batch), new articles then every
article edited, on a database migrated to head (search index and revision triggers) and on one
stopped at revision 0003 (before them). Rows per second of wall time, and the ratio.

    .venv/bin/python scripts/bench/search.py [--articles 10000] [--databases sqlite postgres]
"""

from __future__ import annotations

import argparse
import random
import shlex
import statistics
import sys
import time
from dataclasses import replace

from alembic import command
from alembic.config import Config
from measure import machine  # scripts/bench/measure.py
from sqlalchemy import and_, create_engine, func, or_, select
from storage import database, make_articles  # scripts/bench/storage.py

from crawler.items import Article
from crawler.models import ArticleRow
from crawler.search import search
from crawler.store import MIGRATIONS, Store, migrate, open_store

BATCH = 50
QUERY_RUNS = 5
PEOPLE = ("Koné", "Traoré", "Diarra", "Touré", "Maïga", "Cissé", "Dembélé", "Sidibé", "Keïta",
          "Sangaré", "Coulibaly", "Doumbia", "Guindo", "Tembely", "Bagayoko", "Kanté", "Diallo",
          "Sissoko", "Goïta", "Konaté")
TOWNS = ("Ségou", "Ménaka", "Tombouctou", "Kidal", "Gao", "Mopti", "Sévaré", "Kayes", "Niono",
         "Diré", "Bougouni", "Koutiala", "Sikasso", "Nara", "Bandiagara", "Douentza", "Kati",
         "Kéniéba", "Nioro", "Ansongo")
QUERIES = ("kone", "segou", "menaka", "diarra gao", "securite", "goita sevare")


def corpus(n: int) -> list[Article]:
    rng = random.Random(7)
    return [replace(a, body=a.body + f"\n\nDéclaration de M. {rng.choice(PEOPLE)} "
                                     f"à {rng.choice(TOWNS)}.")
            for a in make_articles(n, seed=1)]


def write_rates(store: Store, articles: list[Article]) -> tuple[float, float]:
    """Rows per second: every article new, then every article edited."""
    edited = [replace(a, body=a.body + "\n\nMise à jour.") for a in articles]
    rates = []
    for rows in (articles, edited):
        started = time.perf_counter()
        for first in range(0, len(rows), BATCH):
            store.upsert_articles(rows[first:first + BATCH])
        rates.append(len(rows) / (time.perf_counter() - started))
    return rates[0], rates[1]


def store_at(url: str, revision: str) -> Store:
    engine = create_engine(url)
    if revision == "head":
        migrate(engine)
        engine.dispose()
        return open_store(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return Store(engine)


def like_query(store: Store, words: list[str], limit: int | None) -> list[int]:
    """Articles containing every word, newest first: the query written without an index."""
    table = ArticleRow.__table__
    postgres = store.engine.dialect.name == "postgresql"

    def has(column, word):
        pattern = f"%{word}%"
        return column.ilike(pattern) if postgres else column.like(pattern)

    condition = and_(*(or_(has(table.c.title, w), has(table.c.lead, w), has(table.c.body, w))
                       for w in words))
    query = select(table.c.id).where(condition).order_by(table.c.published_at.desc())
    with store.engine.connect() as connection:
        return list(connection.execute(query.limit(limit)).scalars())


def median_ms(run, *args, **kwargs) -> float:
    times = []
    for _ in range(QUERY_RUNS):
        started = time.perf_counter()
        run(*args, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"],
                        choices=["sqlite", "postgres"])
    args = parser.parse_args()
    articles = corpus(args.articles)
    print(f"{args.articles:,} articles ({machine()})\n")
    searches, writes = [], []
    for kind in args.databases:
        with database(kind) as url:
            store = store_at(url, "head")
            new, edited = write_rates(store, articles)
            for text in QUERIES:
                words = text.split()
                ours = len(search(store, text, limit=args.articles))
                like = len(like_query(store, words, None))
                ours_ms = median_ms(search, store, text, limit=20)
                like_ms = median_ms(like_query, store, words, 20)
                searches.append(f"| {kind} | `{text}` | {ours:,} | {like:,} | {ours_ms:.1f} | "
                                f"{like_ms:.1f} | {like_ms / ours_ms:.1f}x |")
            with store.engine.connect() as connection:
                revisions = connection.execute(select(func.count()).select_from(
                    ArticleRow.metadata.tables["article_revisions"])).scalar_one()
            if revisions != args.articles:
                raise SystemExit(f"{kind}: {revisions} revisions kept, expected {args.articles}")
            store.engine.dispose()
        with database(kind) as url:
            before = store_at(url, "0003")
            old_new, old_edited = write_rates(before, articles)
            before.engine.dispose()
        writes.append(f"| {kind} | new | {new:,.0f} | {old_new:,.0f} | {new / old_new:.2f}x |")
        writes.append(f"| {kind} | edited | {edited:,.0f} | {old_edited:,.0f} | "
                      f"{edited / old_edited:.2f}x |")
    print("Search, best 20; articles found counts every match")
    print("| database | query | found: ours | found: LIKE | ours ms | LIKE ms | LIKE / ours |")
    print("|---|---|---:|---:|---:|---:|---:|")
    print("\n".join(searches))
    print(f"\nWrites in batches of {BATCH}, rows per second of wall time")
    print("| database | pass | with index and revisions | at 0003 (without) | with / without |")
    print("|---|---|---:|---:|---:|")
    print("\n".join(writes))
    print(f"\nreproduce: .venv/bin/python scripts/bench/search.py {shlex.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
