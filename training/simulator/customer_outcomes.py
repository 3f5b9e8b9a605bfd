"""Retention and wallet change as facts about a customer, and their truth per customer.

In a real contact centre a customer with three contacts in the period is retained (or
not) once, and their wallet grows or shrinks once. Here the customer is retained with the
published probabilities (DOMAIN.md: 90 % / 73 % high switching effort, 69 % / 52 % low)
according to whether *any* of their contacts in the period ended in VE success, so the
published figures hold per customer; the value is recorded on every one of their contacts,
as a CRM feed would stamp it. The truth is computed per customer from the contacts' true
success probabilities under each policy: P(any success) = 1 - prod(1 - p_i).
"""

import numpy as np
import pandas as pd
from scipy.stats import norm

from features.vocabulary import PLAN_TIERS

RETENTION = {"high": (0.73, 0.90), "low": (0.52, 0.69)}  # (no VE success, VE success)
RETENTION_UNITS = ("customer", "contact")
# Wallet change: retained customers grow by N(3 + 14 x success + 3 x tier, 10); customers
# who leave lose |N(40, 15)|.
WALLET_GROWTH = (3.0, 14.0, 3.0, 10.0)  # (base, per VE success, per tier step, sd)
WALLET_LOSS = (40.0, 15.0)  # (mean, sd) before the absolute value
CUSTOMER_TRUTH_COLUMNS = (
    "customer_id",
    "holdout",
    "contacts",
    "clv",
    "p_any_success_offered",
    "p_any_success_holdout",
    "retention_offered",
    "retention_holdout",
    "retention_effect",
    "wallet_effect",
)


def _mean_loss() -> float:
    """E|N(mu, sd)|, the expected size of a leaving customer's loss."""
    mu, sd = WALLET_LOSS
    return float(mu * (1 - 2 * norm.cdf(-mu / sd)) + 2 * sd * norm.pdf(mu / sd))


def customer_outcomes(
    ctx: pd.DataFrame,
    handled: pd.DataFrame,
    success: np.ndarray,
    tier: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(retained per contact, wallet change per contact, truth per customer).

    `ctx` has customer_id, switching_effort, clv, holdout per contact; `handled` the true
    p_success_offered / p_success_holdout; `success` the realised VE success; `tier` the
    plan-tier index per contact. All of a customer's contacts get the same two values.
    """
    codes, ids = pd.factorize(ctx["customer_id"])
    n_customers = ids.size
    first = np.full(n_customers, len(ctx))
    np.minimum.at(first, codes, np.arange(len(ctx)))
    any_success = np.zeros(n_customers, bool)
    np.logical_or.at(any_success, codes, success)
    effort = ctx["switching_effort"].to_numpy()[first]
    without = np.array([RETENTION[e][0] for e in effort])
    with_ve = np.array([RETENTION[e][1] for e in effort])
    retained = rng.random(n_customers) < np.where(any_success, with_ve, without)
    base, per_success, per_tier, sd = WALLET_GROWTH
    customer_tier = tier[first]
    growth = rng.normal(base + per_success * any_success + per_tier * customer_tier, sd)
    loss = -np.abs(rng.normal(*WALLET_LOSS, n_customers))
    wallet = np.where(retained, growth, loss)

    p_any = {}
    for arm in ("offered", "holdout"):
        log_none = np.zeros(n_customers)
        p = np.clip(handled[f"p_success_{arm}"].to_numpy(float), 0.0, 1.0 - 1e-12)
        np.add.at(log_none, codes, np.log1p(-p))
        p_any[arm] = 1.0 - np.exp(log_none)
    retention = {arm: without + (with_ve - without) * p_any[arm] for arm in p_any}
    # E[wallet | any VE success = s] for s = 0 and 1, then the offer's effect on it.
    expected = [
        rate * (base + per_success * s + per_tier * customer_tier) - (1 - rate) * _mean_loss()
        for s, rate in ((0, without), (1, with_ve))
    ]
    truth = pd.DataFrame(
        {
            "customer_id": ids,
            "holdout": ctx["holdout"].to_numpy(bool)[first],
            "contacts": np.bincount(codes, minlength=n_customers),
            "clv": ctx["clv"].to_numpy(float)[first],
            "p_any_success_offered": np.round(p_any["offered"], 6),
            "p_any_success_holdout": np.round(p_any["holdout"], 6),
            "retention_offered": np.round(retention["offered"], 6),
            "retention_holdout": np.round(retention["holdout"], 6),
            "retention_effect": np.round(retention["offered"] - retention["holdout"], 6),
            "wallet_effect": np.round(
                (p_any["offered"] - p_any["holdout"]) * (expected[1] - expected[0]), 4
            ),
        }
    )
    return retained[codes], wallet[codes], truth[list(CUSTOMER_TRUTH_COLUMNS)]


def apply_customer_outcomes(
    ctx: pd.DataFrame,
    handled: pd.DataFrame,
    outcomes: pd.DataFrame,
    success: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Make `outcomes`' retention and wallet change customer facts (in place, keeping the
    contact-level recording gaps of wallet change); returns the truth per customer."""
    tier = ctx["plan_tier"].map({t: i for i, t in enumerate(PLAN_TIERS)}).to_numpy(float)
    retained, wallet, truth = customer_outcomes(ctx, handled, success, tier, rng)
    outcomes["retained_60d"] = retained
    missing = outcomes["wallet_change"].isna().to_numpy()
    outcomes["wallet_change"] = pd.Series(np.round(wallet, 2)).astype("Float64").mask(missing)
    return truth
