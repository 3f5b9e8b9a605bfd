"""The world side of the closed loop: contacts as requests, agents, outcomes, true values.

A simulated world (training.simulator) supplies each contact's import-format record and
its truth: the true P(success) of each activity, and of the world's own agents when they
do as they always did (`p_success_offered`) or see no cards (`p_success_holdout`).
In the loop an agent follows the card shown first with probability `compliance`;
otherwise they behave as the world's agents do. So the true value of showing card `a`
first is

    V(x, a) = compliance * p_activity(a)(x) + (1 - compliance) * p_success_offered(x)

and a policy's true value on a set of decisions is the mean of sum_a pi(a | x) V(x, a).
Survey answers arrive at random (`survey_rate`), independent of everything else.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.columns import CUSTOMER_COLUMN_NAMES
from features.vocabulary import ACTIVITIES

CUSTOMER_FIELDS = CUSTOMER_COLUMN_NAMES
INTEGER_FIELDS = ("days_since_purchase", "products_owned", "prior_contacts_90d")
SUCCESS_ITEMS, FAILURE_ITEMS = (6, 6), (4, 5)  # VES answers: both >= 5 is success


@dataclass(frozen=True)
class Behaviour:
    compliance: float = 0.7  # share of contacts where the agent uses the card shown first
    survey_rate: float = 0.6  # share of contacts whose customer answers the VES items


def request_for(row: dict) -> dict:
    """An import-format interaction as the /v1/assist request an agent desktop sends."""
    customer = {name: row[name] for name in CUSTOMER_FIELDS}
    for name in INTEGER_FIELDS:
        customer[name] = int(customer[name])
    customer["feature_adoption"], customer["clv"] = (
        float(customer["feature_adoption"]),
        float(customer["clv"]),
    )
    body = {
        "interaction_id": row["interaction_id"],
        "customer": customer,
        "channel": row["channel"],
        "language": row["language"],
        "transcript": [line for line in str(row["transcript"] or "").split("\n") if line],
    }
    if isinstance(row.get("contact_reason"), str) and row["contact_reason"]:
        body["contact_reason"] = row["contact_reason"]
    for name in ("customer_sentiment", "elapsed_seconds"):
        if pd.notna(row.get(name)):
            body[name] = float(row[name])
    if isinstance(row.get("agent_id"), str):
        body["agent_id"] = row["agent_id"]
    return body


def true_values(truth: dict, card_ids, behaviour: Behaviour) -> np.ndarray:
    """V(x, card) for each card id (see the module docstring)."""
    p = np.array([truth[f"p_{card.split('.', 1)[0]}"] for card in card_ids], float)
    return behaviour.compliance * p + (1 - behaviour.compliance) * truth["p_success_offered"]


def outcome_for(
    answer: dict, truth: dict, behaviour: Behaviour, rng: np.random.Generator
) -> tuple[dict, bool, bool]:
    """(outcome post, VE success, survey answered) for one answered contact."""
    post = {"interaction_id": answer["interaction_id"]}
    cards = answer["cards"]
    if answer["holdout"] or not cards:
        p = truth["p_success_holdout"] if answer["holdout"] else truth["p_success_offered"]
    elif rng.random() < behaviour.compliance:
        post["card_id_used"] = cards[0]["card_id"]
        p = truth[f"p_{cards[0]['activity']}"]
    else:
        p = truth["p_success_offered"]
    success = bool(rng.random() < p)
    answered = bool(rng.random() < behaviour.survey_rate)
    if answered:
        post["ves_confidence"], post["ves_ability"] = SUCCESS_ITEMS if success else FAILURE_ITEMS
    return post, success, answered


def truth_lookup(truth: pd.DataFrame) -> dict[str, dict]:
    columns = ["interaction_id", "p_success_offered", "p_success_holdout"]
    columns += [f"p_{a}" for a in ACTIVITIES]
    return {row["interaction_id"]: row for row in truth[columns].to_dict("records")}
