"""The retention a VE success adds, measured on the contact centre's own control group.

Value routing turns a rise in P(VE success) into retained value with the retention one
success adds. DOMAIN.md publishes 17 points (90 vs 73 % where switching is hard, 69 vs
52 % where it is easy); a contact centre's own customers may differ. The card control
group is drawn per customer, so the offer's intention-to-treat (ITT) effects on retention
and on VE success are both causal; their ratio (the Wald estimator) is the retention per
VE success the offer caused, assuming the offer moves retention only through VE success.

The interval is Fieller's: it stays honest when the VE-success effect is small, where a
delta-method interval would be far too narrow. Until both arms have `min_customers`
customers with retention and VE success known and Fieller's interval is bounded (the
VE-success effect clear of zero), routing keeps the published figure and says why.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

PUBLISHED_GAIN = 0.17  # DOMAIN.md: 90 vs 73 % (high effort), 69 vs 52 % (low effort)
MIN_CUSTOMERS = 300  # per arm, with retention and VE success both known
LEVEL = 0.90


@dataclass(frozen=True)
class RetentionGain:
    """Retained share per VE success, and where the figure comes from."""

    value: float
    source: str  # "measured": this centre's control group; "published": DOMAIN.md
    ci90: tuple[float, float] | None = None
    n_offered: int = 0  # customers with both facts known, outside the control group
    n_control: int = 0  # ... and inside it
    note: str = ""

    @property
    def for_routing(self) -> float:
        """The figure routing multiplies by: a share, so within [0, 1]."""
        return min(max(self.value, 0.0), 1.0)

    def describe(self) -> str:
        if self.source == "published":
            return f"retention per VE success {self.value:.2f} (published figure; {self.note})"
        low, high = self.ci90
        return (
            f"retention per VE success {self.value:.2f} measured on the control group "
            f"(90% CI {low:.2f} to {high:.2f}; {self.n_offered} offered, "
            f"{self.n_control} control customers)"
        )


PUBLISHED = RetentionGain(PUBLISHED_GAIN, "published", note="not yet measured")


def fieller_interval(
    a: float, b: float, var_a: float, var_b: float, cov_ab: float, z: float
) -> tuple[float, float] | None:
    """The interval for a / b from two jointly normal estimates; None when it is
    unbounded (b not clear of zero at this level)."""
    quad = b * b - z * z * var_b
    if quad <= 0:
        return None
    half = a * b - z * z * cov_ab
    disc = half * half - quad * (a * a - z * z * var_a)
    root = math.sqrt(max(disc, 0.0))
    return ((half - root) / quad, (half + root) / quad)


def _arm(retained: np.ndarray, success: np.ndarray) -> tuple[float, float, float, float, float]:
    """(mean retention, mean success, and the three (co)variances of those means)."""
    n = retained.size
    cov = np.cov(retained, success, ddof=1)
    return retained.mean(), success.mean(), cov[0, 0] / n, cov[1, 1] / n, cov[0, 1] / n


def measure_retention_gain(
    retained: np.ndarray,
    ve_success: np.ndarray,
    holdout: np.ndarray,
    *,
    min_customers: int = MIN_CUSTOMERS,
    level: float = LEVEL,
) -> RetentionGain:
    """ITT retention / ITT VE success over customers (one row each: retained 0/1 or NaN,
    any VE success 0/1 or NaN, in the card control group or not); PUBLISHED with the
    reason when the data cannot carry the estimate."""
    retained, ve_success = np.asarray(retained, float), np.asarray(ve_success, float)
    holdout = np.asarray(holdout, bool)
    known = ~np.isnan(retained) & ~np.isnan(ve_success)
    offered, control = known & ~holdout, known & holdout
    n_offered, n_control = int(offered.sum()), int(control.sum())
    counts = {"n_offered": n_offered, "n_control": n_control}
    if min(n_offered, n_control) < min_customers:
        note = f"needs {min_customers} customers per arm with retention and VE success known"
        return RetentionGain(PUBLISHED_GAIN, "published", note=note, **counts)
    r1, s1, vr1, vs1, c1 = _arm(retained[offered], ve_success[offered])
    r0, s0, vr0, vs0, c0 = _arm(retained[control], ve_success[control])
    a, b = r1 - r0, s1 - s0
    z = float(norm.ppf(0.5 + level / 2))
    interval = fieller_interval(a, b, vr1 + vr0, vs1 + vs0, c1 + c0, z)
    if interval is None:
        note = f"the offer's effect on VE success ({b:+.3f}) is not clear of zero yet"
        return RetentionGain(PUBLISHED_GAIN, "published", note=note, **counts)
    return RetentionGain(a / b, "measured", interval, **counts)


def answer_gain(gain: RetentionGain | None) -> dict | None:
    """The answer's `route.retention_gain` (None: value routing did not weigh pools)."""
    if gain is None:
        return None
    return {
        "value": round(gain.value, 4),
        "source": gain.source,
        "ci90": [round(x, 4) for x in gain.ci90] if gain.ci90 else None,
    }
