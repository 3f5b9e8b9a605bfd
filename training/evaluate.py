"""Judge a model on the test part: one plain dict, logged to MLflow and rendered afterwards.

`overall` (discrimination and calibration), `reliability`, `lift`, `per_slice` (channel,
contact reason, language), `importance` (gain share and mean |contribution|), `bands`
(openness bands on the test interactions) and, when the simulator's truth is at hand,
`truth`: the oracle AUC on the same rows and the card-choice regret of the model, the
logged agents and a random choice.
"""

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from features.spec import FEATURE_NAMES
from features.vocabulary import ACTIVITIES, primary_language
from training.calibrate import expected_calibration_error, log_loss, reliability_table
from training.dataset import ACTIVITY, LABEL

SLICES = ("channel", "contact_reason", "language")
MIN_SLICE_ROWS = 30
CONTRIBUTION_SAMPLE = 5000
LIFT_GROUPS = 10
NOISE_DRAWS = 20
EMPTY = "(empty)"


def auc_or_none(y, p) -> float | None:
    y = np.asarray(y)
    return float(roc_auc_score(y, p)) if len(y) and 0 < y.sum() < len(y) else None


def overall_metrics(y, p) -> dict:
    y, p = np.asarray(y, float), np.asarray(p, float)
    return {
        "rows": int(len(y)),
        "success_rate": float(y.mean()),
        "roc_auc": auc_or_none(y, p),
        "pr_auc": float(average_precision_score(y, p)) if 0 < y.sum() < len(y) else None,
        "log_loss": log_loss(y, p),
        "brier": float(np.mean((p - y) ** 2)),
        "ece": expected_calibration_error(y, p),
    }


def ece_noise_floor(p, draws: int = NOISE_DRAWS, seed: int = 0) -> float:
    """The ECE a perfectly calibrated model would still show on this many rows.

    Labels are drawn from the predictions themselves, so any ECE measured here is
    sampling noise: read the test ECE against it, not against zero.
    """
    p = np.asarray(p, float)
    rng = np.random.default_rng(seed)
    return float(
        np.mean([expected_calibration_error(rng.random(len(p)) < p, p) for _ in range(draws)])
    )


