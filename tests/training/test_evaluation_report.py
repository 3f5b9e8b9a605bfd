"""The evaluation report's numbers, checked on cases small enough to work out by hand."""

import numpy as np
import pandas as pd
import pytest

from features.vocabulary import ACTIVITIES
from training.evaluate import (
    band_summary,
    ece_noise_floor,
    flat_metrics,
    lift_table,
    overall_metrics,
    per_slice,
    truth_metrics,
)


def test_regret_of_model_agents_and_random_choice():
    rows = pd.DataFrame(
        {
            "interaction_id": ["a", "b"],
            "activity": ["validate_purchase", "educate_usage"],
            "label": [1, 0],
        }
    )
    true_p = np.array([[0.6, 0.2, 0.2, 0.2, 0.2], [0.1, 0.5, 0.1, 0.3, 0.1]])
    truth = pd.DataFrame(true_p, columns=[f"p_{a}" for a in ACTIVITIES]).assign(
        interaction_id=["a", "b"]
    )
    model = np.array([[0.1, 0.9, 0.1, 0.1, 0.1], [0.1, 0.8, 0.1, 0.1, 0.1]])
    metrics = truth_metrics(rows, model, truth)
    assert metrics["regret_model"] == pytest.approx(((0.6 - 0.2) + 0.0) / 2)
    assert metrics["regret_agents"] == pytest.approx((0.0 + (0.5 - 0.3)) / 2)
    assert metrics["regret_random"] == pytest.approx(((0.6 - 0.28) + (0.5 - 0.22)) / 2)
    assert metrics["best_activity_agreement"] == 0.5
    assert metrics["oracle_roc_auc"] == 1.0  # true p of what was done: 0.6 (yes) > 0.3 (no)


def test_rows_the_truth_does_not_cover_are_left_out():
    rows = pd.DataFrame(
        {"interaction_id": ["a", "zz"], "activity": ["validate_purchase"] * 2, "label": [1, 0]}
    )
    truth = pd.DataFrame({"interaction_id": ["a"], **{f"p_{a}": [0.5] for a in ACTIVITIES}})
    assert truth_metrics(rows, np.full((2, 5), 0.5), truth)["rows"] == 1


def test_overall_metrics_of_a_perfect_ranking():
    metrics = overall_metrics([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert metrics["roc_auc"] == 1.0 and metrics["pr_auc"] == 1.0
    assert metrics["brier"] == pytest.approx((0.01 + 0.04 + 0.04 + 0.01) / 4)


def test_lift_and_gain():
    y = np.array([1] * 10 + [0] * 90)
    p = np.linspace(1, 0, 100)  # the ten successes score highest
    table = lift_table(y, p)
    assert table[0]["lift"] == pytest.approx(10.0)
    assert table[0]["cumulative_gain"] == 1.0 and table[-1]["cumulative_gain"] == 1.0
    assert sum(row["rows"] for row in table) == 100


def test_slices_name_empty_values_and_skip_tiny_groups():
    rows = pd.DataFrame(
        {
            "channel": ["phone"] * 40 + ["fax"] * 5,
            "contact_reason": [None] * 45,
            "language": ["ja-JP"] * 45,
            "label": [0, 1] * 22 + [1],
        }
    )
    slices = per_slice(rows, np.linspace(0, 1, 45))
    assert set(slices["channel"]) == {"phone"}
    assert set(slices["contact_reason"]) == {"(empty)"}
    assert set(slices["language"]) == {"ja"}


def test_bands_and_flat_metric_names():
    rows = pd.DataFrame({"label": [0, 1, 1, 0]})
    bands = band_summary(rows, [0.1, 0.4, 0.6, 0.9], (0.35, 0.55))
    assert [bands[b]["share"] for b in ("low", "medium", "high")] == [0.25, 0.25, 0.5]
    report = {
        "overall": {"roc_auc": 0.7, "pr_auc": None},
        "per_slice": {"channel": {"(empty)": {"roc_auc": 0.6}}},
        "bands": bands,
    }
    assert flat_metrics(report) == {
        "test_roc_auc": 0.7,
        "test_roc_auc_channel_empty": 0.6,
        "test_band_share_low": 0.25,
        "test_band_share_medium": 0.25,
        "test_band_share_high": 0.5,
    }


def test_noise_floor_shrinks_with_more_rows():
    small = ece_noise_floor(np.full(500, 0.4))
    large = ece_noise_floor(np.full(50_000, 0.4))
    assert large < small / 5
