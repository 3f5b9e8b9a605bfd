"""IPS, SNIPS and DR against hand-computed cases; the customer bootstrap; thin support."""

import numpy as np
import pytest

from assist_api.services.learning.ope import (
    Logged,
    ThinSupport,
    dr,
    effective_sample_size,
    estimate,
    ips,
    observed,
    snips,
)

# Four decisions: rewards, logged propensities, the candidate's probability of the same
# action -> weights 2, 0, 4, 1.
R = np.array([1.0, 0.0, 1.0, 0.0])
MU = np.array([0.5, 0.5, 0.25, 1.0])
PI = np.array([1.0, 0.0, 1.0, 1.0])
Q = np.array([0.5, 0.5, 0.5, 0.5])
V = np.array([0.6, 0.4, 0.5, 0.5])


def test_hand_computed_values():
    w = PI / MU
    assert ips(R, w) == pytest.approx((2 + 0 + 4 + 0) / 4)
    assert snips(R, w) == pytest.approx(6 / 7)
    # terms: 0.6 + 2(0.5), 0.4 + 0, 0.5 + 4(0.5), 0.5 + 1(-0.5)
    assert dr(R, w, Q, V) == pytest.approx((1.6 + 0.4 + 2.5 + 0.0) / 4)
    assert effective_sample_size(w) == pytest.approx(49 / 21)


def test_same_policy_as_logged_gives_the_observed_rate():
    rng = np.random.default_rng(0)
    n = 400
    r = (rng.random(n) < 0.3).astype(float)
    logged = Logged(np.arange(n) % 50, r, np.ones(n), np.ones(n), np.full(n, 0.3), np.full(n, 0.3))
    result = estimate(logged, draws=200)
    for name in ("ips", "snips", "dr"):
        value, (low, high) = result["estimates"][name]["value"], result["estimates"][name]["ci95"]
        assert value == pytest.approx(r.mean())
        assert low < value < high
    assert result["ess"] == pytest.approx(n)


def test_one_customer_gives_no_spread_because_customers_are_resampled():
    n = 60
    r = np.tile([0.0, 1.0], n // 2)
    logged = Logged(np.zeros(n), r, np.ones(n), np.ones(n), np.zeros(n), np.zeros(n))
    low, high = estimate(logged, draws=100)["estimates"]["ips"]["ci95"]
    assert low == pytest.approx(high) == pytest.approx(0.5)
    assert observed(np.arange(n), r, draws=200)["ci95"][0] < 0.5


def test_thin_support_is_refused_with_the_numbers():
    n = 100
    target = np.zeros(n)
    target[:3] = 1.0
    logged = Logged(np.arange(n), np.ones(n), np.full(n, 0.01), target, np.zeros(n), np.zeros(n))
    with pytest.raises(ThinSupport, match=r"effective sample size 3\.0 of 100"):
        estimate(logged)


def test_a_zero_propensity_is_an_error():
    logged = Logged(
        np.arange(2), np.ones(2), np.array([0.5, 0.0]), np.ones(2), np.ones(2), np.ones(2)
    )
    with pytest.raises(ValueError, match="propensity"):
        estimate(logged)


def test_ips_is_unbiased_on_a_simulated_bandit():
    """Uniform logging over 3 actions; the target always picks action 2 (true value 0.7)."""
    rng = np.random.default_rng(1)
    n = 30000
    means = np.array([0.2, 0.4, 0.7])
    action = rng.integers(0, 3, n)
    r = (rng.random(n) < means[action]).astype(float)
    target = (action == 2).astype(float)
    logged = Logged(np.arange(n) // 3, r, np.full(n, 1 / 3), target, means[action], np.full(n, 0.7))
    result = estimate(logged, draws=200)
    for name in ("ips", "snips", "dr"):
        low, high = result["estimates"][name]["ci95"]
        assert low < 0.7 < high
