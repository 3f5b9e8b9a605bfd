"""The expected values value pools offered recent customers: the admission bar's memory.

routing.value admits a customer to a value pool when their expected value is in
the top s of recent customers', s being the pool's share of the free seats.
"""

import threading
from bisect import bisect_left, insort
from collections import deque

from assist_api.config import MIN_ROUTING_MEMORY


class RecentValues:
    """The expected value each value pool offered the last `size` customers it could take.

    Its quantiles turn a free-seat share into an admission bar: "the top 12 % of recent
    customers are worth at least 31.0 in this pool". Kept per worker (each sees a sample of
    the same stream of customers) and thread-safe. Until `MIN_SAMPLE` customers have been
    seen there is no bar: an idle seat is certainly wasted, a poor guess of the bar is not.
    """

    MIN_SAMPLE = MIN_ROUTING_MEMORY

    def __init__(self, size: int):
        if size < self.MIN_SAMPLE:
            raise ValueError(f"size must be at least {self.MIN_SAMPLE}, got {size}")
        self._size = size
        self._arrivals: dict[str, deque[float]] = {}
        self._sorted: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def add(self, pool_id: str, value: float) -> None:
        with self._lock:
            arrivals = self._arrivals.setdefault(pool_id, deque())
            ranked = self._sorted.setdefault(pool_id, [])
            arrivals.append(value)
            insort(ranked, value)
            if len(arrivals) > self._size:
                del ranked[bisect_left(ranked, arrivals.popleft())]

    def bar(self, pool_id: str, share: float) -> float | None:
        """The value the top `share` of recent customers reach (None: too few seen)."""
        with self._lock:
            ranked = self._sorted.get(pool_id, [])
            if len(ranked) < self.MIN_SAMPLE:
                return None
            return ranked[min(len(ranked) - 1, int((1.0 - share) * len(ranked)))]
