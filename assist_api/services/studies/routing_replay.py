"""Replay a simulated world: does routing by expected value beat the plain rule?

The world is split in time. On the earlier part, agent skill is measured exactly as
`value-assist routing skill` does (observed vs model-expected successes, shrunk), and
compared with the simulator's true skills (rank correlation). The later part's contacts
handled by agents are then routed again, in time order, by the service's own
`choose_route` — once as the value router does (with its memory of recent customers'
values, from empty) and once by the plain rule, load balancing on free seats (as the
routing control group is) — with capacity respected: each pool has, per time window and
per language group, the seats its agents actually filled then (plus `seat_slack`).

Simulated success is exact, not sampled. In the simulator an agent's skill adds
`skill x loading(activity)` to the true log-odds (training.simulator.response), so a contact's
true P(success) with another agent is its logged P with the handling agent's skill
swapped; a pool's P is the mean over its members who speak the customer's language.
Contacts without a VE attempt keep their simulated outcome: no agent changes those.
"""

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from assist_api.services.routing.agent_skill import SkillReport, suggest_champion_pool
from assist_api.services.routing.expected_success import measure_skill, predict
from assist_api.services.routing.pool_skill import pooled_skill
from assist_api.services.routing.recent_values import RecentValues
from assist_api.services.routing.value import (
    RETENTION_GAIN_PER_SUCCESS,
    PoolState,
    RoutingRule,
    choose_route,
)
from assist_api.services.studies.demo_pools import demo_pools, read_roster
from features.frame import expand_activities
from features.vocabulary import ACTIVITIES
from training.dataset import read_import_dir
from training.simulator.response import SKILL_LOADING


@dataclass(frozen=True)
class ReplayConfig:
    rule: RoutingRule
    bands: tuple[float, float] = (0.35, 0.55)
    min_attempts: int = 30
    estimate_share: float = 0.6  # the earlier part, where skill is measured
    window: str = "1D"  # capacity period (a pandas offset alias)
    seat_slack: float = 0.10  # seats per window: the pool's historical load plus this share


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


def pool_success(rows: pd.DataFrame, agents: pd.DataFrame, lang_group: np.ndarray) -> dict:
    """Per pool: each contact's true P(success) with that pool's agents (NaN: none speaks)."""
    activity = rows["activity_attempted"].fillna(ACTIVITIES[0]).to_numpy()
    loading = np.array([SKILL_LOADING[a] for a in activity])
    p_logged = np.array([rows[f"p_{a}"].iat[i] for i, a in enumerate(activity)], dtype=float)
    p_logged = np.clip(p_logged, 1e-6, 1 - 1e-6)
    base = np.log(p_logged / (1 - p_logged)) - rows["agent_skill"].to_numpy(float) * loading
    success = {}
    for pool, members in agents.groupby("pool"):
        p = np.full(len(rows), np.nan)
        for group in ("ja", "en"):
            skill = members.loc[members["languages"].str.contains(group), "true_skill"]
            at = lang_group == group
            if len(skill) and at.any():
                logit = base[at, None] + skill.to_numpy(float)[None, :] * loading[at, None]
                p[at] = (1 / (1 + np.exp(-logit))).mean(axis=1)
        success[pool] = p
    return success


@dataclass
class Replay:
    rows: pd.DataFrame  # the later part's agent-handled contacts with their truth
    openness: np.ndarray
    attempted: np.ndarray
    lang_group: np.ndarray
    success: dict  # pool -> true P(success) per contact (attempted contacts)
    logged: np.ndarray  # true P(success) with the agent who really handled it
    seats: dict  # (window, pool, language group) -> seats
    windows: np.ndarray  # each contact's capacity period (its start, as an integer)

    def run(self, pools: list[PoolState], control_group: bool, config: ReplayConfig) -> dict:
        rows, used = self.rows, {}
        bands = config.bands
        p = np.empty(len(rows))
        value_pool = fallback = over = 0
        value_pools = {s.pool_id for s in pools if s.is_value_pool}
        recent = RecentValues(config.rule.memory)  # as a freshly started worker has
        for i, row in enumerate(rows.itertuples(index=False)):
            key = (self.windows[i], self.lang_group[i])
            now = row.started_at
            states = [
                replace(
                    s,
                    free=self.seats.get((*key, s.pool_id), 0) - used.get((*key, s.pool_id), 0),
                    reported_at=now,
                )
                for s in pools
            ]
            score = float(self.openness[i])
            band = "high" if score >= bands[1] else "medium" if score >= bands[0] else "low"
            route = choose_route(
                states,
                band=band,
                score=score,
                clv=row.clv,
                language=row.language,
                channel=row.channel,
                control_group=control_group,
                rule=config.rule,
                now=now,
                recent=recent,
            )
            slot = (*key, route.pool)
            over += self.seats.get(slot, 0) - used.get(slot, 0) <= 0
            used[slot] = used.get(slot, 0) + 1
            fallback += route.fallback
            value_pool += route.pool in value_pools
            pool_p = self.success[route.pool][i] if route.pool in self.success else np.nan
            if not self.attempted[i]:
                pool_p = row.true_ve_success
            p[i] = pool_p if not np.isnan(pool_p) else self.logged[i]
        return _summary(p, self.attempted, rows["clv"].to_numpy(float), value_pool, fallback, over)


