"""Tasks the pool tests run in parsing workers. A worker imports this module when it unpickles
its first task from here, inside that page's budget: it imports nothing slow (the test module
itself imports pytest, a tenth of a second on a quiet machine and more under a loaded CI)."""

from __future__ import annotations

import os
import signal
import threading
import time


def worker_pid() -> int:
    return os.getpid()


def sleep_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def kill_myself() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class Unpicklable(Exception):  # noqa: N818
    def __init__(self) -> None:
        super().__init__("a lock inside")
        self.lock = threading.Lock()


def raise_unpicklable() -> None:
    raise Unpicklable


def echo(data: bytes) -> bytes:
    return data[::-1]
