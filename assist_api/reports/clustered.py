"""Contact-level measures with customer-clustered intervals (cluster jackknife variance).

Contacts of one customer share an arm (the control group is drawn per customer) and share
the customer: their VES, CSAT and handle times are correlated, so treating contacts as
independent makes intervals too narrow. Each arm's mean is the ratio estimator
sum(y) / count(y) over its contacts with a value; its variance is the cluster-robust
jackknife (CR3) variance with the customer as the cluster — leave one customer out at a
time:

    var(mean) = (G - 1) / G * sum_g (mean_(-g) - average of mean_(-g))^2

(G customers with a value). The jackknife is preferred to the plain sandwich (CR1)
because it keeps its coverage with a control group of only a hundred or two customers of
very different sizes (measured in bench/roi_coverage.py). The two arms are independent,
so the lift's variance is the sum; the interval uses Student's t with
min(G_offered, G_holdout) - 1 degrees of freedom. The same leave-one-out values serve the
money figures (reports.financial), where the "cluster" is the customer itself.
"""

import math

import numpy as np
import pandas as pd
from scipy.stats import norm
from scipy.stats import t as student_t

from assist_api.reports import stats

METHOD = (
    "cluster jackknife (CR3, leave one customer out) variance; "
    "t interval with min(customers per arm) - 1 degrees of freedom"
)


def leave_one_out(numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """Each cluster's leave-one-out ratio sum(num without g) / sum(den without g)."""
    rest = denominators.sum() - denominators
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(rest > 0, (numerators.sum() - numerators) / rest, np.nan)


def jackknife_variance(values: np.ndarray) -> float:
    """(G - 1) / G x the sum of squared deviations of G leave-one-out estimates."""
    values = values[np.isfinite(values)]
    groups = values.size
    if groups < 2:
        return math.nan
    return float((groups - 1) / groups * np.sum((values - values.mean()) ** 2))


def cluster_mean(values: np.ndarray, clusters: np.ndarray) -> tuple[float, float, int, int]:
    """(mean, cluster jackknife variance of the mean, n values, n clusters); NaN skipped."""
    known = ~np.isnan(values)
    y, g = values[known], clusters[known]
    n = int(y.size)
    if n == 0:
        return math.nan, math.nan, 0, 0
    codes, _ = pd.factorize(g)
    sums = np.bincount(codes, weights=y)
    counts = np.bincount(codes).astype(float)
    groups = int(sums.size)
    mean = float(y.mean())
    if groups < 2:
        return mean, math.nan, n, groups
    return mean, jackknife_variance(leave_one_out(sums, counts)), n, groups


def clustered_effect(
    offered: np.ndarray,
    offered_clusters: np.ndarray,
    holdout: np.ndarray,
    holdout_clusters: np.ndarray,
    better: str,
) -> dict:
    """The effect dict (reports.effects' keys) plus customer counts, se and p-value."""
    m1, v1, n1, g1 = cluster_mean(offered, offered_clusters)
    m2, v2, n2, g2 = cluster_mean(holdout, holdout_clusters)
    lift = m1 - m2 if n1 and n2 else math.nan
    interval, se, p_value = None, math.nan, math.nan
    if math.isfinite(lift) and math.isfinite(v1) and math.isfinite(v2):
        se = math.sqrt(v1 + v2)
        quantile = float(student_t.ppf(0.5 + stats.CONFIDENCE / 2, min(g1, g2) - 1))
        interval = (lift - quantile * se, lift + quantile * se)
        p_value = two_sided_p(lift, se)
    return {
        "offered": _round(m1),
        "holdout": _round(m2),
        "lift": _round(lift),
        "ci95": stats.rounded(interval, 4),
        "n_offered": n1,
        "n_holdout": n2,
        "customers_offered": g1,
        "customers_holdout": g2,
        "se": _round(se, 6),
        "p_value": _round(p_value, 6),
        "better": better,
    }


def two_sided_p(estimate: float, se: float) -> float:
    """The normal two-sided p-value of estimate / se (0 or 1 when se is 0)."""
    if se == 0:
        return 1.0 if estimate == 0 else 0.0
    return 2 * float(norm.sf(abs(estimate) / se))


def _round(value: float, digits: int = 4) -> float | None:
    return round(float(value), digits) if value is not None and math.isfinite(value) else None
