"""The token bucket behind 429: per token, refilled at the rate, bursts up to the burst."""

import pytest

from api.app import Api
from api.ratelimit import RateLimiter, SharedRateLimiter
from tests.api.conftest import NOW, Client, make_token


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


# -- the shared bucket: one per token in the database, whichever process answers --------------


def _apps(engine, rate, ticks, n=2):
    """``n`` app instances on one database, as gunicorn workers or web replicas are."""
    return [
        Client(Api(engine, lambda: NOW, limiter=SharedRateLimiter(rate, clock=ticks)))
        for _ in range(n)
    ]


def _get(app, token):
    return app.call("GET", "/api/v1/activities", token=token)


def test_two_instances_share_one_bucket_and_say_when_to_retry(engine, people, token, ticks):
    one, other = _apps(engine, 0.5, ticks)  # a request every 2 s, bursts of 1
    assert _get(one, token).status == 200
    refused = _get(other, token)  # the other instance knows the bucket is empty
    assert refused.status == 429 and refused.headers["Retry-After"] == "2"
    assert refused.json["detail"].startswith("more than 0.5 requests per second")
    ticks.t += 1.5
    again = _get(one, token)
    assert again.status == 429 and again.headers["Retry-After"] == "1"  # 0.5 s left, rounded up
    ticks.t += 0.5
    assert _get(other, token).status == 200
    assert _get(other, make_token(engine, people, "another")).status == 200  # per token


def test_together_over_the_rate_is_refused_under_it_never(engine, people, token, ticks):
    apps = _apps(engine, 20, ticks, n=3)
    # A burst of 20 over three instances goes; the 21st in the same instant does not.
    assert [_get(apps[n % 3], token).status for n in range(20)] == [200] * 20
    assert _get(apps[1], token).status == 429
    # At the rate (one every 1/20 s), whichever instance answers: never refused.
    for n in range(60):
        ticks.t += 0.05
        assert _get(apps[n % 3], token).status == 200, n
    # Twice the rate for a while: about half refused, and the bucket never lends ahead.
    statuses = []
    for n in range(40):
        ticks.t += 0.025
        statuses.append(_get(apps[n % 3], token).status)
    assert statuses.count(200) == pytest.approx(20, abs=1) and set(statuses) == {200, 429}


def test_a_refused_request_costs_nothing(engine, people, token, ticks):
    (app,) = _apps(engine, 1, ticks, n=1)
    assert _get(app, token).status == 200
    for _ in range(5):
        assert _get(app, token).status == 429  # refused ones do not push the wait further out
    ticks.t += 1.0
    assert _get(app, token).status == 200


def test_the_shared_limiter_needs_a_session():
    with pytest.raises(ValueError, match="session"):
        SharedRateLimiter(20).take(1)
