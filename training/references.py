"""References printed beside the product: is the model any better than the obvious?

- **plain reference**: `lightgbm.LGBMClassifier()` with its default settings on the same
  rows (train + validation) and the raw import columns (the reason as given, no text),
  scored on the same test rows — what a data scientist would try first;
- **logged agents**: the activities the agents chose (regret only);
- **observable oracle** and **oracle**, when the simulator's truth is beside the data
  (`p_obs_<activity>` and `p_<activity>`; training/simulator/observable.py).

Without truth, card-choice quality is estimated from the data by self-normalised
inverse propensity weighting with a model of the logged choice (`ips_value`), and said
to be an estimate. If the product does not beat the plain reference on log loss (and on
regret, when truth is there), `verdict` says so in words.
"""

import numpy as np
import pandas as pd

from features.encode import DIRECT_CATEGORICAL, DIRECT_NUMERIC
from features.vocabulary import ACTIVITIES
from training.calibrate import log_loss
from training.dataset import ACTIVITY, LABEL
from training.evaluate import auc_or_none

PLAIN = "plain LGBMClassifier()"
PRODUCT = "product"
RAW_CATEGORICAL = (*DIRECT_CATEGORICAL, "language", "contact_reason", ACTIVITY)
SEED = 0


def raw_frame(rows: pd.DataFrame, categories: dict | None = None) -> pd.DataFrame:
    """Raw import columns as a beginner would pass them: numbers and pandas categories."""
    out = pd.DataFrame(index=rows.index)
    for name in DIRECT_NUMERIC:
        out[name] = pd.to_numeric(rows[name], errors="coerce").astype(float)
    for name in RAW_CATEGORICAL:
        values = rows[name].astype(object).where(rows[name].notna(), None)
        known = categories[name] if categories else sorted({v for v in values if v is not None})
        out[name] = pd.Categorical(values, categories=known)
    return out


def plain_reference(train_rows: pd.DataFrame, test_rows: pd.DataFrame) -> np.ndarray:
    """(n_test, 5) P(success) of each activity from a default LGBMClassifier."""
    from lightgbm import LGBMClassifier

    X_train = raw_frame(train_rows)
    categories = {name: list(X_train[name].cat.categories) for name in RAW_CATEGORICAL}
    model = LGBMClassifier(random_state=SEED, n_jobs=2, verbose=-1)
    model.fit(X_train, train_rows[LABEL].to_numpy(int))
    out = np.empty((len(test_rows), len(ACTIVITIES)))
    for k, activity in enumerate(ACTIVITIES):
        X = raw_frame(test_rows.assign(**{ACTIVITY: activity}), categories)
        out[:, k] = model.predict_proba(X)[:, 1]
    return out


def _attempted(rows: pd.DataFrame) -> np.ndarray:
    return rows[ACTIVITY].map(ACTIVITIES.index).to_numpy(int)


def reference_rows(test_rows, probabilities: dict, truth: pd.DataFrame | None) -> list[dict]:
    """One row per model (and per oracle): AUC and log loss on the attempted activity,
    regret and regret / logged agents' when truth covers the rows."""
    y, attempted = test_rows[LABEL].to_numpy(float), _attempted(test_rows)
    n = np.arange(len(y))
    true_p = None
    models = dict(probabilities)
    if truth is not None:
        joined = test_rows[["interaction_id"]].merge(truth, on="interaction_id", how="left")
        columns = [f"p_{a}" for a in ACTIVITIES]
        if joined[columns].notna().all().all():
            true_p = joined[columns].to_numpy(float)
            observable = [f"p_obs_{a}" for a in ACTIVITIES]
            if all(c in joined for c in observable) and joined[observable].notna().all().all():
                models["observable oracle"] = joined[observable].to_numpy(float)
            models["oracle"] = true_p
    rows = []
    agents_regret = None
    if true_p is not None:
        agents_regret = float(np.mean(true_p.max(1) - true_p[n, attempted]))
    for name, p in models.items():
        row = {"model": name, "roc_auc": auc_or_none(y, p[n, attempted])}
        row["log_loss"] = log_loss(y, p[n, attempted])
        if true_p is not None:
            row["regret"] = float(np.mean(true_p.max(1) - true_p[n, p.argmax(1)]))
            row["regret_to_agents"] = row["regret"] / agents_regret if agents_regret else None
        rows.append(row)
    if agents_regret is not None:
        rows.append({"model": "logged agents", "regret": agents_regret, "regret_to_agents": 1.0})
    return rows


