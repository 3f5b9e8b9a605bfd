"""The financial return, counted per customer: extra retained customers' value minus the
extra handle-time cost.

    extra retained customers = customer retention lift x offered customers
    retained value    = (CLV-weighted retention offered - holdout) x CLV of offered customers
    extra handle cost = (mean handle minutes per customer offered - holdout)
                        x offered customers x cost per agent minute
    return            = retained value - extra handle cost

Retention is a fact about a customer, so every customer counts once (exposure = first
contact in the period) and CLV is summed over customers, never over contacts — a
customer with three contacts is not three retained customers. Handle time is the
customer's total over the period, so the cost covers all their contacts. CLV-weighted
retention (sum of retained customers' CLV / sum of CLV, per arm) is a ratio estimator,
not thrown off when one arm happens to hold a few more high-CLV customers. The interval
is normal with the customer jackknife variance (leave one customer out, per arm) of the
whole return, so the covariance of retention and handle time is kept; the jackknife,
unlike the delta method's linearisation, holds its coverage when a small control group
meets heavy-tailed CLV (bench/roi_coverage.py). The extra retained
customers' interval is Newcombe's interval of the customer retention lift, scaled.
"""

import numpy as np
import pandas as pd

from assist_api.reports import stats
from assist_api.reports.clustered import jackknife_variance, leave_one_out
from assist_api.reports.effects import MEASURES, effect

MONEY_DIGITS = 2
METHOD = (
    "per customer (each counted once, exposure = first contact in the period): retained "
    "value = difference of CLV-weighted customer retention x CLV of offered customers; "
    "handle cost = difference of mean handle minutes per customer x offered customers x "
    "cost per agent minute; normal interval, customer jackknife variance; extra retained "
    f"customers = customer retention lift x offered customers ({stats.NEWCOMBE})"
)


def _arm(retained: np.ndarray, clv: np.ndarray, minutes: np.ndarray):
    """(CLV-weighted retention, mean minutes, and each one's leave-one-customer-out value)."""
    known = ~np.isnan(retained) & ~np.isnan(clv)
    weight = np.where(known, clv, 0.0)
    timed = ~np.isnan(minutes)
    r_num, m_num = weight * np.nan_to_num(retained), np.where(timed, minutes, 0.0)
    rate = float(r_num.sum() / weight.sum()) if weight.sum() > 0 else np.nan
    mean = float(m_num.sum() / timed.sum()) if timed.any() else np.nan
    return rate, mean, leave_one_out(r_num, weight), leave_one_out(m_num, timed.astype(float))


def amount(estimate: float, variance: float) -> dict:
    """{value, ci95, distinguishable_from_zero} of a money figure."""
    if not np.isfinite(estimate):
        return {"value": None, "ci95": None, "distinguishable_from_zero": None}
    interval = stats.normal_interval(estimate, variance) if np.isfinite(variance) else None
    ci95 = stats.rounded(interval, MONEY_DIGITS)
    return {
        "value": round(float(estimate), MONEY_DIGITS),
        "ci95": ci95,
        "distinguishable_from_zero": None if ci95 is None else not ci95[0] <= 0 <= ci95[1],
    }


def customer_return(
    customers: pd.DataFrame, offered_contacts: int, cost_per_agent_minute: float
) -> dict:
    """The financial section from the customer rows (reports.customers)."""
    holdout = customers["holdout"].to_numpy(bool)
    retained = customers["retained_60d"].to_numpy(float)
    clv = customers["clv"].to_numpy(float)
    minutes = customers["handle_minutes"].to_numpy(float)
    offered_customers = int((~holdout).sum())
    at_stake = float(np.nansum(clv[~holdout]))
    cost = float(cost_per_agent_minute) * offered_customers

    r1, m1, r1_loo, m1_loo = _arm(retained[~holdout], clv[~holdout], minutes[~holdout])
    r2, m2, r2_loo, m2_loo = _arm(retained[holdout], clv[holdout], minutes[holdout])
    value = (r1 - r2) * at_stake
    handle = (m1 - m2) * cost
    net = value - handle
    value_var = at_stake**2 * (jackknife_variance(r1_loo) + jackknife_variance(r2_loo))
    handle_var = cost**2 * (jackknife_variance(m1_loo) + jackknife_variance(m2_loo))
    net_var = jackknife_variance(at_stake * r1_loo - cost * m1_loo) + jackknife_variance(
        at_stake * r2_loo - cost * m2_loo
    )
    per_customer = max(offered_customers, 1)
    per_contact = max(offered_contacts, 1)

    retention = effect(retained[~holdout], retained[holdout], MEASURES["retained_60d"])
    incremental = None
    if retention["lift"] is not None:
        interval = retention["ci95"]
        incremental = {
            "value": round(retention["lift"] * offered_customers, 1),
            "ci95": None
            if interval is None
            else [round(bound * offered_customers, 1) for bound in interval],
        }
        incremental["distinguishable_from_zero"] = (
            None if interval is None else not interval[0] <= 0 <= interval[1]
        )
    return {
        "unit": "customer",
        "offered_customers": offered_customers,
        "offered_contacts": int(offered_contacts),
        "clv_at_stake": round(at_stake, MONEY_DIGITS),
        "cost_per_agent_minute": float(cost_per_agent_minute),
        "clv_weighted_retention": {
            "offered": None if np.isnan(r1) else round(r1, 4),
            "holdout": None if np.isnan(r2) else round(r2, 4),
        },
        "handle_minutes_per_customer": {
            "offered": None if np.isnan(m1) else round(m1, 3),
            "holdout": None if np.isnan(m2) else round(m2, 3),
        },
        "incremental_retained": incremental,
        "retained_value": amount(value, value_var),
        "extra_handle_cost": amount(handle, handle_var),
        "return": amount(net, net_var),
        "return_per_offered_customer": amount(net / per_customer, net_var / per_customer**2),
        "return_per_offered_contact": amount(net / per_contact, net_var / per_contact**2),
        "method": METHOD,
    }
