"""Teaser matching speed and accuracy: TeaserIndex against the naive rapidfuzz scan.

For each size (10k, 100k, 1M synthetic articles, each size in a fresh process so memory figures
are its own) it builds a TeaserIndex, then looks up labelled teasers: teasers of indexed
articles truncated the ways the sites truncate (L'Essor's 300 bytes + ".", "…", "...", "[…]",
"Lire la suite", capitals without accents) and teasers of articles NOT indexed that share their
first words with indexed ones (the answer must be "no match"). A quarter of the articles come in
families that open with the same 8-14 words. The naive approach (rapidfuzz partial_ratio of the
teaser against every lead, best score >= 90 wins) runs on a subsample of the same teasers in
the same process, for NAIVE_SECONDS: a scan of every lead per teaser would take hours (at 1M,
days) for all of them. Its recall and precision are on that subsample.

    .venv/bin/python scripts/bench/teasers.py [--sizes 10000 100000 1000000] [--seed 1]

`--store 10000 100000` times instead what a crawl does per listing page in the database
(crawler.store: keys looked up by index, no index of all articles rebuilt), beside the cost of
the alternative, building a TeaserIndex of every stored article on each run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import time

from measure import machine, rss_mb  # scripts/bench/measure.py
from rapidfuzz import fuzz, process

from crawler.dedup import TeaserIndex
from crawler.text import normalize_for_match, strip_truncation

_SYLLABLE_TEXT = ("ba ko ma li sa ne ré pu bli que mi nis tre jus ti ce pré si dé hier cé ré mo "
                  "nie con fé ren ce dé ve lop pe ment sé cu ri té é co no mie par te nai re ac "
                  "cord ca pi ta le ré gion ar mée forces dé fen se na tio nal pro jet for ma tion")
SYLLABLES = _SYLLABLE_TEXT.split()
NAIVE_SECONDS = 30  # the naive scan runs on the teasers this time allows, not all of them
FAMILY_OPENINGS = 2_000  # distinct shared openings; 1 article in 4 starts with one


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    words = {"".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def make_articles(n: int, seed: int) -> list[tuple[str, str]]:
    """(lead, body) pairs; leads of 25-70 words, some past L'Essor's 300 bytes."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    # Zipf-like, as in real text; cumulated once (choices(weights=) would redo it per call)
    cum_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(words))))
    openings = [" ".join(rng.choices(words, k=rng.randint(8, 14))) for _ in range(FAMILY_OPENINGS)]
    out = []
    for _ in range(n):
        body_words = rng.choices(words, cum_weights=cum_weights, k=rng.randint(25, 70) + 80)
        lead = " ".join(body_words[:-80]).capitalize() + "."
        if rng.random() < 0.25:
            lead = rng.choice(openings).capitalize() + " " + lead.lower()
        out.append((lead, " ".join(body_words[-80:]).capitalize() + "."))
    return out


def truncate(lead: str, rng: random.Random) -> str:
    """The teaser a site would show for this lead."""
    style = rng.randrange(6)
    if style == 0:  # L'Essor: first 300 UTF-8 bytes + "."
        return lead.encode("utf-8")[:300].decode("utf-8", errors="ignore") + "."
    words = lead.split()
    cut = " ".join(words[: rng.randint(min(18, len(words) - 1), len(words) - 1)])
    if style == 1:
        return cut + "…"
    if style == 2:
        return cut[: len(cut) - rng.randint(0, 3)] + "..."  # may cut the last word
    if style == 3:
        return cut + " […]"
    if style == 4:
        return cut + ". Lire la suite"
    return normalize_for_match(cut, keep_accents=False).upper() + "…"


