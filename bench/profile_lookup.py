"""Benchmark: the profile lookup /v1/assist makes (its `profile` stage), cached and not.

Usage:  flock /tmp/bench.lock .venv/bin/python bench/profile_lookup.py

2,000 stored profiles in a throwaway SQLite store; the median time of one
`ProfileCache.lookup` when the worker's cache holds the customer (the common case: one
read per customer per `profile_cache_seconds`) and when it does not (one indexed read).
"""

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from assist_api.services.customers.profiles import ProfileCache, put_profile
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store

CUSTOMERS = 2000


def timed(call, count: int) -> float:
    """Median microseconds of `call(i)` over `count` calls."""
    samples = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def main():
    folder = Path(tempfile.mkdtemp(prefix="va-bench-profile-"))
    url = f"sqlite:///{folder / 'store.db'}"
    upgrade(url)
    store = Store.open(url)
    now = datetime.now(UTC)
    with store.uow() as uow:
        for i in range(CUSTOMERS):
            fields = {"persona": "novice", "clv": 10.0}
            put_profile(uow.session, f"c-{i}", fields, as_of=now, now=now, source="bench")
        uow.commit()
    cache = ProfileCache(store, ttl_seconds=60)

    def miss(i):
        cache.forget(f"c-{i}")
        cache.lookup(f"c-{i}", now)

    missed = timed(miss, CUSTOMERS)
    hit = timed(lambda i: cache.lookup(f"c-{i % CUSTOMERS}", now), 10 * CUSTOMERS)
    print(f"profile stage, median µs: cache hit {hit:.1f}, miss (one indexed read) {missed:.1f}")
    store.close()


if __name__ == "__main__":
    main()
