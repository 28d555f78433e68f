"""Decoding and parsing pages in worker processes against in the crawling process (cassette pages).

The corpus is scripts/bench/extraction.py's; the workers are crawler.parsing's.

Each article page is decoded and parsed REPEAT times: in this process (what the crawler did
before, on its event loop); through the workers one page at a time (the pickling and the pipe
added to each page); and through the workers all pages at once (as a crawl hands them over;
one worker, or more once a page waits behind one that runs for crawler.parsing.GROW_AFTER).
The workers' start (spawning, imports) is timed apart; each side parses the corpus once
untimed first. Beside the wall time of each way, its CPU time: this
process's and its parsing workers' (from /proc), what a page costs the machine.

    .venv/bin/python scripts/bench/parse_workers.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import shlex
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extraction import corpus  # noqa: E402 (scripts/bench/extraction.py)
from measure import children_pids, machine, process_cpu_seconds  # noqa: E402 (scripts/bench/measure.py)

from crawler import parsing  # noqa: E402
from crawler.config import load_config  # noqa: E402
from crawler.extract import SourceParser  # noqa: E402
from crawler.http import Response  # noqa: E402
from crawler.sources import parser_for  # noqa: E402


def pages() -> list[tuple[SourceParser, Response]]:
    config = load_config(ROOT / "sources.yaml")
    return [(parser_for(config.source(source)),
             Response(url=url, status=200, content=content, not_modified=False, elapsed=0.0,
                      headers=httpx.Headers({"content-type": content_type or "text/html"})))
            for source, url, (content, content_type), _ in corpus()]


def cpu_seconds() -> float:
    """CPU time of this process and of its running children (the parsing workers)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = 0.0
    for pid in children_pids():  # the parsing workers (subprocesses, not multiprocessing's)
        with contextlib.suppress(OSError, IndexError, ValueError):  # exited meanwhile
            children += process_cpu_seconds(pid)
    return usage.ru_utime + usage.ru_stime + children


async def through_workers(work: list[tuple[SourceParser, Response]],
                          repeat: int) -> tuple[float, tuple[float, float], tuple[float, float]]:
    started = time.perf_counter()
    await parsing.parse_article(*work[0], timeout=600)
    warm_up = time.perf_counter() - started
    # untimed: each worker's first pages (the parsers' first-use set-up)
    await asyncio.gather(*(parsing.parse_article(p, r, timeout=600) for p, r in work))
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in range(repeat):
        for parser, response in work:
            await parsing.parse_article(parser, response, timeout=600)
    one_at_a_time = time.perf_counter() - started, cpu_seconds() - cpu
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in range(repeat):
        await asyncio.gather(*(parsing.parse_article(p, r, timeout=600) for p, r in work))
    all_at_once = time.perf_counter() - started, cpu_seconds() - cpu
    return warm_up, one_at_a_time, all_at_once


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()
    work = pages()
    count = len(work) * args.repeat
    for parser, response in work:  # untimed: the parsers' first-use set-up, as in the workers
        parsing.parse_page(parser, response.url, response.content,
                           response.headers.get("content-type"))
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in range(args.repeat):
        for parser, response in work:
            parsing.parse_page(parser, response.url, response.content,
                               response.headers.get("content-type"))
    in_process = time.perf_counter() - started, cpu_seconds() - cpu
    warm_up, one_at_a_time, all_at_once = asyncio.run(through_workers(work, args.repeat))
    parsing.shutdown()
    print(f"# {machine()}; {parsing.FIRST_WORKERS} worker at first, up to {parsing.WORKERS} "
          f"(crawler.parsing.GROW_AFTER); {len(work)} pages x {args.repeat}")
    print(f"# rerun: .venv/bin/python scripts/bench/parse_workers.py {shlex.join(sys.argv[1:])}")
    print(f"{'how':<28} {'ms/page':>8} {'vs in process':>14} {'cpu ms/page':>12} "
          f"{'vs in process':>14}")
    for name, (seconds, cpu) in (("in process", in_process),
                                 ("workers, one at a time", one_at_a_time),
                                 ("workers, all at once", all_at_once)):
        print(f"{name:<28} {seconds / count * 1000:>8.2f} {seconds / in_process[0]:>13.2f}x "
              f"{cpu / count * 1000:>12.2f} {cpu / in_process[1]:>13.2f}x")
    print(f"workers' start (spawn, imports): {warm_up:.2f} s, once per process")


if __name__ == "__main__":
    main()
