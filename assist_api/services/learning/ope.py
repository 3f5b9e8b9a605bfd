"""Off-policy estimators: what a candidate policy's VE success rate would have been.

On logged decisions i with reward r_i (VE success), the logged action's propensity
mu_i = mu(a_i | x_i) and the candidate's probability of that same action pi_i, the
importance weight is w_i = pi_i / mu_i and

    IPS   = mean(w r)                                  unbiased when mu is right
    SNIPS = sum(w r) / sum(w)                          biased, much lower variance
    DR    = mean(v_hat + w (r - q_hat))                unbiased if either mu or q_hat is right

where q_hat_i is a reward model's prediction for the logged action and v_hat_i the
reward model's value of the candidate's policy at x_i (sum_a pi(a|x_i) q_hat(x_i, a)).
The 95 % intervals resample customers, not decisions: a customer's contacts share a
holdout arm and a disposition, so resampling rows would understate the spread. The
effective sample size (sum w)^2 / sum w^2 says how many decisions the estimate really
rests on; below a threshold the estimate is refused rather than reported.
"""

from dataclasses import dataclass

import numpy as np

from training.bootstrap import BOOTSTRAP_DRAWS, cluster_sums, interval, ratio_bootstrap

ESTIMATORS = ("ips", "snips", "dr")
MIN_ESS = 30.0


class ThinSupport(ValueError):
    """The logged decisions say too little about the candidate policy to estimate it."""


@dataclass(frozen=True)
class Logged:
    """Logged decisions as arrays of equal length (one entry per decision)."""

    customer: np.ndarray  # cluster id of each decision
    reward: np.ndarray  # 0/1 VE success
    propensity: np.ndarray  # mu(a_i | x_i) of the logged action
    target: np.ndarray  # pi(a_i | x_i) of the candidate for the same action
    q_logged: np.ndarray  # reward model's prediction for the logged action
    v_target: np.ndarray  # reward model's value of the candidate at x_i

    def weights(self) -> np.ndarray:
        mu = np.asarray(self.propensity, float)
        if len(mu) and (not np.all(np.isfinite(mu)) or mu.min() <= 0):
            raise ValueError("every logged propensity must be a probability above 0")
        return np.asarray(self.target, float) / mu


def ips(reward, w) -> float:
    return float(np.mean(np.asarray(w) * np.asarray(reward)))


def snips(reward, w) -> float:
    w = np.asarray(w, float)
    total = w.sum()
    return float(np.sum(w * np.asarray(reward)) / total) if total > 0 else float("nan")


def dr(reward, w, q_logged, v_target) -> float:
    return float(np.mean(dr_terms(reward, w, q_logged, v_target)))


def dr_terms(reward, w, q_logged, v_target) -> np.ndarray:
    reward, q_logged = np.asarray(reward, float), np.asarray(q_logged, float)
    return np.asarray(v_target, float) + np.asarray(w, float) * (reward - q_logged)


def effective_sample_size(w) -> float:
    w = np.asarray(w, float)
    squares = float(np.sum(w**2))
    return float(w.sum() ** 2 / squares) if squares > 0 else 0.0


def estimate(
    logged: Logged, *, min_ess: float = MIN_ESS, draws: int = BOOTSTRAP_DRAWS, seed: int = 0
) -> dict:
    """{"estimates": {ips|snips|dr: {value, ci95}}, "ess", "n_decisions", "matched"}.

    Raises ThinSupport when the effective sample size is below `min_ess`.
    """
    w = logged.weights()
    ess = effective_sample_size(w)
    n = len(w)
    if ess < min_ess:
        raise ThinSupport(
            f"effective sample size {ess:.1f} of {n} logged decisions is below {min_ess:g}: "
            "the logged policy rarely did what this policy would do; log more exploration "
            "or widen the period"
        )
    r = np.asarray(logged.reward, float)
    terms = dr_terms(r, w, logged.q_logged, logged.v_target)
    ones = np.ones(n)
    wr, w_sum, dr_sum, count = cluster_sums(logged.customer, w * r, w, terms, ones)
    boot = ratio_bootstrap(
        {"ips": wr, "snips": wr, "dr": dr_sum},
        {"ips": count, "snips": w_sum, "dr": count},
        draws=draws,
        seed=seed,
    )
    values = {"ips": ips(r, w), "snips": snips(r, w), "dr": float(terms.mean())}
    return {
        "estimates": {k: {"value": values[k], "ci95": interval(boot[k])} for k in ESTIMATORS},
        "ess": ess,
        "n_decisions": n,
        "matched": int(np.count_nonzero(w)),
    }


def observed(customer, reward, draws: int = BOOTSTRAP_DRAWS, seed: int = 0) -> dict:
    """The logged policy's own success rate with a customer-bootstrap interval."""
    reward = np.asarray(reward, float)
    total, count = cluster_sums(customer, reward, np.ones(len(reward)))
    boot = ratio_bootstrap({"rate": total}, {"rate": count}, draws=draws, seed=seed)
    return {"value": float(reward.mean()), "ci95": interval(boot["rate"]), "n": len(reward)}
