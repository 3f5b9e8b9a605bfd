"""Requests per minute per API key: a token bucket in each worker.

Each key's bucket holds up to `per_minute` tokens and refills at `per_minute / 60` per
second; a request takes one token or is refused with 429 and `Retry-After` (the seconds
until a token is back). Sustained traffic is held to the limit, a burst of up to one
minute's allowance passes at once (a desk that reconnects and catches up is not punished).

Buckets live in the worker's memory: no shared store on the real-time path, so with W
gunicorn workers a key can get up to W x the limit when its requests spread evenly.
Set the limit with that in mind (docs/reliability.md).
"""

import math
import threading
import time
from collections.abc import Callable

from assist_api.errors import RateLimited

SECONDS_PER_MINUTE = 60.0


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        if per_minute <= 0:
            raise ValueError(f"per_minute must be positive, got {per_minute}")
        self.per_minute = per_minute
        self._refill_per_second = per_minute / SECONDS_PER_MINUTE
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key id -> (tokens, at)
        self._lock = threading.Lock()

    def check(self, key_id: str) -> None:
        """Take one token for `key_id`, or raise RateLimited with the seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(key_id, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - at) * self._refill_per_second)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self._refill_per_second)
                raise RateLimited(
                    f"this key is limited to {self.per_minute} requests per minute",
                    details={"limit_per_minute": self.per_minute, "retry_after_seconds": wait},
                    headers={"Retry-After": str(wait)},
                )
            self._buckets[key_id] = (tokens - 1.0, now)
