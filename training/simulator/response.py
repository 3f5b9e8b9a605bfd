"""The demo world's ground truth: who responds to which value-enhancement activity.

A logistic model gives, for every contact and each of the five activities, the true
probability that a VE attempt with that activity succeeds (both VES items >= 5). The
activity x customer terms are what make the right card matter; they use thresholds and
bumps so a model has to learn shapes, not just signs. The agent's skill adds a moderate
term, so a model without agent features can still come close to the oracle.

The logging policy is imperfect on purpose: on ordinary contacts agents try a card on
35-50 % of contacts and pick the activity from a noisy read of the truth; on holdout
contacts (no cards) a few agents try VE on their own with a near-random activity.
"""

import numpy as np
import pandas as pd

from features.vocabulary import ACTIVITIES

INTERCEPT = -0.6
# Questions are the best opening for VE, complaints and cancellations the worst (DOMAIN.md).
REASON_BASE = {
    "inquiry": 0.3,
    "how_to": 0.2,
    "order_status": -0.4,
    "billing": -0.5,
    "technical_issue": -0.3,
    "complaint": -1.3,
    "cancellation": -1.4,
    "other": -0.5,
}
SENTIMENT_WEIGHT = 0.7
MODE_EFFECT = {"sync": 0.3, "async": -0.3, "agentless": -0.6}
PRIOR_CONTACT_PENALTY = 0.12  # per contact beyond the first, capped: repeat callers are tired
PRIOR_CONTACT_CAP = 4
# Educating and advising are the hardest activities and depend most on the agent.
ACTIVITY_BASE = {
    "validate_purchase": 0.0,
    "anticipate_needs": -0.2,
    "achieve_goals": -0.1,
    "educate_usage": -0.3,
    "advise_new_features": -0.4,
}
SKILL_LOADING = {
    "validate_purchase": 0.8,
    "anticipate_needs": 1.0,
    "achieve_goals": 1.0,
    "educate_usage": 1.3,
    "advise_new_features": 1.3,
}
NO_ATTEMPT_OFFSET = -2.3  # a good contact can leave customers confident even without VE

# Logging policy. Attempt rates follow the agent's (true) reading of the contact reason.
ATTEMPT_RATE = {
    "inquiry": 0.58,
    "how_to": 0.56,
    "order_status": 0.40,
    "billing": 0.36,
    "technical_issue": 0.42,
    "complaint": 0.22,
    "cancellation": 0.28,
    "other": 0.38,
}
AGENTLESS_ATTEMPT_FACTOR = 0.5  # self-service pages show a card less often than agents use one
ORGANIC_ATTEMPT_RATE = 0.12  # holdout: no cards, some agents enhance value on their own
MAX_ATTEMPT_RATE = 0.95
# Choice = explore/5 + (1 - explore) * softmax(beta * (true logit + N(0, noise_sd))).
CARD_CHOICE = {"noise_sd": 0.8, "beta": 1.2, "explore": 0.35}
ORGANIC_CHOICE = {"noise_sd": 1.0, "beta": 0.4, "explore": 0.7}


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def bump(x: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-(((x - centre) / width) ** 2))


def activity_fit(ctx: pd.DataFrame) -> np.ndarray:
    """(n, 5) logit terms for how well each activity suits this customer and reason.

    validate_purchase: right after purchase (threshold near 30 days) and for novices.
    anticipate_needs: more products, a bump around four months after purchase.
    achieve_goals: pragmatists/professionals, questions, mid adoption.
    educate_usage: low adoption (convex), how-to and technical problems.
    advise_new_features: high adoption (threshold near 0.6), keen personas, bigger plans.
    """
    days = ctx["days_since_purchase"].to_numpy(float)
    adoption = ctx["feature_adoption"].to_numpy(float)
    products = ctx["products_owned"].to_numpy(float)
    persona = ctx["persona"].to_numpy(str)
    tier = ctx["plan_tier"].to_numpy(str)
    reason = ctx["true_contact_reason"].to_numpy(str)
    novice = persona == "novice"
    question = np.isin(reason, ["inquiry", "how_to"])
    columns = {
        "validate_purchase": 1.4 * sigmoid((30 - days) / 6)
        + 0.5 * novice
        + 0.2 * (persona == "pragmatist")
        - 0.6 * np.minimum(days, 720) / 720,
        "anticipate_needs": 0.3 * (products - 1)
        + 0.9 * bump(np.log1p(days), np.log(120), 0.6)
        - 0.5,
        "achieve_goals": 0.5 * np.isin(persona, ["pragmatist", "professional"])
        + 0.4 * question
        + 0.9 * bump(adoption, 0.45, 0.18)
        - 0.5,
        "educate_usage": 1.6 * (1 - adoption) ** 2
        + 0.2 * novice
        - 0.7
        + 0.6 * np.isin(reason, ["how_to", "technical_issue"]),
        "advise_new_features": 1.4 * sigmoid((adoption - 0.6) / 0.07)
        + 0.4 * np.isin(persona, ["enthusiast", "professional"])
        + 0.4 * np.isin(tier, ["premium", "enterprise"])
        - 0.6,
    }
    return np.column_stack([columns[a] for a in ACTIVITIES])


def openness_logit(ctx: pd.DataFrame) -> np.ndarray:
    """The activity-free part of the logit: reason, sentiment, channel, repeat contacts, and
    (study worlds only, training.simulator.study) a hidden per-customer openness, which
    makes one customer's contacts succeed or fail together."""
    prior = np.minimum(
        np.maximum(ctx["prior_contacts_90d"].to_numpy(float) - 1, 0), PRIOR_CONTACT_CAP
    )
    customer = ctx["customer_openness"].to_numpy(float) if "customer_openness" in ctx else 0.0
    return (
        customer
        + INTERCEPT
        + ctx["true_contact_reason"].map(REASON_BASE).to_numpy(float)
        + SENTIMENT_WEIGHT * ctx["true_sentiment"].to_numpy(float)
        + ctx["channel_mode"].map(MODE_EFFECT).to_numpy(float)
        - PRIOR_CONTACT_PENALTY * prior
    )


