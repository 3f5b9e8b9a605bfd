"""The per-key cache behind API keys, page sessions and customer profiles."""

import pytest

from assist_api.services.clock import ExpiringEntries


class Outage(Exception):
    pass


class Store:
    """What `read` sees: a dict, a call count, and a switch that makes it unreachable."""

    def __init__(self, **values):
        self.values = values
        self.reads = 0
        self.down = False

    def read(self, key):
        self.reads += 1
        if self.down:
            raise Outage(key)
        return self.values.get(key)


def entries(now, **options):
    return ExpiringEntries(10, outage=(Outage,), clock=lambda: now[0], **options)


def test_an_entry_is_read_once_per_period():
    now, store = [0.0], Store(a=1)
    cache = entries(now)
    assert [cache.get("a", store.read) for _ in range(3)] == [1, 1, 1]
    assert store.reads == 1
    store.values["a"] = 2
    now[0] = 10.0
    assert cache.get("a", store.read) == 2 and store.reads == 2


def test_missing_is_asked_again_unless_kept():
    now, store = [0.0], Store()
    forgetful, keeping = entries(now), entries(now, keep_missing=True)
    for cache in (forgetful, keeping):
        assert cache.get("a", store.read) is None
    store.values["a"] = 1
    assert forgetful.get("a", store.read) == 1  # a key created a moment ago works at once
    assert keeping.get("a", store.read) is None  # a missing profile may wait a period


def test_an_outage_keeps_what_was_read_for_another_period():
    now, store = [0.0], Store(a=1)
    cache = entries(now)
    cache.get("a", store.read)
    store.down, now[0] = True, 10.0
    assert cache.get("a", store.read) == 1
    now[0] = 15.0  # kept for another full period: not asked again yet
    assert cache.get("a", store.read) == 1 and store.reads == 2


def test_an_outage_on_an_unseen_key_answers_with_unseen():
    now, store = [0.0], Store(a=1)
    store.down = True

    def refuse():
        raise LookupError("never verified")

    with pytest.raises(LookupError):
        entries(now).get("a", store.read, refuse)
    keeping = entries(now, keep_missing=True)
    assert keeping.get("a", store.read, lambda: "fallback") == "fallback"
    store.down = False
    assert keeping.get("a", store.read) == "fallback"  # kept for the period like a read value


def test_the_least_recently_read_entry_goes_first():
    now, store = [0.0], Store(a=1, b=2, c=3)
    cache = entries(now, max_entries=2)
    for key in "abc":
        cache.get(key, store.read)
    reads = store.reads
    assert cache.get("c", store.read) == 3 and cache.get("b", store.read) == 2
    assert store.reads == reads
    assert cache.get("a", store.read) == 1 and store.reads == reads + 1


def test_forget_and_clear_make_the_next_get_read():
    now, store = [0.0], Store(a=1, b=2)
    cache = entries(now)
    cache.get("a", store.read), cache.get("b", store.read)
    cache.forget("a")
    cache.get("a", store.read)
    assert store.reads == 3
    cache.clear()
    cache.get("b", store.read)
    assert store.reads == 4
