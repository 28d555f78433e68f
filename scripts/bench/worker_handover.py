"""A parsing worker's CPU per page, pages handed over one at a time or several at once.

Parsing only (decoding and extraction in a real worker of crawler.parsing, the crawl's own
`parse_page`): no fetching, no storing. The pages are the crawl benchmark's story pages
(tests/httpserver.py's Story, as crawl_speed.py serves them), written to one worker in frames of
K pages, each answered in turn, with a pause between frames as in a crawl, where a page
arrives every few ms: the worker sleeps between frames. `--busy N` runs N processes that keep
the CPUs busy beside it (a crawl keeps the event loop, the database thread and the sites busy).
The worker's CPU comes from /proc; each K is measured `--repeat` times, interleaved.

    .venv/bin/python scripts/bench/worker_handover.py [--busy 2] [--repeat 2] [--pages 200]
"""

from __future__ import annotations

import argparse
import os
import pickle
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpserver import Story  # noqa: E402 (tests/httpserver.py)
from measure import load_average, machine, process_cpu_seconds  # noqa: E402

from crawler.config import load_config  # noqa: E402
from crawler.parsing import _ship, _Worker  # noqa: E402
from crawler.parsing_worker import parse_page, read_frame, with_shipped, write_frame  # noqa: E402
from crawler.sources import parser_for  # noqa: E402

PAUSE = 0.004  # seconds between two frames: a crawl's pages arrive a few ms apart
BUSY = "import time\nwhile True:\n    sum(range(10000))\n    time.sleep(0.0003)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--busy", type=int, default=2, help="busy processes beside the worker")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--together", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "sources.yaml"
        config.write_text(yaml.safe_dump({"settings": {"user_agent": "bench"}, "sources": [{
            "name": "site0", "platform": "rss", "base_url": "http://127.0.0.2:1/",
            "entry_points": ["http://127.0.0.2:1/feed"]}]}), "utf-8")
        source_parser = parser_for(load_config(str(config)).sources[0])
    digest, blob = _ship(source_parser)
    pages = [(f"http://127.0.0.2:1/articles/0-{n}",
              Story.make(f"/articles/0-{n}", n).html().encode()) for n in range(args.pages)]
    tasks = [pickle.dumps((with_shipped, (parse_page, digest, None, url, body,
                                          "text/html; charset=utf-8")),
                          protocol=pickle.HIGHEST_PROTOCOL) for url, body in pages]

    print(f"# {machine()}; {args.busy} busy processes beside the worker; {load_average()}")
    print(f"# rerun: .venv/bin/python scripts/bench/worker_handover.py "
          f"{shlex.join(sys.argv[1:])}")
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.busy)]
    worker = _Worker.start()
    try:
        os.set_blocking(worker.results, True)
        assert read_frame(worker.results) == b""  # ready
        first = pickle.dumps((with_shipped, (parse_page, digest, blob, *pages[0], None)),
                             protocol=pickle.HIGHEST_PROTOCOL)
        write_frame(worker.tasks, pickle.dumps([first]))
        read_frame(worker.results)
        results: dict[int, list[float]] = {k: [] for k in args.together}
        for _ in range(args.repeat):
            for together in args.together:
                before = process_cpu_seconds(worker.process.pid)
                for start in range(0, len(tasks), together):
                    frame = tasks[start:start + together]
                    write_frame(worker.tasks, pickle.dumps(frame))
                    for _ in frame:
                        read_frame(worker.results)
                    time.sleep(PAUSE)
                results[together].append(
                    (process_cpu_seconds(worker.process.pid) - before) / len(tasks) * 1000)
    finally:
        worker.close()
        for process in busy:
            process.kill()
    print(f"# {load_average()}")
    print("| pages a frame | worker CPU ms a page (each run) |")
    print("|---:|---|")
    for together, figures in results.items():
        print(f"| {together} | {', '.join(f'{f:.2f}' for f in figures)} |")


if __name__ == "__main__":
    main()
