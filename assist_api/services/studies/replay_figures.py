"""The routing replay's figures: each arm's results, and one arm's lift over another with
intervals from a bootstrap over customers (a customer's contacts move together)."""

import numpy as np
import pandas as pd

from assist_api.services.routing.retention_gain import PUBLISHED_GAIN


def replay_summary(run: dict, attempted, clv) -> dict:
    p = run["p"]
    return {
        "contacts": len(p),
        "success_rate": float(np.nanmean(p)),
        "success_per_attempt": float(np.nanmean(p[attempted])) if attempted.any() else None,
        "retained_value_per_contact": float(np.nansum(p * clv) * PUBLISHED_GAIN / len(p)),
        "value_pool_share": run["value_pool_share"],
        "fallback_share": run["fallback_share"],
        "over_capacity": run["over_capacity"],
    }


def lift_with_interval(a, b, clv, customers, draws=400, seed=0) -> dict:
    """Lift of arm b over arm a (success points, retained value per contact), with 95 %
    intervals from a bootstrap over customers (a customer's contacts move together)."""
    codes, uniques = pd.factorize(customers)
    n = len(uniques)
    diff = np.bincount(codes, weights=b - a, minlength=n)
    value = np.bincount(codes, weights=(b - a) * clv, minlength=n) * PUBLISHED_GAIN
    count = np.bincount(codes, minlength=n)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, (draws, n))
    contacts = count[picks].sum(axis=1)
    points = 100 * diff[picks].sum(axis=1) / contacts
    money = value[picks].sum(axis=1) / contacts
    total = count.sum()
    return {
        "success_points": float(100 * diff.sum() / total),
        "success_points_ci95": [float(x) for x in np.percentile(points, [2.5, 97.5])],
        "retained_value_per_contact": float(value.sum() / total),
        "retained_value_per_contact_ci95": [float(x) for x in np.percentile(money, [2.5, 97.5])],
    }
