"""The reports' statistics on hand-built data, where the right answer is known exactly."""

import math

import numpy as np
import pandas as pd
import pytest

from assist_api.reports.clustered import cluster_mean, clustered_effect
from assist_api.reports.customers import customer_frame
from assist_api.reports.health import lee_bounds, sample_ratio
from assist_api.reports.multiplicity import benjamini_hochberg, holm, shrink

UTC_DAY = "2026-03-{:02d}T10:00:00Z"


def contacts(rows: list[tuple]) -> pd.DataFrame:
    """Report rows from (customer, day, holdout, retained, ve_success) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "day", "holdout", "retained_60d", "ve"])
    n = len(frame)
    return pd.DataFrame(
        {
            "interaction_id": [f"i-{k}" for k in range(n)],
            "customer_id": frame["customer_id"],
            "started_at": pd.to_datetime([UTC_DAY.format(d) for d in frame["day"]], utc=True),
            "holdout": frame["holdout"].astype(bool),
            "clv": 100.0,
            **{
                name: "x"
                for name in ("switching_effort", "persona", "plan_tier", "channel", "pool")
            },
            **{name: "x" for name in ("contact_reason", "language", "days_band")},
            "adoption_band": "x",
            "activity": [None] * n,
            "retained_60d": frame["retained_60d"].astype(float),
            "wallet_change": np.nan,
            "ve_success": frame["ve"].astype(float),
            "handle_seconds": 60.0,
        }
    )


def test_a_customer_with_three_contacts_counts_once_with_the_latest_known_retention():
    frame = contacts(
        [
            ("c-1", 3, False, np.nan, 0),
            ("c-1", 1, False, 0, 1),  # the exposure: earliest contact
            ("c-1", 9, False, 1, np.nan),  # the latest known retention
            ("c-2", 2, True, np.nan, np.nan),
        ]
    )
    customers = customer_frame(frame).set_index("customer_id")
    assert list(customers.index) == ["c-1", "c-2"]  # in exposure order
    assert customers.loc["c-1", "contacts"] == 3
    assert customers.loc["c-1", "started_at"].day == 1
    assert customers.loc["c-1", "retained_60d"] == 1.0
    assert customers.loc["c-1", "ve_success"] == 1.0  # any contact reported success
    assert customers.loc["c-1", "handle_minutes"] == pytest.approx(3.0)
    assert math.isnan(customers.loc["c-2", "retained_60d"])
    assert not customers["mixed_arms"].any()


def test_a_customer_in_both_arms_is_marked_and_keeps_the_exposure_arm():
    frame = contacts([("c-1", 1, True, 1, 1), ("c-1", 2, False, 1, 1)])
    customers = customer_frame(frame)
    assert customers["mixed_arms"].tolist() == [True]
    assert customers["holdout"].tolist() == [True]


def test_one_contact_per_customer_gives_the_ordinary_variance_of_a_mean():
    values = np.random.default_rng(1).normal(size=50)
    mean, variance, n, groups = cluster_mean(values, np.arange(50))
    assert (n, groups) == (50, 50)
    assert mean == pytest.approx(values.mean())
    assert variance == pytest.approx(values.var(ddof=1) / 50)


def test_repeating_each_customers_answer_does_not_shrink_the_clustered_interval():
    """Three identical contacts per customer carry one customer's information, not three."""
    rng = np.random.default_rng(2)
    a, b = (rng.random(200) < p for p in (0.5, 0.4))
    once = clustered_effect(a * 1.0, np.arange(200), b * 1.0, np.arange(200), "higher")
    thrice = clustered_effect(
        np.repeat(a * 1.0, 3), np.repeat(np.arange(200), 3),
        np.repeat(b * 1.0, 3), np.repeat(np.arange(200), 3),
        "higher",
    )  # fmt: skip
    assert thrice["lift"] == once["lift"]
    assert thrice["se"] == pytest.approx(once["se"], rel=0.01)
    assert (thrice["n_offered"], thrice["customers_offered"]) == (600, 200)


def test_holm_and_benjamini_hochberg_match_hand_computed_values():
    p_values = [0.01, 0.04, 0.03, 0.005, None]
    assert holm(p_values) == pytest.approx([0.03, 0.06, 0.06, 0.02, None])
    assert benjamini_hochberg(p_values) == pytest.approx([0.02, 0.04, 0.04, 0.02, None])


def test_shrinkage_pulls_noisy_estimates_more_and_equal_ones_not_at_all():
    same = shrink(np.array([0.1, 0.1, 0.1]), np.array([0.05, 0.05, 0.05]))
    assert same["tau2"] == 0.0
    np.testing.assert_allclose(same["shrunk"], 0.1)
    spread = shrink(np.array([0.3, -0.1, 0.1, 0.3]), np.array([0.02, 0.02, 0.02, 0.3]))
    assert spread["tau2"] > 0
    precise, noisy = spread["shrunk"][0], spread["shrunk"][3]
    assert abs(precise - 0.3) < abs(noisy - 0.3)  # the noisy 0.3 is pulled further


def test_sample_ratio_flags_a_broken_split_and_not_an_exact_one():
    assert not sample_ratio(900, 100, 0.10)["flag"]
    assert sample_ratio(900, 100, 0.10)["p_value"] == 1.0
    broken = sample_ratio(9_300, 700, 0.10)
    assert broken["flag"] and broken["p_value"] < 0.001


def test_lee_bounds_are_the_estimate_when_recording_is_even_and_bracket_it_when_not():
    offered = np.array([1.0] * 60 + [0.0] * 40)
    holdout = np.array([1.0] * 40 + [0.0] * 60)
    low, high = lee_bounds(offered, holdout, 0.5, 0.5)
    assert low == pytest.approx(0.2) and high == pytest.approx(0.2)
    # Offered recorded 50 % of contacts, holdout 40 %: trim 20 % of the offered values.
    low, high = lee_bounds(offered, holdout, 0.5, 0.4)
    assert low == pytest.approx(40 / 80 - 0.4)  # the 20 trimmed were all successes
    assert high == pytest.approx(60 / 80 - 0.4)  # the 20 trimmed were all failures
