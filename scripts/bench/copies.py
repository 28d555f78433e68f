"""Near-duplicate linking speed and accuracy: CopyIndex against naive rapidfuzz all-pairs.

For each size (10k, 100k, 1M synthetic articles of 150-350 words, each size in a fresh process)
articles arrive one by one, as in a crawl: each is fingerprinted (4-word shingles, datasketch
MinHash, 32 LSH bands), its copies are looked up and verified on exact shingles, then it is
indexed. One article in ten is a copy of an earlier one from another source: whole with a
"Source :" line, trimmed to its first 50-80%, or lightly edited (3% of words changed, a
"Mali :" prefix). Recall: copies linked to their story; precision: linked pairs that are one
story. The naive approach (rapidfuzz fuzz.ratio of each new article against every earlier one,
>= 70) is timed in the same process on 20 queries, each against the 20,000 articles before it,
and extrapolated to the n(n-1)/2 comparisons it needs: run in full it would take hours at 10k
and about a year at 1M.

    .venv/bin/python scripts/bench/copies.py [--sizes 10000 100000 1000000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
from measure import machine, rss_mb  # scripts/bench/measure.py
from rapidfuzz import fuzz, process

from crawler.dedup import CopyIndex, Fingerprint, copy_text

_SYLLABLE_TEXT = ("ba ko ma li sa ne ré pu bli que mi nis tre jus ti ce pré si dé hier cé ré mo "
                  "nie con fé ren ce dé ve lop pe ment sé cu ri té é co no mie par te nai re ac "
                  "cord ca pi ta le ré gion ar mée forces dé fen se na tio nal pro jet for ma tion")
NAIVE_QUERIES = 20
NAIVE_SLICE = 20_000  # a naive query costs the same per comparison whatever the corpus size


def make_corpus(n: int, seed: int) -> tuple[list[tuple[str, str]], list[int]]:
    """(lead, body) per article and the story each one tells (its own index, or its original's)."""
    rng = np.random.default_rng(seed)
    syllables = np.array(_SYLLABLE_TEXT.split())
    vocab = np.unique(["".join(rng.choice(syllables, size=rng.integers(1, 5)))
                       for _ in range(60_000)])
    cdf = np.cumsum(1 / np.arange(1, len(vocab) + 1))  # Zipf-like word frequencies
    cdf /= cdf[-1]
    articles: list[tuple[str, str]] = []
    story: list[int] = []
    for i in range(n):
        if i > 100 and rng.random() < 0.1:
            j = int(rng.integers(max(0, i - 5000), i))  # republished within days
            j = story[j]
            lead, body = articles[j]
            words = body.split()
            kind = rng.integers(3)
            if kind == 0:
                body = body + "\n\nSource : L'Essor"
            elif kind == 1:
                body = " ".join(words[: int(len(words) * rng.uniform(0.5, 0.8))]) + " Lire la suite"
            else:
                for k in rng.choice(len(words), size=max(1, len(words) * 3 // 100), replace=False):
                    words[k] = str(vocab[rng.integers(len(vocab))])
                lead, body = "Mali : " + lead, " ".join(words)
            articles.append((lead, body))
            story.append(j)
        else:
            # what rng.choice(p=...) does, without summing the vocabulary again per article
            size = int(rng.integers(150, 350))
            words = vocab[cdf.searchsorted(rng.random(size), side="right")]
            articles.append((" ".join(words[:30]), " ".join(words[30:])))
            story.append(i)
    return articles, story


def one_size(n: int, seed: int) -> dict:
    articles, story = make_corpus(n, seed)
    rss0 = rss_mb()
    index = CopyIndex()
    found_pairs = true_pairs = copies_found = 0
    fingerprint_s = link_s = 0.0
    for i, (lead, body) in enumerate(articles):
        t0 = time.process_time()
        fingerprint = Fingerprint.of(lead, body)
        t1 = time.process_time()
        found = index.copies_of(fingerprint) if fingerprint else []
        if fingerprint:
            index.add_fingerprint(i, fingerprint)
        link_s += time.process_time() - t1
        fingerprint_s += t1 - t0
        found_pairs += len(found)
        true_pairs += sum(story[j] == story[i] for j in found)
        copies_found += story[i] != i and story[i] in {story[j] for j in found}
    copies = sum(story[i] != i for i in range(n))
    total = fingerprint_s + link_s

    # naive: fuzz.ratio against every earlier article, timed on a sample of queries
    texts = [copy_text(lead, body) for lead, body in articles]
    rng = np.random.default_rng(seed + 1)
    queries = [i for i in range(n) if story[i] != i][:NAIVE_QUERIES // 2] + list(
        rng.choice(n, size=NAIVE_QUERIES // 2, replace=False))
    start = time.process_time()
    naive_hits = compared = 0
    for i in queries:  # against the NAIVE_SLICE articles before it (its original is among them)
        first = max(0, i - NAIVE_SLICE)
        hits = process.extract(texts[i], texts[first:i], scorer=fuzz.ratio, score_cutoff=70,
                               limit=None)
        compared += i - first
        naive_hits += story[i] != i and any(story[first + j] == story[i] for _, _, j in hits)
    per_comparison = (time.process_time() - start) / compared
    naive_total = per_comparison * n * (n - 1) / 2
    return {
        "articles": n, "copies": copies, "seconds": total, "per_s": n / total,
        "fingerprint_share": fingerprint_s / total, "rss_mb": rss_mb() - rss0,
        "recall": copies_found / copies,
        "precision": true_pairs / found_pairs if found_pairs else 1.0,
        "naive_seconds": naive_total, "naive_per_s": n / naive_total,
        "naive_recall": naive_hits / (NAIVE_QUERIES // 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.seed)))
        return
    rows = []
    for n in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                              stdout=subprocess.PIPE, text=True, check=True)
        rows.append(json.loads(done.stdout))
        print(f"... {n} articles done", file=sys.stderr)
    print(f"Near-duplicate linking, one core, CPU time of the process ({machine()}, load average "
          f"{os.getloadavg()[0]:.1f})")
    print("| articles | copies | seconds | articles/s | fingerprint share | RSS MB | recall | "
          "precision | naive all-pairs seconds (extrapolated) | naive articles/s | speed ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']:,} | {r['copies']:,} | {r['seconds']:.1f} | {r['per_s']:,.0f} | "
              f"{r['fingerprint_share']:.0%} | {r['rss_mb']:,.0f} | {r['recall']:.4f} | "
              f"{r['precision']:.4f} | {r['naive_seconds']:,.0f} | {r['naive_per_s']:,.2f} | "
              f"{r['per_s'] / r['naive_per_s']:,.0f}x |")
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / first["seconds"]) / (last["articles"] / first["articles"])
    print(f"\ntime grows {growth:.2f}x as fast as the article count from {first['articles']:,} "
          f"to {last['articles']:,} (1.00 = linear; all-pairs would be "
          f"{last['articles'] / first['articles']:,.0f}x)")
    sizes = " ".join(map(str, args.sizes))
    print(f"reproduce: .venv/bin/python scripts/bench/copies.py --sizes {sizes} --seed {args.seed}")


if __name__ == "__main__":
    main()
