"""The demo world's observable oracle, computed from a world folder after the fact.

The simulator's truth (`p_<activity>` in truth.csv) uses the handling agent's hidden
skill and the customer's true sentiment. The observable oracle is the best any learner
could do from what the service sees at request time: the same probability with the skill
averaged over the agents who could have taken the contact (the simulator's own routing
weights by channel mode and language) and, where the import leaves the sentiment empty,
the sentiment integrated over its distribution given the reason. The reason is taken as
seen (given, or stated in the transcript). Evaluation only: it reads the simulator.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from features.vocabulary import ACTIVITIES
from training.simulator.agents import (
    DIGITAL_WEIGHT,
    JA_SUPPORT_JA_WEIGHT,
    OTHER_POOL_WEIGHT,
    channel_mode,
)
from training.simulator.population import REASON_SENTIMENT, SENTIMENT_SD
from training.simulator.response import SENTIMENT_WEIGHT, SKILL_LOADING

HERMITE = np.polynomial.hermite_e.hermegauss(9)
OBSERVABLE_COLUMNS = tuple(f"p_obs_{a}" for a in ACTIVITIES)
_LOADING = np.array([SKILL_LOADING[a] for a in ACTIVITIES])


def _logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _agent_weights(agents: pd.DataFrame, mode: str, japanese: bool) -> np.ndarray:
    """P(each agent takes a contact) as training.simulator.agents.route draws it."""
    pool = agents["pool"].to_numpy(str)
    weight = np.where(pool == "digital", DIGITAL_WEIGHT[mode], OTHER_POOL_WEIGHT[mode])
    weight = weight * agents["languages"].str.contains("ja" if japanese else "en").to_numpy()
    if japanese:
        weight = weight * np.where(pool == "ja_support", JA_SUPPORT_JA_WEIGHT, 1.0)
    return weight / weight.sum()


def observable_oracle(folder: Path | str) -> pd.DataFrame:
    """interaction_id + p_obs_<activity> for every interaction of a demo-world folder."""
    folder = Path(folder)
    interactions = pd.read_csv(folder / "interactions.csv", keep_default_na=False)
    truth = pd.read_csv(folder / "truth.csv")
    agents = pd.read_csv(folder / "agents.csv")
    truth = interactions[["interaction_id"]].merge(truth, on="interaction_id", how="left")
    true_p = truth[[f"p_{a}" for a in ACTIVITIES]].to_numpy(float)
    skill = truth["agent_skill"].to_numpy(float)
    sentiment = truth["true_customer_sentiment"].to_numpy(float)
    # the logit with neither the agent's skill nor the sentiment in it
    base = _logit(true_p) - skill[:, None] * _LOADING - SENTIMENT_WEIGHT * sentiment[:, None]
    seen = pd.to_numeric(interactions["customer_sentiment"], errors="coerce").notna().to_numpy()
    mean = truth["true_contact_reason"].map(REASON_SENTIMENT).to_numpy(float)
    mode = channel_mode(interactions["channel"].to_numpy(str))
    japanese = interactions["language"].astype(str).str.startswith("ja").to_numpy()
    skills = agents["true_skill"].to_numpy(float)
    nodes, node_weights = HERMITE[0], HERMITE[1] / HERMITE[1].sum()
    out = np.zeros_like(true_p)
    for group_mode in ("sync", "async", "agentless"):
        for ja in (False, True):
            rows = np.flatnonzero((mode == group_mode) & (japanese == ja))
            if not len(rows):
                continue
            if group_mode == "agentless":
                weights, group_skills = np.ones(1), np.zeros(1)
            else:
                weights = _agent_weights(agents, group_mode, ja)
                group_skills = skills[weights > 0]
                weights = weights[weights > 0]
            for part, draws in ((rows[seen[rows]], False), (rows[~seen[rows]], True)):
                out[part] = _expected(
                    base[part], sentiment[part], mean[part], draws, group_skills, weights,
                    nodes, node_weights,
                )  # fmt: skip
    frame = pd.DataFrame(np.round(out, 6), columns=list(OBSERVABLE_COLUMNS))
    frame.insert(0, "interaction_id", interactions["interaction_id"])
    return frame


def _expected(base, sentiment, mean, draws, skills, weights, nodes, node_weights):
    """E over agents (and sentiment draws when `draws`) of the success probability."""
    out = np.zeros_like(base)
    points = zip(nodes, node_weights, strict=True) if draws else [(None, 1.0)]
    for node, node_weight in points:
        s = sentiment if node is None else np.clip(mean + SENTIMENT_SD * node, -1, 1)
        logit = base + SENTIMENT_WEIGHT * s[:, None]
        for skill, weight in zip(skills, weights, strict=True):
            out += node_weight * weight / (1 + np.exp(-(logit + skill * _LOADING)))
    return out


def with_observable_oracle(folder: Path | str, truth: pd.DataFrame) -> pd.DataFrame:
    """truth with p_obs_<activity> added (computed from the folder when it lacks them)."""
    if all(c in truth.columns for c in OBSERVABLE_COLUMNS):
        return truth
    if not (Path(folder) / "agents.csv").is_file() or "agent_skill" not in truth.columns:
        return truth
    return truth.merge(observable_oracle(folder), on="interaction_id", how="left")
