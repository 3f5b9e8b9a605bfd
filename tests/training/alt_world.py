"""A second contact-centre world with different functional forms, for generalisation tests.

The demo simulator (training/simulator/world.py) builds success from a logistic sum of
thresholds and bumps. This world deliberately does not: success is a *product* of an
openness factor and an activity-fit factor (no logit), activity fit comes from lookup
tables, inverse-U shapes in other columns (prior contacts, elapsed time, CLV rank) and
a sentiment effect whose sign depends on the activity, languages include tags outside
ja/en, the call mix drifts over time, and an unobserved per-customer mood term makes the
oracle strictly better than anything the features can reach. Agents choose by a crude
persona rule half of the time and at random otherwise.

If the training design only worked because its defaults happened to suit the demo
simulator's formulas, it would show here.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from features.vocabulary import ACTIVITIES, CHANNELS, CONTACT_REASONS, PERSONAS, PLAN_TIERS

START = pd.Timestamp("2024-09-01T00:00:00Z")
DAYS = 240
LANGUAGES = ("en", "ja", "en-US", "ja-JP", "ko", "fr")
LANGUAGE_SHARES = (0.35, 0.3, 0.1, 0.1, 0.1, 0.05)
# Openness by reason (a multiplier, not a logit term) and by channel.
REASON_OPENNESS = dict(
    zip(CONTACT_REASONS, (1.0, 0.95, 0.6, 0.5, 0.7, 0.3, 0.35, 0.65), strict=True)
)
CHANNEL_OPENNESS = dict(
    zip(CHANNELS, (1.0, 0.9, 0.6, 0.55, 0.5, 0.45, 0.4, 0.6, 1.05), strict=True)
)
# Activity fit per persona x activity (rows PERSONAS, columns ACTIVITIES).
PERSONA_FIT = np.array(
    [
        [0.75, 0.35, 0.45, 0.80, 0.20],
        [0.45, 0.55, 0.80, 0.40, 0.35],
        [0.30, 0.70, 0.50, 0.25, 0.85],
        [0.35, 0.60, 0.85, 0.30, 0.60],
    ]
)
TIER_FIT = np.array(
    [
        [1.0, 0.8, 0.9, 1.1, 0.7],
        [1.0, 0.9, 1.0, 1.0, 0.9],
        [0.9, 1.1, 1.0, 0.9, 1.15],
        [0.85, 1.2, 1.1, 0.85, 1.25],
    ]
)
# Agents: "novices get education, enthusiasts get news, everyone else gets validation".
AGENT_RULE = {
    "novice": "educate_usage",
    "pragmatist": "validate_purchase",
    "enthusiast": "advise_new_features",
    "professional": "validate_purchase",
}
AGENT_RULE_SHARE = 0.5
ATTEMPT_RATE = 0.5
SURVEY_RATE = 0.7
MOOD_SD = 0.0
MASK_RATE = 0.0


def _inverse_u(x, peak, width):
    return 1.0 / (1.0 + ((x - peak) / width) ** 2)


def true_probabilities(frame: pd.DataFrame, mood: np.ndarray) -> np.ndarray:
    """(n, 5) true P(success) of each activity."""
    persona = frame["persona"].map(PERSONAS.index).to_numpy()
    tier = frame["plan_tier"].map(PLAN_TIERS.index).to_numpy()
    reason = frame["true_reason"].map(REASON_OPENNESS).to_numpy(float)
    channel = frame["channel"].map(CHANNEL_OPENNESS).to_numpy(float)
    sentiment = frame["true_sentiment"].to_numpy(float)
    prior = frame["prior_contacts_90d"].to_numpy(float)
    elapsed = frame["elapsed_seconds"].to_numpy(float)
    openness = (
        reason
        * channel
        * _inverse_u(prior, 1.0, 3.0)
        * (0.6 + 0.4 * _inverse_u(elapsed, 300.0, 250.0))
        * (1.0 + 0.35 * sentiment)
        * mood
    )
    days = frame["days_since_purchase"].to_numpy(float)
    adoption = frame["feature_adoption"].to_numpy(float)
    products = frame["products_owned"].to_numpy(float)
    fit = PERSONA_FIT[persona] * TIER_FIT[tier]
    fit[:, 0] *= np.where(days < 45, 1.4, np.where(days < 200, 1.0, 0.6))
    fit[:, 1] *= 0.6 + 0.15 * np.minimum(products, 4)
    fit[:, 2] *= 0.5 + 1.2 * _inverse_u(adoption, 0.5, 0.25)
    fit[:, 3] *= (1.5 - adoption) * (1.0 - 0.5 * sentiment)  # upset customers want help
    fit[:, 4] *= np.where(adoption > 0.55, 1.5, 0.55)
    return np.clip(0.85 * openness[:, None] * fit, 0.01, 0.97)


def _customers(n: int, rng: np.random.Generator) -> pd.DataFrame:
    persona = rng.choice(len(PERSONAS), n, p=[0.3, 0.3, 0.2, 0.2])
    tier = np.minimum(rng.poisson(0.4 + 0.5 * persona), len(PLAN_TIERS) - 1)
    return pd.DataFrame(
        {
            "persona": np.array(PERSONAS)[persona],
            "plan_tier": np.array(PLAN_TIERS)[tier],
            "days_since_purchase": np.round(rng.lognormal(4.3, 1.1, n)).astype(int),
            "feature_adoption": np.round(rng.beta(1.5 + persona, 3.0, n), 3),
            "products_owned": 1 + rng.poisson(0.3 + 0.6 * tier),
            "prior_contacts_90d": rng.poisson(1.4, n),
            "clv": np.round(rng.gamma(2.0, 400.0 * (1 + tier)), 2),
            "switching_effort": np.where(rng.random(n) < 0.45, "high", "low"),
        }
    )


def simulate_alt_world(n: int, seed: int = 0):
    """(interactions, outcomes, truth) DataFrames in the import format."""
    rng = np.random.default_rng(seed)
    frame = _customers(n, rng)
    seconds = np.sort(rng.uniform(0, DAYS * 86400, n))
    drift = seconds / (DAYS * 86400)  # inquiries rise and complaints fall over time
    reason_p = np.array([0.18, 0.16, 0.14, 0.14, 0.14, 0.12, 0.06, 0.06])
    shift = np.array([0.08, 0.04, 0, 0, 0, -0.08, -0.02, -0.02])
    mix = np.clip(reason_p + drift[:, None] * shift, 0.001, None)
    mix /= mix.sum(axis=1, keepdims=True)
    reason = (rng.random(n)[:, None] > np.cumsum(mix, axis=1)).sum(axis=1).clip(0, 7)
    frame["true_reason"] = np.array(CONTACT_REASONS)[reason]
    frame["channel"] = rng.choice(
        CHANNELS, n, p=[0.3, 0.2, 0.12, 0.06, 0.05, 0.08, 0.08, 0.03, 0.08]
    )
    frame["true_sentiment"] = np.round(np.clip(rng.normal(0.1, 0.45, n), -1, 1), 2)
    frame["elapsed_seconds"] = np.round(rng.gamma(2.0, 160.0, n), 1)
    mood = rng.lognormal(0.0, MOOD_SD, n)
    p = true_probabilities(frame, mood)
    ids = np.array([f"alt-{k:07d}" for k in range(n)])
    attempted = rng.random(n) < ATTEMPT_RATE
    rule = frame["persona"].map(AGENT_RULE).map(ACTIVITIES.index).to_numpy()
    choice = np.where(rng.random(n) < AGENT_RULE_SHARE, rule, rng.integers(0, 5, n))
    success = rng.random(n) < p[np.arange(n), choice]
    answered = attempted & (rng.random(n) < SURVEY_RATE)
    high = rng.integers(5, 8, (n, 2))
    low = np.column_stack([rng.integers(1, 5, n), rng.integers(1, 8, n)])
    ves = np.where(success[:, None], high, low)
    started = START + pd.to_timedelta(seconds, unit="s")
    interactions = pd.DataFrame(
        {
            "interaction_id": ids,
            "customer_id": [f"ac-{k}" for k in rng.integers(0, n // 2 + 1, n)],
            "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channel": frame["channel"],
            "language": rng.choice(LANGUAGES, n, p=LANGUAGE_SHARES),
            "contact_reason": np.where(rng.random(n) < MASK_RATE, "", frame["true_reason"]),
            "transcript": "",
            "customer_sentiment": np.where(
                rng.random(n) < MASK_RATE, np.nan, frame["true_sentiment"]
            ),
            "elapsed_seconds": frame["elapsed_seconds"],
            "agent_id": [f"aa-{k}" for k in rng.integers(0, 60, n)],
            "pool": "general",
            **{
                c: frame[c]
                for c in (
                    "days_since_purchase",
                    "persona",
                    "plan_tier",
                    "products_owned",
                    "feature_adoption",
                    "prior_contacts_90d",
                    "clv",
                    "switching_effort",
                )
            },
            "holdout": "false",
            "activity_attempted": np.where(attempted, np.array(ACTIVITIES)[choice], ""),
        }
    )
    outcomes = pd.DataFrame(
        {
            "interaction_id": ids[answered],
            "ves_confidence": ves[answered, 0],
            "ves_ability": ves[answered, 1],
        }
    )
    truth = pd.DataFrame(
        {"interaction_id": ids, **{f"p_{a}": p[:, k] for k, a in enumerate(ACTIVITIES)}}
    )
    truth["best_activity"] = np.array(ACTIVITIES)[p.argmax(axis=1)]
    return interactions, outcomes, truth


def write_alt_world(out_dir: Path, n: int, seed: int = 0) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    interactions, outcomes, truth = simulate_alt_world(n, seed)
    interactions.to_csv(out_dir / "interactions.csv", index=False)
    outcomes.to_csv(out_dir / "outcomes.csv", index=False)
    truth.to_csv(out_dir / "truth.csv", index=False)
    return out_dir
