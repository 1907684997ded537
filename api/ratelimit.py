"""Requests per second per token: a token bucket (``rate`` per second, bursts up to ``burst``).

``SharedRateLimiter`` (what the API uses) keeps each token's bucket in the database, as one
number updated by one atomic statement per request (storage/api_queries.py take_rate), so the
limit holds across gunicorn workers and web replicas sharing the database. Replicas read their
own clocks: a skew of a few milliseconds (NTP) moves the limit by as little.
``RateLimiter`` keeps the buckets in one process's memory (tests that drive a clock)."""

import math
import threading
import time
from collections.abc import Callable

from storage import api_queries
from storage.unit_of_work import Session

# Float sums of 1/rate drift by far less: the burst's last request is not refused for it.
_SLACK = 1e-9


class RateLimiter:
    def __init__(
        self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic
    ):
        if rate <= 0:
            raise ValueError("rate must be positive")
        # A bucket smaller than one request would refuse every request (a rate under 1 per second).
        self.rate, self.burst, self.clock = rate, max(1.0, burst or rate), clock
        self._buckets: dict[int, tuple[float, float]] = {}  # token id -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: int, session: Session | None = None) -> float | None:
        """None when the request may go; else the seconds to wait before retrying."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        """Retry-After is whole seconds: round up, at least 1."""
        return str(max(1, math.ceil(wait)))


class SharedRateLimiter(RateLimiter):
    """The same bucket, kept in the database (table api_rate) and taken from in the request's
    authentication transaction: one small upsert per request. ``clock``: wall time in
    seconds, the same on every replica."""

    def __init__(
        self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.time
    ):
        super().__init__(rate, burst, clock)
        self.interval = 1 / self.rate
        self.tolerance = self.burst * self.interval - self.interval  # how far tat may run ahead

    def take(self, key: int, session: Session | None = None) -> float | None:
        if session is None:
            raise ValueError("the shared rate limiter needs the request's session")
        now = self.clock()
        ok, tat = api_queries.take_rate(
            session, key, now, self.interval, now + self.tolerance + _SLACK
        )
        return None if ok else max(tat - now - self.tolerance, _SLACK)