def verdict(rows: list[dict]) -> list[str]:
    """Words, when the product does not beat the plain reference."""
    by = {r["model"]: r for r in rows}
    product, plain = by.get(PRODUCT), by.get(PLAIN)
    if not product or not plain:
        return []
    worse = []
    if product["log_loss"] >= plain["log_loss"]:
        worse.append(f"log loss {product['log_loss']:.4f} vs {plain['log_loss']:.4f}")
    if "regret" in product and product["regret"] >= plain["regret"]:
        worse.append(f"regret {product['regret']:.4f} vs {plain['regret']:.4f}")
    if not worse:
        return ["verdict: the product beats the plain reference on log loss"
                + (" and regret" if "regret" in product else "") + "."]  # fmt: skip
    return [
        "verdict: THE PRODUCT DOES NOT BEAT A DEFAULT LGBMClassifier() on these rows ("
        + "; ".join(worse)
        + "). Prefer the plain model, or look at why before promoting this one."
    ]


def ips_value(test_rows: pd.DataFrame, chosen: np.ndarray, propensity: np.ndarray) -> dict:
    """Self-normalised IPS estimate of the success rate if `chosen` had been used.

    `propensity` (n, 5): a model's estimate of how likely the logged agents were to pick
    each activity. An estimate from the data, not a measurement: rows where the logged
    activity differs from `chosen` carry no weight.
    """
    attempted, y = _attempted(test_rows), test_rows[LABEL].to_numpy(float)
    n = np.arange(len(y))
    w = (chosen == attempted) / np.clip(propensity[n, attempted], 0.02, None)
    logged = float(y.mean())
    value = float((w * y).sum() / w.sum()) if w.sum() > 0 else float("nan")
    ess = float(w.sum() ** 2 / (w**2).sum()) if w.sum() > 0 else 0.0
    return {"estimate": value, "logged": logged, "effective_rows": ess}


def logged_choice_model(train_rows: pd.DataFrame):
    """P(activity chosen | raw columns) by the logged agents (for ips_value)."""
    from lightgbm import LGBMClassifier

    X = raw_frame(train_rows.assign(**{ACTIVITY: None}))
    X = X.drop(columns=[ACTIVITY])
    categories = {name: list(X[name].cat.categories) for name in RAW_CATEGORICAL[:-1]}
    model = LGBMClassifier(n_estimators=100, random_state=SEED, n_jobs=2, verbose=-1)
    model.fit(X, _attempted(train_rows))

    def propensity(rows: pd.DataFrame) -> np.ndarray:
        Z = raw_frame(rows.assign(**{ACTIVITY: None}), {**categories, ACTIVITY: []})
        p = np.zeros((len(rows), len(ACTIVITIES)))
        p[:, model.classes_] = model.predict_proba(Z.drop(columns=[ACTIVITY]))
        return p

    return propensity


def reference_lines(rows: list[dict]) -> list[str]:
    """The references table as `value-assist train` prints it."""

    def f(v, d=4):
        return "-" if v is None else f"{v:.{d}f}"

    lines = ["references on the same test rows:"]
    lines.append(f"  {'':<24} {'ROC AUC':>8} {'log loss':>9} {'regret':>8} {'/ agents':>9}")
    for r in rows:
        lines.append(
            f"  {r['model']:<24} {f(r.get('roc_auc')):>8} {f(r.get('log_loss')):>9} "
            f"{f(r.get('regret')):>8} {f(r.get('regret_to_agents'), 3):>9}"
        )
    return lines + verdict(rows)
