"""Calibrate probabilities only when it helps, and measure calibration the same way always.

The candidates (none, isotonic, Platt) are compared by out-of-fold expected calibration
error on the validation part: each fold's map is fitted on the other folds, so a method
is not judged on the rows it was fitted to (isotonic regression would always win there).
The winner is refitted on the whole validation part and stored as plain numbers
(`models.calibration.Calibrator`) that the service applies with numpy.
"""

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from models.calibration import Calibrator

ECE_BINS = 10  # equal-width bins over [0, 1], the usual definition
FOLDS = 5  # contiguous blocks of the (time-ordered) validation part
# A map is used only if, out of fold, it lowers log loss by this much AND lowers ECE. ECE
# alone is too noisy to decide on a few thousand rows (a calibrated model's ECE moves by
# about 0.005 from sample to sample); log loss is a proper score and far steadier.
MIN_LOG_LOSS_GAIN = 0.0005
EPS = 1e-7


def reliability_table(y, p, bins: int = ECE_BINS) -> list[dict]:
    """Per equal-width bin: rows, mean predicted probability and observed success rate."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    index = np.clip((p * bins).astype(int), 0, bins - 1)
    table = []
    for b in range(bins):
        mask = index == b
        count = int(mask.sum())
        table.append(
            {
                "lower": b / bins,
                "upper": (b + 1) / bins,
                "rows": count,
                "mean_predicted": float(p[mask].mean()) if count else None,
                "observed_rate": float(y[mask].mean()) if count else None,
            }
        )
    return table


def expected_calibration_error(y, p, bins: int = ECE_BINS) -> float:
    """Row-weighted mean |observed rate - mean prediction| over equal-width bins."""
    table = reliability_table(y, p, bins)
    total = sum(row["rows"] for row in table)
    if total == 0:
        return float("nan")
    return float(
        sum(
            row["rows"] * abs(row["observed_rate"] - row["mean_predicted"])
            for row in table
            if row["rows"]
        )
        / total
    )


def log_loss(y, p) -> float:
    y, p = np.asarray(y, float), np.clip(np.asarray(p, float), EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def fit_isotonic(p, y) -> Calibrator:
    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    model.fit(np.asarray(p, float), np.asarray(y, float))
    x, fitted = model.X_thresholds_, model.y_thresholds_
    if len(x) < 2:  # a constant map carries no information: keep the raw scores
        return Calibrator()
    return Calibrator("isotonic", tuple(map(float, x)), tuple(map(float, fitted)))


def fit_platt(p, y) -> Calibrator:
    clipped = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    logit = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    model = LogisticRegression(C=1e6, max_iter=1000).fit(logit, np.asarray(y, int))
    return Calibrator("platt", a=float(model.coef_[0, 0]), b=float(model.intercept_[0]))


FITTERS = {"isotonic": fit_isotonic, "platt": fit_platt}


def out_of_fold(p, y, method: str, folds: int = FOLDS) -> np.ndarray:
    """Each block's calibrated probabilities from a map fitted on the other blocks."""
    p, y = np.asarray(p, float), np.asarray(y, int)
    blocks = np.array_split(np.arange(len(p)), folds)
    result = np.empty_like(p)
    for block in blocks:
        rest = np.setdiff1d(np.arange(len(p)), block, assume_unique=True)
        if len(np.unique(y[rest])) < 2:
            result[block] = p[block]
            continue
        result[block] = FITTERS[method](p[rest], y[rest]).apply(p[block])
    return result


def choose_calibrator(p_valid, y_valid) -> tuple[Calibrator, dict]:
    """The calibration map to ship, and the out-of-fold evidence behind the choice."""
    p_valid, y_valid = np.asarray(p_valid, float), np.asarray(y_valid, int)
    evidence = {
        "none": {
            "ece": expected_calibration_error(y_valid, p_valid),
            "log_loss": log_loss(y_valid, p_valid),
        }
    }
    if len(np.unique(y_valid)) < 2 or len(p_valid) < FOLDS * 20:
        return Calibrator(), {"chosen": "none", "reason": "too little validation data", **evidence}
    for method in FITTERS:
        calibrated = out_of_fold(p_valid, y_valid, method)
        evidence[method] = {
            "ece": expected_calibration_error(y_valid, calibrated),
            "log_loss": log_loss(y_valid, calibrated),
        }
    baseline = evidence["none"]
    eligible = [
        m
        for m in FITTERS
        if evidence[m]["log_loss"] <= baseline["log_loss"] - MIN_LOG_LOSS_GAIN
        and evidence[m]["ece"] < baseline["ece"]
    ]
    if not eligible:
        reason = (
            f"no map lowered out-of-fold log loss by {MIN_LOG_LOSS_GAIN} and ECE: "
            "the raw probabilities are kept"
        )
        return Calibrator(), {"chosen": "none", "reason": reason, **evidence}
    best = min(eligible, key=lambda m: evidence[m]["ece"])
    reason = "out-of-fold ECE {:.4f} -> {:.4f}".format(baseline["ece"], evidence[best]["ece"])
    calibrator = FITTERS[best](p_valid, y_valid)
    return calibrator, {"chosen": calibrator.method, "reason": reason, **evidence}
