"""What the benchmarks report about the process and the machine they ran on."""

from __future__ import annotations

import compileall
import os
import platform
from pathlib import Path


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine() -> str:
    with open("/proc/cpuinfo") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                      if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the running process `pid`, from /proc/PID/stat (OSError once
    it has exited)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def children_pids() -> list[int]:
    """The running child processes of this one (all its threads'), from /proc."""
    pids: list[int] = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as children:
                pids += [int(pid) for pid in children.read().split()]
        except OSError:  # the thread ended meanwhile
            pass
    return pids


def load_average() -> str:
    """The machine's load, as `uptime` prints it (1, 5 and 15 minutes)."""
    return "load average: {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


def compile_bytecode(package: Path) -> None:
    """`package`'s modules compiled to bytecode (its __pycache__), as pip does for an installed
    package and as any first run does, unless PYTHONDONTWRITEBYTECODE is set (this machine
    sets it). Without it an editable install of ours compiles ~50 modules from source in every
    crawling process and every parsing worker (0.1-0.2 s of CPU a run), which the libraries
    compared with it (Scrapy, installed by pip) do not."""
    if not compileall.compile_dir(package, quiet=1):
        raise SystemExit(f"{package}: a module does not compile")
