"""The token bucket behind 429: per token, refilled at the rate, bursts up to the burst."""

import pytest

from api.ratelimit import RateLimiter


class Ticks:
    t = 0.0

    def __call__(self):
        return self.t


def test_a_burst_then_the_rate():
    ticks = Ticks()
    limiter = RateLimiter(2, clock=ticks)
    assert [limiter.take(1) for _ in range(2)] == [None, None]
    wait = limiter.take(1)
    assert wait == pytest.approx(0.5)
    assert limiter.take(2) is None  # another token has its own bucket
    ticks.t += 0.5
    assert limiter.take(1) is None
    assert limiter.take(1) is not None


def test_retry_after_is_whole_seconds_at_least_one():
    assert RateLimiter.retry_after(0.01) == "1"
    assert RateLimiter.retry_after(1.2) == "2"


def test_the_rate_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)