def add_activity_context(ctx: pd.DataFrame, agents: pd.DataFrame) -> pd.DataFrame:
    """The handling agent's per-activity terms on each contact (0 without an agent)."""
    agent = ctx["agent_idx"].to_numpy()
    for activity in ACTIVITIES:
        term = agents[f"skill_{activity}"].to_numpy(float)
        ctx[f"agent_skill_{activity}"] = np.where(agent >= 0, term[agent], 0.0)
    return ctx


def agent_terms(ctx: pd.DataFrame) -> np.ndarray:
    """(n, 5) the handling agent's term on each activity's log-odds.

    In a world with per-activity skill the agent has a term per activity; otherwise one
    skill, loaded more on the activities that depend most on the agent."""
    if f"agent_skill_{ACTIVITIES[0]}" in ctx.columns:
        return np.column_stack([ctx[f"agent_skill_{a}"].to_numpy(float) for a in ACTIVITIES])
    loading = np.array([SKILL_LOADING[a] for a in ACTIVITIES])
    return ctx["agent_skill"].to_numpy(float)[:, None] * loading


def agent_free_logits(ctx: pd.DataFrame) -> np.ndarray:
    """(n, 5) true logits of VE success with an average agent (every agent term zero)."""
    base = np.array([ACTIVITY_BASE[a] for a in ACTIVITIES])
    return openness_logit(ctx)[:, None] + base + activity_fit(ctx)


def success_logits(ctx: pd.DataFrame) -> np.ndarray:
    """(n, 5) true logits of VE success for each activity, including the agent's skill."""
    return agent_free_logits(ctx) + agent_terms(ctx)


def no_attempt_probability(ctx: pd.DataFrame) -> np.ndarray:
    """P(VE success) when nobody tries: low, but higher on good contacts."""
    return sigmoid(openness_logit(ctx) + NO_ATTEMPT_OFFSET)


def choice_probabilities(
    logits: np.ndarray, rng: np.random.Generator, noise_sd: float, beta: float, explore: float
) -> np.ndarray:
    """(n, 5) probabilities of picking each activity from a noisy read of the truth."""
    perceived = beta * (logits + rng.normal(0, noise_sd, logits.shape))
    perceived -= perceived.max(axis=1, keepdims=True)
    soft = np.exp(perceived)
    soft /= soft.sum(axis=1, keepdims=True)
    return explore / logits.shape[1] + (1 - explore) * soft


def attempt_rates(ctx: pd.DataFrame, card_propensity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(with cards, holdout) probability that VE is attempted at all on each contact."""
    agentless = ctx["channel_mode"].to_numpy(str) == "agentless"
    offered = ctx["true_contact_reason"].map(ATTEMPT_RATE).to_numpy(float) * card_propensity
    offered = np.minimum(
        np.where(agentless, offered * AGENTLESS_ATTEMPT_FACTOR, offered), MAX_ATTEMPT_RATE
    )
    organic = np.where(agentless, 0.0, ORGANIC_ATTEMPT_RATE)
    return offered, organic


def _pick(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One column index per row, drawn from each row's probabilities."""
    cumulative = probabilities.cumsum(axis=1)
    u = rng.random(len(probabilities))[:, None] * cumulative[:, -1:]
    return np.minimum((u > cumulative).sum(axis=1), probabilities.shape[1] - 1)


def handle(
    ctx: pd.DataFrame, card_propensity: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """What happened on each contact, and what would have happened under each policy.

    Returns per contact: `activity_idx` (-1: no attempt), `p_attempted` (true P(success)
    of what was done), `p_<activity>`, `p_success_offered` and `p_success_holdout` (the
    success probability under the card policy vs the holdout policy, given this agent's
    read of the contact), and `best_activity`.
    """
    logits = success_logits(ctx)
    p_activity = sigmoid(logits)
    p_none = no_attempt_probability(ctx)
    rate_offered, rate_organic = attempt_rates(ctx, card_propensity)
    choice_offered = choice_probabilities(logits, rng, **CARD_CHOICE)
    choice_organic = choice_probabilities(logits, rng, **ORGANIC_CHOICE)
    p_offered = rate_offered * (choice_offered * p_activity).sum(1) + (1 - rate_offered) * p_none
    p_holdout = rate_organic * (choice_organic * p_activity).sum(1) + (1 - rate_organic) * p_none
    holdout = ctx["holdout"].to_numpy(bool)
    attempted = rng.random(len(ctx)) < np.where(holdout, rate_organic, rate_offered)
    chosen = _pick(np.where(holdout[:, None], choice_organic, choice_offered), rng)
    activity_idx = np.where(attempted, chosen, -1)
    p_attempted = np.where(attempted, p_activity[np.arange(len(ctx)), chosen], p_none)
    result = pd.DataFrame(np.round(p_activity, 5), columns=[f"p_{a}" for a in ACTIVITIES])
    result.insert(0, "activity_idx", activity_idx)
    result["p_attempted"] = p_attempted
    result["best_activity"] = np.array(ACTIVITIES)[p_activity.argmax(axis=1)]
    result["p_success_offered"] = np.round(p_offered, 5)
    result["p_success_holdout"] = np.round(p_holdout, 5)
    return result
