"""The router's view of the pools, re-read from the store every few seconds per worker.

Routing runs on every /v1/assist request; reading pools, members and capacity from the
database each time would put two queries on the real-time path. Instead each worker keeps
the last snapshot and one request per `pool_refresh_seconds` re-reads it, under a lock so
concurrent requests never refresh twice. If the store is unreachable the last snapshot
stays in use (capacity then goes stale on its own, which routing reports as unknown).
Staleness is judged at routing time against each report's own timestamp, so a cached
snapshot never makes an old report look fresh.
"""

import logging
import time
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from assist_api.services.clock import RefreshGate, as_utc
from assist_api.services.routing.pool_skill import (
    agent_activity_skill,
    measured_skill,
    pooled_activity_skill,
)
from assist_api.services.routing.pool_state import PoolState
from assist_api.services.routing.retention_gain import PUBLISHED, RetentionGain
from assist_api.services.routing.retention_gain_store import read_retention_gain
from assist_api.store.store import Store
from assist_api.store.tables import Agent, Pool

log = logging.getLogger(__name__)


def read_pool_states(store: Store, min_attempts: int) -> tuple[PoolState, ...]:
    return read_routing_snapshot(store, min_attempts).pools


class RoutingSnapshot(NamedTuple):
    pools: tuple[PoolState, ...]
    agent_skills: dict[str, dict[str, float]]  # agent_id -> activity -> measured skill
    retention_gain: RetentionGain


def read_routing_snapshot(store: Store, min_attempts: int) -> RoutingSnapshot:
    """What the router reads, in one unit of work."""
    with store.uow() as uow:
        members: dict[str, list[Agent]] = {}
        agent_skills: dict[str, dict[str, float]] = {}
        for agent in uow.session.scalars(select(Agent)):
            if agent.pool_id is not None:
                members.setdefault(agent.pool_id, []).append(agent)
            if agent.active and agent.skill_by_activity:
                agent_skills[agent.agent_id] = agent_activity_skill(agent)
        states = tuple(
            PoolState(
                pool_id=pool.pool_id,
                languages=frozenset(pool.languages),
                channels=frozenset(pool.channels),
                is_value_pool=pool.is_value_pool,
                skill=measured_skill(members.get(pool.pool_id, []), min_attempts),
                activity_skill=pooled_activity_skill(
                    [
                        a.skill_by_activity
                        for a in members.get(pool.pool_id, [])
                        if a.active and a.skill_by_activity
                    ]
                ),
                free=pool.capacity_free,
                reported_at=as_utc(pool.capacity_reported_at),
            )
            for pool in uow.session.scalars(select(Pool).order_by(Pool.pool_id))
        )
        return RoutingSnapshot(states, agent_skills, read_retention_gain(uow.session))


class PoolCache:
    """`cache()` -> the current pool states; thread-safe, at most one refresh at a time."""

    def __init__(
        self,
        store: Store,
        refresh_seconds: float,
        min_attempts: int,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._store = store
        self._min_attempts = min_attempts
        self._states: tuple[PoolState, ...] = ()
        self._agent_skills: dict[str, dict[str, float]] = {}
        self._retention_gain = PUBLISHED
        # a failed first read does not make later requests wait: there is no pool to wait for
        self._gate = RefreshGate(lambda: self.refresh() or True, refresh_seconds, clock)

    def __call__(self) -> tuple[PoolState, ...]:
        self._gate()
        return self._states

    def agent_skill(self, agent_id: str) -> dict[str, float]:
        """activity -> this agent's measured skill (empty: unknown), from the same snapshot."""
        self._gate()
        return self._agent_skills.get(agent_id, {})

    def retention_gain(self) -> RetentionGain:
        """The retention per VE success value routing uses, from the same snapshot."""
        self._gate()
        return self._retention_gain

    def refresh(self) -> None:
        try:
            self._states, self._agent_skills, self._retention_gain = read_routing_snapshot(
                self._store, self._min_attempts
            )
        except SQLAlchemyError:
            log.warning("could not re-read pools; routing keeps the last snapshot", exc_info=True)


def build_pool_cache(store: Store, settings) -> PoolCache:
    return PoolCache(store, settings.pool_refresh_seconds, settings.skill_min_attempts)
