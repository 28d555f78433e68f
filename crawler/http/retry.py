"""Retries: which failures are worth another attempt, how long to wait, and when to give up.

An attempt raises `Failure`; a retryable one is tried again after an exponential backoff with
jitter (or the server's Retry-After), within `max_attempts` and a time budget counted from the
first request that went out.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    RetryError,
    retry_if_exception,
    wait_exponential,
    wait_random,
)

from crawler.errors import FetchError

Result = TypeVar("Result")


class Failure(Exception):
    """One attempt failed; `retryable` tells the retry loop whether to try again."""

    def __init__(
        self,
        reason: str,
        status: int | None = None,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass
class Budget:
    """Retry time is counted from the first request that went out, not from the politeness queue."""

    first_sent: float | None = None

    def elapsed(self) -> float:
        return 0.0 if self.first_sent is None else time.monotonic() - self.first_sent


class Retries:
    """Runs an attempt until it succeeds, fails for good, or the attempts or time run out;
    `backoff` is the first wait (doubled each time, plus up to as much jitter)."""

    def __init__(self, *, max_attempts: int, max_retry_time: float, backoff: float) -> None:
        self.max_attempts = max_attempts
        self.max_retry_time = max_retry_time
        wait = wait_exponential(multiplier=backoff, max=max_retry_time)
        self._backoff = wait + wait_random(0, backoff)

    async def call(self, url: str, attempt: Callable[[Budget], Awaitable[Result]]) -> Result:
        """`attempt(budget)`, retried; a Failure ends as a FetchError for `url`.

        The first attempt runs before tenacity is called: nearly every request succeeds at
        once, and a retry loop built per request cost the event loop more than its HTTP
        parsing (tenacity's objects are cyclic garbage too). A first attempt that may be tried
        again is handed to tenacity as its own first attempt, which raises the same Failure
        again: the waits, stops and messages are tenacity's, as if it had run it."""
        budget = Budget()
        try:
            return await attempt(budget)
        except Failure as exc:
            if not exc.retryable:
                raise FetchError(url, exc.reason, exc.status) from None
            failed: Failure | None = exc

        async def again(budget: Budget) -> Result:
            nonlocal failed
            if failed is not None:
                failure, failed = failed, None
                raise failure
            return await attempt(budget)

        retrying = AsyncRetrying(
            stop=lambda state: self._stop(state, budget),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: isinstance(exc, Failure) and exc.retryable),
        )
        try:
            return await retrying(again, budget)
        except RetryError as exc:
            raise self._gave_up(url, exc) from None
        except Failure as exc:
            raise FetchError(url, exc.reason, exc.status) from None

    def _stop(self, state: RetryCallState, budget: Budget) -> bool:
        if state.attempt_number >= self.max_attempts:
            return True
        # upcoming_sleep is already computed: never sleep past the budget (long Retry-After)
        return budget.elapsed() + state.upcoming_sleep > self.max_retry_time

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Failure) and exc.retry_after is not None:
            return exc.retry_after
        return self._backoff(state)

    def _gave_up(self, url: str, error: RetryError) -> FetchError:
        attempts = error.last_attempt.attempt_number
        failure = error.last_attempt.exception()
        assert isinstance(failure, Failure)
        reason = f"{failure.reason} after {attempts} attempt{'s' if attempts > 1 else ''}"
        if attempts < self.max_attempts:
            if failure.retry_after is not None:
                reason += f" (Retry-After {failure.retry_after:.0f} s exceeds the retry budget)"
            else:
                reason += f" (retry time of {self.max_retry_time:g} s used up)"
        return FetchError(url, reason, failure.status)


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def one_line(text: str) -> str:
    return " ".join(text.split())


_TIMEOUT_REASONS: dict[type[Exception], str] = {
    httpx.ConnectTimeout: "connect timeout",
    httpx.ReadTimeout: "read timeout",
    httpx.WriteTimeout: "write timeout",
    httpx.PoolTimeout: "connection pool timeout",
}


def transport_failure(exc: httpx.TransportError) -> Failure:
    """What an httpx transport error means for one attempt, and whether to try again."""
    detail = one_line(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return Failure(_TIMEOUT_REASONS.get(type(exc), "timeout"), retryable=True)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return Failure(f"cannot send request: {detail}")
    if isinstance(exc, httpx.ConnectError):
        return Failure(f"connection failed: {_os_cause(exc) or detail}", retryable=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        # httpx parses a redirect's Location itself, even with follow_redirects=False
        if detail.startswith("Invalid URL in location header"):
            return Failure(f"redirect to an invalid URL: {detail.split(': ', 1)[-1].rstrip('.')}")
        return Failure(f"broken response: {detail}", retryable=True)
    return Failure(f"connection error: {detail}", retryable=True)


def _os_cause(exc: BaseException) -> str | None:
    """The OS's reason under httpx's "All connection attempts failed": refused, no route, or a
    host name that does not resolve (DNS), so a message names the real cause."""
    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    if isinstance(exc, ssl.SSLError):
        return None  # an OSError, but its errno is OpenSSL's (1: a certificate not trusted)
    if isinstance(exc, socket.gaierror):
        return f"host name does not resolve (DNS: {exc.strerror})"
    if isinstance(exc, OSError) and exc.errno:
        return os.strerror(exc.errno).lower()  # "connection refused", "no route to host"
    return None
