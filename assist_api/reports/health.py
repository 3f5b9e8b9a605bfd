"""Is the experiment sound? Checks shown on every report, before any effect is believed.

- **Sample ratio** (SRM): are the control group's customers the configured share? A
  chi-square goodness-of-fit test on customers per arm (the randomised unit); flagged at
  p < 0.001, the usual threshold for a broken assignment rather than chance.
- **Outcome recording per arm**: is each outcome recorded as often in the control group as
  among offered customers? Agents enter the VES survey on a desk that shows them the arm,
  so recording can depend on the arm, and a difference biases every comparison of that
  outcome. A pooled two-proportion z test (contact-level outcomes with the
  customer-clustered variance), flagged at p < 0.001.
- **A bound when they differ**: Lee (2009) trimming bounds — the arm that recorded more
  has its excess share of values trimmed from the top, then from the bottom, giving the
  range the lift can lie in whatever the missing values were (assuming the offer only
  ever adds, never removes, a record). Bounds on the estimate, before sampling error.
- **No outcome yet**: the share of contacts with no outcome field recorded at all.
- **Both arms**: customers whose contacts fall in both arms (should be none).
- **A small control group** (a warning, not a failure): below SMALL_CONTROL customers the
  coverage study (bench/roi_coverage.py) measured the retained-value interval at ~90 % and
  the clustered VES interval at ~92 % with strongly correlated contacts, instead of 95 %.
"""

import math

import numpy as np
import pandas as pd
from scipy.stats import chi2

from assist_api.reports.clustered import two_sided_p

FLAG_P = 0.001
SMALL_CONTROL = 300  # control customers below which intervals measured too narrow
SRM_METHOD = "chi-square goodness of fit on customers per arm (1 df), flagged at p < 0.001"
RECORDING_METHOD = (
    "pooled two-proportion z test of recording rates per arm (customer-clustered variance "
    "for contact-level outcomes), flagged at p < 0.001; Lee (2009) trimming bounds on the "
    "lift when flagged"
)
CONTACT_OUTCOMES = ("ve_success", "csat", "nps", "ces", "resolved", "handle_seconds")
CUSTOMER_OUTCOMES = ("retained_60d", "wallet_change")


def sample_ratio(n_offered: int, n_holdout: int, holdout_rate: float) -> dict:
    """SRM chi-square of customers per arm against the configured holdout share."""
    total = n_offered + n_holdout
    result = {
        "customers_offered": int(n_offered),
        "customers_holdout": int(n_holdout),
        "expected_holdout_share": holdout_rate,
        "observed_holdout_share": round(n_holdout / total, 4) if total else None,
        "chi2": None,
        "p_value": None,
        "flag": False,
        "method": SRM_METHOD,
    }
    if total == 0 or not 0 < holdout_rate < 1:
        return result
    expected = np.array([total * (1 - holdout_rate), total * holdout_rate])
    statistic = float((((np.array([n_offered, n_holdout]) - expected) ** 2) / expected).sum())
    p_value = float(chi2.sf(statistic, 1))
    return {
        **result,
        "chi2": round(statistic, 3),
        "p_value": _sig(p_value),
        "flag": p_value < FLAG_P,
    }


def lee_bounds(offered: np.ndarray, holdout: np.ndarray, rate_offered: float, rate_holdout: float):
    """(low, high) of mean(offered) - mean(holdout) after trimming the over-recorded arm.

    `offered` and `holdout` hold only the recorded values.
    """
    if not offered.size or not holdout.size or max(rate_offered, rate_holdout) == 0:
        return None
    high_rate, low_rate = max(rate_offered, rate_holdout), min(rate_offered, rate_holdout)
    keep = low_rate / high_rate
    if rate_offered >= rate_holdout:
        low_mean, high_mean = _trimmed_means(offered, keep)
        return low_mean - holdout.mean(), high_mean - holdout.mean()
    low_mean, high_mean = _trimmed_means(holdout, keep)
    return offered.mean() - high_mean, offered.mean() - low_mean


def _trimmed_means(values: np.ndarray, keep: float) -> tuple[float, float]:
    """Means of the lowest and of the highest `keep` share of values (fractional at the cut)."""
    ordered = np.sort(values)
    k = keep * ordered.size
    whole = int(math.floor(k))
    part = k - whole

    def mean_of(sequence: np.ndarray) -> float:
        total = sequence[:whole].sum() + (part * sequence[whole] if part else 0.0)
        return float(total / k) if k > 0 else float(sequence[0])

    return mean_of(ordered), mean_of(ordered[::-1])


