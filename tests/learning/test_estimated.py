"""Imported history without logged propensities: a model of the agents' choices stands in."""

import numpy as np
import pytest

from assist_api.services.learning.estimated import choice_propensities, evaluate_imported
from assist_api.services.learning.evaluation import greedy, uniform
from training.simulator.world import simulate_world


def test_choice_model_recovers_a_known_choice_rule():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 3))
    p_first = 1 / (1 + np.exp(-2 * X[:, 0]))  # the agent picks activity 0 when x0 is high
    chosen = np.where(rng.random(3000) < p_first, 0, 1)
    mu = choice_propensities(X, chosen)
    truth = np.where(chosen == 0, p_first, 1 - p_first)
    assert np.corrcoef(mu, truth)[0, 1] > 0.8
    assert mu.min() >= 0.01


@pytest.fixture(scope="module")
def world():
    return simulate_world(4000, seed=3)


def test_imported_history_is_valued_with_estimated_propensities(world):
    def truth_scores(rows):  # the oracle's probabilities stand in for a model
        merged = rows[["interaction_id"]].merge(world.truth, on="interaction_id", how="left")
        return merged[[c for c in world.truth.columns if c.startswith("p_")][:5]].to_numpy()

    result = evaluate_imported(
        world.interactions, world.outcomes, uniform, truth_scores, min_ess=30, draws=200
    )
    low, high = result["estimates"]["snips"]["ci95"]
    assert low < high and result["n_decisions"] > 500
    best = evaluate_imported(
        world.interactions, world.outcomes, greedy, truth_scores, min_ess=30, draws=200
    )
    # picking the truly best activity beats picking at random, by the DR estimate
    assert best["estimates"]["dr"]["value"] > result["estimates"]["dr"]["value"]
