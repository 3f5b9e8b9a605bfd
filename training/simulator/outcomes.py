"""The demo world's outcomes: survey answers, resolution, retention, wallet and handle time.

Retention reproduces the published figures exactly in expectation: 60-day retention
depends only on VE success and switching effort (90 % / 73 % high effort, 69 % / 52 % low
effort), so the true effect of an offer on a contact's retention is 17 points times the
difference the offer makes to its success probability.
"""

import numpy as np
import pandas as pd

from features.vocabulary import ACTIVITIES, PLAN_TIERS, VES_SUCCESS_THRESHOLD

# (P(retained | no VE success), P(retained | VE success)) per switching effort.
RETENTION = {"high": (0.73, 0.90), "low": (0.52, 0.69)}
SURVEY_RESPONSE_RATE = 0.60
ITEM_SKIP_RATE = {"csat": 0.02, "nps": 0.05, "ces": 0.08}  # among survey respondents
RESOLVED_MISSING_RATE = 0.05
WALLET_MISSING_RATE = 0.08
# VES answers: on success both items are 5-7; otherwise drawn from a wider spread and at
# least one item is pushed below the threshold.
VES_SUCCESS_WEIGHTS = {5: 0.35, 6: 0.40, 7: 0.25}
VES_FAILURE_WEIGHTS = {1: 0.06, 2: 0.10, 3: 0.18, 4: 0.26, 5: 0.22, 6: 0.13, 7: 0.05}
RESOLVED_BASE = {
    "inquiry": 1.8,
    "how_to": 1.5,
    "order_status": 1.4,
    "billing": 1.1,
    "technical_issue": 0.7,
    "complaint": 0.2,
    "cancellation": 0.9,
    "other": 1.2,
}
CSAT_CUTS = (-1.2, -0.5, 0.2, 0.9)  # latent satisfaction -> 1..5
HANDLE_MEDIAN_SECONDS = {
    "phone": 420,
    "chat": 540,
    "email": 360,
    "sms": 300,
    "social": 300,
    "self_service": 150,
    "chatbot": 180,
    "forum": 240,
    "in_person": 600,
}
VE_EXTRA_SECONDS = (60.0, 90.0)
# The starter playbook's card ids (prompts_playbooks/cards), so simulated outcomes name
# cards the service really has.
CARD_SLUGS = {
    "validate_purchase": ("reassure_choice", "first_win_recap", "peer_results"),
    "anticipate_needs": ("next_step_after_setup", "connect_products", "billing_visibility"),
    "achieve_goals": ("confirm_goal", "shortest_path", "milestone_review"),
    "educate_usage": ("better_way", "power_shortcut", "prevent_repeat"),
    "advise_new_features": ("recent_launch", "unexplored_included", "early_access_invite"),
}


