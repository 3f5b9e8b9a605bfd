"""Off-policy evaluation on imported history, whose propensities were never logged.

Before the service ran, agents chose the activity themselves. A model of their choices —
P(agent attempts activity a | the interaction's features), a multinomial logistic
regression (missing values imputed and flagged) fitted out of fold so no row is scored by
a model that saw it — stands in for the
logged propensity; results are marked `propensities: "estimated"`, since they are only as
good as that model. The action is the activity attempted, the reward VE success, and the
candidate's policy picks an activity from its probabilities (all five are eligible).
"""

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from assist_api.services.learning.evaluation import Policy
from assist_api.services.learning.ope import Logged, estimate, observed
from features.vocabulary import ACTIVITIES
from training.dataset import ACTIVITY, LABEL, attach_labels, join_outcomes
from training.train import feature_matrix

PROPENSITY_FLOOR = 0.01
FOLDS = 3
ELIGIBLE = [(f"{a}.any", 1.0) for a in ACTIVITIES]


def choice_propensities(X: np.ndarray, chosen: np.ndarray, seed: int = 0) -> np.ndarray:
    """Out-of-fold P(the activity chosen | features), floored at PROPENSITY_FLOOR."""
    if len(np.unique(chosen)) < 2:
        return np.ones(len(chosen))  # the agents always chose the same activity
    out = np.full(len(chosen), 1.0 / len(ACTIVITIES))
    counts = np.bincount(chosen, minlength=len(ACTIVITIES))
    folds = min(FOLDS, int(counts[counts > 0].min()))
    if folds < 2:
        return out
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, held in splitter.split(X, chosen):
        model = make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            StandardScaler(),
            LogisticRegression(max_iter=1000),
        )
        model.fit(X[train], chosen[train])
        proba = model.predict_proba(X[held])
        columns = {c: i for i, c in enumerate(model.classes_)}
        out[held] = [
            proba[k, columns[c]] if c in columns else 0.0 for k, c in enumerate(chosen[held])
        ]
    return np.maximum(out, PROPENSITY_FLOOR)


def imported_logged(
    interactions: pd.DataFrame, outcomes: pd.DataFrame, policy: Policy, score_rows
) -> Logged:
    """Arrays for the estimators from labelled imported rows. `score_rows(rows)` -> (n, 5)."""
    rows = attach_labels(join_outcomes(interactions, outcomes)).reset_index(drop=True)
    if rows.empty:
        raise ValueError("no labelled interactions: need an attempted activity and VES answers")
    chosen = rows[ACTIVITY].map(ACTIVITIES.index).to_numpy(int)
    X = feature_matrix(rows)[:, 1:]  # the agent chose the activity: it is not an input
    mu = choice_propensities(X, chosen)
    probabilities = np.asarray(score_rows(rows), float)
    n = len(rows)
    target, q_logged, v_target = np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        pi = policy(ELIGIBLE, probabilities[i])
        target[i] = pi[chosen[i]]
        q_logged[i] = probabilities[i, chosen[i]]
        v_target[i] = float(pi @ probabilities[i])
    return Logged(
        rows["customer_id"].to_numpy(str),
        rows[LABEL].to_numpy(float),
        mu,
        target,
        q_logged,
        v_target,
    )


def evaluate_imported(
    interactions, outcomes, policy: Policy, score_rows, *, min_ess: float, draws=1000, seed=0
) -> dict:
    logged = imported_logged(interactions, outcomes, policy, score_rows)
    result = estimate(logged, min_ess=min_ess, draws=draws, seed=seed)
    result["logged"] = observed(logged.customer, logged.reward, draws=draws, seed=seed)
    return result
