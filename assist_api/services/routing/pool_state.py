"""What value routing knows about a pool, and the rule's settings."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PoolState:
    """What routing knows about a pool: whom it serves, its skill, its free seats."""

    pool_id: str
    languages: frozenset[str]
    channels: frozenset[str]
    is_value_pool: bool = False
    skill: float | None = None  # log-odds vs the average agent; None: not measured
    # activity -> the members' skill on it (log-odds vs the average agent); empty: unknown
    activity_skill: Mapping[str, float] = field(default_factory=dict)
    free: int | None = None  # free seats last reported; None: never reported
    reported_at: datetime | None = None


@dataclass(frozen=True)
class RoutingRule:
    min_openness: float  # floor: openness below this never takes a value pool's seat
    min_value: float  # floor: the expected value a value pool's seat must add
    stale_seconds: float
    memory: int  # recent customers whose values set a value pool's admission bar

    @classmethod
    def from_settings(cls, settings) -> "RoutingRule":
        return cls(
            settings.routing_min_openness,
            settings.routing_min_value,
            settings.capacity_stale_seconds,
            settings.routing_memory,
        )


def free_seats(pool: PoolState, now: datetime, stale_seconds: float) -> int | None:
    """Free seats now, or None when unknown (never reported, or the report is stale)."""
    if pool.free is None or pool.reported_at is None:
        return None
    if (now - pool.reported_at).total_seconds() > stale_seconds:
        return None
    return pool.free