def retention_rates(switching_effort: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per contact: (P(retained | no VE success), P(retained | VE success))."""
    without, with_ve = (
        switching_effort.map({effort: rates[i] for effort, rates in RETENTION.items()}).to_numpy(
            float
        )
        for i in (0, 1)
    )
    return without, with_ve


def _scale(values: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    weights = np.array(list(values.values()))
    return np.array(list(values))[rng.choice(len(values), n, p=weights / weights.sum())]


def draw_ves(success: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """VES confidence and ability (1-7) consistent with success: both >= 5 iff success."""
    n = success.size
    confidence = np.where(
        success, _scale(VES_SUCCESS_WEIGHTS, n, rng), _scale(VES_FAILURE_WEIGHTS, n, rng)
    )
    ability = np.where(
        success, _scale(VES_SUCCESS_WEIGHTS, n, rng), _scale(VES_FAILURE_WEIGHTS, n, rng)
    )
    both_high = ~success & (np.minimum(confidence, ability) >= VES_SUCCESS_THRESHOLD)
    lowered = rng.integers(2, VES_SUCCESS_THRESHOLD, n)
    fix_confidence = both_high & (rng.random(n) < 0.5)
    confidence = np.where(fix_confidence, lowered, confidence)
    ability = np.where(both_high & ~fix_confidence, lowered, ability)
    return confidence, ability


def _with_missing(values: np.ndarray, missing: np.ndarray, dtype: str) -> pd.Series:
    return pd.Series(values).astype(dtype).mask(missing)


def draw_outcomes(
    ctx: pd.DataFrame, handled: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """(outcomes in the import format, realised VE success for every contact)."""
    n = len(ctx)
    success = rng.random(n) < handled["p_attempted"].to_numpy()
    sentiment = ctx["true_sentiment"].to_numpy(float)
    sync = (ctx["channel_mode"] == "sync").to_numpy()
    skill = ctx["agent_skill"].to_numpy(float)
    resolved_logit = (
        ctx["true_contact_reason"].map(RESOLVED_BASE).to_numpy(float)
        + 0.4 * sync
        + 0.5 * sentiment
        + 0.3 * skill
    )
    resolved = rng.random(n) < 1 / (1 + np.exp(-resolved_logit))
    without_ve, with_ve = retention_rates(ctx["switching_effort"])
    retained = rng.random(n) < np.where(success, with_ve, without_ve)
    satisfaction = 0.9 * success + 0.8 * sentiment + 0.7 * resolved + rng.normal(0, 0.8, n)
    responded = rng.random(n) < SURVEY_RESPONSE_RATE
    confidence, ability = draw_ves(success, rng)

    def skipped(item: str) -> np.ndarray:
        return ~responded | (rng.random(n) < ITEM_SKIP_RATE[item])

    attempted = handled["activity_idx"].to_numpy()
    tier = ctx["plan_tier"].map({t: i for i, t in enumerate(PLAN_TIERS)}).to_numpy(float)
    wallet = np.where(
        retained, rng.normal(3 + 14 * success + 3 * tier, 10), -np.abs(rng.normal(40, 15, n))
    )
    handle_median = ctx["channel"].map(HANDLE_MEDIAN_SECONDS).to_numpy(float)
    ve_seconds = (attempted >= 0) * rng.uniform(*VE_EXTRA_SECONDS, n)
    handle_seconds = handle_median * np.exp(rng.normal(0, 0.5, n)) + ve_seconds
    outcomes = pd.DataFrame(
        {
            "interaction_id": ctx["interaction_id"],
            "card_id_used": _card_ids(attempted, ctx["holdout"].to_numpy(bool), rng),
            "ves_confidence": _with_missing(confidence, ~responded, "Int64"),
            "ves_ability": _with_missing(ability, ~responded, "Int64"),
            "csat": _with_missing(
                np.digitize(satisfaction, CSAT_CUTS) + 1, skipped("csat"), "Int64"
            ),
            "nps": _with_missing(
                np.clip(np.round(6.5 + 1.6 * satisfaction + rng.normal(0, 1.2, n)), 0, 10),
                skipped("nps"),
                "Int64",
            ),
            "ces": _with_missing(
                np.clip(np.round(3.5 - 1.1 * satisfaction + rng.normal(0, 0.9, n)), 1, 7),
                skipped("ces"),
                "Int64",
            ),
            "resolved": _with_missing(resolved, rng.random(n) < RESOLVED_MISSING_RATE, "boolean"),
            "retained_60d": retained,
            "wallet_change": _with_missing(
                np.round(wallet, 2), rng.random(n) < WALLET_MISSING_RATE, "Float64"
            ),
            "handle_seconds": np.round(handle_seconds).astype(int),
        }
    )
    return outcomes, success


def _card_ids(
    activity_idx: np.ndarray, holdout: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """'<activity>.<slug>' where a card was used (non-holdout attempts), else missing."""
    options = np.array([[f"{a}.{slug}" for slug in CARD_SLUGS[a]] for a in ACTIVITIES])
    slug = rng.integers(0, options.shape[1], activity_idx.size)
    used = (activity_idx >= 0) & ~holdout
    return np.where(used, options[np.maximum(activity_idx, 0), slug], None)
