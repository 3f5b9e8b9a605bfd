"""The single-row fast path gives exactly what Booster.predict gives, for every row."""

import threading

import numpy as np
import pytest

from models.fast_predict import FastPredictor
from tests.helpers.tiny_model import train_tiny_booster


@pytest.fixture(scope="module")
def trained():
    booster, matrix = train_tiny_booster(rounds=40)
    rows = matrix[:60].copy()
    rows[::7, 3] = np.nan  # missing values take the trees' default directions
    return booster, rows


def test_probabilities_equal_booster_predict(trained):
    booster, rows = trained
    fast = FastPredictor(booster).probabilities(rows)
    np.testing.assert_allclose(fast, booster.predict(rows, num_threads=1), rtol=0, atol=1e-12)


def test_contributions_equal_pred_contrib_and_sum_to_the_raw_score(trained):
    booster, rows = trained
    predictor = FastPredictor(booster)
    for row in rows[:20]:
        contributions = predictor.contributions(row)
        expected = booster.predict(row[None, :], pred_contrib=True, num_threads=1)[0]
        np.testing.assert_allclose(contributions, expected, rtol=0, atol=1e-12)
        raw = booster.predict(row[None, :], raw_score=True, num_threads=1)[0]
        assert contributions.sum() == pytest.approx(raw)


def test_a_row_of_the_wrong_width_is_refused(trained):
    booster, rows = trained
    with pytest.raises(ValueError, match=f"rows of {booster.num_feature()} features"):
        FastPredictor(booster).probabilities(rows[:, :-1])


def test_threads_sharing_one_predictor_each_get_their_own_answers(trained):
    booster, rows = trained
    predictor = FastPredictor(booster)
    expected = booster.predict(rows, num_threads=1)
    mismatches = []

    def score_repeatedly(offset: int):
        for i in range(200):
            k = (offset + i) % len(rows)
            if predictor.probabilities(rows[k : k + 1])[0] != expected[k]:
                mismatches.append(k)

    threads = [threading.Thread(target=score_repeatedly, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert mismatches == []