def lift_table(y, p, groups: int = LIFT_GROUPS) -> list[dict]:
    """Test rows in groups of falling score: success rate, lift and cumulative gain."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    order = np.argsort(-p, kind="stable")
    total_positive, base_rate = max(y.sum(), 1.0), max(y.mean(), 1e-12)
    table, cumulative = [], 0.0
    for k, index in enumerate(np.array_split(order, groups), start=1):
        cumulative += y[index].sum()
        rate = float(y[index].mean()) if len(index) else 0.0
        table.append(
            {
                "group": k,
                "rows": int(len(index)),
                "mean_predicted": float(p[index].mean()) if len(index) else 0.0,
                "success_rate": rate,
                "lift": rate / base_rate,
                "cumulative_gain": float(cumulative / total_positive),
            }
        )
    return table


def slice_values(rows: pd.DataFrame, column: str) -> np.ndarray:
    values = rows[column].astype(object).where(rows[column].notna(), None)
    if column == "language":
        values = values.map(lambda v: primary_language(v) if isinstance(v, str) else None)
    return values.map(lambda v: v if isinstance(v, str) and v else EMPTY).to_numpy(object)


def per_slice(rows: pd.DataFrame, p) -> dict:
    y, p, out = rows[LABEL].to_numpy(float), np.asarray(p, float), {}
    for column in SLICES:
        values, out[column] = slice_values(rows, column), {}
        for value in sorted(set(values)):
            mask = values == value
            if mask.sum() < MIN_SLICE_ROWS:
                continue
            out[column][value] = {
                "rows": int(mask.sum()),
                "success_rate": float(y[mask].mean()),
                "roc_auc": auc_or_none(y[mask], p[mask]),
            }
    return out


def importance(booster, X: np.ndarray) -> dict:
    gain = booster.feature_importance(importance_type="gain")
    share = gain / gain.sum() if gain.sum() > 0 else gain
    sample = X[np.linspace(0, len(X) - 1, min(len(X), CONTRIBUTION_SAMPLE)).astype(int)]
    contributions = booster.predict(sample, pred_contrib=True)[:, : len(FEATURE_NAMES)]
    mean_abs = np.abs(contributions).mean(axis=0)
    ranked = np.argsort(-share)
    return {
        "gain_share": {FEATURE_NAMES[i]: float(share[i]) for i in ranked},
        "mean_abs_contribution": {FEATURE_NAMES[i]: float(mean_abs[i]) for i in ranked},
    }


def band_summary(rows: pd.DataFrame, openness, thresholds: tuple[float, float]) -> dict:
    """Share of test interactions per openness band and the success rate seen in each."""
    openness, y = np.asarray(openness, float), rows[LABEL].to_numpy(float)
    band = np.where(
        openness >= thresholds[1], "high", np.where(openness >= thresholds[0], "medium", "low")
    )
    out = {"thresholds": list(thresholds)}
    for name in ("low", "medium", "high"):
        mask = band == name
        out[name] = {
            "share": float(mask.mean()) if len(mask) else 0.0,
            "success_rate": float(y[mask].mean()) if mask.any() else None,
        }
    return out


def truth_metrics(rows: pd.DataFrame, activity_probs: np.ndarray, truth: pd.DataFrame) -> dict:
    """Oracle AUC and card-choice regret on the test rows the truth covers.

    Regret = mean over interactions of (true P(success) of the truly best activity) minus
    (true P(success) of the activity chosen): by the model (its top activity), by the
    logged agents (what they attempted) and by a uniformly random choice (expected).
    """
    columns = [f"p_{a}" for a in ACTIVITIES]
    joined = (
        rows[["interaction_id", ACTIVITY, LABEL]]
        .reset_index(drop=True)
        .merge(truth[["interaction_id", *columns]], on="interaction_id", how="left")
    )
    covered = joined[columns].notna().all(axis=1).to_numpy()
    if not covered.any():
        return {"rows": 0}
    true_p = joined.loc[covered, columns].to_numpy(float)
    model_p = np.asarray(activity_probs)[covered]
    attempted = joined.loc[covered, ACTIVITY].map(ACTIVITIES.index).to_numpy(int)
    y = joined.loc[covered, LABEL].to_numpy(float)
    n = np.arange(len(true_p))
    best = true_p.max(axis=1)
    regret_model = float(np.mean(best - true_p[n, model_p.argmax(axis=1)]))
    regret_agents = float(np.mean(best - true_p[n, attempted]))
    p_attempted_model = model_p[n, attempted]
    observable = [f"p_obs_{a}" for a in ACTIVITIES]
    extra = {}
    if all(c in truth.columns for c in observable):
        obs = joined.loc[covered].merge(truth[["interaction_id", *observable]], how="left")
        obs_p = obs[observable].to_numpy(float)
        extra["observable_oracle_roc_auc"] = auc_or_none(y, obs_p[n, attempted])
        extra["regret_observable_oracle"] = float(np.mean(best - true_p[n, obs_p.argmax(1)]))
    return {
        **extra,
        "rows": int(covered.sum()),
        "oracle_roc_auc": auc_or_none(y, true_p[n, attempted]),
        "model_roc_auc": auc_or_none(y, p_attempted_model),
        "regret_model": regret_model,
        "regret_agents": regret_agents,
        "regret_random": float(np.mean(best - true_p.mean(axis=1))),
        "regret_ratio_to_agents": regret_model / regret_agents if regret_agents > 0 else None,
        "best_activity_agreement": float(np.mean(model_p.argmax(1) == true_p.argmax(1))),
        "mean_best_true_p": float(best.mean()),
    }


def evaluate(
    rows: pd.DataFrame,
    p_raw,
    p_calibrated,
    activity_probs: np.ndarray,
    booster,
    X: np.ndarray,
    truth: pd.DataFrame | None = None,
    band_thresholds: tuple[float, float] = (0.35, 0.55),
) -> dict:
    """The whole evaluation of one model on the test rows (label and activity included)."""
    y = rows[LABEL].to_numpy(float)
    overall = overall_metrics(y, p_calibrated)
    raw = overall_metrics(y, p_raw)
    overall["ece_before_calibration"] = raw["ece"]
    overall["log_loss_before_calibration"] = raw["log_loss"]
    overall["ece_noise_floor"] = ece_noise_floor(p_calibrated)
    report = {
        "overall": overall,
        "reliability": {
            "before": reliability_table(y, p_raw),
            "after": reliability_table(y, p_calibrated),
        },
        "lift": lift_table(y, p_calibrated),
        "per_slice": per_slice(rows, p_calibrated),
        "importance": importance(booster, X),
        "bands": band_summary(rows, np.asarray(activity_probs).max(axis=1), band_thresholds),
    }
    if truth is not None:
        report["truth"] = truth_metrics(rows, activity_probs, truth)
    return report


def flat_metrics(report: dict, prefix: str = "test_") -> dict[str, float]:
    """The numbers MLflow keeps as metrics (names: letters, digits and _ only)."""
    out = {f"{prefix}{k}": v for k, v in report["overall"].items() if v is not None}
    for k, v in report.get("truth", {}).items():
        if v is not None:
            out[f"{prefix}{k}"] = v
    for column, values in report["per_slice"].items():
        for value, stats in values.items():
            if stats["roc_auc"] is not None:
                out[f"{prefix}roc_auc_{column}_{value.strip('()')}"] = stats["roc_auc"]
    for band in ("low", "medium", "high"):
        out[f"{prefix}band_share_{band}"] = report["bands"][band]["share"]
    return {k: float(v) for k, v in out.items()}
