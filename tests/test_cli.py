"""The `crawl` command as a user runs it: exit codes, one-line errors, the summary."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def crawl(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script's code in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", "from crawler.cli import main; main()", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, env=env,
    )


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_replay_fills_a_new_sqlite_database_and_exits_0(tmp_path):
    db = tmp_path / "crawl.db"
    result = crawl("--replay", "cassettes/", "--db", f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    assert "lessor" in result.stdout and "journaldumali" in result.stdout
    # first pages: originals 23 (lessor 3, journaldumali 2, sahelien 4, seven others 2 each),
    # aggregators 12 (maliweb 3, malijet 3, abamako 2, bamada 2, maliactu 2)
    assert count(db, "select count(*) from articles") == 23 + 12
    assert count(db, "select count(*) from articles where title = '' or body = '' "
                     "or published_at is null") == 0
    assert count(db, "select count(distinct source) from articles") == 15
    assert count(db, "select count(*) from articles where source in ('maliweb', 'malijet', "
                     "'abamako', 'bamada', 'maliactu') and publisher is null") == 0
    rerun = crawl("--replay", "cassettes/", "--db", f"sqlite:///{db}")
    assert rerun.returncode == 0
    assert "crawl: nothing due" in rerun.stdout  # every source was crawled a moment ago
    assert rerun.stderr.count("skipped: last crawled") == 15
    forced = crawl("--replay", "cassettes/", "--db", f"sqlite:///{db}", "--force")
    assert forced.returncode == 0, forced.stderr
    assert count(db, "select count(*) from articles") == 23 + 12
    # a pass that found nothing due is not a crawl run; the forced one is
    assert count(db, "select count(*) from crawl_runs where status = 'ok'") == 2


def test_default_database_is_crawler_db_in_the_current_folder(tmp_path):
    (tmp_path / "sources.yaml").write_text((ROOT / "sources.yaml").read_text("utf-8"), "utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = crawl("--replay", str(ROOT / "cassettes"), "--source", "lessor", cwd=tmp_path,
                   env=env)
    assert result.returncode == 0, result.stderr
    assert count(tmp_path / "crawler.db", "select count(*) from articles") == 3


def test_unknown_source_is_a_usage_error_listing_the_valid_ones(tmp_path):
    result = crawl("--source", "lesor", "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --source: unknown source 'lesor'; valid: lessor, journaldumali, amap, "
        "studiotamani, sahelien, benbere, infomatin, malitribune, lindependant, saheltribune, "
        "maliweb, malijet, abamako, bamada, maliactu"]
    assert not (tmp_path / "x.db").exists()


def test_bad_dates_are_usage_errors(tmp_path):
    for args, message in (
        (["--since", "2025-13-01"], "--since: not a date in YYYY-MM-DD form: '2025-13-01'"),
        (["--since", "2025-12-31", "--until", "2025-12-01"], "--until 2025-12-01 is before"),
        (["--until", "2025-12-01"], "--until needs --since"),
    ):
        result = crawl(*args, "--db", f"sqlite:///{tmp_path}/x.db")
        assert result.returncode == 2
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_malformed_sources_file_gives_one_line_per_problem_and_touches_no_database(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text(
        "sources:\n"
        "  - name: a\n"
        "    platform: rss\n"
        "    base_url: htp:/nope\n"           # line 4: bad URL
        "    entry_points: [https://a.ml/feed]\n"
        "    selectors: {title: 'h1[[['}\n"    # line 6: bad selector
        "  - name: a\n"                        # line 7: duplicate name
        "    platform: rss\n"
        "    base_url: https://b.ml/\n"
        "    entry_point: [https://b.ml/feed]\n",  # line 10: unknown key
        "utf-8")
    db = tmp_path / "untouched.db"
    result = crawl("--config", str(bad), "--db", f"sqlite:///{db}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4, lines
    assert [line.split(":")[1] for line in lines] == ["4", "6", "7", "10"]
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_unreachable_site_ends_in_the_summary_with_one_error_line(tmp_path):
    from httpserver import closed_port

    port = closed_port()
    config = tmp_path / "sources.yaml"
    config.write_text(
        "settings: {delay: 0, timeout: 2}\n"
        "sources:\n"
        "  - name: offline\n"
        "    platform: rss\n"
        f"    base_url: http://127.0.0.1:{port}/\n"
        f"    entry_points: [http://127.0.0.1:{port}/feed/]\n", "utf-8")
    result = crawl("--config", str(config), "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 1
    assert "offline" in result.stdout and "failed" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("offline:")]
    assert len(errors) == 1 and f"127.0.0.1:{port}" in errors[0]
    assert "Traceback" not in result.stderr
    assert count(tmp_path / "x.db", "select consecutive_failures from source_state") == 1


def test_unreachable_database_is_one_line_with_the_password_masked(tmp_path):
    result = crawl("--replay", "cassettes/", "--db",
                   "postgresql+psycopg://crawler:s3cret@127.0.0.1:1/news")
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "s3cret" not in result.stderr and "127.0.0.1:1" in result.stderr


def test_the_frameworks_own_usage_errors_are_one_line_and_exit_2(tmp_path):
    for args, words in (
        (["--sourc", "lessor"], "No such option: --sourc"),
        (["--since"], "'--since' requires an argument"),
        (["export", "--format"], "'--format' requires an argument"),
        (["sources", "check"], "Missing argument"),
        (["stats", "--bogus"], "No such option: --bogus"),
        (["--progress-every", "soon"], "Invalid value for '--progress-every'"),
    ):
        result = crawl("--db", f"sqlite:///{tmp_path}/x.db", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and words in result.stderr, (args, result.stderr)
        assert "╭" not in result.stderr and "Usage:" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_database_url_of_an_unknown_scheme_is_a_usage_error_naming_where_it_came_from(
        tmp_path):
    result = crawl("--db", "mysql://crawler:s3cret@db/news")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --db: 'mysql://crawler:***@db/news' is not a "
                                    "database URL crawl can use")
    from_env = crawl(env={"PATH": "/usr/bin:/bin", "CRAWLER_DATABASE_URL": "crawler.db"})
    assert from_env.returncode == 2
    assert from_env.stderr.startswith("error: CRAWLER_DATABASE_URL: 'crawler.db' is not")


def test_sources_check_of_an_unknown_name_names_the_argument_not_a_flag():
    result = crawl("sources", "check", "nosuch")
    assert result.returncode == 2
    assert result.stderr.startswith("error: NAME: unknown source 'nosuch'; valid: lessor")
    assert "--source" not in result.stderr


def test_no_install_hint_names_the_unrelated_crawler_distribution():
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == "malipress-crawler"
    assert project["scripts"] == {"crawl": "crawler.cli:main"}
    hints = [path for path in [ROOT / "README.md", *(ROOT / "crawler").rglob("*.py")]
             if re.search(r"pip install ['\"]?crawler\b", path.read_text("utf-8"))]
    assert hints == []


def test_doctor_names_the_real_cause_refused_and_timeout(tmp_path):
    from httpserver import Reply, TestServer, closed_port

    closed = closed_port()
    with TestServer() as server:
        server.route("/robots.txt", Reply(delay=3))
        server.route("/feed/", Reply(delay=3))
        config = tmp_path / "sources.yaml"
        config.write_text(
            "settings: {delay: 0, timeout: 0.5}\n"
            "sources:\n"
            "  - name: down\n"
            "    platform: rss\n"
            f"    base_url: http://127.0.0.1:{closed}/\n"
            f"    entry_points: [http://127.0.0.1:{closed}/feed/]\n"
            "  - name: slow\n"
            "    platform: rss\n"
            f"    base_url: {server.url('/')}\n"
            f"    entry_points: [{server.url('/feed/')}]\n", "utf-8")
        result = crawl("doctor", "--config", str(config), "--db", f"sqlite:///{tmp_path}/d.db")
    assert result.returncode == 1
    down = [line for line in result.stdout.splitlines() if line.startswith("FAIL down feed")]
    assert down and f"nothing accepts connections at 127.0.0.1:{closed} (refused)" in down[0]
    slow = [line for line in result.stdout.splitlines() if line.startswith("FAIL slow feed")]
    assert slow and "did not answer in time (timeout)" in slow[0]
    assert "fix the entry point's URL or type" not in result.stdout


def test_doctor_advice_for_a_name_that_does_not_resolve():
    import crawler.cli  # noqa: F401  (registers the commands: import it before one of them)
    from crawler.commands.doctor import what_to_do
    from crawler.errors import FetchError

    failure = FetchError("https://lesor.ml/feed/",
                         "connection failed: [Errno -2] Name or service not known")
    advice = what_to_do(failure, failure.url, "otherwise")
    assert advice.startswith("the host name 'lesor.ml' does not resolve (DNS)")
    answered = FetchError("https://lessor.ml/feed/", "HTTP 404", status=404)
    assert what_to_do(answered, answered.url, "otherwise") == "otherwise"


def test_the_cli_and_the_store_default_to_the_same_database():
    from crawler.cli import DEFAULT_DATABASE_URL
    from crawler.store import DEFAULT_DATABASE_URL as STORE_DEFAULT

    assert DEFAULT_DATABASE_URL == STORE_DEFAULT


def test_a_pass_with_nothing_due_is_answered_before_crawling_on_both_databases(tmp_path, db_url):
    first = crawl("--replay", "cassettes/", "--db", db_url, "-s", "lessor", "-s", "amap")
    assert first.returncode == 0, first.stderr
    again = crawl("--replay", "cassettes/", "--db", db_url, "-s", "lessor", "-s", "amap",
                  "--log-format", "json")
    assert again.returncode == 0, again.stderr
    assert "crawl: nothing due" in again.stdout
    import json

    skipped = [json.loads(line) for line in again.stderr.splitlines()]
    assert sorted(e["source"] for e in skipped if e.get("event") == "source_skipped") == [
        "amap", "lessor"]
    assert all(e["reason"].startswith("last crawled") for e in skipped if "reason" in e)
    # one source due among them: the full pass runs, and crawls only that one
    mixed = crawl("--replay", "cassettes/", "--db", db_url, "-s", "lessor", "-s", "journaldumali")
    assert mixed.returncode == 0, mixed.stderr
    assert "crawl run 2" in mixed.stdout and "lessor: skipped: last crawled" in mixed.stderr


def test_the_command_line_loads_without_the_database_or_parsing_stack():
    # Start-up is paid by every cron run and every `crawl --help`: each subcommand imports what
    # it needs when it runs. A top-level import of the store, search or parsing modules in any
    # crawler/commands/ module brings SQLAlchemy, numpy and selectolax back into every start.
    heavy = ("sqlalchemy", "sqlmodel", "alembic", "numpy", "selectolax", "httpx", "dateparser",
             "crawler.store", "crawler.pipeline", "crawler.search", "crawler.history")
    probe = ("import sys; from crawler.cli import app; "
             f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_pass_sets_the_garbage_collector_and_puts_it_back() -> None:
    """The crawling collector (issue 17): thresholds raised and what was alive frozen for the
    pass, a cycle made during it still collected, and all as it was afterwards."""
    import gc
    import weakref

    from crawler.commands.shared import GC_THRESHOLD, collector_for_crawling

    class Node:
        pass

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with collector_for_crawling():
        assert gc.get_threshold() == GC_THRESHOLD
        assert gc.get_freeze_count() > frozen
        cycle = Node()
        cycle.me = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert gone() is None
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)
