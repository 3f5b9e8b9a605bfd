"""The capacity search: bounded, seeded, and never worse than the default on validation."""

import numpy as np

from training.search import MAX_CANDIDATES, SEARCHED, candidates, search_capacity, table_lines
from training.train import min_leaf_rows


def _rows(n, seed):
    from features.frame import build_frame
    from tests.helpers.tiny_model import synthetic_records

    records = synthetic_records(n, seed=seed).assign(activity="educate_usage")
    X = build_frame(records)
    rng = np.random.default_rng(seed)
    logit = 2.0 * (np.nan_to_num(X[:, 2]) - 0.5) + 0.004 * np.nan_to_num(X[:, 1]) - 0.8
    return X, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)


def test_candidates_are_seeded_distinct_and_start_with_the_default():
    first, again = candidates(5000), candidates(5000)
    assert first == again and len(first) == MAX_CANDIDATES
    assert first[0]["num_leaves"] == 7 and first[0]["min_data_in_leaf"] == min_leaf_rows(5000)
    assert len({tuple(c.values()) for c in first}) == len(first)
    assert all(set(c) == set(SEARCHED) for c in first)


def test_the_chosen_candidate_has_the_lowest_validation_loss():
    X_train, y_train = _rows(1200, 1)
    X_valid, y_valid = _rows(400, 2)
    result = search_capacity(X_train, y_train, X_valid, y_valid, max_candidates=4)
    losses = [row["valid_log_loss"] for row in result.table]
    assert len(result.table) == 4 and result.stopped_by == "candidates"
    chosen = [row for row in result.table if row["chosen"]]
    assert len(chosen) == 1 and chosen[0]["valid_log_loss"] == min(losses)
    assert result.params == {k: chosen[0][k] for k in SEARCHED}
    assert result.best.best_iteration == chosen[0]["trees"]
    assert "chosen" in "\n".join(table_lines(result))


def test_a_spent_budget_stops_after_two_candidates():
    X_train, y_train = _rows(600, 3)
    X_valid, y_valid = _rows(200, 4)
    result = search_capacity(X_train, y_train, X_valid, y_valid, budget_seconds=0.0)
    assert len(result.table) == 2 and result.stopped_by == "budget"
