"""The dedup step in the database (crawler.linker via Store.dedup): time and SQL statements per
article, on SQLite and PostgreSQL, and a digest of the links it made (equal digests: the same
copies and teaser links).

Articles of copies.py's general set (news with copies made the ways aggregators make them, in
order of arrival) are stored as a crawl stores them: per source, a listing of LISTING articles
is upserted, then Store.dedup(source, teasers=False) and Store.dedup(source) run, as
crawler.pipeline does after a batch and after a listing. Each article carries two teasers: one
of an earlier article of its source with its URL (linked by URL), one of an earlier article of
any source without a URL, its lead cut at ~150 characters and "…" (linked by text). Only the
dedup calls are timed (wall and this process's CPU; on PostgreSQL the server's CPU is in the
wall time only); statements are counted with a SQLAlchemy before_cursor_execute listener (an
executemany counts once). Leaves out the crawl around it (fetching, parsing, decoding).

    .venv/bin/python scripts/bench/dedup_step.py [--originals 600] [--listing 20] \
        [--databases sqlite postgres] [--seed 1]

`--first-fingerprint` measures instead what the first Fingerprint.of of a process costs once
crawler.dedup is imported (the imports it triggers), in fresh processes: CPU seconds, resident
memory added, and whether scipy got imported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

from copies import PAPER_TITLES, Item, general_set  # scripts/bench/copies.py
from measure import machine  # scripts/bench/measure.py
from sqlalchemy import event, text
from storage import database  # scripts/bench/storage.py

from crawler.items import Article, Teaser
from crawler.store import Store, open_store

WINDOW = timedelta(days=60)


def url_of(n: int, item: Item) -> str:
    return f"https://{item.source}.ml/articles/{n}"


def listings(items: list[Item], size: int, seed: int) -> Iterator[tuple[str, list[Article]]]:
    """(source, articles) per listing, in order of arrival; each article with its teasers."""
    rng = random.Random(seed)
    order = sorted(range(len(items)), key=lambda n: items[n].when)
    pending: dict[str, list[Article]] = {}
    earlier: list[int] = []
    by_source: dict[str, list[int]] = {}
    for n in order:
        item = items[n]
        teasers = []
        own = by_source.setdefault(item.source, [])
        if own:
            m = rng.choice(own)
            teasers.append(Teaser(source=item.source, seen_on=url_of(n, item),
                                  text=teaser_text(items[m]), url=url_of(m, items[m])))
        if earlier:
            m = rng.choice(earlier)
            teasers.append(Teaser(source=item.source, seen_on=url_of(n, item),
                                  text=teaser_text(items[m])))
        article = Article(source=item.source, url=url_of(n, item), title=f"article {n}",
                          lead=item.lead, body=item.body, published_at=item.when,
                          teasers=teasers)
        batch = pending.setdefault(item.source, [])
        batch.append(article)
        own.append(n)
        earlier.append(n)
        if len(batch) == size:
            yield item.source, pending.pop(item.source)
    for source, batch in pending.items():
        yield source, batch


def teaser_text(item: Item) -> str:
    text_ = item.lead or item.body
    return text_[:150].rsplit(" ", 1)[0] + "…"


def run(url: str, items: list[Item], size: int, seed: int) -> dict:
    store = open_store(url)
    statements = 0
    counting = False

    def count(*_args: object) -> None:
        nonlocal statements
        statements += counting

    event.listen(store.engine, "before_cursor_execute", count)
    wall = cpu = 0.0
    articles = 0
    try:
        for source, batch in listings(items, size, seed):
            store.upsert_articles(batch)
            articles += len(batch)
            counting = True
            started, started_cpu = time.perf_counter(), time.process_time()
            dedup(store, source, teasers=False)
            dedup(store, source)
            wall += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
            counting = False
        outcome = digest(store)
    finally:
        store.engine.dispose()
    return {"articles": articles, "wall": wall, "cpu": cpu, "statements": statements, **outcome}


def dedup(store: Store, source: str, *, teasers: bool = True) -> None:
    store.dedup(source, window=WINDOW, title=PAPER_TITLES.get(source), teasers=teasers)


def digest(store: Store) -> dict:
    """What the step linked, by URL (ids may differ between runs), hashed."""
    with store.engine.connect() as db:
        urls = dict(db.execute(text("SELECT id, url FROM articles")).all())
        copies = sorted((url, urls[dup]) for id_, url, dup in db.execute(
            text("SELECT id, url, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")))
        teasers = sorted((seen_on, text_, urls.get(article_id, ""), how or "")
                         for seen_on, text_, article_id, how in db.execute(text(
                             "SELECT seen_on, text, article_id, matched_by FROM teasers")))
    blob = repr((copies, teasers)).encode("utf-8")
    return {"copies": len(copies), "teasers": len(teasers),
            "by_text": sum(t[3] == "text" for t in teasers),
            "by_url": sum(t[3] == "url" for t in teasers),
            "digest": hashlib.sha256(blob).hexdigest()[:16]}


def first_fingerprint() -> dict:
    """In this (fresh) process: the first Fingerprint.of after importing crawler.dedup."""
    from measure import rss_mb

    from crawler.dedup import Fingerprint

    item = general_set(1, 1)[0]
    rss, started = rss_mb(), time.process_time()
    Fingerprint.of(item.lead, item.body)
    cpu = time.process_time() - started
    return {"cpu": cpu, "rss": rss_mb() - rss, "scipy": "scipy" in sys.modules}


def first_fingerprints(runs: int) -> None:
    results = [json.loads(subprocess.run(
        [sys.executable, __file__, "--first-fingerprint-once"], check=True, text=True,
        stdout=subprocess.PIPE).stdout) for _ in range(runs)]
    cpu = [r["cpu"] for r in results]
    rss = [r["rss"] for r in results]
    print(f"First Fingerprint.of of a process, {runs} fresh processes ({machine()}; load "
          f"average {os.getloadavg()[0]:.1f}): CPU {statistics.median(cpu):.3f} s median "
          f"({min(cpu):.3f}-{max(cpu):.3f}), resident memory +{statistics.median(rss):.1f} MB "
          f"median ({min(rss):.1f}-{max(rss):.1f}), scipy imported: "
          f"{any(r['scipy'] for r in results)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--originals", type=int, default=600,
                        help="original articles of the general set (copies come with them)")
    parser.add_argument("--listing", type=int, default=20, help="articles per listing")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"],
                        choices=["sqlite", "postgres"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first-fingerprint", type=int, metavar="RUNS", nargs="?", const=5,
                        help="the first fingerprint's cost instead, in RUNS fresh processes")
    parser.add_argument("--first-fingerprint-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_fingerprint_once:
        print(json.dumps(first_fingerprint()))
        return
    if args.first_fingerprint:
        first_fingerprints(args.first_fingerprint)
        return
    items = general_set(args.seed, args.originals)
    print(f"Dedup step, {len(items):,} articles in listings of {args.listing} ({machine()}; "
          f"load average {os.getloadavg()[0]:.1f})")
    print("| database | articles | ms wall / article | ms CPU / article | statements / article "
          "| copies linked | teasers by URL | by text | of | digest |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for kind in args.databases:
        with database(kind) as url:
            r = run(url, items, args.listing, args.seed)
        n = r["articles"]
        print(f"| {kind} | {n:,} | {1000 * r['wall'] / n:.2f} | {1000 * r['cpu'] / n:.2f} | "
              f"{r['statements'] / n:.2f} | {r['copies']} | {r['by_url']} | {r['by_text']} | "
              f"{r['teasers']} | {r['digest']} |", flush=True)
    print(f"\nreproduce: .venv/bin/python scripts/bench/dedup_step.py {shlex.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
