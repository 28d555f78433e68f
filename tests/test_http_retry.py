"""crawler.http.retry.Retries, the loop alone: which failures are tried again, the waits
between attempts (exponential, capped, with jitter; or Retry-After), and the reasons given up."""

from __future__ import annotations

import asyncio

import pytest

from crawler.errors import FetchError, RobotsDisallowed
from crawler.http import retry
from crawler.http.retry import Budget, Failure, Retries


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The sleeps between attempts, recorded instead of slept."""
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(retry.asyncio, "sleep", sleep)
    return slept


def failing(*outcomes: Failure | str) -> tuple[list[int], object]:
    """An attempt that raises or returns each outcome in turn."""
    calls: list[int] = []

    async def attempt(budget: Budget) -> str:
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Failure):
            raise outcome
        return outcome

    return calls, attempt


async def test_backoff_doubles_up_to_the_retry_time_with_jitter(waits: list[float]) -> None:
    calls, attempt = failing(*[Failure("HTTP 503", 503, retryable=True)] * 5, "ok")
    retries = Retries(max_attempts=6, max_retry_time=1000.0, backoff=1.0)
    assert await retries.call("http://x/", attempt) == "ok"
    assert len(calls) == 6
    for n, wait in enumerate(waits, start=1):
        assert 2 ** (n - 1) <= wait <= 2 ** (n - 1) + 1.0
    capped = Retries(max_attempts=3, max_retry_time=1.5, backoff=1.0)
    assert 1.5 <= capped._wait(5, Failure("x", retryable=True)) <= 2.5


async def test_retry_after_is_the_wait_and_too_long_a_one_gives_up(waits: list[float]) -> None:
    _, attempt = failing(Failure("HTTP 429", 429, retryable=True, retry_after=2.0), "ok")
    assert await Retries(max_attempts=3, max_retry_time=10, backoff=1).call("u", attempt) == "ok"
    assert waits == [2.0]
    calls, attempt = failing(Failure("HTTP 503", 503, retryable=True, retry_after=60.0))
    with pytest.raises(FetchError) as caught:
        await Retries(max_attempts=3, max_retry_time=10, backoff=1).call("u", attempt)
    assert len(calls) == 1
    assert caught.value.status == 503
    assert caught.value.reason == ("HTTP 503 after 1 attempt "
                                   "(Retry-After 60 s exceeds the retry budget)")


async def test_not_retryable_fails_at_once_and_others_pass_through(waits: list[float]) -> None:
    calls, attempt = failing(Failure("HTTP 404", 404))
    with pytest.raises(FetchError) as caught:
        await Retries(max_attempts=4, max_retry_time=10, backoff=1).call("u", attempt)
    assert (len(calls), caught.value.reason, caught.value.status, waits) == (1, "HTTP 404", 404, [])

    async def disallowed(budget: Budget) -> str:
        raise RobotsDisallowed("u", "disallowed by robots.txt")

    with pytest.raises(RobotsDisallowed):
        await Retries(max_attempts=4, max_retry_time=10, backoff=1).call("u", disallowed)


async def test_attempts_run_out(waits: list[float]) -> None:
    calls, attempt = failing(*[Failure("read timeout", retryable=True)] * 3)
    with pytest.raises(FetchError) as caught:
        await Retries(max_attempts=3, max_retry_time=100, backoff=0.5).call("u", attempt)
    assert len(calls) == 3 and len(waits) == 2
    assert caught.value.reason == "read timeout after 3 attempts"


async def test_cancellation_is_not_retried() -> None:
    calls: list[int] = []

    async def attempt(budget: Budget) -> str:
        calls.append(1)
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await Retries(max_attempts=4, max_retry_time=10, backoff=0).call("u", attempt)
    assert calls == [1]
