"""A simulated world's truth for the routing replay: each contact's true P(success) with
any pool's agents, on each activity.

The replay must not assume the router's own model of skill (one shift on the log-odds,
the same for every activity), or it could never show that model wrong. So it reads the
world's truth: `truth.csv` has each contact's true P(success) per activity with the agent
who handled it, and `agents.csv` each agent's true term per activity (`skill_<activity>`
in worlds with per-activity skill; otherwise one skill times the simulator's loading).
Removing the handling agent's term gives the contact's agent-free log-odds; adding
another agent's gives the truth with that agent. A pool's P is the mean over its members
who speak the customer's language, in probability (not log-odds) space, since the contact
reaches one of them.
"""

import numpy as np
import pandas as pd

from features.vocabulary import ACTIVITIES
from training.simulator.response import SKILL_LOADING

LANGUAGE_GROUPS = ("ja", "en")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def true_agent_terms(agents: pd.DataFrame) -> pd.DataFrame:
    """agent_id -> each activity's true term on the log-odds (columns: ACTIVITIES)."""
    if all(f"skill_{a}" in agents.columns for a in ACTIVITIES):
        terms = {a: agents[f"skill_{a}"].astype(float) for a in ACTIVITIES}
    else:
        skill = agents["true_skill"].astype(float)
        terms = {a: skill * SKILL_LOADING[a] for a in ACTIVITIES}
    return pd.DataFrame(terms).set_index(agents["agent_id"].astype(str))


def agent_free_logits(rows: pd.DataFrame, terms: pd.DataFrame) -> np.ndarray:
    """(n, 5) each contact's true log-odds per activity with an average agent."""
    truth = np.column_stack([rows[f"p_{a}"].to_numpy(float) for a in ACTIVITIES])
    handling = terms.reindex(rows["agent_id"].astype(str)).fillna(0.0).to_numpy()
    return _logit(truth) - handling


def language_group(language: pd.Series) -> np.ndarray:
    return np.where(language.astype(str).str.lower().str.startswith("ja"), "ja", "en")


def members_speaking(agents: pd.DataFrame, pool: str, group: str) -> pd.Series:
    in_pool = agents["pool"] == pool
    return agents.loc[in_pool & agents["languages"].str.contains(group), "agent_id"].astype(str)


def pool_success(
    free_logits: np.ndarray, agents: pd.DataFrame, terms: pd.DataFrame, lang_group: np.ndarray
) -> dict[str, np.ndarray]:
    """pool -> (n, 5) true P(success) per contact and activity with that pool's agents
    (NaN where none of its agents speaks the customer's language)."""
    success = {}
    for pool in sorted(agents["pool"].unique()):
        p = np.full(free_logits.shape, np.nan)
        for group in LANGUAGE_GROUPS:
            members = members_speaking(agents, pool, group)
            at = lang_group == group
            if len(members) and at.any():
                member_terms = terms.loc[members].to_numpy()  # (m, 5)
                logit = free_logits[at, None, :] + member_terms[None, :, :]
                p[at] = (1 / (1 + np.exp(-logit))).mean(axis=1)
        success[pool] = p
    return success


def pool_true_terms(agents: pd.DataFrame, terms: pd.DataFrame) -> dict[str, dict[str, float]]:
    """pool -> activity -> its members' mean true term (what an oracle router knows)."""
    out = {}
    for pool, members in agents.groupby("pool"):
        mean = terms.loc[members["agent_id"].astype(str)].mean()
        out[str(pool)] = {a: float(mean[a]) for a in ACTIVITIES}
    return out
