"""The systemd units and the crontab work as written: systemd-analyze accepts the units, both
recipes use one set of paths, the sandbox lets the metrics be written, and the cron job line
runs (its paths mapped into a temporary folder) against a site on 127.0.0.1."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from httpserver import TestServer
from slowsite import serve_site, write_config

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "scripts" / "systemd"
CRONTAB = ROOT / "scripts" / "cron" / "crontab.example"
CRAWL = "/opt/crawler/.venv/bin/crawl"
CONFIG = "/etc/crawler/sources.yaml"
DATABASE = "sqlite:////var/lib/crawler/crawler.db"
METRICS = "/var/lib/crawler/metrics/crawler.prom"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(UNITS / name)
    return parser


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed here")
def test_systemd_analyze_verify_accepts_every_unit(tmp_path):
    # the units name /opt/crawler's venv: point them at the crawl this test runs with
    crawl = Path(sys.executable).with_name("crawl")
    assert crawl.exists()
    for path in UNITS.iterdir():
        (tmp_path / path.name).write_text(path.read_text("utf-8").replace(CRAWL, str(crawl)))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # not even a warning


def test_the_timer_is_a_calendar_timer_so_persistent_catches_up():
    timer = unit("crawler.timer")["Timer"]
    assert timer.get("OnCalendar") and timer.get("Persistent") == "true"
    # Persistent= has no effect on monotonic timers: none may drive this one
    assert not {"OnBootSec", "OnUnitActiveSec", "OnUnitInactiveSec"} & set(timer)


def test_cron_and_systemd_use_one_set_of_paths_and_the_metrics_path_is_writable():
    services = {name: unit(name)["Service"] for name in (
        "crawler.service", "crawler-schedule.service", "crawler-worker.service")}
    cron_jobs = [line for line in CRONTAB.read_text("utf-8").splitlines()
                 if line and not line.startswith("#") and "=" not in line.split()[0]]
    assert f"CRAWLER_DATABASE_URL={DATABASE}" in CRONTAB.read_text("utf-8")
    for name, service in services.items():
        command = shlex.split(service["ExecStart"])
        assert command[0] == CRAWL and command[command.index("--config") + 1] == CONFIG, name
        assert service["User"] == "crawler" and service["StateDirectory"] == "crawler"
        assert service["WorkingDirectory"] == "/var/lib/crawler"
        if name != "crawler-worker.service":  # the worker's database is PostgreSQL, in env
            assert service["Environment"] == f"CRAWLER_DATABASE_URL={DATABASE}"
        if "--metrics-file" in command:
            path = command[command.index("--metrics-file") + 1]
            assert path == METRICS
            # ProtectSystem=strict: only the state directory and ReadWritePaths= are writable
            writable = ["/var/lib/crawler/", *service.get("ReadWritePaths", "").split()]
            assert any(path.startswith(folder) for folder in writable)
    assert len(cron_jobs) == 2
    for job in cron_jobs:
        assert f"{CRAWL} --config {CONFIG}" in job and ">> /var/log/crawler/" in job
    assert f"--metrics-file {METRICS}" in cron_jobs[0]
    for name in ("crawler.service", "crawler-schedule.service", "crawler-worker.service"):
        assert ("ExecReload" in services[name]) == (name != "crawler.service")


def test_the_install_section_makes_every_path_the_recipes_use():
    readme = ROOT / "README.md"
    section = readme.read_text("utf-8").split("### Install on a server", 1)[1].split("\n### ")[0]
    for made in ("useradd --system", "/opt/crawler", "/etc/crawler/sources.yaml",
                 "/var/log/crawler", "/var/lib/crawler", "/etc/crawler/env"):
        assert made in section, made


def test_the_cron_job_runs_as_written(tmp_path):
    """The crontab's first job, run by sh as cron would, its paths mapped into tmp_path."""
    text = CRONTAB.read_text("utf-8")
    job = next(line for line in text.splitlines() if line.startswith("*/15"))
    command = job.split(None, 5)[5]
    state, logs = tmp_path / "var-lib-crawler", tmp_path / "var-log-crawler"
    state.mkdir()
    logs.mkdir()  # the install section makes it (test above)
    with TestServer() as server:
        serve_site(server, articles=2, prefix="/alpha")
        config = write_config(tmp_path / "sources.yaml", server, ["alpha"])
        mapped = (command.replace(CRAWL, str(Path(sys.executable).with_name("crawl")))
                  .replace(CONFIG, str(config)).replace("/var/lib/crawler", str(state))
                  .replace("/var/log/crawler", str(logs)))
        database = re.search(r"^CRAWLER_DATABASE_URL=(.*)$", text, re.M).group(1)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
               "CRAWLER_DATABASE_URL": database.replace("/var/lib/crawler", str(state))}
        result = subprocess.run(["/bin/sh", "-c", mapped], env=env, capture_output=True,
                                text=True, timeout=120)
    assert result.returncode == 0, (logs / "crawl.log").read_text()
    log = (logs / "crawl.log").read_text()
    assert "crawl run 1" in log and "alpha: ok in" in log
    assert (state / "crawler.db").exists()
    assert "crawler_run_success" in (state / "metrics" / "crawler.prom").read_text()
