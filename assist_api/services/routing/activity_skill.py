"""Agent skill per activity: an agent effect plus shrunk agent x activity deviations.

Agents differ by type of work, not only overall (DOMAIN.md; Mehrotra et al. 2012), so a
skill is measured per agent and activity, hierarchically:

1. the agent effect u_a is the overall skill (routing.agent_skill: observed vs expected,
   shrunk by empirical Bayes);
2. each cell's deviation is measured against expectations that already include u_a
   (p' = sigmoid(logit(expected) + baseline + u_a)): d = (O - E') / V', variance 1 / V';
3. per activity, the deviations' spread tau_k^2 is estimated from the rated cells
   (DerSimonian-Laird) and each deviation is shrunk toward the activity's mean by
   B = v / (v + tau_k^2) — a lot with few attempts, little with many.

skill(a, k) = u_a + shrunk deviation, on the log-odds scale relative to the average agent.
Its interval adds the agent effect's variance and the deviation's, the latter with
Morris's (1983) correction for having estimated tau_k^2 and the mean from the same cells,
so that a spread estimated from few cells widens the interval instead of hiding in it.
Cells below `min_cell_attempts` are not rated: an estimate is given (mostly the agent's
overall skill) but nothing is claimed and nothing routes on it by itself.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from assist_api.services.routing.agent_skill import (
    CREDIBLE_LEVEL,
    PROBABILITY_FLOOR,
    between_agent_variance,
    estimate_skill,
)

MIN_CELL_ATTEMPTS = 15
REQUIRED_COLUMNS = ("agent_id", "activity", "success", "expected")


@dataclass(frozen=True)
class ActivitySkill:
    agent_id: str
    activity: str | None  # None: the agent's overall skill
    attempts: int
    skill: float  # log-odds vs the average agent (on this activity)
    low: float  # credible interval at `level`
    high: float
    rated: bool

    def as_dict(self) -> dict:
        return {
            "agent_id": self.agent_id,
            "activity": self.activity,
            "attempts": self.attempts,
            "skill": self.skill,
            "ci90": [self.low, self.high],
            "rated": self.rated,
        }


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
    return np.log(p / (1 - p))


def _morris_variance(v: np.ndarray, shrink: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Posterior variance of shrunk estimates, corrected for the estimated mean and spread.

    `shrink` is B = v / (v + tau^2) (the weight on the mean); `residual` is d - mean.
    Morris (1983): V = v (1 - (k-3)/(k-1) B) + 2/(k-3) B^2 residual^2 with k cells.
    With fewer than 5 cells the spread is barely known: no shrinkage credit is taken.
    """
    k = v.size
    if k < 5:
        return v.copy()
    return v * (1 - (k - 3) / (k - 1) * shrink) + 2 / (k - 3) * shrink**2 * residual**2


def estimate_activity_skill(
    attempts: pd.DataFrame,
    min_attempts: int = 30,
    min_cell_attempts: int = MIN_CELL_ATTEMPTS,
    level: float = CREDIBLE_LEVEL,
) -> list[ActivitySkill]:
    """Per agent: the overall skill (activity None) and one entry per attempted activity.

    `attempts`: agent_id, activity, success (0/1), expected (P(success) with an average
    agent, ideally cross-fitted: routing.expected_success.cross_fitted_expected).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in attempts.columns]
    if missing:
        raise ValueError(f"attempts need the columns {list(REQUIRED_COLUMNS)}; missing {missing}")
    if min_cell_attempts < 1:
        raise ValueError(f"min_cell_attempts must be at least 1, got {min_cell_attempts}")
    overall = estimate_skill(attempts, min_attempts=min_attempts, level=level)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    agents = overall.by_agent()
    effect = {a: s.estimate for a, s in agents.items()}
    effect_var = {a: ((s.high - s.low) / (2 * z)) ** 2 for a, s in agents.items()}

    rows = attempts.loc[attempts["agent_id"].notna() & attempts["activity"].notna()]
    rows = rows.assign(agent_id=rows["agent_id"].astype(str))
    shift = overall.baseline + rows["agent_id"].map(effect).fillna(0.0).to_numpy()
    p = 1 / (1 + np.exp(-(_logit(rows["expected"].to_numpy(float)) + shift)))
    p = np.clip(p, PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
    cells = (
        rows.assign(o=rows["success"].astype(float), e=p, v=p * (1 - p))
        .groupby(["activity", "agent_id"], sort=True)
        .agg(n=("o", "size"), o=("o", "sum"), e=("e", "sum"), v=("v", "sum"))
        .reset_index()
    )
    result = [
        ActivitySkill(a, None, s.attempts, s.estimate, s.low, s.high, s.rated)
        for a, s in sorted(agents.items())
    ]
    for activity, group in cells.groupby("activity", sort=True):
        d = ((group["o"] - group["e"]) / group["v"]).to_numpy()
        v = (1.0 / group["v"]).to_numpy()
        rated = (group["n"] >= min_cell_attempts).to_numpy() & np.array(
            [agents[a].rated for a in group["agent_id"]]
        )
        mean, tau2 = between_agent_variance(d[rated], v[rated])
        shrink = v / (v + tau2) if tau2 > 0 else np.ones_like(v)
        deviation = (1 - shrink) * (d - mean)
        variance = _morris_variance(v, shrink, d - mean) if rated.sum() >= 5 else v * (1 - shrink)
        for i, agent_id in enumerate(group["agent_id"]):
            centre = effect[agent_id] + deviation[i]
            half = z * math.sqrt(effect_var[agent_id] + min(variance[i], v[i]))
            result.append(
                ActivitySkill(
                    agent_id=agent_id,
                    activity=str(activity),
                    attempts=int(group["n"].iloc[i]),
                    skill=round(float(centre), 4),
                    low=round(float(centre - half), 4),
                    high=round(float(centre + half), 4),
                    rated=bool(rated[i]),
                )
            )
    result.sort(key=lambda s: (s.agent_id, s.activity or ""))
    return result


def skill_table(skills: list[ActivitySkill]) -> pd.DataFrame:
    """One row per agent, one column per activity (NaN: never attempted), plus `overall`."""
    frame = pd.DataFrame([s.as_dict() for s in skills])
    frame["activity"] = frame["activity"].fillna("overall")
    return frame.pivot(index="agent_id", columns="activity", values="skill")


def suggest_activity_pool(
    cells: list[ActivitySkill], activity: str, size: int | None = None
) -> list[ActivitySkill]:
    """Agents rated on `activity` whose whole interval clears the average agent there, best
    first: a pool by competence (e.g. educators) for a lead to accept; nothing moves."""
    if size is not None and size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    proven = sorted(
        (c for c in cells if c.activity == activity and c.rated and c.low > 0),
        key=lambda c: (-c.skill, c.agent_id),
    )
    return proven[:size] if size else proven
