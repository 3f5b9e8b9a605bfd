"""Time for services: UTC helpers, and when a per-worker cache refreshes.

Everything the store holds is UTC. SQLite hands datetimes back without a zone
(PostgreSQL keeps it), so rows read back are made aware here, once, instead of in each
service.
"""

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """`moment` with UTC attached if the store returned it naive; None stays None."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def to_utc(moment: datetime) -> datetime:
    """`moment` in UTC: naive means UTC already (as stored), an aware one is converted."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class RefreshGate:
    """Run `refresh` at most once per `seconds` in this worker, for the per-worker caches
    the real-time path reads (the published cards, the pools).

    Until `refresh` has returned True once (something usable is loaded) callers wait for
    it; afterwards a caller never blocks: if another thread is refreshing, it goes on
    with what the cache holds. A failed refresh is the cache's to log; the gate only
    decides when the next attempt is due.
    """

    def __init__(
        self,
        refresh: Callable[[], bool],
        seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._refresh = refresh
        self._seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._next = float("-inf")
        self._loaded = False

    def __call__(self) -> None:
        """Refresh now if it is due (see the class docstring for who waits)."""
        now = self._clock()
        if now < self._next or not self._lock.acquire(blocking=not self._loaded):
            return
        try:
            if now >= self._next:
                self._loaded = self._refresh() or self._loaded
                self._next = self._clock() + self._seconds
        finally:
            self._lock.release()

    def soon(self) -> None:
        """Make the next call refresh (this worker just changed what the cache holds)."""
        self._next = float("-inf")
