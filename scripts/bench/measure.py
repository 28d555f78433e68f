"""What the benchmarks report about the process and the machine they ran on."""

from __future__ import annotations

import os
import platform


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine() -> str:
    with open("/proc/cpuinfo") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo
                      if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def load_average() -> str:
    """The machine's load, as `uptime` prints it (1, 5 and 15 minutes)."""
    return "load average: {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())
