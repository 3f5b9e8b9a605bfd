"""Offered vs holdout (intention to treat) for each success measure, overall or by group.

Offered means the customer was outside the card control group (`holdout` false), whether
or not the agent then used a card; holdout means inside it. Because the groups come from
a random, deterministic hash of the customer id, their difference is the causal effect of
offering cards — as long as the split dimension is fixed before the offer (switching
effort, contact reason, channel, segment, pool). Splits by activity compare contacts where
that activity was attempted in each group, which is descriptive, not randomised.
"""

from dataclasses import dataclass

import numpy as np

from assist_api.reports import stats


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str  # "share": a 0/1 column (effects in fractions) | "mean": a numeric column
    better: str  # "higher" | "lower"
    label: str


MEASURES = {
    m.name: m
    for m in (
        Measure("ve_success", "share", "higher", "VE success rate (both VES items >= 5)"),
        Measure("retained_60d", "share", "higher", "60-day retention"),
        Measure("csat", "share", "higher", "CSAT (share of 4-5)"),
        Measure("nps", "mean", "higher", "NPS (promoters - detractors, points)"),
        Measure("ces", "mean", "lower", "customer effort (CES, 1-7)"),
        Measure("resolved", "share", "higher", "resolution rate"),
        Measure("handle_seconds", "mean", "lower", "handle time (seconds)"),
        Measure("wallet_change", "mean", "higher", "wallet change"),
    )
}
DIGITS = 4


def _round(value) -> float | None:
    """Rounded, or None for a value that is missing or not finite (never NaN in JSON)."""
    return None if value is None or not np.isfinite(value) else round(float(value), DIGITS)


def effect(offered: np.ndarray, holdout: np.ndarray, measure: Measure) -> dict:
    """{offered, holdout, lift, ci95, n_offered, n_holdout, ...} from two columns with NaN
    for not-yet-known values."""
    a, b = offered[~np.isnan(offered)], holdout[~np.isnan(holdout)]
    mean_a = float(a.mean()) if a.size else None
    mean_b = float(b.mean()) if b.size else None
    lift = mean_a - mean_b if a.size and b.size else None
    if measure.kind == "share":
        interval = stats.newcombe(int(a.sum()), a.size, int(b.sum()), b.size)
    else:
        interval = stats.welch(a, b)
    return {
        "offered": _round(mean_a),
        "holdout": _round(mean_b),
        "lift": _round(lift),
        "ci95": stats.rounded(interval, DIGITS),
        "n_offered": int(a.size),
        "n_holdout": int(b.size),
        "better": measure.better,
    }


def proportion(values: np.ndarray) -> dict:
    """A single share with its Wilson interval (NaN values are not yet known)."""
    observed = values[~np.isnan(values)]
    n = int(observed.size)
    successes = int(observed.sum())
    return {
        "rate": _round(successes / n) if n else None,
        "ci95": stats.rounded(stats.wilson(successes, n), DIGITS),
        "n": n,
    }
