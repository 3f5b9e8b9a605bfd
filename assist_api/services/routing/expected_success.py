"""Expected VE success for past attempts: the case mix that agent skill is measured against.

For every interaction where an agent attempted an activity and the customer answered both
VES items, the model's calibrated P(success | interaction, attempted activity) is the
success an average agent would have had with that customer. The rows come from the store
or from import-format files through the training code's own labelling (the same
attempted-activity and VE-success rules), and are scored with the serving fast path's
booster and calibrator, one batched predict call.
"""

import numpy as np
import pandas as pd

from assist_api.services.routing.agent_skill import SkillReport, estimate_skill
from features.frame import build_frame
from training.dataset import ACTIVITY, LABEL, attach_labels, join_outcomes

NUM_THREADS = 2
# Small and regularised: it only has to price the case mix, not rank customers finely.
CROSS_FIT_PARAMS = {
    "n_estimators": 200,
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 40,
    "subsample_freq": 0,
    "num_threads": NUM_THREADS,
    "verbose": -1,
}
ATTEMPT_COLUMNS = ("interaction_id", "started_at", "agent_id", "pool", ACTIVITY)


def labelled_attempts(interactions: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Attempts by an agent with a known result: import-format columns + activity + success."""
    rows = attach_labels(join_outcomes(interactions, outcomes))
    rows = rows[rows["agent_id"].notna()].reset_index(drop=True)
    return rows.assign(success=rows.pop(LABEL).astype(int))


def predict(model, rows: pd.DataFrame, activity_column: str = ACTIVITY) -> np.ndarray:
    """Calibrated P(success) of each row with `model` (anything with booster + calibrator)."""
    if rows.empty:
        return np.empty(0)
    X = build_frame(rows, activity_column, text_model=getattr(model, "text_model", None))
    raw = model.booster.predict(X, num_threads=NUM_THREADS)
    return model.calibrator.apply(raw)


def expected_success(interactions: pd.DataFrame, outcomes: pd.DataFrame, model) -> pd.DataFrame:
    """One row per labelled attempt: interaction_id, started_at, agent_id, pool, activity,
    success (0/1) and expected (the model's P(success) for that case and activity)."""
    rows = labelled_attempts(interactions, outcomes)
    scored = rows[list(ATTEMPT_COLUMNS)].copy()
    scored["success"] = rows["success"].to_numpy()
    scored["expected"] = predict(model, rows)
    return scored


def measure_skill(
    interactions: pd.DataFrame, outcomes: pd.DataFrame, model, min_attempts: int
) -> tuple[SkillReport, pd.DataFrame]:
    """(per-agent skill, the scored attempts it was measured on)."""
    attempts = expected_success(interactions, outcomes, model)
    return estimate_skill(attempts, min_attempts=min_attempts), attempts


def cross_fitted_expected(rows: pd.DataFrame, folds: int = 5, seed: int = 0) -> np.ndarray:
    """P(success) of each attempt from a model fitted without that agent's own attempts.

    Agents are split into `folds` groups; each group's attempts are scored by a LightGBM
    fitted on the other groups'. An agent's own results then cannot leak into the case mix
    they are judged against (the serving model has seen them, and partly learned them
    through features that go with the agent, such as language and channel).
    """
    import lightgbm as lgb  # training-side only: the real-time path never fits models

    from features.spec import CATEGORICAL_INDICES

    agents = rows["agent_id"].astype(str)
    ids = np.array(sorted(agents.unique()))
    group = dict(zip(ids, np.random.default_rng(seed).permutation(ids.size) % folds, strict=True))
    fold = agents.map(group).to_numpy()
    matrix = build_frame(rows, ACTIVITY)
    success = rows["success"].to_numpy(int)
    expected = np.empty(len(rows))
    for k in range(folds):
        train, held = fold != k, fold == k
        if not held.any():
            continue
        model = lgb.LGBMClassifier(**CROSS_FIT_PARAMS)
        model.fit(matrix[train], success[train], categorical_feature=list(CATEGORICAL_INDICES))
        expected[held] = model.predict_proba(matrix[held])[:, 1]
    return expected


def measure_activity_skill(
    interactions: pd.DataFrame, outcomes: pd.DataFrame, min_attempts: int, folds: int = 5
) -> list:
    """Per agent x activity skill (routing.activity_skill) on cross-fitted expectations."""
    from assist_api.services.routing.activity_skill import estimate_activity_skill

    rows = labelled_attempts(interactions, outcomes)
    if rows.empty:
        return []
    attempts = pd.DataFrame(
        {
            "agent_id": rows["agent_id"].to_numpy(),
            "activity": rows[ACTIVITY].to_numpy(),
            "success": rows["success"].to_numpy(),
            "expected": cross_fitted_expected(rows, folds=folds),
        }
    )
    return estimate_activity_skill(attempts, min_attempts=min_attempts)
