"""Start-up cost of the `crawl` command, against the interpreter's own (`python -c pass`).

What a cron job or an operator pays before anything is crawled:

- `python -c pass`: the floor, an interpreter that does nothing;
- `crawl --help`;
- `crawl` when no source is due (the common cron case: a timer every 15 minutes, sources due
  hourly), on a SQLite database that the cassettes filled first;
- `import crawler.pipeline, crawler.store`: the crawl machinery, what every command used to
  import before it did anything (for scale: what the deferred imports save).

Each command runs ROUNDS times, interleaved so that load from other processes falls on all of
them alike; the table gives the median wall time, the median CPU time (user + system, of the
child process) and both as a multiple of `python -c pass`.

    .venv/bin/python scripts/bench/startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import compile_bytecode, machine  # scripts/bench/measure.py

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CRAWL = str(Path(PYTHON).with_name("crawl"))


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of argv; it must exit 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{shlex.join(argv)} exited {result.returncode}: {result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{folder}/startup.db"
        env = {**os.environ, "CRAWLER_DATABASE_URL": db}
        # every source crawled once from the cassettes: the next pass finds nothing due
        subprocess.run([CRAWL, "--replay", "cassettes/"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        commands = {
            "python -c pass": [PYTHON, "-c", "pass"],
            "crawl --help": [CRAWL, "--help"],
            "crawl (nothing due)": [CRAWL],
            "import crawler.pipeline, crawler.store": [
                PYTHON, "-c", "import crawler.pipeline, crawler.store"],
        }
        compile_bytecode(ROOT / "crawler")  # (no first run writes it: PYTHONDONTWRITEBYTECODE)
        for argv in commands.values():  # warm the file cache
            timed(argv, env)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                runs[name].append(timed(argv, env))
    wall = {name: statistics.median(w for w, _ in r) for name, r in runs.items()}
    cpu = {name: statistics.median(c for _, c in r) for name, r in runs.items()}
    floor_wall, floor_cpu = wall["python -c pass"], cpu["python -c pass"]
    print(f"start-up, median of {args.rounds} interleaved rounds; {machine()}")
    print(f"{'command':<42} {'wall s':>8} {'cpu s':>8} {'wall / pass':>12} {'cpu / pass':>11}")
    for name in commands:
        print(f"{name:<42} {wall[name]:>8.3f} {cpu[name]:>8.3f} "
              f"{wall[name] / floor_wall:>11.1f}x {cpu[name] / floor_cpu:>10.1f}x")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("rerun: .venv/bin/python scripts/bench/startup.py " + shlex.join(sys.argv[1:]))


if __name__ == "__main__":
    main()
