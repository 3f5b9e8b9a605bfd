"""The financial return: incremental retained customers' value minus extra handle-time cost.

    retained value    = (CLV-weighted retention offered - holdout) x CLV of offered contacts
    extra handle cost = (mean handle minutes offered - holdout) x offered contacts x cost/min
    return            = retained value - extra handle cost

CLV-weighted retention (sum of retained customers' CLV / sum of CLV, per group) is a ratio
estimator: unlike a difference of mean retained CLV, it is not thrown off when one group
happens to hold a few more high-CLV customers, which with heavy-tailed CLV would swamp
the retention effect. The interval is normal with the delta method's variance, computed
from each row's influence on the two estimates, so the covariance of retention and handle
time (longer calls may be the ones that retain) is kept.
"""

import numpy as np
import pandas as pd

from assist_api.reports import stats
from assist_api.reports.effects import MEASURES, effect

MONEY_DIGITS = 2
SECONDS_PER_MINUTE = 60.0
METHOD = (
    "retained value: difference of CLV-weighted retention x CLV of offered contacts; "
    "handle cost: difference of mean minutes x offered contacts x cost per minute; "
    f"{stats.DELTA} (influence functions); extra retained customers: retention lift x "
    "offered contacts with the Newcombe interval"
)


def _influence(retained: np.ndarray, clv: np.ndarray, minutes: np.ndarray):
    """(weighted retention, its per-row influence, mean minutes, its per-row influence)."""
    known = ~np.isnan(retained) & ~np.isnan(clv)
    weight = np.where(known, clv, 0.0)
    total = weight.sum()
    rate = float((weight * np.nan_to_num(retained)).sum() / total) if total > 0 else np.nan
    rate_influence = np.where(known, weight * (np.nan_to_num(retained) - rate), 0.0) / (
        total if total > 0 else 1.0
    )
    timed = ~np.isnan(minutes)
    mean_minutes = float(minutes[timed].mean()) if timed.any() else np.nan
    minutes_influence = np.where(timed, minutes - mean_minutes, 0.0) / max(int(timed.sum()), 1)
    return rate, rate_influence, mean_minutes, minutes_influence


def _amount(estimate: float, variance: float) -> dict:
    if not np.isfinite(estimate):
        return {"value": None, "ci95": None}
    interval = stats.normal_interval(estimate, variance) if np.isfinite(variance) else None
    return {
        "value": round(float(estimate), MONEY_DIGITS),
        "ci95": stats.rounded(interval, MONEY_DIGITS),
    }


def financial_return(frame: pd.DataFrame, cost_per_agent_minute: float) -> dict:
    holdout = frame["holdout"].to_numpy(bool)
    retained = frame["retained_60d"].to_numpy(float)
    clv = frame["clv"].to_numpy(float)
    minutes = frame["handle_seconds"].to_numpy(float) / SECONDS_PER_MINUTE
    offered_contacts = int((~holdout).sum())
    at_stake = float(np.nansum(clv[~holdout]))  # CLV of the offered contacts
    cost = float(cost_per_agent_minute) * offered_contacts  # per extra minute per contact

    r1, dr1, m1, dm1 = _influence(retained[~holdout], clv[~holdout], minutes[~holdout])
    r2, dr2, m2, dm2 = _influence(retained[holdout], clv[holdout], minutes[holdout])
    value = (r1 - r2) * at_stake
    value_var = at_stake**2 * (np.sum(dr1**2) + np.sum(dr2**2))
    handle = (m1 - m2) * cost
    handle_var = cost**2 * (np.sum(dm1**2) + np.sum(dm2**2))
    net_var = np.sum((at_stake * dr1 - cost * dm1) ** 2) + np.sum(
        (at_stake * dr2 - cost * dm2) ** 2
    )
    net = value - handle
    per_contact = max(offered_contacts, 1)

    retention = effect(retained[~holdout], retained[holdout], MEASURES["retained_60d"])
    incremental = None
    if retention["lift"] is not None:
        interval = retention["ci95"]
        incremental = {
            "value": round(retention["lift"] * offered_contacts, 1),
            "ci95": None
            if interval is None
            else [round(bound * offered_contacts, 1) for bound in interval],
        }
    return {
        "offered_contacts": offered_contacts,
        "cost_per_agent_minute": float(cost_per_agent_minute),
        "clv_weighted_retention": {
            "offered": None if np.isnan(r1) else round(r1, 4),
            "holdout": None if np.isnan(r2) else round(r2, 4),
        },
        "incremental_retained": incremental,
        "retained_value": _amount(value, value_var),
        "extra_handle_cost": _amount(handle, handle_var),
        "return": _amount(net, net_var),
        "return_per_offered_contact": _amount(net / per_contact, net_var / per_contact**2),
        "method": METHOD,
    }
