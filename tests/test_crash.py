"""kill -9 at many points of a replayed `crawl`, then a rerun: the database ends exactly as after
one uninterrupted run (same article URLs and content hashes, same teasers), on SQLite and
PostgreSQL.

The kill points are chosen by the test, deterministically, without hooks in the product: the
test launches `crawl` through a few lines of its own (ZYGOTE: the crawler imported once, one
forked process per run) that count what the process does and SIGKILL it on the spot, after SQL
statement number K (SQLAlchemy's `after_cursor_execute` event: run record, upserts
mid-transaction, teasers, fetch and source state) or when replayed HTTP request number N is
made. A first uninterrupted run counts both, and the points are spread over the whole run. Each
point starts from an empty database already at the schema's head, as every run but the very
first finds it: on SQLite the first migration's DDL is not transactional today, so a kill inside
it leaves tables without an alembic_version row, and the next run stops at "table articles
already exists".
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent
# A backfill (never "not due") of the two sources whose cassettes are complete.
ARGS = ["--replay", "cassettes/", "--since", "2025-09-01", "-s", "lessor", "-s", "journaldumali"]
SQL_POINTS = 14
HTTP_POINTS = 8
LANES = 2  # kill points run two at a time, each on its own database

# A zygote: imports the crawler once, then forks one `crawl` process per line read on stdin
# ("kind target count_file db_url"), and prints each one's exit status (-9: killed).
ZYGOTE = """
import atexit, os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from crawler.cli import main
from crawler.replay import CassetteTransport

counts = {"sql": 0, "http": 0}
plan = {"kind": "none", "target": 0}

def tick(what):
    counts[what] += 1
    if what == plan["kind"] and counts[what] == plan["target"]:
        os.kill(os.getpid(), signal.SIGKILL)

event.listen(Engine, "after_cursor_execute", lambda *args: tick("sql"))
replay = CassetteTransport.handle_async_request

async def handle(self, request):
    tick("http")
    return await replay(self, request)

CassetteTransport.handle_async_request = handle
args = sys.argv[1:]
for line in sys.stdin:
    kind, target, count_file, db_url = line.split()
    pid = os.fork()
    if pid == 0:
        plan.update(kind=kind, target=int(target))
        if count_file != "-":
            tally = lambda: f"{counts['sql']} {counts['http']}"
            atexit.register(lambda: open(count_file, "w").write(tally()))
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        sys.argv = ["crawl", *args, "--db", db_url]
        main()
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


class Crawler:
    """One zygote process; `run` forks a `crawl` from it and returns its exit status."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, *ARGS], cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True,
        )

    def run(self, db_url: str, kind: str = "none", target: int = 0, count_file: str = "-") -> int:
        """Run `crawl` on `db_url`, killed at the `target`-th event of `kind` ("sql", "http")."""
        self.process.stdin.write(f"{kind} {target} {count_file} {db_url}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def snapshot(db_url: str) -> tuple[list, list]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            articles = conn.execute(text(
                "select url, content_hash from articles order by url")).all()
            teasers = conn.execute(text(
                "select seen_on, text_hash, url from teasers order by seen_on, text_hash")).all()
    finally:
        engine.dispose()
    return [tuple(r) for r in articles], [tuple(r) for r in teasers]


def spread(total: int, points: int) -> list[int]:
    """`points` distinct event numbers from the first to the last, evenly spaced."""
    if total <= points:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (points - 1)) for i in range(points)})


class Databases:
    """Empty, migrated databases of one kind, one lane per worker thread.

    Migrated once: SQLite copies a migrated file, PostgreSQL creates each point's database from
    the test's own, migrated, as a template (one `CREATE DATABASE ... TEMPLATE` instead of
    Alembic's seven migrations per point)."""

    def __init__(self, db_url: str, tmp_path: Path) -> None:
        self.sqlite = db_url.startswith("sqlite")
        self.tmp_path = tmp_path
        self.created: list[str] = []
        if self.sqlite:
            self.template = tmp_path / "template.db"
            open_store(f"sqlite:///{self.template}").engine.dispose()
        else:  # one database per lane: the per-source advisory locks are database-wide
            open_store(db_url).engine.dispose()  # the template: never connected to again
            url = make_url(db_url)
            self.template = url.database
            self.admin_url = url.set(database="postgres")
            self.lanes = [url.set(database=f"{url.database}_lane{lane}") for lane in range(LANES)]
            self.created = [lane.database for lane in self.lanes]

    def _admin(self) -> Any:
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT").connect()

    def fresh(self, lane: int, name: str) -> str:
        """An empty database at the schema's head, as every run but a first one finds it."""
        if self.sqlite:
            path = self.tmp_path / f"{name}.db"
            shutil.copyfile(self.template, path)
            return f"sqlite:///{path}"
        url = self.lanes[lane]
        with self._admin() as conn:
            conn.execute(text(f'drop database if exists "{url.database}" with (force)'))
            conn.execute(text(f'create database "{url.database}" template "{self.template}"'))
        return url.render_as_string(hide_password=False)

    def drop(self) -> None:
        if self.created:
            with self._admin() as conn:
                for name in self.created:
                    conn.execute(text(f'drop database if exists "{name}" with (force)'))


def test_killed_at_many_points_then_rerun_equals_one_uninterrupted_run(tmp_path, db_url):
    databases = Databases(db_url, tmp_path)
    crawlers = [Crawler() for _ in range(LANES)]
    try:
        counts = tmp_path / "counts.txt"
        clean_url = databases.fresh(0, "clean")
        assert crawlers[0].run(clean_url, count_file=str(counts)) == 0
        clean = snapshot(clean_url)
        assert clean[0] and clean[1]  # articles and teasers to lose
        statements, requests = map(int, counts.read_text().split())
        points = [("sql", k) for k in spread(statements, SQL_POINTS)]
        points += [("http", n) for n in spread(requests, HTTP_POINTS)]
        assert len(points) >= 20

        def kill_and_rerun(lane: int) -> list[str]:
            problems = []
            crawl = crawlers[lane].run
            for kind, target in points[lane::LANES]:
                url = databases.fresh(lane, f"{kind}-{target}")
                if crawl(url, kind, target) != -9:
                    problems.append(f"{kind} {target}: not killed")
                elif crawl(url) != 0:
                    problems.append(f"{kind} {target}: the rerun failed")
                elif snapshot(url) != clean:
                    problems.append(f"{kind} {target}: the database differs")
            return problems

        with ThreadPoolExecutor(LANES) as pool:
            problems = [p for lane in pool.map(kill_and_rerun, range(LANES)) for p in lane]
        assert problems == []
    finally:
        for crawler in crawlers:
            crawler.close()
        databases.drop()
