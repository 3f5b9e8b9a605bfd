"""The closed loop: the real service, in process, learning from its own decisions.

    result = run_closed_loop(LoopConfig(weeks=6), Path("data/loop"))

Day by day, a simulated world's customers contact the centre; each contact goes through
the real assist pipeline (features, model, eligible cards, exploration, decision log in a
real store), the agent follows the card shown first with a compliance rate, and the
world's truth decides the outcome, which is posted through the real outcome service.
Every `retrain_days` the model is retrained from the store (decision-time inputs, the
imported history beside them) and promoted only by the paired-bootstrap rule. The first
champion is trained on the imported history alone. Per week it reports the VE success of
offered contacts (observed, and its true expectation), the exploration share and the
champion — the data scientist's view of "is it getting better".
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from assist_api.services.learning.exploration import EXPLORE, HOLDOUT
from assist_api.services.studies.closed_loop_service import LoopService
from assist_api.services.studies.closed_loop_world import (
    Behaviour,
    outcome_for,
    request_for,
    true_values,
    truth_lookup,
)
from training.dataset import normalise_types
from training.simulator.world import simulate_world

DAY = timedelta(days=1)


@dataclass(frozen=True)
class LoopConfig:
    weeks: int = 6
    contacts_per_day: int = 200
    history: int = 5000  # imported contacts the first champion is trained on
    epsilon: float = 0.05
    holdout_rate: float = 0.10
    retrain_days: int = 7
    behaviour: Behaviour = Behaviour()
    seed: int = 0
    params: dict = field(default_factory=dict)  # LightGBM overrides (tests: tiny models)


@dataclass
class Week:
    week: int
    contacts: int
    offered: int
    surveyed_offered: int
    ve_success_offered: float | None  # observed, among surveyed offered contacts
    true_success_offered: float  # mean true V of the card shown first, offered contacts
    explore_share: float  # explore arm / non-holdout decisions
    champion: str
    promotion: str = ""


@dataclass
class LoopResult:
    service: LoopService
    weeks: list[Week] = field(default_factory=list)
    values: dict[str, dict] = field(default_factory=dict)  # interaction -> {card: true V}
    shown_first_value: dict[str, float] = field(default_factory=dict)  # offered contacts
    greedy_value: dict[str, float] = field(default_factory=dict)  # V of the model's top card
    customer: dict[str, str] = field(default_factory=dict)  # interaction -> customer
    surveyed_customers: list[str] = field(default_factory=list)  # offered and surveyed
    surveyed_success: list[float] = field(default_factory=list)


def run_closed_loop(config: LoopConfig, folder: Path) -> LoopResult:
    per_day = config.contacts_per_day
    world = simulate_world(config.history + config.weeks * 7 * per_day, seed=config.seed)
    history = normalise_types(world.interactions.iloc[: config.history]).reset_index(drop=True)
    in_history = world.outcomes["interaction_id"].isin(set(history["interaction_id"]))
    history_outcomes = normalise_types(world.outcomes[in_history]).reset_index(drop=True)
    live = world.interactions.iloc[config.history :].to_dict("records")
    truth = truth_lookup(world.truth)
    start = pd.Timestamp(history["started_at"].max()).to_pydatetime() + DAY
    service = LoopService.open(Path(folder), config, start)
    service.train_first(history, history_outcomes)
    result = LoopResult(service)
    rows: list[dict] = []
    for day in range(config.weeks * 7):
        for k, row in enumerate(live[day * per_day : (day + 1) * per_day]):
            service.clock.now = start + day * DAY + k * DAY / per_day
            answer = service.answer(request_for(row))
            # one stream per contact: runs that differ only in their policy share the draws
            rng = np.random.default_rng([config.seed, day, k])
            contact_truth = truth[row["interaction_id"]]
            post, success, answered = outcome_for(answer, contact_truth, config.behaviour, rng)
            service.record(post)
            rows.append(_observe(result, row, answer, contact_truth, config, success, answered))
        if (day + 1) % config.retrain_days == 0:
            service.clock.now = start + (day + 1) * DAY
            promotion = service.retrain(history, history_outcomes)
            result.weeks.append(_week(len(result.weeks) + 1, rows, service.version, promotion))
            rows = []
    return result


def _observe(result, row, answer, truth, config, success, answered) -> dict:
    arm = answer["policy"]["arm"]
    offered = arm != HOLDOUT and bool(answer["cards"])
    value = None
    if offered:
        interaction_id = answer["interaction_id"]
        eligible = [card_id for card_id, _w, _p in result.service.last_eligible()]
        values = true_values(truth, eligible, config.behaviour).tolist()
        result.values[interaction_id] = dict(zip(eligible, values, strict=True))
        value = result.values[interaction_id][answer["cards"][0]["card_id"]]
        result.shown_first_value[interaction_id] = value
        result.greedy_value[interaction_id] = values[0]  # eligible cards are best first
        result.customer[interaction_id] = row["customer_id"]
        if answered:
            result.surveyed_customers.append(row["customer_id"])
            result.surveyed_success.append(float(success))
    return {"arm": arm, "value": value, "success": success, "answered": answered}


def _mean(values) -> float:
    return float(np.mean(values)) if len(values) else float("nan")


def _week(number: int, rows: list[dict], champion: str, promotion: str) -> Week:
    offered = [r for r in rows if r["value"] is not None]
    surveyed = [r["success"] for r in offered if r["answered"]]
    served = [r["arm"] == EXPLORE for r in rows if r["arm"] != HOLDOUT]
    return Week(
        week=number,
        contacts=len(rows),
        offered=len(offered),
        surveyed_offered=len(surveyed),
        ve_success_offered=_mean(surveyed) if surveyed else None,
        true_success_offered=_mean([r["value"] for r in offered]),
        explore_share=_mean(served) if served else 0.0,
        champion=champion,
        promotion=promotion,
    )


def week_table(weeks: list[Week]) -> list[str]:
    """The per-week lines `value-assist simulate --closed-loop` prints."""
    lines = [
        f"{'week':>4} {'contacts':>8} {'offered':>7} {'VE success offered (surveyed)':>29} "
        f"{'true expected':>13} {'explore':>7} {'champion':>8}  retrain"
    ]
    for w in weeks:
        seen = "-"
        if w.ve_success_offered is not None:
            seen = f"{w.ve_success_offered:.3f} (n={w.surveyed_offered})"
        lines.append(
            f"{w.week:>4} {w.contacts:>8} {w.offered:>7} {seen:>29} "
            f"{w.true_success_offered:>13.3f} {100 * w.explore_share:>6.1f}% "
            f"{'v' + w.champion:>8}  {w.promotion}"
        )
    return lines
