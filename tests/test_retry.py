"""Retries.call: the first attempt runs before tenacity; one that may be tried again counts as
tenacity's first attempt (the attempts, the messages and the budget as before)."""

from __future__ import annotations

import asyncio
import time

import pytest

from crawler.errors import FetchError
from crawler.http.retry import Budget, Failure, Retries

URL = "https://lessor.ml/posts/1"


def attempts(outcomes: list[object]):
    """An attempt that raises or returns each outcome in turn; `calls` keeps the budgets."""
    calls: list[Budget] = []

    async def attempt(budget: Budget) -> object:
        calls.append(budget)
        if budget.first_sent is None:
            budget.first_sent = time.monotonic()  # as HttpClient._send sets it
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return attempt, calls


def call(retries: Retries, attempt) -> object:
    return asyncio.run(retries.call(URL, attempt))


def retries(max_attempts: int) -> Retries:
    return Retries(max_attempts=max_attempts, max_retry_time=60, backoff=0)


def test_a_first_attempt_that_succeeds_is_the_only_one():
    attempt, calls = attempts(["page"])
    assert call(retries(3), attempt) == "page"
    assert len(calls) == 1


def test_a_retryable_failure_is_tried_again_with_the_same_budget():
    attempt, calls = attempts([Failure("HTTP 503", 503, retryable=True), "page"])
    assert call(retries(3), attempt) == "page"
    assert len(calls) == 2 and calls[0] is calls[1]


def test_the_failed_first_attempt_counts_among_the_attempts():
    failure = Failure("HTTP 503", 503, retryable=True)
    attempt, calls = attempts([failure] * 3)
    with pytest.raises(FetchError) as caught:
        call(retries(3), attempt)
    assert caught.value.reason == "HTTP 503 after 3 attempts" and caught.value.status == 503
    assert len(calls) == 3


def test_one_attempt_allowed_gives_up_after_it():
    attempt, calls = attempts([Failure("read timeout", retryable=True)])
    with pytest.raises(FetchError) as caught:
        call(retries(1), attempt)
    assert caught.value.reason == "read timeout after 1 attempt"
    assert len(calls) == 1


def test_a_retry_after_beyond_the_budget_stops_at_the_first_attempt():
    attempt, calls = attempts([Failure("HTTP 503", 503, retryable=True, retry_after=3600)])
    with pytest.raises(FetchError) as caught:
        call(retries(3), attempt)
    assert caught.value.reason == ("HTTP 503 after 1 attempt (Retry-After 3600 s exceeds the "
                                   "retry budget)")
    assert len(calls) == 1


def test_a_failure_not_worth_retrying_is_not_retried():
    attempt, calls = attempts([Failure("HTTP 404", 404), "page"])
    with pytest.raises(FetchError) as caught:
        call(retries(3), attempt)
    assert caught.value.reason == "HTTP 404" and caught.value.status == 404
    assert len(calls) == 1


@pytest.mark.parametrize("failures", [0, 1])
def test_another_error_goes_through_untouched(failures):
    attempt, calls = attempts([Failure("HTTP 503", 503, retryable=True)] * failures
                              + [LookupError("robots")])
    with pytest.raises(LookupError):
        call(retries(3), attempt)
    assert len(calls) == failures + 1
