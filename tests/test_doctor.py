"""`crawl doctor`: one line per check, with what to do about a failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from crawler.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def doctor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from crawler.cli import main; main()",
                           "doctor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def two_sources(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "sources.yaml").read_text("utf-8"))
    data["sources"] = [s for s in data["sources"] if s["name"] in ("lessor", "journaldumali")]
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_healthy_setup_is_all_ok(tmp_path):
    db = f"sqlite:///{tmp_path}/d.db"
    open_store(db).engine.dispose()
    result = doctor("--config", str(two_sources(tmp_path)), "--db", db, "--replay", "cassettes/")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok   config ") and "2 sources, 2 enabled" in lines[0]
    assert any(line.startswith("ok   database sqlite:///") and "schema at head" in line
               for line in lines)
    assert "ok   lessor robots.txt: 200, entry points allowed" in lines
    assert "ok   lessor listing https://lessor.ml/: 200, 3 article links" in lines
    assert "ok   journaldumali feed https://www.journaldumali.com/feed/: 200, 2 article links" \
        in lines
    assert lines[-1].endswith(" ok, 0 failed")


def test_each_failure_says_what_to_do(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources:\n  - name: x\n    platform: rss\n", "utf-8")
    result = doctor("--config", str(broken), "--db", f"sqlite:///{empty}")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("FAIL config ") and "-> fix this line" in line for line in lines)
    assert any(line.startswith("FAIL database sqlite:///") and "no schema" in line
               and "run `crawl` once" in line for line in lines)
    no_cassettes = tmp_path / "no-cassettes"
    no_cassettes.mkdir()
    unreachable = doctor("--config", str(two_sources(tmp_path)), "--db",
                         "postgresql+psycopg://u:pw@127.0.0.1:1/x", "--replay", str(no_cassettes))
    assert unreachable.returncode == 1
    assert "pw" not in unreachable.stdout.replace("postgresql", "")
    assert any(line.startswith("FAIL lessor listing https://lessor.ml/") and "->" in line
               for line in unreachable.stdout.splitlines())
