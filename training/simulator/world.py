"""A seeded demo world of a contact centre, in the import format (CONTRACT.md).

    world = simulate_world(100_000, seed=1)
    write_world(world, Path("data/demo"))  # interactions, outcomes, truth, agents .csv

`interactions` and `outcomes` are what a real contact centre would export; `truth` holds
the simulator's true probabilities per interaction and `agents` each agent's true skill,
for evaluation only (training never reads them). The steps each draw from their own
random stream, so changing one step (say, the transcripts) leaves the others' draws as
they were:

    agents, pools, routing           training.simulator.agents
    customers and their contacts     training.simulator.population
    customer transcripts             training.simulator.transcripts
    true response + logging policy   training.simulator.response
    survey, retention, wallet, time  training.simulator.outcomes
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features.columns import INTERACTION_COLUMN_NAMES, OUTCOME_COLUMN_NAMES
from features.vocabulary import ACTIVITIES
from training.simulator.agents import add_activity_skills, draw_agents
from training.simulator.customer_outcomes import (
    CUSTOMER_TRUTH_COLUMNS,
    RETENTION_UNITS,
    apply_customer_outcomes,
)
from training.simulator.outcomes import draw_outcomes, retention_rates
from training.simulator.population import (
    CUSTOMERS_PER_INTERACTION,
    add_context,
    draw_contacts,
    draw_customers,
)
from training.simulator.response import SKILL_LOADING, add_activity_context, handle
from training.simulator.transcripts import draw_transcripts

STREAMS = (
    "customers",
    "agents",
    "contacts",
    "context",
    "transcripts",
    "policy",
    "outcomes",
    "masking",
    "customer_outcomes",  # appended last, so the streams above draw as they always did
    "activity_skill",  # likewise: worlds without it draw exactly as before
)
# contact_reason is left empty on a share of rows so it must be inferred from the transcript.
EMPTY_REASON_RATE = 0.30
EMPTY_SENTIMENT_RATE = 0.20
TRUTH_COLUMNS = (
    "interaction_id",
    "true_contact_reason",
    "true_customer_sentiment",
    *(f"p_{a}" for a in ACTIVITIES),
    "best_activity",
    "p_success_offered",
    "p_success_holdout",
    "retention_effect",
    "agent_skill",
    "true_ve_success",
)
FILE_NAMES = {
    "interactions": "interactions.csv",
    "outcomes": "outcomes.csv",
    "truth": "truth.csv",
    "agents": "agents.csv",
    "customer_truth": "customer_truth.csv",
}


@dataclass
class World:
    """The tables of a demo world; `truth`, `agents` and `customer_truth` are for
    evaluation only (`customer_truth`: one row per customer, training.simulator.
    customer_outcomes — the truth to compare customer-level figures with)."""

    interactions: pd.DataFrame
    outcomes: pd.DataFrame
    truth: pd.DataFrame
    agents: pd.DataFrame
    customer_truth: pd.DataFrame


def simulate_world(
    n_interactions: int,
    seed: int = 0,
    *,
    retention_unit: str = "customer",
    customers_per_interaction: float = CUSTOMERS_PER_INTERACTION,
    activity_skill: bool = False,
) -> World:
    """A world of `n_interactions` contacts in time order; the same seed gives the same world.

    `retention_unit="customer"` (the default, as in a real contact centre): retention and
    wallet change are drawn once per customer from whether any of their contacts ended in
    VE success; "contact" draws them per contact as earlier versions did. Fewer
    `customers_per_interaction` means more contacts per customer. `activity_skill`: agents
    differ by activity, not only overall (an agent x activity skill matrix with training
    gates: training.simulator.agents.add_activity_skills).
    """
    if n_interactions < 1:
        raise ValueError(f"n_interactions must be at least 1, got {n_interactions}")
    if retention_unit not in RETENTION_UNITS:
        raise ValueError(f"retention_unit must be one of {RETENTION_UNITS}, got {retention_unit!r}")
    if not 0 < customers_per_interaction <= 1:
        raise ValueError(
            f"customers_per_interaction must be in (0, 1], got {customers_per_interaction}"
        )
    seeds = np.random.SeedSequence(seed).spawn(len(STREAMS))
    rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, seeds, strict=True)}
    n_customers = max(1, round(n_interactions * customers_per_interaction))
    customers = draw_customers(n_customers, rng["customers"])
    agents = draw_agents(rng["agents"])
    if activity_skill:
        agents = add_activity_skills(agents, SKILL_LOADING, rng["activity_skill"])
    ctx = draw_contacts(n_interactions, customers, rng["contacts"])
    ctx.insert(0, "interaction_id", [f"i-{k:07d}" for k in range(1, n_interactions + 1)])
    add_context(ctx, agents, rng["context"])
    if activity_skill:
        add_activity_context(ctx, agents)
    ctx["transcript"] = draw_transcripts(ctx, rng["transcripts"])
    agent_idx = ctx["agent_idx"].to_numpy()
    propensity = np.where(agent_idx >= 0, agents["card_propensity"].to_numpy()[agent_idx], 1.0)
    handled = handle(ctx, propensity, rng["policy"])
    outcomes, success = draw_outcomes(ctx, handled, rng["outcomes"])
    truth = _truth(ctx, handled, success)
    customer_truth = pd.DataFrame(columns=list(CUSTOMER_TRUTH_COLUMNS))
    if retention_unit == "customer":
        customer_truth = apply_customer_outcomes(
            ctx, handled, outcomes, success, rng["customer_outcomes"]
        )
        # A customer fact: each contact shows its customer's effect (count it once per
        # customer — customer_truth — never sum it over contacts).
        effect = customer_truth.set_index("customer_id")["retention_effect"]
        truth["retention_effect"] = ctx["customer_id"].map(effect).to_numpy()
    return World(
        interactions=_interactions(ctx, handled, rng["masking"]),
        outcomes=outcomes[list(OUTCOME_COLUMN_NAMES)],
        truth=truth,
        agents=agents,
        customer_truth=customer_truth,
    )


def _interactions(
    ctx: pd.DataFrame, handled: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """The import-format view: hides what a real export would not know."""
    n = len(ctx)
    frame = ctx.copy()
    frame["contact_reason"] = ctx["true_contact_reason"].mask(rng.random(n) < EMPTY_REASON_RATE)
    frame["customer_sentiment"] = ctx["true_sentiment"].mask(rng.random(n) < EMPTY_SENTIMENT_RATE)
    activity = handled["activity_idx"].to_numpy()
    frame["activity_attempted"] = np.where(activity >= 0, np.array(ACTIVITIES)[activity], None)
    return frame[list(INTERACTION_COLUMN_NAMES)]


def _truth(ctx: pd.DataFrame, handled: pd.DataFrame, success: np.ndarray) -> pd.DataFrame:
    without_ve, with_ve = retention_rates(ctx["switching_effort"])
    offer_gain = handled["p_success_offered"] - handled["p_success_holdout"]
    frame = handled.assign(
        interaction_id=ctx["interaction_id"],
        true_contact_reason=ctx["true_contact_reason"],
        true_customer_sentiment=ctx["true_sentiment"],
        retention_effect=np.round((with_ve - without_ve) * offer_gain, 5),
        agent_skill=ctx["agent_skill"],
        true_ve_success=success,
    )
    return frame[list(TRUTH_COLUMNS)]


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as true/false (empty when unknown), everything else as pandas writes it."""
    out = frame.copy()
    for name in out.columns:
        if pd.api.types.is_bool_dtype(out[name]):
            out[name] = out[name].map({True: "true", False: "false"})
    return out


def write_world(world: World, out_dir: Path) -> dict[str, Path]:
    """Write the world as UTF-8 CSVs with a header row; returns {table: path}.

    Multi-line transcripts are quoted by the CSV writer and read back exactly by any
    CSV reader (e.g. `pd.read_csv(path, keep_default_na=False)`).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for table, file_name in FILE_NAMES.items():
        path = out_dir / file_name
        _csv_ready(getattr(world, table)).to_csv(
            path, index=False, encoding="utf-8", lineterminator="\n"
        )
        paths[table] = path
    return paths
