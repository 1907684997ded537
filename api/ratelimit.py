"""Requests per second per token: a token bucket (``rate`` per second, bursts up to ``burst``),
kept in memory by each server process. With several gunicorn workers each keeps its own, so
the limit a token meets is per worker (README: "The HTTP API")."""

import math
import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic
    ):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate, self.burst, self.clock = rate, burst or rate, clock
        self._buckets: dict[int, tuple[float, float]] = {}  # token id -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: int) -> float | None:
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
