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

from assist_api.services.routing.activity_skill import ActivitySkill
from assist_api.services.routing.agent_skill import SkillReport
from assist_api.services.routing.expected_success import (
    measure_activity_skill,
    measure_skill,
    predict,
)
from assist_api.services.routing.pool_skill import pooled_activity_skill, pooled_skill
from assist_api.services.routing.pool_state import PoolState, RoutingRule
from assist_api.services.routing.recent_values import RecentValues
from assist_api.services.routing.value import choose_route
from assist_api.services.studies.demo_pools import demo_pools, read_roster
from assist_api.services.studies.replay_figures import lift_with_interval, replay_summary
from assist_api.services.studies.routing_truth import (
    agent_free_logits,
    language_group,
    pool_success,
    pool_true_terms,
    true_agent_terms,
)
from assist_api.services.studies.skill_truth import activity_skill_vs_truth, skill_vs_truth
from features.frame import expand_activities
from features.vocabulary import ACTIVITIES
from training.dataset import read_import_dir


@dataclass(frozen=True)
class ReplayConfig:
    rule: RoutingRule
    bands: tuple[float, float] = (0.35, 0.55)
    min_attempts: int = 30
    estimate_share: float = 0.6  # the earlier part, where skill is measured
    window: str = "1D"  # capacity period (a pandas offset alias)
    seat_slack: float = 0.10  # seats per window: the pool's historical load plus this share


ARMS = ("plain", "value", "oracle")


@dataclass
class Replay:
    rows: pd.DataFrame  # the later part's agent-handled contacts with their truth
    estimated: np.ndarray  # (n, 5) the model's P(success) per activity, average agent
    attempted: np.ndarray
    lang_group: np.ndarray
    success: dict  # pool -> (n, 5) true P(success) per contact and activity
    oracle_terms: dict  # pool -> activity -> the members' mean true term
    logged: np.ndarray  # true P(success) with the agent who really handled it
    seats: dict  # (window, pool, language group) -> seats
    windows: np.ndarray  # each contact's capacity period (its start, as an integer)

    def _activity(self, i: int, pool: PoolState) -> int:
        """The card the agent follows: the best activity for this pool's agents, by the
        model's probabilities shifted by the pool's skills (measured; the oracle's: true)."""
        shift = np.array([pool.activity_skill.get(a, pool.skill or 0.0) for a in ACTIVITIES])
        p = np.clip(self.estimated[i], 1e-6, 1 - 1e-6)
        return int(np.argmax(np.log(p / (1 - p)) + shift))

    def run(self, pools: list[PoolState], arm: str, config: ReplayConfig) -> dict:
        """Route every contact in time order under `arm`; per-contact true P(success)."""
        if arm == "oracle":
            pools = [replace(s, activity_skill=self.oracle_terms.get(s.pool_id, {})) for s in pools]
        by_id = {s.pool_id: s for s in pools}
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
            probabilities = self.estimated[i]
            score = float(probabilities.max())
            band = "high" if score >= bands[1] else "medium" if score >= bands[0] else "low"
            route = choose_route(
                states,
                band=band,
                score=score,
                clv=row.clv,
                language=row.language,
                channel=row.channel,
                control_group=arm == "plain",
                rule=config.rule,
                now=now,
                recent=recent,
                probabilities=probabilities,
            )
            slot = (*key, route.pool)
            over += self.seats.get(slot, 0) - used.get(slot, 0) <= 0
            used[slot] = used.get(slot, 0) + 1
            fallback += route.fallback
            value_pool += route.pool in value_pools
            pool_p = np.nan
            if not self.attempted[i]:
                pool_p = row.true_ve_success
            elif route.pool in self.success and route.pool in by_id:
                pool_p = self.success[route.pool][i, self._activity(i, by_id[route.pool])]
            p[i] = pool_p if not np.isnan(pool_p) else self.logged[i]
        return {
            "p": p,
            "value_pool_share": value_pool / len(rows),
            "fallback_share": fallback / len(rows),
            "over_capacity": int(over),
        }


