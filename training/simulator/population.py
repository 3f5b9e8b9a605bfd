"""The demo world's population: customers and their contacts with the contact centre.

Everything here is what a contact centre's systems would record, plus each contact's true
sentiment and reason and its agent's hidden skill. How customers respond to value
enhancement lives in `training.simulator.response`; this module only decides who calls, when,
about what, and (through `training.simulator.agents.route`) who answers.
"""

import hashlib

import numpy as np
import pandas as pd

from features.vocabulary import PERSONAS, PLAN_TIERS, SWITCHING_EFFORTS
from training.simulator.agents import AGENTLESS_POOL, channel_mode, route

WINDOW_START = np.datetime64("2025-01-06T00:00:00", "s")
WINDOW_DAYS = 182
# Fewer customers than contacts, with a skewed contact propensity, so some customers repeat.
CUSTOMERS_PER_INTERACTION = 0.65
CONTACT_PROPENSITY_SHAPE = 1.2

PERSONA_SHARES = (0.30, 0.35, 0.15, 0.20)
# Plan tier shares per persona (rows follow PERSONAS, columns PLAN_TIERS).
TIER_SHARES_BY_PERSONA = np.array(
    [
        [0.50, 0.38, 0.10, 0.02],
        [0.35, 0.45, 0.15, 0.05],
        [0.25, 0.40, 0.28, 0.07],
        [0.15, 0.30, 0.30, 0.25],
    ]
)
# Feature adoption approaches a per-customer ceiling (Beta a, b per persona) with a
# persona-specific time constant: enthusiasts explore fast, novices slowly.
ADOPTION_CEILING_BETA = ((3.0, 4.0), (5.0, 3.0), (8.0, 1.5), (6.0, 2.0))
ADOPTION_TAU_DAYS = (200.0, 120.0, 45.0, 80.0)
EXTRA_PRODUCTS_MEAN = (0.5, 1.0, 1.8, 2.8)  # Poisson mean per plan tier
MAX_PRODUCTS = 6
CLV_MEDIAN = (250.0, 700.0, 1800.0, 6000.0)  # per plan tier
CLV_LOG_SD = 0.6
HIGH_EFFORT_SHARE = (0.35, 0.50, 0.60, 0.80)  # bigger contracts are harder to leave
# Days from purchase to a customer's first contact: most call soon after buying.
PURCHASE_GAP_MIX = ((0.50, 20.0), (0.30, 120.0))  # (share, exponential mean); rest uniform
MAX_PURCHASE_GAP_DAYS = 540.0
BACKGROUND_CONTACTS_90D = 0.4  # contacts before the window, fading out over its first 90 days

LANGUAGE_SHARES = {
    "ja": 0.45,
    "en": 0.50,
    "en-GB": 0.015,
    "en-US": 0.01,
    "ko": 0.01,
    "zh-TW": 0.008,
    "es": 0.007,
}
CHANNEL_SHARES = {
    "phone": 0.27,
    "chat": 0.20,
    "email": 0.14,
    "sms": 0.05,
    "social": 0.04,
    "self_service": 0.10,
    "chatbot": 0.10,
    "forum": 0.03,
    "in_person": 0.07,
}
REASON_SHARES = {
    "inquiry": 0.26,
    "how_to": 0.17,
    "order_status": 0.11,
    "billing": 0.12,
    "technical_issue": 0.13,
    "complaint": 0.10,
    "cancellation": 0.05,
    "other": 0.06,
}
REASON_SENTIMENT = {
    "inquiry": 0.25,
    "how_to": 0.15,
    "order_status": 0.0,
    "billing": -0.15,
    "technical_issue": -0.2,
    "complaint": -0.55,
    "cancellation": -0.4,
    "other": 0.05,
}
SENTIMENT_SD = 0.35
ELAPSED_MEDIAN_SECONDS = {"sync": 75.0, "async": 600.0, "agentless": 40.0}

HOLDOUT_RATE = 0.10  # mirrors the service's default VALUE_ASSIST_HOLDOUT_RATE
HOLDOUT_SALT = "value-assist-holdout-v1"


