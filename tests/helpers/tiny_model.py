"""A tiny real model in a throwaway MLflow registry, laid out as training lays it out.

The rows come from import-format records through the real features code
(expand_activities + build_frame), so the stored spec is the code's spec and the
service's fast path accepts the model. Seconds to build; nothing is mocked.
"""

import tempfile
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.frame import build_frame, expand_activities
from features.spec import CATEGORICAL_INDICES, FEATURE_NAMES, spec_as_dict
from features.vocabulary import ACTIVITIES, CHANNELS, PERSONAS, PLAN_TIERS
from models.artifacts import FAST_PATH_DIR, save_fast_path
from models.calibration import Calibrator
from tests.helpers.records import interaction

TRANSCRIPTS = (
    "How do I set up the sharing feature?",
    "I was charged twice and I want a refund. This is frustrating.",
    "I want to automate my weekly report. Is there a new feature for that?",
    "",
    "設定方法を教えてください。",
    "新機能について知りたいです。",
)


def synthetic_records(n: int = 240, seed: int = 0) -> pd.DataFrame:
    """n import-format interactions with varied customers, channels and transcripts."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        rows.append(
            interaction(
                i,
                channel=CHANNELS[rng.integers(len(CHANNELS))],
                language=("en", "ja", "en-GB")[i % 3],
                persona=PERSONAS[rng.integers(len(PERSONAS))],
                plan_tier=PLAN_TIERS[rng.integers(len(PLAN_TIERS))],
                days_since_purchase=int(rng.integers(0, 400)),
                feature_adoption=round(float(rng.uniform()), 2),
                prior_contacts_90d=int(rng.poisson(1.0)),
                products_owned=int(rng.integers(1, 6)),
                clv=round(float(rng.lognormal(7, 0.8)), 2),
                customer_sentiment=round(float(rng.uniform(-1, 1)), 2),
                elapsed_seconds=int(rng.integers(10, 900)),
                transcript=TRANSCRIPTS[rng.integers(len(TRANSCRIPTS))],
                contact_reason="" if i % 2 else "inquiry",
            )
        )
    return pd.DataFrame(rows)


def train_tiny_booster(seed: int = 0, rounds: int = 20) -> tuple[lgb.Booster, np.ndarray]:
    """A small binary booster on real feature rows; returns it and its training matrix."""
    records = synthetic_records(seed=seed)
    expanded = expand_activities(records)
    matrix = build_frame(expanded)
    rng = np.random.default_rng(seed + 1)
    col = {name: matrix[:, i] for i, name in enumerate(FEATURE_NAMES)}
    logit = (
        1.5 * (col["days_since_purchase"] < 30)
        + 2.0 * (0.5 - col["feature_adoption"])
        + 1.0 * np.nan_to_num(col["customer_sentiment"])
        + 0.4 * (col["activity"] == ACTIVITIES.index("educate_usage"))
        - 0.5
    )
    labels = (rng.uniform(size=len(logit)) < 1 / (1 + np.exp(-logit))).astype(int)
    params = {
        "objective": "binary",
        "num_leaves": 7,
        "min_data_in_leaf": 10,
        "learning_rate": 0.2,
        "seed": seed,
        "num_threads": 1,
        "verbose": -1,
    }
    dataset = lgb.Dataset(
        matrix,
        labels,
        feature_name=list(FEATURE_NAMES),
        categorical_feature=list(CATEGORICAL_INDICES),
        free_raw_data=False,
    )
    return lgb.train(params, dataset, num_boost_round=rounds), matrix


def register_tiny_model(
    tracking_uri: str,
    artifact_dir: Path,
    name: str = "ve-openness",
    alias: str | None = "champion",
    seed: int = 0,
    spec: dict | None = None,
    calibrator: Calibrator | None = None,
) -> str:
    """Train, log a run with `fast_path/`, register a version; point `alias` at it.

    `spec` overrides the stored feature spec (to make an incompatible model).
    Returns the new version as a str.
    """
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.get_experiment_by_name("tiny")
    if experiment is None:
        experiment_id = client.create_experiment(
            "tiny", artifact_location=Path(artifact_dir).resolve().as_uri()
        )
    else:
        experiment_id = experiment.experiment_id
    run = client.create_run(experiment_id, run_name=f"tiny-{seed}")
    booster, _ = train_tiny_booster(seed)
    calibrator = calibrator or Calibrator(method="platt", a=1.1, b=-0.05)
    with tempfile.TemporaryDirectory() as scratch:
        folder = save_fast_path(Path(scratch), booster, spec or spec_as_dict(), calibrator)
        client.log_artifacts(run.info.run_id, str(folder), artifact_path=FAST_PATH_DIR)
    client.log_metric(run.info.run_id, "auc", 0.7 + seed / 100)
    client.set_terminated(run.info.run_id)
    try:
        client.create_registered_model(name)
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
    source = f"{run.info.artifact_uri}/{FAST_PATH_DIR}"
    version = client.create_model_version(name, source, run_id=run.info.run_id).version
    if alias:
        client.set_registered_model_alias(name, alias, str(version))
    return str(version)
