"""Agent skill at value enhancement, measured fairly: observed vs expected, shrunk.

An agent's raw success rate mostly says which customers they got. So each VE attempt
carries `expected`, the model's P(success) for that customer and activity (the average
agent's chance), and an agent is judged on successes observed (O) against successes
expected (E). On the log-odds scale the skill is an offset added to every case's logit;
its one-step estimate from zero is (O - E) / V, with V = sum of p(1 - p) and standard
error 1 / sqrt(V) (Peto's estimator: finite even when every attempt succeeded).

Estimates are shrunk toward the average agent by empirical Bayes (normal-normal): the
spread of true skill, tau^2, is estimated from the agents with enough attempts
(DerSimonian-Laird), and each agent's posterior mean is pulled toward the mean by
se^2 / (se^2 + tau^2) — a lot with few attempts, little with many. Skills are reported
relative to the average (rated) agent, so an interval above 0 clears the baseline.
Below `min_attempts` nothing is claimed: the agent is not rated and never suggested.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

CREDIBLE_LEVEL = 0.90
PROBABILITY_FLOOR = 1e-4  # keeps p(1 - p) away from 0 for near-certain cases
REQUIRED_COLUMNS = ("agent_id", "success", "expected")


@dataclass(frozen=True)
class AgentSkill:
    agent_id: str
    attempts: int
    successes: int
    expected: float  # successes the model expected for this agent's cases
    information: float  # sum of p(1 - p): the precision of the raw skill offset
    estimate: float  # posterior mean skill: log-odds vs the average agent
    low: float  # credible interval of the skill
    high: float
    rated: bool  # attempts >= min_attempts: only then is anything claimed

    @property
    def observed_over_expected(self) -> float:
        return self.successes / self.expected if self.expected > 0 else math.nan


@dataclass(frozen=True)
class SkillReport:
    agents: tuple[AgentSkill, ...]  # best estimate first
    baseline: float  # the average rated agent's raw offset (log-odds); estimates are vs it
    spread: float  # tau: the estimated standard deviation of true skill
    min_attempts: int
    level: float

    def by_agent(self) -> dict[str, AgentSkill]:
        return {a.agent_id: a for a in self.agents}


def _check(attempts: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REQUIRED_COLUMNS if c not in attempts.columns]
    if missing:
        raise ValueError(f"attempts need the columns {list(REQUIRED_COLUMNS)}; missing {missing}")
    rows = attempts.loc[attempts["agent_id"].notna(), list(REQUIRED_COLUMNS)]
    success = pd.to_numeric(rows["success"], errors="coerce")
    expected = pd.to_numeric(rows["expected"], errors="coerce")
    if not success.isin((0, 1)).all():
        raise ValueError("success must be 0 or 1 on every attempt")
    if not expected.between(0, 1).all():
        raise ValueError("expected must be a probability in [0, 1] on every attempt")
    p = expected.clip(PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
    return pd.DataFrame(
        {"agent_id": rows["agent_id"].astype(str), "o": success, "e": p, "v": p * (1 - p)}
    )


def between_agent_variance(offset: np.ndarray, variance: np.ndarray) -> tuple[float, float]:
    """(precision-weighted mean, tau^2) of the offsets by DerSimonian-Laird (tau^2 >= 0)."""
    if offset.size == 0:
        return 0.0, 0.0
    weight = 1.0 / variance
    mean = float((weight * offset).sum() / weight.sum())
    if offset.size < 2:
        return mean, 0.0
    q = float((weight * (offset - mean) ** 2).sum())
    scale = float(weight.sum() - (weight**2).sum() / weight.sum())
    return mean, max(0.0, (q - (offset.size - 1)) / scale)


def estimate_skill(
    attempts: pd.DataFrame, min_attempts: int = 30, level: float = CREDIBLE_LEVEL
) -> SkillReport:
    """Per-agent skill from attempts (agent_id, success 0/1, expected = model P(success))."""
    if min_attempts < 1:
        raise ValueError(f"min_attempts must be at least 1, got {min_attempts}")
    grouped = _check(attempts).groupby("agent_id", sort=True)
    per_agent = grouped.agg(n=("o", "size"), o=("o", "sum"), e=("e", "sum"), v=("v", "sum"))
    offset = ((per_agent["o"] - per_agent["e"]) / per_agent["v"]).to_numpy()
    variance = (1.0 / per_agent["v"]).to_numpy()
    rated = (per_agent["n"] >= min_attempts).to_numpy()
    baseline, tau2 = between_agent_variance(offset[rated], variance[rated])
    shrink = tau2 / (tau2 + variance)
    estimate = shrink * (offset - baseline)
    half_width = NormalDist().inv_cdf(0.5 + level / 2) * np.sqrt(shrink * variance)
    agents = [
        AgentSkill(
            agent_id=str(agent_id),
            attempts=int(row.n),
            successes=int(row.o),
            expected=round(float(row.e), 4),
            information=round(float(row.v), 4),
            estimate=round(float(estimate[i]), 4),
            low=round(float(estimate[i] - half_width[i]), 4),
            high=round(float(estimate[i] + half_width[i]), 4),
            rated=bool(rated[i]),
        )
        for i, (agent_id, row) in enumerate(per_agent.iterrows())
    ]
    agents.sort(key=lambda a: (-a.estimate, a.agent_id))
    return SkillReport(
        tuple(agents), round(baseline, 4), round(math.sqrt(tau2), 4), min_attempts, level
    )


def suggest_champion_pool(agents: Iterable[AgentSkill], size: int | None = None) -> list:
    """Rated agents whose whole interval is above the average agent, best first.

    A suggestion for a lead to accept (`PUT /v1/pools/{id}`); nothing moves by itself.
    """
    if size is not None and size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    proven = sorted(
        (a for a in agents if a.rated and a.low > 0), key=lambda a: (-a.estimate, a.agent_id)
    )
    return proven[:size] if size else proven
