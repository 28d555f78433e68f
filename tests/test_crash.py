"""kill -9 in the middle of a run, then a rerun: the database ends as after one clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--replay", "cassettes/", "--since", "2025-09-01"]


def start(db_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from crawler.cli import main; main()", *ARGS, "--db", db_url],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


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


def test_killed_runs_then_a_rerun_equal_one_uninterrupted_run(tmp_path, db_url):
    clean_url = f"sqlite:///{tmp_path}/clean.db"
    began = time.monotonic()
    assert start(clean_url).wait(timeout=120) == 0
    duration = time.monotonic() - began
    clean = snapshot(clean_url)
    assert len(clean[0]) == 9 and clean[1]

    # Kill points spread over the whole run: during start-up, migrations, fetching, storing.
    kills = 0
    for step in range(1, 9):
        process = start(db_url)
        time.sleep(duration * step / 9)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
    assert kills >= 4  # most kill points landed before the run ended
    assert start(db_url).wait(timeout=120) == 0
    assert snapshot(db_url) == clean
