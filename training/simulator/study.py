"""Small worlds for statistical studies: the demo world's steps, without transcripts.

Replicating a world hundreds of times (interval coverage) needs only who called, what was
done and what happened; transcripts enter no outcome, so they are skipped and a
4,000-contact world takes a fraction of a second. Retention and wallet change are customer
facts here (training.simulator.customer_outcomes), and `customers_per_interaction` sets how many
contacts each customer has (0.35: about three per customer seen).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.columns import INTERACTION_COLUMN_NAMES, OUTCOME_COLUMN_NAMES
from features.vocabulary import ACTIVITIES
from training.simulator.agents import draw_agents
from training.simulator.customer_outcomes import apply_customer_outcomes
from training.simulator.outcomes import draw_outcomes
from training.simulator.population import add_context, draw_contacts, draw_customers
from training.simulator.response import handle

STREAMS = (
    "customers",
    "agents",
    "contacts",
    "context",
    "policy",
    "outcomes",
    "customer",
    "openness",
)


@dataclass
class StudyWorld:
    interactions: pd.DataFrame
    outcomes: pd.DataFrame
    truth: pd.DataFrame  # per contact: p_success_offered, p_success_holdout
    customer_truth: pd.DataFrame  # per customer: retention_effect, wallet_effect, clv, ...


def outcome_world(
    n_interactions: int,
    seed: int,
    customers_per_interaction: float,
    customer_openness_sd: float = 0.0,
) -> StudyWorld:
    """A world of `n_interactions` contacts; `customer_openness_sd` > 0 adds a hidden
    per-customer term to the VE success logit (N(0, sd)), so a customer's contacts are
    correlated — the case where intervals that treat contacts as independent are too
    narrow."""
    seeds = np.random.SeedSequence(seed).spawn(len(STREAMS))
    rng = {name: np.random.default_rng(s) for name, s in zip(STREAMS, seeds, strict=True)}
    customers = draw_customers(
        max(1, round(n_interactions * customers_per_interaction)), rng["customers"]
    )
    agents = draw_agents(rng["agents"])
    ctx = draw_contacts(n_interactions, customers, rng["contacts"])
    ctx.insert(0, "interaction_id", [f"i-{k:07d}" for k in range(1, n_interactions + 1)])
    add_context(ctx, agents, rng["context"])
    if customer_openness_sd:
        codes, ids = pd.factorize(ctx["customer_id"])
        ctx["customer_openness"] = rng["openness"].normal(0, customer_openness_sd, ids.size)[codes]
    agent_idx = ctx["agent_idx"].to_numpy()
    propensity = np.where(agent_idx >= 0, agents["card_propensity"].to_numpy()[agent_idx], 1.0)
    handled = handle(ctx, propensity, rng["policy"])
    outcomes, success = draw_outcomes(ctx, handled, rng["outcomes"])
    customer_truth = apply_customer_outcomes(ctx, handled, outcomes, success, rng["customer"])
    frame = ctx.copy()
    frame["contact_reason"] = ctx["true_contact_reason"]
    frame["customer_sentiment"] = ctx["true_sentiment"]
    frame["transcript"] = ""
    activity = handled["activity_idx"].to_numpy()
    frame["activity_attempted"] = np.where(activity >= 0, np.array(ACTIVITIES)[activity], None)
    truth = handled[["p_success_offered", "p_success_holdout"]].assign(
        interaction_id=ctx["interaction_id"]
    )
    return StudyWorld(
        interactions=frame[list(INTERACTION_COLUMN_NAMES)],
        outcomes=outcomes[list(OUTCOME_COLUMN_NAMES)],
        truth=truth,
        customer_truth=customer_truth,
    )
