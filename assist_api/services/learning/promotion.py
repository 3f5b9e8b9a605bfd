"""Promotion beyond noise: a paired bootstrap over test customers.

On the same test rows, each row's log-loss difference d_i = loss(champion) - loss(candidate)
is positive where the candidate does better. The candidate is promoted only when the
95 % interval of the mean difference, from resampling test *customers* (a customer's
contacts are not independent), lies above zero — so an equally good candidate is promoted
about 2.5 % of the time whatever the test size, instead of whenever a fixed gain of 0.001
happens to be cleared by noise. When off-policy estimates exist for both models, the
candidate must also not be worse beyond its interval: its DR interval's upper end may not
fall below the champion's DR value.
"""

from dataclasses import dataclass

import numpy as np

from assist_api.services.learning.ope import cluster_sums, interval, ratio_bootstrap

EPS = 1e-15
DRAWS = 2000
RULE = (
    "promote when the 95 % paired-bootstrap interval (over test customers) of the champion's "
    "minus the candidate's test log loss lies above 0, and, where logged decisions exist, the "
    "candidate's off-policy DR interval does not lie wholly below the champion's DR value; a "
    "changed feature spec needs `promote --force`"
)


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reason: str
    gain: float  # mean log-loss improvement of the candidate (positive = better)
    ci95: list[float]

    def as_dict(self) -> dict:
        return {
            "promote": self.promote,
            "reason": self.reason,
            "log_loss_gain": self.gain,
            "log_loss_gain_ci95": self.ci95,
        }


def row_log_loss(y, p) -> np.ndarray:
    y = np.asarray(y, float)
    p = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def paired_gain(customer, y, p_champion, p_candidate, draws: int = DRAWS, seed: int = 0):
    """(mean gain, 95 % interval) of the candidate's log-loss improvement, by customer."""
    d = row_log_loss(y, p_champion) - row_log_loss(y, p_candidate)
    sums, counts = cluster_sums(customer, d, np.ones(len(d)))
    boot = ratio_bootstrap({"gain": sums}, {"gain": counts}, draws=draws, seed=seed)
    return float(d.mean()), interval(boot["gain"])


def judge(
    customer,
    y,
    p_champion,
    p_candidate,
    *,
    off_policy: dict | None = None,
    draws: int = DRAWS,
    seed: int = 0,
) -> Verdict:
    """Apply the rule. `off_policy`: {"candidate": {value, ci95}, "champion": {value, ...}}
    (DR estimates on the same logged decisions), or None when there are none."""
    gain, ci = paired_gain(customer, y, p_champion, p_candidate, draws=draws, seed=seed)
    numbers = f"log loss gain {gain:+.4f} (95 % CI {ci[0]:+.4f} to {ci[1]:+.4f})"
    if not ci[0] > 0:
        return Verdict(False, f"not better beyond noise: {numbers}", gain, ci)
    if off_policy is not None:
        candidate, champion = off_policy["candidate"], off_policy["champion"]
        if candidate["ci95"][1] < champion["value"]:
            return Verdict(
                False,
                f"{numbers}, but the off-policy value {candidate['value']:.4f} "
                f"(95 % CI to {candidate['ci95'][1]:.4f}) is below the champion's "
                f"{champion['value']:.4f}",
                gain,
                ci,
            )
        numbers += f"; off-policy DR {candidate['value']:.4f} vs {champion['value']:.4f}"
    return Verdict(True, f"better beyond noise: {numbers}", gain, ci)
