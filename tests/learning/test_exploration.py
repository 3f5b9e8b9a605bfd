"""The epsilon-greedy policy: exact propensities, deterministic draws, the explore share."""

import numpy as np
import pytest

from assist_api.services.learning.exploration import (
    EXPLOIT,
    EXPLORE,
    choose_first,
    draws,
    move_first,
    policy_record,
    propensities,
)


def test_propensities_sum_to_one_and_floor_every_card():
    probs = propensities(4, 0.05)
    assert probs == pytest.approx((0.9625, 0.0125, 0.0125, 0.0125))
    assert sum(probs) == pytest.approx(1.0)
    assert propensities(1, 0.05) == pytest.approx((1.0,))
    assert propensities(3, 0.0) == (1.0, 0.0, 0.0)


def test_exploit_takes_the_top_card_and_explore_draws_from_all():
    assert choose_first(3, 0.05, u_arm=0.5, u_pick=0.99).index == 0
    explored = choose_first(3, 0.05, u_arm=0.01, u_pick=0.99)
    assert (explored.index, explored.arm) == (2, EXPLORE)
    assert explored.propensity == pytest.approx(0.05 / 3)
    assert choose_first(3, 0.0, u_arm=0.0, u_pick=0.99).arm == EXPLOIT
    assert choose_first(0, 0.05, 0.01, 0.5).propensity is None


@pytest.mark.parametrize("epsilon", [-0.1, 1.5])
def test_epsilon_outside_unit_interval_is_refused(epsilon):
    with pytest.raises(ValueError, match="epsilon"):
        choose_first(3, epsilon, 0.5, 0.5)


def test_draws_are_deterministic_and_the_shown_frequencies_match_the_propensities():
    assert draws("i-1", "salt") == draws("i-1", "salt")
    assert draws("i-1", "salt") != draws("i-1", "other")
    epsilon, k, n = 0.3, 4, 20000
    first = np.zeros(k)
    for i in range(n):
        first[choose_first(k, epsilon, *draws(f"i-{i}", "s")).index] += 1
    assert first / n == pytest.approx(propensities(k, epsilon), abs=0.01)


def test_move_first_and_the_logged_record():
    assert move_first(["a", "b", "c"], 2) == ["c", "a", "b"]
    assert move_first(["a", "b"], 0) == ["a", "b"]
    choice = choose_first(2, 0.1, 0.05, 0.9)
    record = policy_record(choice, 0.1, [("x.a", 1.0), ("y.b", 0.5)])
    assert record["arm"] == EXPLORE and record["propensity"] == pytest.approx(0.05)
    assert record["eligible"] == [["x.a", 1.0, 0.95], ["y.b", 0.5, 0.05]]
