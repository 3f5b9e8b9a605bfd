"""Time for services: UTC helpers, and when a per-worker cache refreshes.

Two kinds of per-worker cache read the store on the real-time path: one that reloads as
a whole (the published cards, the pools: `RefreshGate`) and one that reads an entry per
key (API keys, page sessions, customer profiles: `ExpiringEntries`).

Everything the store holds is UTC. SQLite hands datetimes back without a zone
(PostgreSQL keeps it), so rows read back are made aware here, once, instead of in each
service.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
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


class ExpiringEntries:
    """key -> value read from the store, read again once it is `seconds` old.

    `read(key)` answers None for what the store does not hold; None is kept like any
    value only with `keep_missing` (a key created a moment ago must work at once, a
    missing profile may wait a period). When `read` raises one of `outage`, the value
    read before is kept for another period; for a key never read, `unseen()` answers
    (kept like a read value) or raises. At most `max_entries` are kept, the least
    recently read dropped first.
    """

    def __init__(
        self,
        seconds: float,
        *,
        outage: tuple[type[Exception], ...],
        keep_missing: bool = False,
        max_entries: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._seconds = seconds
        self._outage = outage
        self._keep_missing = keep_missing
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[object, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, read: Callable, unseen: Callable = lambda: None):
        moment = self._clock()
        entry = self._entries.get(key)
        if entry is not None and moment - entry[1] < self._seconds:
            return entry[0]
        try:
            value = read(key)
        except self._outage:
            value = unseen() if entry is None else entry[0]
        self._remember(key, value, moment)
        return value

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _remember(self, key: Hashable, value, moment: float) -> None:
        with self._lock:
            if value is None and not self._keep_missing:
                self._entries.pop(key, None)
                return
            self._entries[key] = (value, moment)
            self._entries.move_to_end(key)
            while self._max_entries is not None and len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
