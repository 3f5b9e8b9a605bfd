"""The demo world's population: customers, agents and the contacts between them.

Everything here is what a contact centre's systems would record (plus each agent's hidden
skill and each contact's true sentiment and reason). How customers respond to value
enhancement lives in `training.sim_response`; this module only decides who calls, when,
about what, and who answers.
"""

import hashlib

import numpy as np
import pandas as pd

from features.vocabulary import (
    AGENTLESS_CHANNELS,
    PERSONAS,
    PLAN_TIERS,
    SWITCHING_EFFORTS,
    SYNCHRONOUS_CHANNELS,
)

WINDOW_START = np.datetime64("2025-01-06T00:00:00", "s")
WINDOW_DAYS = 182
# Fewer customers than contacts, with a skewed contact propensity, so some customers repeat.
CUSTOMERS_PER_INTERACTION = 0.65
CONTACT_PROPENSITY_SHAPE = 0.8

PERSONA_SHARES = (0.30, 0.35, 0.15, 0.20)
# Plan tier shares per persona (rows follow PERSONAS, columns PLAN_TIERS).
TIER_SHARES_BY_PERSONA = np.array(
    [[0.50, 0.38, 0.10, 0.02], [0.35, 0.45, 0.15, 0.05],
     [0.25, 0.40, 0.28, 0.07], [0.15, 0.30, 0.30, 0.25]]
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

LANGUAGE_SHARES = {"ja": 0.45, "en": 0.50, "en-GB": 0.015, "en-US": 0.01, "ko": 0.01,
                   "zh-TW": 0.008, "es": 0.007}
CHANNEL_SHARES = {"phone": 0.27, "chat": 0.20, "email": 0.14, "sms": 0.05, "social": 0.04,
                  "self_service": 0.10, "chatbot": 0.10, "forum": 0.03, "in_person": 0.07}
REASON_SHARES = {"inquiry": 0.26, "how_to": 0.17, "order_status": 0.11, "billing": 0.12,
                 "technical_issue": 0.13, "complaint": 0.10, "cancellation": 0.05, "other": 0.06}
REASON_SENTIMENT = {"inquiry": 0.25, "how_to": 0.15, "order_status": 0.0, "billing": -0.15,
                    "technical_issue": -0.2, "complaint": -0.55, "cancellation": -0.4,
                    "other": 0.05}
SENTIMENT_SD = 0.35
ELAPSED_MEDIAN_SECONDS = {"sync": 75.0, "async": 600.0, "agentless": 40.0}

AGENT_COUNT = 120
POOL_SIZES = {"ja_support": 30, "digital": 20, "ve_champions": 16}  # the rest: standard
AGENTLESS_POOL = "self_service"
AGENT_SKILL_SD = 0.35
# Champions were picked on demonstrated results, i.e. skill seen through noise.
CHAMPION_SELECTION_NOISE_SD = 0.3
JA_SPEAKER_SHARE = {"ve_champions": 0.3, "standard": 0.2, "digital": 0.4}
ENGLISH_SHARE_IN_JA_SUPPORT = 0.5
CARD_PROPENSITY_LOG_SD = 0.25
# Routing weights: async work goes mostly to the digital pool, live work to the rest.
DIGITAL_WEIGHT = {"async": 3.0, "sync": 0.0}
OTHER_POOL_WEIGHT = {"async": 0.3, "sync": 1.0}
JA_SUPPORT_JA_WEIGHT = 1.5

HOLDOUT_RATE = 0.10  # mirrors the service's default VALUE_ASSIST_HOLDOUT_RATE
HOLDOUT_SALT = "value-assist-holdout-v1"


def _draw(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    """n labels drawn with the given shares (normalised, so rounding never matters)."""
    labels = np.array(list(shares))
    weights = np.array(list(shares.values()), float)
    return labels[rng.choice(len(labels), n, p=weights / weights.sum())]


def channel_mode(channel: np.ndarray) -> np.ndarray:
    """'sync' / 'async' / 'agentless': the channel property that shapes VE and routing."""
    sync = np.isin(channel, list(SYNCHRONOUS_CHANNELS))
    agentless = np.isin(channel, list(AGENTLESS_CHANNELS))
    return np.where(agentless, "agentless", np.where(sync, "sync", "async"))


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
    return pd.DataFrame({
        "customer_id": [f"c-{k:06d}" for k in range(1, n_customers + 1)],
        "persona_idx": persona,
        "tier_idx": tier,
        "adoption_ceiling": rng.beta(beta_a[persona], beta_b[persona]),
        "adoption_tau": np.array(ADOPTION_TAU_DAYS)[persona] * rng.uniform(0.7, 1.3, n_customers),
        "products_owned": products,
        "clv": np.round(clv * (1 + 0.15 * (products - 1)), 2),
        "switching_effort": np.where(high_effort, SWITCHING_EFFORTS[0], SWITCHING_EFFORTS[1]),
        "language": _draw(rng, LANGUAGE_SHARES, n_customers),
        "purchase_gap": _purchase_gaps(n_customers, rng),
        "contact_propensity": rng.gamma(CONTACT_PROPENSITY_SHAPE, 1.0, n_customers),
    })


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


def draw_agents(rng: np.random.Generator) -> pd.DataFrame:
    """~120 agents with a latent VE skill, pools, languages and a habit of using cards."""
    skill = rng.normal(0, AGENT_SKILL_SD, AGENT_COUNT)
    order = rng.permutation(AGENT_COUNT)
    pool = np.full(AGENT_COUNT, "standard", dtype=object)
    n_ja, n_digital = POOL_SIZES["ja_support"], POOL_SIZES["digital"]
    pool[order[:n_ja]] = "ja_support"
    pool[order[n_ja:n_ja + n_digital]] = "digital"
    rest = order[n_ja + n_digital:]
    shown = skill[rest] + rng.normal(0, CHAMPION_SELECTION_NOISE_SD, rest.size)
    pool[rest[np.argsort(-shown)[:POOL_SIZES["ve_champions"]]]] = "ve_champions"
    ja_support = pool == "ja_support"
    speaks_en = ~ja_support | (rng.random(AGENT_COUNT) < ENGLISH_SHARE_IN_JA_SUPPORT)
    speaks_ja = ja_support.copy()
    for name, share in JA_SPEAKER_SHARE.items():
        in_pool = pool == name
        speaks_ja[in_pool] = rng.random(in_pool.sum()) < share
    languages = [";".join(lang for lang, ok in (("ja", j), ("en", e)) if ok)
                 for j, e in zip(speaks_ja, speaks_en, strict=True)]
    return pd.DataFrame({
        "agent_id": [f"a-{k:03d}" for k in range(1, AGENT_COUNT + 1)],
        "pool": pool.astype(str),
        "languages": languages,
        "skill": np.round(skill, 4),
        "card_propensity": np.round(np.exp(rng.normal(0, CARD_PROPENSITY_LOG_SD, AGENT_COUNT)), 4),
    })


def route(channel: np.ndarray, language: np.ndarray, agents: pd.DataFrame,
          rng: np.random.Generator) -> np.ndarray:
    """Index of the handling agent per contact (-1 on agentless channels).

    Japanese-speaking customers only reach Japanese speakers; everyone else reaches English
    speakers. Routing ignores skill (history before the product existed).
    """
    mode = channel_mode(channel)
    is_ja = np.char.startswith(language.astype(str), "ja")
    agent = np.full(channel.size, -1)
    pool = agents["pool"].to_numpy()
    speaks = {lang: agents["languages"].str.contains(lang).to_numpy() for lang in ("ja", "en")}
    for m in ("sync", "async"):
        base = np.where(pool == "digital", DIGITAL_WEIGHT[m], OTHER_POOL_WEIGHT[m])
        for ja in (True, False):
            rows = np.flatnonzero((mode == m) & (is_ja == ja))
            weights = base * speaks["ja" if ja else "en"]
            if ja:
                weights = weights * np.where(pool == "ja_support", JA_SUPPORT_JA_WEIGHT, 1.0)
            agent[rows] = rng.choice(len(pool), rows.size, p=weights / weights.sum())
    return agent


def in_holdout(customer_ids: pd.Series) -> np.ndarray:
    """Deterministic 10 % holdout by a salted hash of customer_id (stable across runs)."""
    unique = customer_ids.unique()
    flags = {
        cid: int.from_bytes(hashlib.sha256(f"{HOLDOUT_SALT}:{cid}".encode()).digest()[:8], "big")
        < HOLDOUT_RATE * 2**64
        for cid in unique
    }
    return customer_ids.map(flags).to_numpy(bool)


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
    return pd.DataFrame({
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
    })


def _prior_contacts(cust: np.ndarray, t_days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Contacts by the same customer in the 90 days before each contact (point in time).

    Keys `customer * span + time` keep each customer's contacts in one sorted run, so one
    searchsorted counts them all; contacts before the window are a fading Poisson term.
    """
    span = WINDOW_DAYS + 100.0
    key = cust * span + t_days
    sorted_keys = np.sort(key)
    earlier = np.searchsorted(sorted_keys, key, "left") - np.searchsorted(sorted_keys, key - 90)
    fade = np.clip(1 - t_days / 90, 0, 1)
    return earlier + rng.poisson(BACKGROUND_CONTACTS_90D * fade)


def add_context(contacts: pd.DataFrame, agents: pd.DataFrame,
                rng: np.random.Generator) -> pd.DataFrame:
    """Sentiment, elapsed time and the handling agent for each contact (in place + returned)."""
    n = len(contacts)
    reason = contacts["true_contact_reason"].map(REASON_SENTIMENT).to_numpy(float)
    contacts["true_sentiment"] = np.round(np.clip(reason + rng.normal(0, SENTIMENT_SD, n), -1, 1), 2)
    channel = contacts["channel"].to_numpy(str)
    mode = channel_mode(channel)
    median = pd.Series(mode).map(ELAPSED_MEDIAN_SECONDS).to_numpy(float)
    contacts["elapsed_seconds"] = np.round(median * np.exp(rng.normal(0, 0.7, n))).astype(int)
    agent = route(channel, contacts["language"].to_numpy(str), agents, rng)
    has_agent = agent >= 0
    contacts["agent_idx"] = agent
    contacts["agent_id"] = np.where(has_agent, agents["agent_id"].to_numpy()[agent], None)
    contacts["pool"] = np.where(has_agent, agents["pool"].to_numpy()[agent], AGENTLESS_POOL)
    contacts["agent_skill"] = np.where(has_agent, agents["skill"].to_numpy()[agent], 0.0)
    contacts["channel_mode"] = mode
    contacts["holdout"] = in_holdout(contacts["customer_id"])
    return contacts

