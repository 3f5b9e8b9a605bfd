"""The promotion rule's off-policy half: the candidate's and the champion's greedy
top-card policies valued (DR, 95 % interval over customers) on the same logged decisions.

training.promote.judge applies it (the candidate's DR interval may not lie wholly below
the champion's DR value); `value-assist train` passes it through TrainConfig.off_policy
and the closed-loop study to judge directly. Each model re-scores every decision's stored
feature row in one batched predict. The result is None when there are no logged
decisions with outcomes, and {"refused": why} when they cannot value the candidate (thin
support, or rows built by another feature spec): the rule then rests on log loss alone,
and the run records why.
"""

from collections.abc import Sequence

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

from assist_api.services.learning.evaluation import (
    LoggedDecision,
    greedy,
    reward_model,
    target_arrays,
)
from assist_api.services.learning.logged import logged_decisions
from assist_api.services.learning.ope import MIN_ESS, ThinSupport, estimate
from assist_api.services.learning.snapshots import matrix_from_inputs
from assist_api.store.store import Store
from features.vocabulary import ACTIVITIES
from models.artifacts import ModelFiles
from models.pyfunc import score_matrix


def _probabilities(decisions: Sequence[LoggedDecision], files: ModelFiles) -> list:
    """Each decision's P(success) per activity under `files` (None without inputs)."""
    rows = [i for i, d in enumerate(decisions) if d.inputs]
    out: list = [None] * len(decisions)
    if rows:
        matrix = np.vstack([matrix_from_inputs(decisions[i].inputs) for i in rows])
        scores = score_matrix(files, matrix).reshape(len(rows), len(ACTIVITIES))
        for k, i in enumerate(rows):
            out[i] = scores[k]
    return out


def _greedy_value(decisions, files, q_hat, min_ess, draws, seed) -> dict:
    probabilities = _probabilities(decisions, files)
    index = {id(d): i for i, d in enumerate(decisions)}

    def target(d, cards):
        return greedy(cards, probabilities[index[id(d)]])

    arrays = target_arrays(decisions, target, q_hat)
    return estimate(arrays, min_ess=min_ess, draws=draws, seed=seed)


def off_policy_values(
    decisions: Sequence[LoggedDecision],
    candidate: ModelFiles,
    champion: ModelFiles,
    *,
    min_ess: float = MIN_ESS,
    draws: int = 1000,
    seed: int = 0,
) -> dict | None:
    """{"candidate": {value, ci95}, "champion": {value, ci95}, "ess", "n_decisions"} (DR),
    {"refused": why, "n_decisions"}, or None without logged decisions."""
    if not decisions:
        return None
    q_hat = reward_model(decisions)  # one reward model for both: a like-for-like pair
    try:
        mine = _greedy_value(decisions, candidate, q_hat, min_ess, draws, seed)
        theirs = _greedy_value(decisions, champion, q_hat, min_ess, draws, seed)
    except (ThinSupport, ValueError) as exc:
        return {"refused": str(exc), "n_decisions": len(decisions)}
    return {
        "candidate": mine["estimates"]["dr"],
        "champion": theirs["estimates"]["dr"],
        "ess": mine["ess"],
        "n_decisions": len(decisions),
    }


def store_off_policy(
    store: Store, candidate: ModelFiles, champion: ModelFiles, *, min_ess: float = MIN_ESS
) -> dict | None:
    """off_policy_values on the store's logged decisions (None: none, or no such tables)."""
    try:
        decisions = logged_decisions(store)
    except SQLAlchemyError:  # a store never migrated (training from files alone)
        return None
    return off_policy_values(decisions, candidate, champion, min_ess=min_ess)
