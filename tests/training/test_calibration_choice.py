"""Calibration error is measured the usual way, and a map is used only when it helps."""

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression

from models.calibration import Calibrator
from training.calibrate import (
    choose_calibrator,
    expected_calibration_error,
    fit_isotonic,
    fit_platt,
    reliability_table,
)


def draw(n: int, seed: int, distort=lambda p: p):
    """True probabilities p, labels drawn from them, and the (distorted) scores shown."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.95, n)
    return distort(p), (rng.random(n) < p).astype(int)


def test_ece_is_the_row_weighted_gap_per_bin():
    y = np.array([1, 0, 0, 0, 1, 1])
    p = np.array([0.05, 0.05, 0.05, 0.05, 0.95, 0.95])
    # bin 0: predicted 0.05, observed 0.25 (4 rows); bin 9: predicted 0.95, observed 1 (2 rows)
    assert expected_calibration_error(y, p) == pytest.approx((4 * 0.20 + 2 * 0.05) / 6)
    table = reliability_table(y, p)
    assert [row["rows"] for row in table] == [4, 0, 0, 0, 0, 0, 0, 0, 0, 2]


def test_calibrated_scores_have_small_ece_and_distorted_ones_do_not():
    good, y = draw(50_000, 1)
    bad, _ = draw(50_000, 1, distort=lambda p: p**2)
    assert expected_calibration_error(y, good) < 0.01
    assert expected_calibration_error(y, bad) > 0.1


def test_a_distorted_model_gets_a_map_that_fixes_it_on_new_rows():
    scores, y = draw(8_000, 2, distort=lambda p: p**2)
    calibrator, evidence = choose_calibrator(scores, y)
    assert calibrator.method in ("isotonic", "platt")
    assert evidence[calibrator.method]["ece"] < evidence["none"]["ece"]
    fresh_scores, fresh_y = draw(20_000, 3, distort=lambda p: p**2)
    before = expected_calibration_error(fresh_y, fresh_scores)
    after = expected_calibration_error(fresh_y, calibrator.apply(fresh_scores))
    assert after < 0.02 < before


def test_a_calibrated_model_keeps_its_scores():
    scores, y = draw(8_000, 4)
    calibrator, evidence = choose_calibrator(scores, y)
    assert calibrator == Calibrator()
    assert evidence["chosen"] == "none"


def test_maps_survive_json_and_match_scikit_learn():
    scores, y = draw(5_000, 5, distort=lambda p: np.sqrt(p))
    isotonic = Calibrator.from_dict(fit_isotonic(scores, y).to_dict())
    reference = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(scores, y)
    grid = np.linspace(0, 1, 101)
    np.testing.assert_allclose(isotonic.apply(grid), reference.predict(grid), atol=1e-9)
    platt = Calibrator.from_dict(fit_platt(scores, y).to_dict())
    assert platt.method == "platt" and platt.a > 1.0  # sqrt made the scores too flat
