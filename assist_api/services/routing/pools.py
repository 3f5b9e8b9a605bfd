"""Agent pools: who is in them, whom they serve, their measured skill, their free seats.

A lead defines a pool as a whole (`put_pool`: name, languages, channels, members); an
agent listed in another pool moves, and every change is audited with what changed. The
routing platform reports free seats every few seconds (`report_capacity`); those reports
are operational telemetry rather than decisions, so they are not audited, and a report
older than `capacity_stale_seconds` counts as unknown capacity. Skill estimates come from
`value-assist routing skill` (routing.pool_skill); nothing here moves agents by itself.
"""

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assist_api.errors import Conflict, InvalidFields, NotFound
from assist_api.services.audit import record_audit
from assist_api.services.clock import as_utc
from assist_api.services.routing.pool_skill import measured_skill, skill_view
from assist_api.store.store import Store
from assist_api.store.tables import Agent, Pool

POOL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
POOL_ID_RULE = "1-128 letters, digits, '_', '.' or '-', starting with a letter or digit"
CLOCK_SKEW = timedelta(seconds=60)  # a capacity report may be this far ahead of our clock
POOL_FIELDS = ("name", "description", "is_value_pool", "languages", "channels", "skills")


def _member_view(agent: Agent, min_attempts: int) -> dict:
    return {
        "agent_id": agent.agent_id,
        "name": agent.name,
        "languages": list(agent.languages),
        "active": agent.active,
        "skill": skill_view(agent, min_attempts),
    }


def pool_view(pool: Pool, agents: list[Agent], *, now, stale_seconds, min_attempts) -> dict:
    reported_at = as_utc(pool.capacity_reported_at)
    known = pool.capacity_free is not None and reported_at is not None
    stale = known and (now - reported_at).total_seconds() > stale_seconds
    view = {name: getattr(pool, name) for name in POOL_FIELDS}
    view.update(
        pool_id=pool.pool_id,
        members=[_member_view(a, min_attempts) for a in sorted(agents, key=lambda a: a.agent_id)],
        measured_skill=measured_skill(agents, min_attempts),
        capacity={"free": pool.capacity_free, "reported_at": reported_at, "stale": stale},
        updated_at=as_utc(pool.updated_at),
    )
    return view


def _members(session: Session) -> dict[str, list[Agent]]:
    grouped: dict[str, list[Agent]] = {}
    for agent in session.scalars(select(Agent).where(Agent.pool_id.is_not(None))):
        grouped.setdefault(agent.pool_id, []).append(agent)
    return grouped


def list_pools(store: Store, *, now, stale_seconds: float, min_attempts: int) -> list[dict]:
    with store.uow() as uow:
        members = _members(uow.session)
        pools = uow.session.scalars(select(Pool).order_by(Pool.pool_id)).all()
        return [
            pool_view(
                p,
                members.get(p.pool_id, []),
                now=now,
                stale_seconds=stale_seconds,
                min_attempts=min_attempts,
            )
            for p in pools
        ]


def get_pool(store: Store, pool_id: str, *, now, stale_seconds: float, min_attempts: int):
    with store.uow() as uow:
        pool = _existing(uow.session, pool_id)
        agents = uow.session.scalars(select(Agent).where(Agent.pool_id == pool_id)).all()
        return pool_view(
            pool, list(agents), now=now, stale_seconds=stale_seconds, min_attempts=min_attempts
        )


def _existing(session: Session, pool_id: str) -> Pool:
    pool = session.get(Pool, pool_id)
    if pool is None:
        raise NotFound(f"no pool {pool_id!r}", details={"pool_id": pool_id})
    return pool


def check_pool_id(pool_id: str) -> None:
    if not re.fullmatch(POOL_ID_PATTERN, pool_id):
        raise InvalidFields({"pool_id": [f"{pool_id!r} is not a pool id: {POOL_ID_RULE}"]})


