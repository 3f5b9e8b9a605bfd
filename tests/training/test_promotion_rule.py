"""The pre-declared promotion rule: an equal candidate stays out, a clearly better one gets in."""

import numpy as np

from training.promote import judge, paired_gain


def _world(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    customer = rng.integers(0, n // 2, n)
    logit = rng.normal(-0.5, 1.0, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return rng, customer, logit, y


def _noisy(rng, logit, sd):
    return 1 / (1 + np.exp(-(logit + rng.normal(0, sd, len(logit)))))


def test_the_same_model_is_never_promoted():
    rng, customer, logit, y = _world()
    p = _noisy(rng, logit, 0.5)
    verdict = judge(customer, y, p, p, draws=200)
    assert not verdict.promote and verdict.gain == 0.0


def test_a_clearly_better_model_is_promoted_and_the_numbers_are_kept():
    rng, customer, logit, y = _world()
    verdict = judge(customer, y, _noisy(rng, logit, 1.0), _noisy(rng, logit, 0.1), draws=200)
    assert verdict.promote
    assert verdict.ci95[0] > 0 and verdict.metrics()["promotion_log_loss_gain"] == verdict.gain


def test_off_policy_value_below_the_champion_blocks_promotion():
    rng, customer, logit, y = _world()
    worse = {"candidate": {"value": 0.30, "ci95": [0.25, 0.35]}, "champion": {"value": 0.40}}
    args = (customer, y, _noisy(rng, logit, 1.0), _noisy(rng, logit, 0.1))
    verdict = judge(*args, off_policy=worse, draws=200)
    assert not verdict.promote and "off-policy" in verdict.reason
    assert verdict.metrics()["promotion_off_policy_dr_candidate_high"] == 0.35
    assert verdict.metrics()["promotion_off_policy_dr_champion"] == 0.40


def test_thin_off_policy_support_leaves_the_rule_to_log_loss_and_says_so():
    rng, customer, logit, y = _world()
    args = (customer, y, _noisy(rng, logit, 1.0), _noisy(rng, logit, 0.1))
    refused = {"refused": "effective sample size 4.0 of 90 logged decisions is below 30"}
    verdict = judge(*args, off_policy=refused, draws=200)
    assert verdict.promote and "not applied (effective sample size 4.0" in verdict.reason
    assert "promotion_off_policy_dr_candidate" not in verdict.metrics()
    assert verdict.off_policy_tag().startswith("not applied: effective sample size")


def test_false_promotion_stays_rare_over_repeated_draws():
    """Small version of bench/promotion_draws.py: 40 equally good pairs, 1,000 rows each."""
    promoted = 0
    for seed in range(40):
        rng, customer, logit, y = _world(n=1000, seed=seed)
        champion, candidate = _noisy(rng, logit, 0.5), _noisy(rng, logit, 0.5)
        _, ci = paired_gain(customer, y, champion, candidate, draws=300, seed=seed)
        promoted += ci[0] > 0
    assert promoted <= 5  # expected ~1 (2.5 %); 5 of 40 would be 12.5 %
