"""Many comparisons at once: corrected p-values and shrunk estimates for rankings.

- **Holm** (step-down Bonferroni) for a plan's secondary measures: a handful of measures,
  where a reader wants every "significant" one to hold (family-wise error <= 5 %) and Holm
  is uniformly more powerful than Bonferroni with the same guarantee.
- **Benjamini-Hochberg** for segment and automation rankings: hundreds of segments, where
  the question is which to look at first; BH keeps the expected share of false
  discoveries among those called distinguishable at 5 %.
- **Empirical-Bayes shrinkage** for ranking segment lifts: each segment's lift is pulled
  towards the average lift in proportion to its noise (normal-normal model, the spread of
  true lifts tau^2 by the DerSimonian-Laird moment estimator), so a small segment's lucky
  lift no longer tops the list.
"""

import math

import numpy as np

HOLM = "Holm step-down (family-wise error rate 5 %)"
BH = "Benjamini-Hochberg (false discovery rate 5 %)"
SHRINKAGE = "empirical Bayes normal-normal shrinkage, tau^2 by DerSimonian-Laird"
ALPHA = 0.05


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm-adjusted p-values (None stays None and is not counted)."""
    known = [(p, i) for i, p in enumerate(p_values) if p is not None]
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(sorted(known)):
        running = max(running, min(1.0, (len(known) - rank) * p))
        adjusted[i] = running
    return adjusted


def benjamini_hochberg(p_values: list[float | None]) -> list[float | None]:
    """BH-adjusted p-values (q-values); None stays None and is not counted."""
    known = sorted(((p, i) for i, p in enumerate(p_values) if p is not None), reverse=True)
    adjusted: list[float | None] = [None] * len(p_values)
    m = len(known)
    running = 1.0
    for position, (p, i) in enumerate(known):
        rank = m - position
        running = min(running, p * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted


def shrink(estimates: np.ndarray, ses: np.ndarray) -> dict:
    """{shrunk, shrunk_sd, prior_mean, tau2} for estimates with standard errors `ses`."""
    estimates, ses = np.asarray(estimates, float), np.asarray(ses, float)
    usable = np.isfinite(estimates) & np.isfinite(ses) & (ses > 0)
    shrunk = np.full(estimates.shape, np.nan)
    shrunk_sd = np.full(estimates.shape, np.nan)
    if usable.sum() < 2:
        return {"shrunk": shrunk, "shrunk_sd": shrunk_sd, "prior_mean": None, "tau2": None}
    d, s2 = estimates[usable], ses[usable] ** 2
    w = 1 / s2
    fixed_mean = float((w * d).sum() / w.sum())
    q = float((w * (d - fixed_mean) ** 2).sum())
    denominator = float(w.sum() - (w**2).sum() / w.sum())
    tau2 = max(0.0, (q - (d.size - 1)) / denominator) if denominator > 0 else 0.0
    w_random = 1 / (s2 + tau2)
    prior_mean = float((w_random * d).sum() / w_random.sum())
    factor = tau2 / (tau2 + s2)
    shrunk[usable] = prior_mean + factor * (d - prior_mean)
    shrunk_sd[usable] = np.sqrt(factor * s2)
    return {"shrunk": shrunk, "shrunk_sd": shrunk_sd, "prior_mean": prior_mean, "tau2": tau2}


def rounded(values, digits: int = 6) -> list[float | None]:
    return [None if v is None or not math.isfinite(v) else round(float(v), digits) for v in values]
