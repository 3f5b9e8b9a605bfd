"""Confidence intervals for the reports, each method named so a reader can check it.

- a proportion: Wilson score interval (good coverage even near 0 or 1 and for small n);
- a difference of two proportions: Newcombe's hybrid score interval (his method 10),
  built from the two Wilson intervals — no continuity correction;
- a difference of two means: Welch's t interval (unequal variances);
- contact-level measures: customer-clustered intervals (reports.clustered);
- the financial return (a CLV-weighted customer retention difference minus a handle-time
  cost difference): a normal interval with the customer jackknife variance
  (reports.financial).

Every function returns None instead of an interval when the data cannot support one
(an empty arm, a single observation), so reports show "no interval" rather than a
made-up one.
"""

import math

import numpy as np
from scipy.stats import t as student_t

CONFIDENCE = 0.95
Z = 1.959963984540054  # the standard normal's 97.5 % quantile
WILSON = "Wilson score interval"
NEWCOMBE = "Newcombe hybrid score interval (method 10), no continuity correction"
WELCH = "Welch t interval"


def wilson(successes: int, n: int) -> tuple[float, float] | None:
    """Wilson score interval of a proportion."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denominator
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float] | None:
    """Newcombe's interval for p1 - p2 from the Wilson intervals of p1 and p2."""
    first, second = wilson(x1, n1), wilson(x2, n2)
    if first is None or second is None:
        return None
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = first, second
    difference = p1 - p2
    return (
        difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float] | None:
    """Welch's interval for mean(a) - mean(b); arrays hold only observed values."""
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = a.var(ddof=1) / n1, b.var(ddof=1) / n2
    difference = float(a.mean() - b.mean())
    se = math.sqrt(v1 + v2)
    if se == 0:
        return difference, difference
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    half = float(student_t.ppf(0.5 + CONFIDENCE / 2, df)) * se
    return difference - half, difference + half


def normal_interval(estimate: float, variance: float) -> tuple[float, float]:
    half = Z * math.sqrt(max(variance, 0.0))
    return estimate - half, estimate + half


def rounded(interval: tuple[float, float] | None, digits: int = 4) -> list[float] | None:
    """[low, high] rounded, or None when there is no finite interval."""
    if interval is None or not all(math.isfinite(bound) for bound in interval):
        return None
    return [round(interval[0], digits), round(interval[1], digits)]
