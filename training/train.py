"""Fit the openness model: LightGBM, binary, native categoricals, early stopping.

The hyper-parameters are generic, deliberately not tuned to the demo simulator: the
product must work on contact-centre data it has never seen, so they are checked on a
second world with different functional forms (tests/training/alt_world.py). Enough
regularisation (leaf size, L2, categorical smoothing) keeps the raw probabilities close
to calibrated, and early stopping on the later validation part picks the tree count.

These values are the *starting point*: the capacity search (training/search.py) tries
them first and then a seeded list of other shapes and penalties, choosing on each
centre's own validation rows. Seven leaves were best on the project's two worlds, and
keep the real-time explanation (TreeSHAP, leaves x depth^2 per tree) cheap.
"""

import time
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.frame import build_frame
from features.spec import CATEGORICAL_INDICES, FEATURE_NAMES
from training.dataset import ACTIVITY, LABEL

NUM_THREADS = 2
MAX_ROUNDS = 3000
EARLY_STOPPING_ROUNDS = 100
# Leaves need enough rows for a stable success rate: 1 % of the training rows, 20..200.
MIN_LEAF_SHARE, MIN_LEAF_ROWS, MAX_LEAF_ROWS = 0.01, 20, 200
PARAMS = {
    "objective": "binary",
    "metric": ["binary_logloss"],
    "learning_rate": 0.05,
    "num_leaves": 7,
    "lambda_l2": 10.0,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "cat_smooth": 20.0,
    "cat_l2": 10.0,
    "max_cat_to_onehot": 8,
    "min_data_per_group": 50,
    "max_bin": 255,
    "seed": 17,
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": NUM_THREADS,
    "verbosity": -1,
}


@dataclass
class FitResult:
    """`booster` is what ships: refitted on train + validation with the chosen tree count.

    `selection_booster` is the train-only model whose validation predictions chose the
    tree count and fit the calibration map (the only honest held-out predictions).
    """

    booster: lgb.Booster
    params: dict
    best_iteration: int  # chosen by early stopping on the validation part
    seconds: float
    curve: dict = field(default_factory=dict)  # validation metric per iteration
    selection_booster: lgb.Booster | None = None
    rounds: int = 0  # trees in `booster`
    machines: int = 1  # LightGBM machines (Dask workers holding rows) that fitted `booster`


def min_leaf_rows(n_train: int) -> int:
    return int(min(MAX_LEAF_ROWS, max(MIN_LEAF_ROWS, n_train * MIN_LEAF_SHARE)))


def feature_matrix(
    rows: pd.DataFrame, activity_column: str = ACTIVITY, text_model=None
) -> np.ndarray:
    """The feature rows serving would build for these interactions (features.frame)."""
    return build_frame(rows, activity_column=activity_column, text_model=text_model)


def labels(rows: pd.DataFrame) -> np.ndarray:
    return rows[LABEL].to_numpy(dtype=np.float64)


def make_dataset(X: np.ndarray, y: np.ndarray, reference: lgb.Dataset | None = None):
    return lgb.Dataset(
        X,
        label=y,
        feature_name=list(FEATURE_NAMES),
        categorical_feature=list(CATEGORICAL_INDICES),
        reference=reference,
        free_raw_data=True,
        params={"max_bin": PARAMS["max_bin"], "verbosity": -1},
    )


def fit_booster(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_valid: np.ndarray,
    y_valid: np.ndarray,
    params: dict | None = None,
    max_rounds: int = MAX_ROUNDS,
    early_stopping_rounds: int = EARLY_STOPPING_ROUNDS,
) -> FitResult:
    """Train until validation log loss stops improving for `early_stopping_rounds` rounds."""
    params = {**PARAMS, "min_data_in_leaf": min_leaf_rows(len(y_train)), **(params or {})}
    started = time.perf_counter()
    train_set = make_dataset(X_train, y_train)
    valid_set = make_dataset(X_valid, y_valid, reference=train_set)
    curve: dict = {}
    booster = lgb.train(
        params,
        train_set,
        num_boost_round=max_rounds,
        valid_sets=[valid_set],
        valid_names=["valid"],
        callbacks=[
            lgb.early_stopping(early_stopping_rounds, first_metric_only=True, verbose=False),
            lgb.record_evaluation(curve),
        ],
    )
    best = int(booster.best_iteration or booster.current_iteration())
    booster = truncate(booster, best)
    return FitResult(
        booster, params, best, time.perf_counter() - started, curve.get("valid", {}), booster, best
    )


def refit_rounds(best_iteration: int, n_train: int, n_refit: int) -> int:
    """Trees for the refit: the early-stopped count, scaled with the number of rows."""
    return max(1, round(best_iteration * n_refit / max(n_train, 1)))


def refit(fit: FitResult, X_train, y_train, X_valid, y_valid) -> FitResult:
    """The shipped model: the same settings refitted on train + validation rows.

    The validation part is the most recent data before the test part; leaving it out of
    the final model would waste a quarter of the rows and the freshest ones. The test
    part stays untouched, so the evaluation is still on unseen, later data.
    """
    started = time.perf_counter()
    X = np.vstack([X_train, X_valid])
    y = np.concatenate([y_train, y_valid])
    # the leaf size chosen on the training rows, scaled with the number of rows
    leaf = round(fit.params["min_data_in_leaf"] * len(y) / max(len(y_train), 1))
    params = {**fit.params, "min_data_in_leaf": leaf}
    rounds = refit_rounds(fit.best_iteration, len(y_train), len(y))
    booster = lgb.train(params, make_dataset(X, y), num_boost_round=rounds)
    seconds = fit.seconds + time.perf_counter() - started
    return FitResult(
        booster, params, fit.best_iteration, seconds, fit.curve, fit.selection_booster, rounds
    )


def truncate(booster: lgb.Booster, iterations: int) -> lgb.Booster:
    """A booster holding only the first `iterations` trees (what is saved and served)."""
    return lgb.Booster(model_str=booster.model_to_string(num_iteration=iterations))


def predict_raw(booster: lgb.Booster, X: np.ndarray) -> np.ndarray:
    """Uncalibrated probabilities."""
    return booster.predict(X, num_threads=NUM_THREADS)