def _check_members(members: list[dict]) -> None:
    seen: dict[str, int] = {}
    problems = {}
    for index, member in enumerate(members):
        agent_id = member["agent_id"]
        if agent_id in seen:
            problems[f"members.{index}.agent_id"] = [
                f"{agent_id} is already listed as member {seen[agent_id]}"
            ]
        seen.setdefault(agent_id, index)
    if problems:
        raise InvalidFields(problems)


def save_pool(session: Session, pool_id: str, data: dict, *, actor: str, now) -> bool:
    """Create or replace one pool and its member list in the caller's transaction.

    Returns True when the pool is new. Listed agents are created or updated and moved in;
    agents no longer listed leave the pool (they stay known, with no pool).
    """
    check_pool_id(pool_id)
    _check_members(data["members"])
    pool = session.get(Pool, pool_id)
    created = pool is None
    before = {} if created else {name: getattr(pool, name) for name in POOL_FIELDS}
    if created:
        pool = Pool(pool_id=pool_id, capacity_free=None, capacity_reported_at=None)
        session.add(pool)
    for name in POOL_FIELDS:
        setattr(pool, name, data[name])
    pool.updated_at = now
    session.flush()
    listed = {m["agent_id"]: m for m in data["members"]}
    moved, added = {}, []
    for agent_id, member in listed.items():
        agent = session.get(Agent, agent_id)
        if agent is None:
            agent = Agent(agent_id=agent_id)
            session.add(agent)
        elif agent.pool_id and agent.pool_id != pool_id:
            moved[agent_id] = agent.pool_id
        if agent.pool_id != pool_id:
            added.append(agent_id)
        agent.pool_id, agent.name = pool_id, member.get("name")
        agent.languages, agent.active = member["languages"], member["active"]
    removed = []
    for agent in session.scalars(select(Agent).where(Agent.pool_id == pool_id)):
        if agent.agent_id not in listed:
            agent.pool_id = None
            removed.append(agent.agent_id)
    changes = {
        name: [before.get(name), data[name]]
        for name in POOL_FIELDS
        if before.get(name) != data[name]
    }
    record_audit(
        session,
        actor=actor,
        action="create_pool" if created else "update_pool",
        entity_type="pool",
        entity_id=pool_id,
        details={
            "changes": changes,
            "members_added": sorted(added),
            "members_removed": sorted(removed),
            "moved_from": moved,
        },
        now=now,
    )
    return created


def put_pool(store: Store, pool_id: str, data: dict, *, actor: str, now) -> bool:
    with store.uow() as uow:
        created = save_pool(uow.session, pool_id, data, actor=actor, now=now)
        uow.commit()
    return created


def import_pools(store: Store, pools: list[dict], *, actor: str, now) -> list[str]:
    """Save several pools (each with `pool_id`) in one transaction: all or nothing."""
    with store.uow() as uow:
        for pool in pools:
            data = {k: v for k, v in pool.items() if k != "pool_id"}
            save_pool(uow.session, pool["pool_id"], data, actor=actor, now=now)
        uow.commit()
    return [p["pool_id"] for p in pools]


def report_capacity(
    store: Store, pool_id: str, free: int, reported_at: datetime | None, *, now
) -> dict:
    """Record the pool's free seats as of `reported_at` (default: now)."""
    reported_at = reported_at or now
    if reported_at - now > CLOCK_SKEW:
        raise InvalidFields(
            {"reported_at": [f"is {reported_at - now} ahead of the server's clock"]}
        )
    with store.uow() as uow:
        pool = _existing(uow.session, pool_id)
        previous = as_utc(pool.capacity_reported_at)
        if previous is not None and reported_at < previous:
            raise Conflict(
                f"a newer capacity report ({previous.isoformat()}) is already stored",
                details={"reported_at": previous.isoformat()},
            )
        pool.capacity_free, pool.capacity_reported_at = free, reported_at
        uow.commit()
    return {"pool_id": pool_id, "free": free, "reported_at": reported_at}