def _draw(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    """n labels drawn with the given shares (normalised, so rounding never matters)."""
    labels = np.array(list(shares))
    weights = np.array(list(shares.values()), float)
    return labels[rng.choice(len(labels), n, p=weights / weights.sum())]


def draw_customers(n_customers: int, rng: np.random.Generator) -> pd.DataFrame:
    """Static customer traits; time-varying ones are computed per contact later."""
    persona = rng.choice(len(PERSONAS), n_customers, p=PERSONA_SHARES)
    tier_u = rng.random(n_customers)[:, None]
    tier = (tier_u > TIER_SHARES_BY_PERSONA.cumsum(axis=1)[persona]).sum(axis=1)
    tier = np.minimum(tier, len(PLAN_TIERS) - 1)
    beta_a, beta_b = np.array(ADOPTION_CEILING_BETA).T
    products = 1 + rng.poisson(np.array(EXTRA_PRODUCTS_MEAN)[tier])
    products = np.minimum(products, MAX_PRODUCTS)
    clv = np.array(CLV_MEDIAN)[tier] * np.exp(rng.normal(0, CLV_LOG_SD, n_customers))
    high_effort = rng.random(n_customers) < np.array(HIGH_EFFORT_SHARE)[tier]
    return pd.DataFrame(
        {
            "customer_id": [f"c-{k:06d}" for k in range(1, n_customers + 1)],
            "persona_idx": persona,
            "tier_idx": tier,
            "adoption_ceiling": rng.beta(beta_a[persona], beta_b[persona]),
            "adoption_tau": np.array(ADOPTION_TAU_DAYS)[persona]
            * rng.uniform(0.7, 1.3, n_customers),
            "products_owned": products,
            "clv": np.round(clv * (1 + 0.15 * (products - 1)), 2),
            "switching_effort": np.where(high_effort, SWITCHING_EFFORTS[0], SWITCHING_EFFORTS[1]),
            "language": _draw(rng, LANGUAGE_SHARES, n_customers),
            "purchase_gap": _purchase_gaps(n_customers, rng),
            "contact_propensity": rng.gamma(CONTACT_PROPENSITY_SHAPE, 1.0, n_customers),
        }
    )


def _purchase_gaps(n: int, rng: np.random.Generator) -> np.ndarray:
    """Days between purchase and first contact: a mixture skewed to the first weeks."""
    u = rng.random(n)
    gaps = rng.uniform(0, MAX_PURCHASE_GAP_DAYS, n)
    start = 0.0
    for share, mean in PURCHASE_GAP_MIX:
        chosen = (u >= start) & (u < start + share)
        gaps[chosen] = rng.exponential(mean, chosen.sum())
        start += share
    return np.minimum(gaps, MAX_PURCHASE_GAP_DAYS)


def _hash_unit(customer_id: str) -> float:
    """A stable number in [0, 1) per customer: the salted SHA-256 of its id."""
    digest = hashlib.sha256(f"{HOLDOUT_SALT}:{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_holdout(customer_ids: pd.Series) -> np.ndarray:
    """Deterministic 10 % holdout by customer, so a customer's contacts share one arm."""
    units = {cid: _hash_unit(cid) for cid in customer_ids.unique()}
    return customer_ids.map(units).to_numpy(float) < HOLDOUT_RATE


def draw_contacts(n: int, customers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """n contacts in time order with a point-in-time snapshot of the customer."""
    weights = customers["contact_propensity"].to_numpy()
    cust = rng.choice(len(customers), n, p=weights / weights.sum())
    hour = np.clip(rng.normal(13.5, 3.5, n), 0, 23.999)
    t_days = np.sort(rng.integers(0, WINDOW_DAYS, n) + hour / 24)
    first = np.full(len(customers), np.inf)
    np.minimum.at(first, cust, t_days)
    c = customers.iloc[cust].reset_index(drop=True)
    days = np.floor(c["purchase_gap"].to_numpy() + t_days - first[cust]).astype(int)
    adoption = c["adoption_ceiling"] * (1 - np.exp(-(days + 5) / c["adoption_tau"]))
    started = WINDOW_START + np.round(t_days * 86400).astype(np.int64).astype("timedelta64[s]")
    return pd.DataFrame(
        {
            "started_at": np.datetime_as_string(started, unit="s", timezone="UTC"),
            "customer_id": c["customer_id"],
            "days_since_purchase": days,
            "persona": np.array(PERSONAS)[c["persona_idx"]],
            "plan_tier": np.array(PLAN_TIERS)[c["tier_idx"]],
            "products_owned": c["products_owned"],
            "feature_adoption": np.round(np.clip(adoption, 0, 1), 3),
            "prior_contacts_90d": _prior_contacts(cust, t_days, rng),
            "clv": c["clv"],
            "switching_effort": c["switching_effort"],
            "language": c["language"],
            "channel": _draw(rng, CHANNEL_SHARES, n),
            "true_contact_reason": _draw(rng, REASON_SHARES, n),
        }
    )


def _prior_contacts(cust: np.ndarray, t_days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Contacts by the same customer in the 90 days before each contact (point in time).

    Keys `customer * span + time` keep each customer's contacts in one sorted run, with a
    gap of more than 90 days between runs, so one searchsorted counts them all. Contacts
    before the window are a Poisson term that fades over its first 90 days.
    """
    span = WINDOW_DAYS + 100.0
    key = cust * span + t_days
    sorted_keys = np.sort(key)
    earlier = np.searchsorted(sorted_keys, key, "left") - np.searchsorted(sorted_keys, key - 90)
    fade = np.clip(1 - t_days / 90, 0, 1)
    return earlier + rng.poisson(BACKGROUND_CONTACTS_90D * fade)


def add_context(
    contacts: pd.DataFrame, agents: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Sentiment, elapsed time and the handling agent for each contact (in place + returned)."""
    n = len(contacts)
    reason = contacts["true_contact_reason"].map(REASON_SENTIMENT).to_numpy(float)
    sentiment = np.clip(reason + rng.normal(0, SENTIMENT_SD, n), -1, 1)
    contacts["true_sentiment"] = np.round(sentiment, 2)
    channel = contacts["channel"].to_numpy(str)
    mode = channel_mode(channel)
    median = pd.Series(mode).map(ELAPSED_MEDIAN_SECONDS).to_numpy(float)
    contacts["elapsed_seconds"] = np.round(median * np.exp(rng.normal(0, 0.7, n))).astype(int)
    agent = route(channel, contacts["language"].to_numpy(str), agents, rng)
    has_agent = agent >= 0
    contacts["agent_idx"] = agent
    contacts["agent_id"] = np.where(has_agent, agents["agent_id"].to_numpy()[agent], None)
    contacts["pool"] = np.where(has_agent, agents["pool"].to_numpy()[agent], AGENTLESS_POOL)
    contacts["agent_skill"] = np.where(has_agent, agents["true_skill"].to_numpy()[agent], 0.0)
    contacts["channel_mode"] = mode
    contacts["holdout"] = in_holdout(contacts["customer_id"])
    return contacts