def pool_states(
    roster: list[dict],
    report: SkillReport,
    min_attempts: int,
    activity_skills: list[ActivitySkill] | None = None,
) -> list[PoolState]:
    """The demo pools as routing sees them, with skill measured on the earlier part."""
    skills = report.by_agent()
    by_agent: dict[str, dict] = {}
    for cell in activity_skills or ():
        if cell.activity is not None:
            by_agent.setdefault(cell.agent_id, {})[cell.activity] = {
                "attempts": cell.attempts,
                "skill": cell.skill,
            }
    states = []
    for pool in demo_pools(roster):
        ids = [m["agent_id"] for m in pool["members"]]
        measured = [skills[a] for a in ids if a in skills]
        members = [(a.attempts, a.information, a.estimate) for a in measured]
        cells = [by_agent[a] for a in ids if a in by_agent]
        states.append(
            PoolState(
                pool_id=pool["pool_id"],
                languages=frozenset(pool["languages"]),
                channels=frozenset(pool["channels"]),
                is_value_pool=pool["is_value_pool"],
                skill=pooled_skill(members, min_attempts),
                activity_skill=pooled_activity_skill(cells),
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
    estimated = predict(model, expand_activities(rows)).reshape(-1, len(ACTIVITIES))
    lang_group = language_group(rows["language"])
    attempted = rows["activity_attempted"].notna().to_numpy()
    activity = rows["activity_attempted"].fillna(ACTIVITIES[0])
    logged = np.array([rows[f"p_{a}"].iat[i] for i, a in enumerate(activity)], dtype=float)
    windows = rows["started_at"].dt.floor(config.window).dt.tz_convert(None).to_numpy()
    windows = windows.astype("datetime64[ns]").astype("int64")
    load = pd.Series(1, index=pd.MultiIndex.from_arrays([windows, lang_group, rows["pool"]]))
    load = load.groupby(level=[0, 1, 2]).sum()
    seats = {key: int(n + np.floor(n * config.seat_slack)) for key, n in load.items()}
    terms = true_agent_terms(agents)
    free = agent_free_logits(rows, terms)
    return Replay(
        rows=rows,
        estimated=estimated,
        attempted=attempted,
        lang_group=lang_group,
        success=pool_success(free, agents, terms, lang_group),
        oracle_terms=pool_true_terms(agents, terms),
        logged=logged,
        seats=seats,
        windows=windows,
    )


def evaluate_routing(folder: Path | str, config: ReplayConfig, model=None) -> dict:
    """The replay's report: skill vs truth, and each arm's results on the world's truth.

    Arms: `plain` (the routing control group: load balancing), `value` (value routing
    with measured per-activity skill), `oracle` (the same router and cards knowing every
    pool's true skills: the ceiling of routing on skill). In every arm the agent follows
    the card that is best for the routed pool's agents, by the model and that arm's skills.
    """
    folder = Path(folder)
    interactions, outcomes, _ = read_import_dir(folder)
    truth = pd.read_csv(folder / "truth.csv")
    agents = pd.read_csv(folder / "agents.csv", keep_default_na=False)
    early, late = split_by_time(interactions, config.estimate_share)
    model = model or fit_history_model(early, outcomes)
    report, attempts = measure_skill(early, outcomes, model, config.min_attempts)
    cells = measure_activity_skill(early, outcomes, config.min_attempts)
    replay = build_replay(late, truth, agents, model, config)
    states = pool_states(read_roster(folder / "agents.csv"), report, config.min_attempts, cells)
    runs = {arm: replay.run(states, arm, config) for arm in ARMS}
    clv = replay.rows["clv"].to_numpy(float)
    customers = replay.rows["customer_id"].to_numpy()
    summaries = {arm: replay_summary(run, replay.attempted, clv) for arm, run in runs.items()}
    plain = runs["plain"]["p"]
    return {
        "world": str(folder),
        "estimate_part": {"contacts": len(early), "attempts": len(attempts)},
        "skill": skill_vs_truth(report, agents),
        "activity_skill": activity_skill_vs_truth(cells, agents),
        "pool_skill": {
            s.pool_id: {
                "measured": s.skill,
                "by_activity": dict(s.activity_skill),
                "true_mean": _true_mean(agents, s.pool_id),
            }
            for s in states
            if s.pool_id in set(agents["pool"])
        },
        "replay": summaries,
        "lift": {
            arm: lift_with_interval(plain, runs[arm]["p"], clv, customers)
            for arm in ("value", "oracle")
        },
    }