def _recording(recorded: np.ndarray, holdout: np.ndarray, clusters: np.ndarray | None) -> dict:
    """Recording rates per arm and the pooled z test of their difference.

    Under "recorded equally often" both arms share the pooled rate, so each arm's variance
    is taken around it (the score test); for contact-level outcomes that variance is the
    customer-clustered sandwich around the pooled rate.
    """
    flags = recorded.astype(float)
    pooled = float(flags.mean()) if flags.size else math.nan
    parts = []
    for arm in (~holdout, holdout):
        values = flags[arm]
        n = int(values.size)
        rate = float(values.mean()) if n else math.nan
        if not n:
            variance = math.nan
        elif clusters is None:
            variance = pooled * (1 - pooled) / n
        else:
            codes, _ = pd.factorize(clusters[arm])
            residual = np.bincount(codes, weights=values - pooled)
            groups = residual.size
            variance = (
                groups / (groups - 1) * float(np.sum(residual**2)) / n**2
                if groups > 1
                else math.nan
            )
        parts.append((rate, variance, n))
    (r1, v1, n1), (r2, v2, n2) = parts
    p_value = math.nan
    if n1 and n2 and math.isfinite(v1 + v2):
        p_value = two_sided_p(r1 - r2, math.sqrt(v1 + v2))
    return {
        "rate_offered": _sig(r1, 4),
        "rate_holdout": _sig(r2, 4),
        "n_offered": n1,
        "n_holdout": n2,
        "p_value": _sig(p_value),
        "flag": bool(math.isfinite(p_value) and p_value < FLAG_P),
    }


def outcome_recording(frame: pd.DataFrame, customers: pd.DataFrame) -> dict:
    """{measure: recording rates per arm, flag, and Lee bounds when flagged}."""
    result = {}
    for names, rows, clustered in (
        (CONTACT_OUTCOMES, frame, True),
        (CUSTOMER_OUTCOMES, customers, False),
    ):
        holdout = rows["holdout"].to_numpy(bool)
        clusters = rows["customer_id"].to_numpy() if clustered else None
        for name in names:
            values = rows[name].to_numpy(float)
            recorded = ~np.isnan(values)
            check = _recording(recorded, holdout, clusters)
            check["unit"] = "contact" if clustered else "customer"
            check["bounds"] = None
            if check["flag"]:
                bounds = lee_bounds(
                    values[~holdout & recorded],
                    values[holdout & recorded],
                    check["rate_offered"],
                    check["rate_holdout"],
                )
                check["bounds"] = None if bounds is None else [_sig(b, 4) for b in bounds]
            result[name] = check
    return result


def experiment_health(frame: pd.DataFrame, customers: pd.DataFrame, holdout_rate: float) -> dict:
    """Every check, plus `flags`: the names of those that failed (empty when sound)."""
    holdout = customers["holdout"].to_numpy(bool)
    srm = sample_ratio(int((~holdout).sum()), int(holdout.sum()), holdout_rate)
    recording = outcome_recording(frame, customers)
    outcome_columns = [*CONTACT_OUTCOMES, "wallet_change", "retained_60d"]
    no_outcome = frame[outcome_columns].isna().all(axis=1).to_numpy() if len(frame) else None
    contact_arm = frame["holdout"].to_numpy(bool)
    mixed = int(customers["mixed_arms"].sum()) if len(customers) else 0
    flags = (["sample_ratio"] if srm["flag"] else []) + [
        f"recording:{name}" for name, check in recording.items() if check["flag"]
    ]
    if mixed:
        flags.append("customers_in_both_arms")
    warnings = ["small_control_group"] if 0 < int(holdout.sum()) < SMALL_CONTROL else []
    return {
        "sound": not flags,
        "flags": flags,
        "warnings": warnings,
        "sample_ratio": srm,
        "outcome_recording": recording,
        "no_outcome_yet": {
            "offered": _share(no_outcome, ~contact_arm),
            "holdout": _share(no_outcome, contact_arm),
            "all": _share(no_outcome, np.ones_like(contact_arm)),
        },
        "customers_in_both_arms": mixed,
        "methods": {"sample_ratio": SRM_METHOD, "outcome_recording": RECORDING_METHOD},
    }


def _share(flags: np.ndarray | None, mask: np.ndarray) -> float | None:
    if flags is None or not mask.any():
        return None
    return round(float(flags[mask].mean()), 4)


def _sig(value: float, digits: int = 6) -> float | None:
    return round(float(value), digits) if value is not None and math.isfinite(value) else None
