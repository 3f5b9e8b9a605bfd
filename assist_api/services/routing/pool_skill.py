"""Agents' measured skill in the store, and a pool's skill from its members'.

`value-assist routing skill` measures every agent (routing.agent_skill) and stores each
estimate with the counts behind it. A pool's skill is derived from its current members
whenever it is read, so moving agents between pools changes routing at once, without
measuring again.
"""

from typing import TYPE_CHECKING

from sqlalchemy import select

from assist_api.services.audit import record_audit
from assist_api.services.clock import as_utc
from assist_api.store.store import Store
from assist_api.store.tables import Agent
from features.vocabulary import ACTIVITIES

if TYPE_CHECKING:  # agent_skill needs pandas, which the real-time path never loads
    from assist_api.services.routing.agent_skill import SkillReport

SKILL_FIELDS = ("attempts", "successes", "expected", "information", "estimate", "low", "high")


def skill_view(agent: Agent, min_attempts: int) -> dict | None:
    """The agent's stored skill (None: never measured); `rated` per today's threshold."""
    if agent.skill_estimated_at is None:
        return None
    view = {name: getattr(agent, f"skill_{name}") for name in SKILL_FIELDS}
    view["estimated_at"] = as_utc(agent.skill_estimated_at)
    view["rated"] = (agent.skill_attempts or 0) >= min_attempts
    return view


def pooled_skill(members: list[tuple[int, float, float]], min_attempts: int) -> float | None:
    """A pool's skill: its members' shrunk estimates, weighted by their information.

    `members`: (attempts, information V, estimate) per measured agent. Shrunk estimates,
    not the members' raw results pooled: a pool formed from these very measurements (the
    suggested champion pool) would otherwise inherit its members' lucky streaks. Weighting
    by V counts most the agents who handle most VE attempts. None until the members have
    `min_attempts` attempts between them.

    Each agent is shrunk once, so this is the posterior mean of the members' V-weighted
    skill when membership says nothing about skill. A pool chosen on earlier evidence
    is therefore understated (by the agents' shrink factor, about 0.65 on the demo
    world). Which customers a value pool takes hardly depends on that scale: its
    admission bar is a quantile of the values it offered recent customers
    (routing.value), the same ranking whatever its skill, as long as it is
    positive; only its comparison with other pools' values does.
    """
    attempts = sum(m[0] for m in members)
    information = sum(m[1] for m in members)
    if attempts < min_attempts or information <= 0:
        return None
    return round(sum(m[1] * m[2] for m in members) / information, 4)


def measured_skill(agents: list[Agent], min_attempts: int) -> float | None:
    """The pool's skill from its active, measured members (see pooled_skill)."""
    return pooled_skill(
        [
            (a.skill_attempts, a.skill_information, a.skill_estimate)
            for a in agents
            if a.active and a.skill_information is not None
        ],
        min_attempts,
    )


def store_skill(store: Store, report: "SkillReport", *, actor: str, now) -> list[str]:
    """Write each known agent's estimate; returns the agent ids not in the store."""
    unknown = []
    with store.uow() as uow:
        for skill in report.agents:
            agent = uow.session.get(Agent, skill.agent_id)
            if agent is None:
                unknown.append(skill.agent_id)
                continue
            for name in SKILL_FIELDS:
                setattr(agent, f"skill_{name}", getattr(skill, name))
            agent.skill_estimated_at = now
        record_audit(
            uow.session,
            actor=actor,
            action="measure_skill",
            entity_type="agents",
            entity_id="*",
            details={
                "agents": len(report.agents) - len(unknown),
                "baseline": report.baseline,
                "spread": report.spread,
                "min_attempts": report.min_attempts,
            },
            now=now,
        )
        uow.commit()
    return unknown


def pooled_activity_skill(members: list[dict]) -> dict[str, float]:
    """activity -> a pool's skill on it: its members' estimates weighted by their attempts.

    `members`: each measured member's `skill_by_activity` ({activity: {attempts, skill}}).
    Unrated cells count too: their estimates are shrunk almost to the member's overall
    skill, and their few attempts give them little weight.
    """
    out = {}
    for activity in ACTIVITIES:
        cells = [m[activity] for m in members if activity in m]
        weight = sum(c["attempts"] for c in cells)
        if weight:
            out[activity] = round(sum(c["attempts"] * c["skill"] for c in cells) / weight, 4)
    return out


def agent_activity_skill(agent: Agent) -> dict[str, float]:
    """activity -> the agent's measured skill on it (empty: never measured by activity)."""
    return {a: cell["skill"] for a, cell in (agent.skill_by_activity or {}).items()}


def store_activity_skill(store: Store, cells: list, *, actor: str, now) -> list[str]:
    """Write each known agent's per-activity skill; returns the agent ids not in the store."""
    by_agent: dict[str, dict] = {}
    for cell in cells:
        if cell.activity is not None:
            view = cell.as_dict()
            by_agent.setdefault(cell.agent_id, {})[cell.activity] = {
                "attempts": view["attempts"],
                "skill": view["skill"],
                "low": view["ci90"][0],
                "high": view["ci90"][1],
                "rated": view["rated"],
            }
    unknown = []
    with store.uow() as uow:
        for agent_id, skills in sorted(by_agent.items()):
            agent = uow.session.get(Agent, agent_id)
            if agent is None:
                unknown.append(agent_id)
                continue
            agent.skill_by_activity = skills
        record_audit(
            uow.session,
            actor=actor,
            action="measure_activity_skill",
            entity_type="agents",
            entity_id="*",
            details={"agents": len(by_agent) - len(unknown), "cells": len(cells)},
            now=now,
        )
        uow.commit()
    return unknown


def stored_activity_cells(store: Store, activity: str) -> list[tuple]:
    """(ActivitySkill, languages) of every agent measured on `activity`."""
    from assist_api.services.routing.activity_skill import ActivitySkill

    with store.uow() as uow:
        agents = uow.session.scalars(
            select(Agent).where(Agent.skill_by_activity.is_not(None)).order_by(Agent.agent_id)
        ).all()
        out = []
        for agent in agents:
            cell = (agent.skill_by_activity or {}).get(activity)
            if cell:
                skill = ActivitySkill(
                    agent.agent_id,
                    activity,
                    cell["attempts"],
                    cell["skill"],
                    cell["low"],
                    cell["high"],
                    cell["rated"],
                )
                out.append((skill, list(agent.languages)))
        return out


def stored_skills(store: Store, min_attempts: int) -> list[dict]:
    """Every measured agent: id, pool, languages and the stored skill fields."""
    with store.uow() as uow:
        agents = uow.session.scalars(
            select(Agent).where(Agent.skill_estimated_at.is_not(None)).order_by(Agent.agent_id)
        ).all()
        return [
            {
                "agent_id": a.agent_id,
                "pool_id": a.pool_id,
                "languages": list(a.languages),
                **skill_view(a, min_attempts),
            }
            for a in agents
        ]
