"""Each measure's offered-vs-holdout effect, counted in its own unit.

- Customer facts (retention, wallet change) count once per customer (reports.customers):
  a share's interval is Newcombe's, a mean's is Welch's, over customers.
- Contact measures (VES, CSAT, NPS, CES, resolution, handle time) are means over contacts
  with customer-clustered intervals (reports.clustered), since the arm is drawn per
  customer and one customer's contacts are correlated.

Every effect also carries a standard error and a two-sided p-value (normal, unpooled), so
a plan's secondary measures and the segment ranking can be corrected for multiplicity.
"""

import math

import numpy as np
import pandas as pd

from assist_api.reports import stats
from assist_api.reports.clustered import clustered_effect, two_sided_p
from assist_api.reports.effects import MEASURES, effect

CUSTOMER_MEASURES = ("retained_60d", "wallet_change")
CONTACT_MEASURES = tuple(name for name in MEASURES if name not in CUSTOMER_MEASURES)
METHODS = {
    "unit": "customer: each offered or control customer counts once in the period, "
    "exposed at their first contact in it",
    "customer_measures": "retention and wallet change once per customer (latest recorded "
    f"value); shares: {stats.NEWCOMBE}; means: {stats.WELCH}",
    "contact_measures": "VES, CSAT, NPS, CES, resolution and handle time per contact with "
    "cluster-robust (CR1) variance, the customer as the cluster",
}


def customer_effect(values: np.ndarray, holdout: np.ndarray, name: str) -> dict:
    """effects.effect over customers, plus se, p-value and the unit."""
    measure = MEASURES[name]
    figure = effect(values[~holdout], values[holdout], measure)
    a = values[~holdout][~np.isnan(values[~holdout])]
    b = values[holdout][~np.isnan(values[holdout])]
    se = math.nan
    if a.size > 1 and b.size > 1:
        se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    lift = figure["lift"]
    p_value = two_sided_p(lift, se) if lift is not None and math.isfinite(se) else math.nan
    return {
        **figure,
        "se": _clean(se),
        "p_value": _clean(p_value),
        "unit": "customer",
    }


def contact_effect(frame: pd.DataFrame, name: str) -> dict:
    holdout = frame["holdout"].to_numpy(bool)
    values = frame[name].to_numpy(float)
    clusters = frame["customer_id"].to_numpy()
    figure = clustered_effect(
        values[~holdout],
        clusters[~holdout],
        values[holdout],
        clusters[holdout],
        MEASURES[name].better,
    )
    return {**figure, "unit": "contact"}


def unit_effects(frame: pd.DataFrame, customers: pd.DataFrame, names=tuple(MEASURES)) -> dict:
    """{measure: effect} with each measure in its unit."""
    holdout = customers["holdout"].to_numpy(bool)
    return {
        name: customer_effect(customers[name].to_numpy(float), holdout, name)
        if name in CUSTOMER_MEASURES
        else contact_effect(frame, name)
        for name in names
    }


def unit_group_summary(frame: pd.DataFrame, customers: pd.DataFrame, names) -> dict:
    holdout = frame["holdout"].to_numpy(bool)
    customer_holdout = customers["holdout"].to_numpy(bool)
    return {
        "n": int(len(frame)),
        "n_offered": int((~holdout).sum()),
        "n_holdout": int(holdout.sum()),
        "customers": int(len(customers)),
        "customers_offered": int((~customer_holdout).sum()),
        "customers_holdout": int(customer_holdout.sum()),
        **unit_effects(frame, customers, names),
    }


def unit_by(frame: pd.DataFrame, customers: pd.DataFrame, column: str, names, order=None):
    """{group: summary}: contacts split by their own value of `column`, customers by the
    value at their exposure (first contact in the period)."""
    present = frame[frame[column].notna()]
    groups = dict(tuple(present.groupby(column, sort=False)))
    customer_groups = dict(tuple(customers.groupby(column, sort=False)))
    keys = [v for v in order if v in groups] if order else present[column].value_counts().index
    empty = customers.iloc[0:0]
    return {
        str(value): unit_group_summary(groups[value], customer_groups.get(value, empty), names)
        for value in keys
    }


def _clean(value: float) -> float | None:
    return round(float(value), 6) if value is not None and math.isfinite(value) else None
