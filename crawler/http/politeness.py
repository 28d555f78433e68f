"""Politeness: per host, at most so many requests in flight, their starts so many seconds apart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager


class HostSlots:
    """Politeness for one host: at most `concurrency` requests in flight, starts `delay` apart."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.delay = delay
        self._semaphore = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._last_start: float | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._semaphore:
            async with self._lock:
                if self._last_start is not None:
                    wait = self._last_start + self.delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                self._last_start = time.monotonic()
            yield


class Politeness:
    """Every host's slots: `concurrency` and `delay` by default, `per_host` {host: (concurrency,
    delay)} for the hosts that have their own."""

    def __init__(
        self, concurrency: int, delay: float, per_host: Mapping[str, tuple[int, float]]
    ) -> None:
        self._default = (concurrency, delay)
        self._per_host = dict(per_host)
        self._hosts: dict[str, HostSlots] = {}

    def host(self, host: str) -> HostSlots:
        if host not in self._hosts:
            self._hosts[host] = HostSlots(*self._per_host.get(host, self._default))
        return self._hosts[host]

    def slot(self, host: str) -> AbstractAsyncContextManager[None]:
        """Wait for a turn to send a request to `host`."""
        return self.host(host).slot()

    def slow_down(self, host: str, delay: float) -> None:
        """Raise (never lower) the delay between two requests to `host` (robots.txt Crawl-delay)."""
        slots = self.host(host)
        if delay > slots.delay:
            slots.delay = delay
