"""Off-policy evaluation from logged decisions: the target policies and the arrays."""

import numpy as np
import pytest

from assist_api.services.learning.evaluation import (
    LoggedDecision,
    evaluate_policy,
    greedy,
    logged_arrays,
    uniform,
    worst_first,
)
from assist_api.services.learning.exploration import propensities
from assist_api.services.learning.ope import ThinSupport
from features.vocabulary import ACTIVITIES

CARDS = [("validate_purchase.a", 1.0), ("educate_usage.b", 1.0), ("achieve_goals.c", 0.5)]
P = np.array([0.2, 0.1, 0.9, 0.6, 0.3])  # ACTIVITIES order


def test_target_policies_follow_the_served_ranking():
    # keys: validate 0.2, educate 0.6, achieve 0.9 * 0.5 = 0.45
    assert ACTIVITIES[3] == "educate_usage" and ACTIVITIES[2] == "achieve_goals"
    assert greedy(CARDS, P).tolist() == [0, 1, 0]
    assert worst_first(CARDS, P).tolist() == [1, 0, 0]
    assert uniform(CARDS, P) == pytest.approx([1 / 3] * 3)
    assert greedy(CARDS, None).tolist() == [0, 1, 0]  # by weight, ties by card id


def _decision(i, shown, reward, epsilon=0.5):
    probs = propensities(len(CARDS), epsilon)
    return LoggedDecision(
        interaction_id=f"i-{i}",
        customer_id=f"c-{i % 7}",
        eligible=[[c, w, p] for (c, w), p in zip(CARDS, probs, strict=True)],
        shown_first=CARDS[shown][0],
        reward=reward,
        activity_scores=dict(zip(ACTIVITIES, P.tolist(), strict=True)),
        inputs=None,
    )


def test_arrays_hold_the_logged_and_target_probabilities():
    decisions = [_decision(0, 0, 1.0), _decision(1, 1, 0.0)]
    logged = logged_arrays(decisions, uniform, None)
    assert logged.propensity == pytest.approx([0.5 + 0.5 / 3, 0.5 / 3])
    assert logged.target == pytest.approx([1 / 3, 1 / 3])
    assert logged.v_target == pytest.approx([0.5, 0.5])  # too few rows: q_hat is the mean


def test_evaluate_policy_reports_and_refuses_thin_support():
    rng = np.random.default_rng(0)
    decisions = [_decision(i, int(rng.integers(3)), float(rng.random() < 0.4)) for i in range(300)]
    result = evaluate_policy(decisions, uniform, None, min_ess=30, draws=200)
    assert result["n_decisions"] == 300 and result["ess"] > 100
    assert set(result["estimates"]) == {"ips", "snips", "dr"}
    low, high = result["logged"]["ci95"]
    assert low < result["logged"]["value"] < high
    with pytest.raises(ThinSupport):
        evaluate_policy(decisions, greedy, None, min_ess=1000, draws=50)