def one_size(n: int, seed: int) -> dict:
    rng = random.Random(seed + n)
    corpus = make_articles(n + n // 10, seed)
    indexed, held_out = corpus[:n], corpus[n:]
    rss0 = rss_mb()
    start = time.process_time()
    index = TeaserIndex()
    for article_id, (lead, body) in enumerate(indexed):
        index.add(article_id, lead, body)
    build = time.process_time() - start
    rss1 = rss_mb()
    n_teasers = min(20_000, n // 2)
    labelled = [(truncate(indexed[i][0], rng), i) for i in rng.sample(range(n), n_teasers)]
    # negatives: teasers of articles not indexed, half of them from a shared-opening family
    labelled += [(truncate(lead, rng), None) for lead, _ in held_out[:n_teasers // 4]]
    rng.shuffle(labelled)
    start = time.process_time()
    answers = [index.match(text) for text, _ in labelled]
    lookup = time.process_time() - start
    recall, precision = score(answers, labelled)

    # naive: every teaser against every lead with rapidfuzz, on a subsample
    leads = [normalize_for_match(lead, keep_accents=False) for lead, _ in indexed]
    start = time.process_time()
    naive = []
    for text, _ in labelled:  # as many as NAIVE_SECONDS allow (at least 3)
        if len(naive) >= 3 and time.process_time() - start > NAIVE_SECONDS:
            break
        query = normalize_for_match(strip_truncation(text)[0], keep_accents=False)
        best = process.extractOne(query, leads, scorer=fuzz.partial_ratio, score_cutoff=90)
        naive.append(best[2] if best else None)
    naive_time = time.process_time() - start
    sample = labelled[: len(naive)]
    naive_recall, naive_precision = score(naive, sample)
    return {
        "articles": n, "build_s": build, "adds_per_s": n / build,
        "rss_mb": rss1 - rss0, "lookups": len(labelled), "lookups_per_s": len(labelled) / lookup,
        "recall": recall, "precision": precision,
        "naive_sample": len(sample), "naive_lookups_per_s": len(sample) / naive_time,
        "naive_recall": naive_recall, "naive_precision": naive_precision,
    }


def store_step(n: int, seed: int) -> dict:
    """The dedup step as a crawl runs it, on SQLite holding n articles and teasers: one
    listing page (20 new articles, 20 teasers: 10 of stored articles, 10 of the new ones)."""
    from datetime import timedelta
    from tempfile import TemporaryDirectory

    from crawler.items import Article, Teaser
    from crawler.store import open_store

    rng = random.Random(seed)
    corpus = make_articles(n + 20, seed)
    window = timedelta(days=60)

    def item(i: int) -> Article:
        lead, body = corpus[i]
        return Article(source="bench", url=f"https://bench.ml/{i}", title=str(i), lead=lead,
                       body=body)

    with TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.db")
        start = time.process_time()
        for first in range(0, n, 1000):
            store.upsert_articles([item(i) for i in range(first, min(n, first + 1000))])
            store.dedup("bench", window=window)
        keyed = time.process_time() - start
        old = [Teaser("bench", "https://bench.ml/", truncate(corpus[i][0], rng))
               for i in rng.sample(range(n), 10)]
        new = [Teaser("bench", "https://bench.ml/", truncate(corpus[n + i][0], rng))
               for i in range(10)]
        start = time.process_time()
        store.add_teasers(old + new)
        store.upsert_articles([item(n + i) for i in range(20)])
        counts = store.dedup("bench", window=window)
        step = time.process_time() - start
        start = time.process_time()
        index = TeaserIndex()  # the alternative: an index of the window, rebuilt each run
        with store.engine.connect() as connection:
            rows = connection.exec_driver_sql("select id, lead, body from articles")
            for article_id, lead, body in rows:
                index.add(article_id, lead, body)
        rebuild = time.process_time() - start
        store.engine.dispose()
    return {"articles": n, "keying_per_s": n / keyed, "step_ms": step * 1000,
            "matched": counts.teasers_matched, "rebuild_s": rebuild}


def score(answers: list[int | None], labelled: list[tuple[str, int | None]]) -> tuple[float, float]:
    positives = sum(1 for _, truth in labelled if truth is not None)
    returned = sum(1 for a in answers if a is not None)
    right = sum(1 for a, (_, truth) in zip(answers, labelled, strict=True)
                if a is not None and a == truth)
    return right / positives, (right / returned if returned else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=int, nargs="*", metavar="N",
                        help="instead: time the database dedup step with N articles stored")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.seed)))
        return
    if args.store:
        print(f"Dedup step on SQLite, CPU time ({machine()})")
        print("| articles stored | keyed per s | one page: 20 articles + 20 teasers | teasers "
              "matched | instead, rebuilding a TeaserIndex of all stored |")
        print("|---:|---:|---:|---:|---:|")
        for n in args.store:
            r = store_step(n, args.seed)
            print(f"| {n:,} | {r['keying_per_s']:,.0f} | {r['step_ms']:.0f} ms | "
                  f"{r['matched']} of 20 | {r['rebuild_s']:.1f} s |")
        print(f"\nreproduce: .venv/bin/python scripts/bench/teasers.py --store "
              f"{' '.join(map(str, args.store))}")
        return
    rows = []
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                              stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(done.stdout))
        print(f"... {n} articles done", file=sys.stderr)
    print(f"Teaser matching, one core, CPU time of the process ({machine()}, load average "
          f"{os.getloadavg()[0]:.1f})")
    print("| articles | build s | adds/s | RSS MB | lookups/s | recall | precision | naive "
          "lookups/s (sample) | naive recall | naive precision | speed ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']:,} | {r['build_s']:.1f} | {r['adds_per_s']:,.0f} | "
              f"{r['rss_mb']:,.0f} | {r['lookups_per_s']:,.0f} | {r['recall']:.4f} | "
              f"{r['precision']:.4f} | {r['naive_lookups_per_s']:,.2f} ({r['naive_sample']}) | "
              f"{r['naive_recall']:.3f} | {r['naive_precision']:.3f} | "
              f"{r['lookups_per_s'] / r['naive_lookups_per_s']:,.0f}x |")
    sizes = " ".join(map(str, args.sizes))
    print(f"\nreproduce: .venv/bin/python scripts/bench/teasers.py --sizes {sizes} "
          f"--seed {args.seed}")


if __name__ == "__main__":
    main()
