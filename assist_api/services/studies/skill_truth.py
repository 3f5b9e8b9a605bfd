"""Measured skill against a simulated world's true skill: rank correlations per agent and
per agent x activity, and whether the suggested champion pool is truly stronger."""

import numpy as np
import pandas as pd

from assist_api.services.routing.activity_skill import ActivitySkill
from assist_api.services.routing.agent_skill import SkillReport, suggest_champion_pool
from assist_api.services.studies.routing_truth import true_agent_terms
from features.vocabulary import ACTIVITIES


def _spearman(a: pd.Series, b: pd.Series) -> float | None:
    """Rank correlation; None when undefined (under 3 agents, or all estimates equal)."""
    if len(a) < 3 or a.nunique() < 2 or b.nunique() < 2:
        return None
    return float(np.corrcoef(a.rank(), b.rank())[0, 1])


def skill_vs_truth(report: SkillReport, agents: pd.DataFrame) -> dict:
    """Rank correlation of estimated with true skill, and the suggested pool's true skill."""
    truth = agents.set_index("agent_id")["true_skill"]
    est = pd.Series({a.agent_id: a.estimate for a in report.agents if a.agent_id in truth.index})
    rated = [a.agent_id for a in report.agents if a.rated and a.agent_id in truth.index]
    suggested = [a.agent_id for a in suggest_champion_pool(report.agents)]
    current = agents.loc[agents["pool"] == "ve_champions", "agent_id"]
    return {
        "agents": len(est),
        "rated_agents": len(rated),
        "spearman_all": _spearman(est, truth[est.index]),
        "spearman_rated": _spearman(est[rated], truth[rated]),
        "suggested_pool_size": len(suggested),
        "suggested_pool_true_skill": float(truth[suggested].mean()) if suggested else None,
        "current_pool_true_skill": float(truth[current].mean()) if len(current) else None,
    }


def activity_skill_vs_truth(cells: list[ActivitySkill], agents: pd.DataFrame) -> dict:
    """Per activity: Spearman of estimated vs true agent x activity skill, rated cells only,
    beside the same for the agent's one overall skill used as every activity's estimate."""
    terms = true_agent_terms(agents)
    overall = {c.agent_id: c.skill for c in cells if c.activity is None}
    out = {}
    for activity in ACTIVITIES:
        rated = [
            c for c in cells if c.activity == activity and c.rated and c.agent_id in terms.index
        ]
        ids = [c.agent_id for c in rated]
        truth = terms.loc[ids, activity] if ids else pd.Series(dtype=float)
        est = pd.Series([c.skill for c in rated], index=ids, dtype=float)
        one = pd.Series([overall.get(a, 0.0) for a in ids], index=ids, dtype=float)
        out[activity] = {
            "rated_cells": len(rated),
            "spearman": _spearman(est, truth),
            "spearman_overall_skill": _spearman(one, truth),
        }
    return out