def _summary(p, attempted, clv, value_pool, fallback, over) -> dict:
    n = len(p)
    return {
        "contacts": n,
        "success_rate": float(np.nanmean(p)),
        "success_per_attempt": float(np.nanmean(p[attempted])) if attempted.any() else None,
        "retained_value_per_contact": float(np.nansum(p * clv) * RETENTION_GAIN_PER_SUCCESS / n),
        "value_pool_share": value_pool / n,
        "fallback_share": fallback / n,
        "over_capacity": int(over),
    }


def pool_states(roster: list[dict], report: SkillReport, min_attempts: int) -> list[PoolState]:
    """The demo pools as routing sees them, with skill measured on the earlier part."""
    skills = report.by_agent()
    states = []
    for pool in demo_pools(roster):
        measured = [skills[m["agent_id"]] for m in pool["members"] if m["agent_id"] in skills]
        members = [(a.attempts, a.information, a.estimate) for a in measured]
        states.append(
            PoolState(
                pool_id=pool["pool_id"],
                languages=frozenset(pool["languages"]),
                channels=frozenset(pool["channels"]),
                is_value_pool=pool["is_value_pool"],
                skill=pooled_skill(members, min_attempts),
            )
        )
    return states


def _true_mean(agents: pd.DataFrame, pool_id: str) -> float:
    return round(float(agents.loc[agents["pool"] == pool_id, "true_skill"].mean()), 4)


def split_by_time(interactions: pd.DataFrame, share: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not 0 < share < 1:
        raise ValueError(f"estimate_share must be between 0 and 1, got {share}")
    ordered = interactions.sort_values(["started_at", "interaction_id"], kind="stable")
    cut = int(len(ordered) * share)
    return ordered.iloc[:cut].reset_index(drop=True), ordered.iloc[cut:].reset_index(drop=True)


def fit_history_model(early: pd.DataFrame, outcomes: pd.DataFrame, params: dict | None = None):
    """A model trained on the earlier part only, as the service would have had then.

    `params` override training's LightGBM parameters (tests use a faster learning rate).
    """
    from features.spec import spec_as_dict
    from models.artifacts import ModelFiles
    from training.dataset import build_training_set
    from training.pipeline import fit_candidate

    candidate = fit_candidate(
        build_training_set(early, outcomes), params=params, interactions=early, references=False
    )
    return ModelFiles(
        candidate.fit.booster, spec_as_dict(), candidate.calibrator, candidate.text_model
    )


def build_replay(late, truth, agents, model, config: ReplayConfig) -> Replay:
    rows = late[late["agent_id"].notna()].merge(truth, on="interaction_id", how="inner")
    rows = rows.sort_values(["started_at", "interaction_id"], kind="stable").reset_index(drop=True)
    openness = predict(model, expand_activities(rows)).reshape(-1, len(ACTIVITIES)).max(axis=1)
    lang_group = np.where(rows["language"].str.lower().str.startswith("ja"), "ja", "en")
    attempted = rows["activity_attempted"].notna().to_numpy()
    activity = rows["activity_attempted"].fillna(ACTIVITIES[0])
    logged = np.array([rows[f"p_{a}"].iat[i] for i, a in enumerate(activity)], dtype=float)
    windows = rows["started_at"].dt.floor(config.window).dt.tz_convert(None).to_numpy()
    windows = windows.astype("datetime64[ns]").astype("int64")
    load = pd.Series(1, index=pd.MultiIndex.from_arrays([windows, lang_group, rows["pool"]]))
    load = load.groupby(level=[0, 1, 2]).sum()
    seats = {key: int(n + np.floor(n * config.seat_slack)) for key, n in load.items()}
    return Replay(
        rows=rows,
        openness=openness,
        attempted=attempted,
        lang_group=lang_group,
        success=pool_success(rows, agents, lang_group),
        logged=logged,
        seats=seats,
        windows=windows,
    )


def evaluate_routing(folder: Path | str, config: ReplayConfig, model=None) -> dict:
    """The replay's report: skill vs truth, and each policy's simulated results."""
    folder = Path(folder)
    interactions, outcomes, _ = read_import_dir(folder)
    truth = pd.read_csv(folder / "truth.csv")
    agents = pd.read_csv(folder / "agents.csv", keep_default_na=False)
    early, late = split_by_time(interactions, config.estimate_share)
    model = model or fit_history_model(early, outcomes)
    report, attempts = measure_skill(early, outcomes, model, config.min_attempts)
    replay = build_replay(late, truth, agents, model, config)
    states = pool_states(read_roster(folder / "agents.csv"), report, config.min_attempts)
    plain = replay.run(states, control_group=True, config=config)
    value = replay.run(states, control_group=False, config=config)
    return {
        "world": str(folder),
        "estimate_part": {"contacts": len(early), "attempts": len(attempts)},
        "skill": skill_vs_truth(report, agents),
        "pool_skill": {
            s.pool_id: {
                "measured": s.skill,
                "true_mean": _true_mean(agents, s.pool_id),
            }
            for s in states
            if s.pool_id in set(agents["pool"])
        },
        "replay": {"plain": plain, "value": value},
        "lift": {
            "success_rate_points": 100 * (value["success_rate"] - plain["success_rate"]),
            "success_rate_relative": value["success_rate"] / plain["success_rate"] - 1,
            "retained_value_relative": value["retained_value_per_contact"]
            / plain["retained_value_per_contact"]
            - 1,
        },
    }
